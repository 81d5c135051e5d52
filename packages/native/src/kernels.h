// The kernels one instruction set provides (kernels.cc, compiled once per set), as a table the addon
// dispatches through. Every function works in place on caller memory and never allocates (the GEMM's packing
// buffers are per thread, made once). "part" functions compute a block of the result exactly as the whole call
// would, so threads that split a call give the one-thread result bit for bit.
#pragma once
#include <cstdint>

namespace nabla {

struct Ops {
  /** Rows r0..r1 × columns c0..c1 of out = op(a)·op(b) (+ out when acc) (∘ h when h). */
  void (*gemmPart)(float* out, const float* a, const float* b, const float* h, int rows, int inner, int cols,
                   bool transA, bool transB, bool acc, int r0, int r1, int c0, int c1);
  void (*hadamard)(float* out, const float* a, const float* b, int64_t len);
  /** S = σ(N), dS = σ'(N) for len entries, σ by activation id (see activation ids in the library). */
  void (*activate)(const float* N, float* S, float* dS, int64_t len, int id);
  double (*softmaxSeed)(const float* N, const float* Y, float* seed, int rows, int B);
  /** SGD on entries [0, len) of the arrays (pointers already offset for a chunk). */
  void (*sgd)(float* w, const float* g, float* v, int64_t len, double lr, double momentum, double wd, bool nesterov);
  void (*adam)(float* w, const float* g, float* m, float* v, int64_t len, double lr, double beta1, double beta2,
               double eps, double wd, int step, bool decoupled);
  /** GFLOP/s of 12 independent FMA chains on vectors of `bits` (128, 256, or 512 where the set has it). */
  double (*probe)(int bits, double seconds);
  int mr, nr;
};

}  // namespace nabla

namespace nabla_avx512 { extern const nabla::Ops ops; }
namespace nabla_avx2 { extern const nabla::Ops ops; }
