// The Node-API face of the native kernels: picks the instruction set a call names (512: AVX-512F, 256: AVX2 + FMA),
// reads the typed arrays' memory in place (no copies), checks that every array is long enough for the call (a
// wrong length is a RangeError, never a write past the end), and splits large calls across the pool's threads in
// chunks whose results do not depend on who computes them. The library's kernels/native.ts wraps these raw
// functions into its `Kernels` contract.
#include <node_api.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include "kernels.h"
#include "pool.h"

namespace {

bool hasAvx512() {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx512f");
}
bool hasAvx2() {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}

struct Fail {
  std::string message;
};

class Args {
 public:
  Args(napi_env env, napi_callback_info info, size_t want) : env_(env) {
    argc_ = want > 16 ? 16 : want;
    if (napi_get_cb_info(env, info, &argc_, argv_, nullptr, nullptr) != napi_ok) throw Fail{"bad call"};
    if (argc_ < want) throw Fail{"expected " + std::to_string(want) + " arguments, got " + std::to_string(argc_)};
  }
  double num(size_t i) {
    double v;
    if (napi_get_value_double(env_, argv_[i], &v) != napi_ok) throw Fail{"argument " + std::to_string(i) + " must be a number"};
    return v;
  }
  int integer(size_t i) {
    const double v = num(i);
    if (!(v >= -2147483648.0 && v <= 2147483647.0) || v != (double)(int)v) throw Fail{"argument " + std::to_string(i) + " must be an integer"};
    return (int)v;
  }
  bool flag(size_t i) {
    bool v;
    if (napi_get_value_bool(env_, argv_[i], &v) != napi_ok) throw Fail{"argument " + std::to_string(i) + " must be a boolean"};
    return v;
  }
  bool isNull(size_t i) {
    napi_valuetype t;
    napi_typeof(env_, argv_[i], &t);
    return t == napi_null || t == napi_undefined;
  }
  /** A Float32Array argument (named `name` in messages) with at least `need` entries. */
  float* f32(size_t i, int64_t need, const char* name) {
    bool is = false;
    napi_is_typedarray(env_, argv_[i], &is);
    napi_typedarray_type type;
    size_t length;
    void* data;
    if (!is || napi_get_typedarray_info(env_, argv_[i], &type, &length, &data, nullptr, nullptr) != napi_ok || type != napi_float32_array) {
      throw Fail{std::string(name) + " must be a Float32Array"};
    }
    if (need < 0 || (int64_t)length < need) {
      throw Fail{std::string(name) + " has " + std::to_string(length) + (length == 1 ? " entry" : " entries") + ", the call needs " + std::to_string(need)};
    }
    return static_cast<float*>(data);
  }

