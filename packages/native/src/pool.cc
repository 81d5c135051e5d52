// The addon's thread pool (see pool.h).
#include "pool.h"

namespace nabla {

Pool& Pool::get(int n) {
  static Pool* pool = new Pool();  // never destroyed: detached workers may still wait on it at exit
  if (n > 0) pool->grow(n);
  return *pool;
}

void Pool::grow(int n) {
  std::lock_guard<std::mutex> lock(growMu_);
  while (size_ < n) {
    // the job count now, read before the thread starts: a job published while it starts is still one it joins
    std::thread(&Pool::work, this, seq_.load(std::memory_order_acquire)).detach();
    size_++;
  }
}

void Pool::work(uint64_t seen) {
  for (;;) {
    // wait for a new job: spin, then sleep
    const auto until = std::chrono::steady_clock::now() + kSpin;
    uint64_t now = seq_.load(std::memory_order_acquire);
    while (now == seen && std::chrono::steady_clock::now() < until) {
#if defined(__x86_64__) || defined(__i386__)
      __builtin_ia32_pause();
#endif
      now = seq_.load(std::memory_order_acquire);
    }
    if (now == seen) {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [&] { return seq_.load(std::memory_order_acquire) != seen; });
      now = seq_.load(std::memory_order_acquire);
    }
    seen = now;
    // join the job only while it is open, is the one woken for, and still wants helpers
    const std::function<void(int)>* job;
    int chunks;
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (!open_ || seq_.load(std::memory_order_relaxed) != seen || helpers_ <= 0) continue;
      helpers_--;
      active_.fetch_add(1, std::memory_order_acq_rel);
      job = job_;
      chunks = chunks_;
    }
    for (;;) {
      const int c = next_.fetch_add(1, std::memory_order_acq_rel);
      if (c >= chunks) break;
      (*job)(c);
      workerChunks_.fetch_add(1, std::memory_order_relaxed);
      done_.fetch_add(1, std::memory_order_acq_rel);
    }
    active_.fetch_sub(1, std::memory_order_acq_rel);
  }
}

void Pool::run(int chunks, int helpers, const std::function<void(int)>& chunk) {
  if (helpers <= 0 || chunks <= 1) {
    for (int c = 0; c < chunks; c++) chunk(c);
    return;
  }
  std::lock_guard<std::mutex> runLock(runMu_);
  {
    std::lock_guard<std::mutex> lock(mu_);
    job_ = &chunk;
    chunks_ = chunks;
    next_.store(0, std::memory_order_relaxed);
    done_.store(0, std::memory_order_relaxed);
    helpers_ = helpers;
    open_ = true;
    seq_.fetch_add(1, std::memory_order_acq_rel);
  }
  cv_.notify_all();
  for (;;) {
    const int c = next_.fetch_add(1, std::memory_order_acq_rel);
    if (c >= chunks) break;
    chunk(c);
    done_.fetch_add(1, std::memory_order_acq_rel);
  }
  // wait for chunks claimed by workers
  while (done_.load(std::memory_order_acquire) < chunks) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
  }
  // no worker may still hold this job when the next one is published
  {
    std::lock_guard<std::mutex> lock(mu_);
    open_ = false;
  }
  while (active_.load(std::memory_order_acquire) > 0) std::this_thread::yield();
}

}  // namespace nabla
