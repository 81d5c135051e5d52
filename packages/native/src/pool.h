// A persistent pool of worker threads for the addon: the calling (JavaScript) thread plus up to `workers` threads
// share a job's chunks, each claimed with one atomic increment. Idle workers spin briefly (the next product of a
// training step follows within microseconds), then sleep on a condition variable. Threads are detached and the
// pool is never destroyed, so a process exits without joining anything.
#pragma once
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace nabla {

class Pool {
 public:
  /** The pool with at least `n` worker threads (made on first use, grown when more are asked for). */
  static Pool& get(int n);

  /** Runs chunk(0..chunks−1) on the calling thread and on up to `helpers` workers; returns when all are done. */
  void run(int chunks, int helpers, const std::function<void(int)>& chunk);

  /** Chunks computed by workers since the start (for tests: a split really used another thread). */
  uint64_t workerChunks() const { return workerChunks_.load(std::memory_order_relaxed); }

  static constexpr auto kSpin = std::chrono::microseconds(200);

 private:
  void grow(int n);
  /** A worker's loop; `seen` is the last job published before it was made (it joins every later one). */
  void work(uint64_t seen);

  std::mutex growMu_;
  int size_ = 0;
  std::mutex mu_;
  std::condition_variable cv_;
  std::atomic<uint64_t> seq_{0};
  std::atomic<int> next_{0};
  std::atomic<int> done_{0};
  std::atomic<int> active_{0};  // workers inside the current job's claim loop
  int helpers_ = 0;                // under mu_: workers the job still takes
  bool open_ = false;              // under mu_: the job takes workers
  int chunks_ = 0;
  const std::function<void(int)>* job_ = nullptr;
  std::atomic<uint64_t> workerChunks_{0};
  std::mutex runMu_;  // one job at a time (a second JavaScript thread waits)
};

}  // namespace nabla