 private:
  napi_env env_;
  size_t argc_;
  napi_value argv_[16];
};

const nabla::Ops& ops(int isa) {
  if (isa == 512) {
    if (!hasAvx512()) throw Fail{"this CPU has no AVX-512F"};
    return nabla_avx512::ops;
  }
  if (isa == 256) {
    if (!hasAvx2()) throw Fail{"this CPU has no AVX2 + FMA"};
    return nabla_avx2::ops;
  }
  throw Fail{"instruction set must be 512 or 256, got " + std::to_string(isa)};
}

napi_value number(napi_env env, double v) {
  napi_value r;
  napi_create_double(env, v, &r);
  return r;
}

template <typename F>
napi_value guard(napi_env env, F&& f) {
  try {
    return f();
  } catch (const Fail& e) {
    napi_throw_range_error(env, "ERR_NABLA_NATIVE", ("nabla-native: " + e.message).c_str());
    return nullptr;
  }
}

/** The vector width of a probe: 128 or 256, or 512 in the AVX-512 set. */
int checkBits(const nabla::Ops& o, int bits) {
  if (bits != 128 && bits != 256 && !(bits == 512 && &o == &nabla_avx512::ops)) throw Fail{"no " + std::to_string(bits) + "-bit FMA in this set"};
  return bits;
}

int checkThreads(int t) {
  if (t < 1 || t > 64) throw Fail{"threads must be 1 to 64, got " + std::to_string(t)};
  return t;
}

// matmul(isa, threads, out, a, b, h | null, rows, inner, cols, transA, transB, accumulate)
napi_value Matmul(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    Args x(env, info, 12);
    const nabla::Ops& o = ops(x.integer(0));
    const int threads = checkThreads(x.integer(1));
    const int rows = x.integer(6), inner = x.integer(7), cols = x.integer(8);
    if (rows < 0 || inner < 0 || cols < 0) throw Fail{"dimensions must be ≥ 0"};
    const int64_t rc = (int64_t)rows * cols;
    float* out = x.f32(2, rc, "out");
    const float* a = x.f32(3, (int64_t)rows * inner, "a");
    const float* b = x.f32(4, (int64_t)inner * cols, "b");
    const float* h = x.isNull(5) ? nullptr : x.f32(5, rc, "h");
    const bool tA = x.flag(9), tB = x.flag(10), acc = x.flag(11);
    if (threads == 1) {
      o.gemmPart(out, a, b, h, rows, inner, cols, tA, tB, acc, 0, rows, 0, cols);
      return nullptr;
    }
    // cut the longer side of C into chunks of whole micro-tiles; every entry's sum is the same whoever computes it
    const bool byRows = rows >= cols && rows >= 2 * o.mr;
    const int unit = byRows ? o.mr : o.nr;
    const int dim = byRows ? rows : cols;
    const int units = (dim + unit - 1) / unit;
    // one chunk per thread: each chunk packs the operand it shares with the others once (a late worker's chunk is
    // claimed by the calling thread, so nobody waits for a thread to wake)
    int chunks = threads;
    if (chunks > units) chunks = units;
    const std::function<void(int)> part = [&](int c) {
      const int lo = (int)((int64_t)units * c / chunks) * unit;
      int hi = (int)((int64_t)units * (c + 1) / chunks) * unit;
      if (hi > dim) hi = dim;
      if (byRows) o.gemmPart(out, a, b, h, rows, inner, cols, tA, tB, acc, lo, hi, 0, cols);
      else o.gemmPart(out, a, b, h, rows, inner, cols, tA, tB, acc, 0, rows, lo, hi);
    };
    nabla::Pool::get(threads - 1).run(chunks, threads - 1, part);
    return nullptr;
  });
}

// hadamard(isa, out, a, b, length)
napi_value Hadamard(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    Args x(env, info, 5);
    const nabla::Ops& o = ops(x.integer(0));
    const int64_t n = x.integer(4);
    o.hadamard(x.f32(1, n, "out"), x.f32(2, n, "a"), x.f32(3, n, "b"), n);
    return nullptr;
  });
}

// activate(isa, id, N, S, dS, start, end)
napi_value Activate(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    Args x(env, info, 7);
    const nabla::Ops& o = ops(x.integer(0));
    const int id = x.integer(1);
    if (id < 0 || id > 10) throw Fail{"unknown activation id " + std::to_string(id)};
    const int64_t start = x.integer(5), end = x.integer(6);
    if (start < 0 || end < start) throw Fail{"need 0 ≤ start ≤ end"};
    o.activate(x.f32(2, end, "N") + start, x.f32(3, end, "S") + start, x.f32(4, end, "dS") + start, end - start, id);
    return nullptr;
  });
}

// softmaxSeed(isa, N, Y, seed, rows, B) → mean loss
napi_value SoftmaxSeed(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    Args x(env, info, 6);
    const nabla::Ops& o = ops(x.integer(0));
    const int rows = x.integer(4), B = x.integer(5);
    if (rows < 0 || B < 0) throw Fail{"dimensions must be ≥ 0"};
    const int64_t n = (int64_t)rows * B;
    return number(env, o.softmaxSeed(x.f32(1, n, "N"), x.f32(2, n, "Y"), x.f32(3, n, "seed"), rows, B));
  });
}

/**
 * An elementwise update of `len` floats on `threads` threads: one chunk per thread of whole 64-byte lines, so only the
 * last chunk has the vector formula's scalar tail, as on one thread. `update(lo, count)` runs one chunk.
 */
template <typename F>
void splitUpdate(int threads, int64_t len, F&& update) {
  const int chunks = threads;
  const int64_t units = (len + 15) / 16;
  const std::function<void(int)> part = [&](int c) {
    const int64_t lo = std::min(len, units * c / chunks * 16);
    const int64_t hi = std::min(len, units * (c + 1) / chunks * 16);
    if (hi > lo) update(lo, hi - lo);
  };
  nabla::Pool::get(threads - 1).run(chunks, threads - 1, part);
}

// sgd(isa, threads, w, g, v, length, lr, momentum, weightDecay, nesterov)
napi_value Sgd(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    Args x(env, info, 10);
    const nabla::Ops& o = ops(x.integer(0));
    const int threads = checkThreads(x.integer(1));
    const int64_t n = x.integer(5);
    if (n < 0) throw Fail{"length must be ≥ 0"};
    float* w = x.f32(2, n, "w");
    const float* g = x.f32(3, n, "g");
    const double mu = x.num(7);
    float* v = mu == 0 && x.isNull(4) ? nullptr : x.f32(4, n, "v");
    const double lr = x.num(6), wd = x.num(8);
    const bool nest = x.flag(9);
    splitUpdate(threads, n, [&](int64_t lo, int64_t count) { o.sgd(w + lo, g + lo, v ? v + lo : nullptr, count, lr, mu, wd, nest); });
    return nullptr;
  });
}

// adam(isa, threads, w, g, m, v, length, lr, beta1, beta2, eps, weightDecay, step, decoupled)
napi_value Adam(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    Args x(env, info, 14);
    const nabla::Ops& o = ops(x.integer(0));
    const int threads = checkThreads(x.integer(1));
    const int64_t n = x.integer(6);
    if (n < 0) throw Fail{"length must be ≥ 0"};
    float* w = x.f32(2, n, "w");
    const float* g = x.f32(3, n, "g");
    float* m = x.f32(4, n, "m");
    float* v = x.f32(5, n, "v");
    const double lr = x.num(7), b1 = x.num(8), b2 = x.num(9), eps = x.num(10), wd = x.num(11);
    const int step = x.integer(12);
    const bool dec = x.flag(13);
    splitUpdate(threads, n, [&](int64_t lo, int64_t count) { o.adam(w + lo, g + lo, m + lo, v + lo, count, lr, b1, b2, eps, wd, step, dec); });
    return nullptr;
  });
}

// probe(isa, bits, seconds) → GFLOP/s of one thread's independent FMA chains
napi_value Probe(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    Args x(env, info, 3);
    const nabla::Ops& o = ops(x.integer(0));
    const int bits = checkBits(o, x.integer(1));
    return number(env, o.probe(bits, x.num(2)));
  });
}

// probeThreads(isa, bits, seconds, threads) → GFLOP/s of `threads` threads running the probe at once: the FLOPs of
// all of them over the wall time, so threads that cannot run side by side (a pool worker late, or two virtual CPUs
// on one physical core) read as what they deliver together
napi_value ProbeThreads(napi_env env, napi_callback_info info) {
  return guard(env, [&]() -> napi_value {
    Args x(env, info, 4);
    const nabla::Ops& o = ops(x.integer(0));
    const int bits = checkBits(o, x.integer(1));
    const double seconds = x.num(2);
    const int threads = checkThreads(x.integer(3));
    std::vector<double> gflop(threads, 0.0);
    const auto t0 = std::chrono::steady_clock::now();
    const std::function<void(int)> part = [&](int c) { gflop[c] = o.probe(bits, seconds) * seconds; };
    nabla::Pool::get(threads - 1).run(threads, threads - 1, part);
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    double sum = 0;
    for (double g : gflop) sum += g;
    return number(env, sum / wall);
  });
}

// workerChunks() → chunks computed by pool workers since the start
napi_value WorkerChunks(napi_env env, napi_callback_info) {
  return number(env, (double)nabla::Pool::get(0).workerChunks());
}

// cpu() → { avx512: boolean, avx2: boolean } (avx2 means AVX2 and FMA), as the CPU and the OS report them
napi_value Cpu(napi_env env, napi_callback_info) {
  napi_value r, a, b;
  napi_create_object(env, &r);
  napi_get_boolean(env, hasAvx512(), &a);
  napi_get_boolean(env, hasAvx2(), &b);
  napi_set_named_property(env, r, "avx512", a);
  napi_set_named_property(env, r, "avx2", b);
  return r;
}

}  // namespace

NAPI_MODULE_INIT() {
  const napi_property_descriptor props[] = {
      {"matmul", nullptr, Matmul, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"hadamard", nullptr, Hadamard, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"activate", nullptr, Activate, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"softmaxSeed", nullptr, SoftmaxSeed, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"sgd", nullptr, Sgd, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"adam", nullptr, Adam, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"probe", nullptr, Probe, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"probeThreads", nullptr, ProbeThreads, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"workerChunks", nullptr, WorkerChunks, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"cpu", nullptr, Cpu, nullptr, nullptr, nullptr, napi_default, nullptr},
  };
  napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]), props);
  return exports;
}
