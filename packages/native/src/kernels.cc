// nabla's native kernels for one instruction set (NABLA_ISA = 512: AVX-512F, 256: AVX2 + FMA), float32, row-major.
//
// Every result is computed in the same order of operations as the WebAssembly relaxed-SIMD build (asm/*.ts), so
// the two give the same floats: the GEMM sums each entry of C in blocks of KC = 256 along the inner dimension,
// each block one FMA chain from zero, then adds it to C (C + block); ∘ h multiplies the finished entry; one-column
// products follow asm/gemm.ts's gemv; elementwise formulas are the lane formulas of asm/elementwise.ts,
// asm/softmax.ts and asm/optim.ts, with their scalar tails where those have them. Built with -ffp-contract=off so
// the compiler adds no fusions of its own. Only the register blocking (MR × NR) and the cache blocking differ.
#include "simd.h"
#include "kernels.h"

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstring>

namespace NABLA_NS {

// ---- GEMM ----------------------------------------------------------------------------------------------------

#if NABLA_ISA == 512
constexpr int MR = 12;  // 12 × 2 zmm accumulators + 2 B vectors; A broadcast from memory
#else
constexpr int MR = 6;   // 6 × 2 ymm accumulators + 2 B vectors + 1 broadcast = 15 of 16 registers
#endif
constexpr int NR = 2 * W;
constexpr int KC = 256;  // fixed: the summation blocks of every entry (the same as the WebAssembly GEMM)
constexpr int MC = 12 * MR;
constexpr int NC = 512;
constexpr int IN_PLACE_COLS = 128;  // at most this many columns in a block: A read in place (see gemmPart)   // multiple of NR; KC × NC floats of packed B (512 KiB) stay in L2

static inline int imin(int a, int b) { return a < b ? a : b; }

/** Per-thread packing buffers, made once per thread (64-byte aligned). */
struct Workspace {
  float* a = nullptr;
  float* b = nullptr;
  Workspace() {
    a = static_cast<float*>(std::aligned_alloc(64, sizeof(float) * MC * KC));
    b = static_cast<float*>(std::aligned_alloc(64, sizeof(float) * KC * NC));
  }
};
static Workspace& workspace() {
  static thread_local Workspace ws;
  return ws;
}

/**
 * Four contiguous source rows s0, s0 + ld, s0 + 2·ld, s0 + 3·ld (kc floats each) into four adjacent columns of a
 * packed panel whose rows are `stride` floats apart (d[k·stride + r] = row r's k-th float), with 4 × 4 transposes.
 */
static inline void packFourRows(float* d, const float* s0, size_t ld, int kc, int stride) {
  const float* s1 = s0 + ld;
  const float* s2 = s1 + ld;
  const float* s3 = s2 + ld;
  int k = 0;
  for (; k + 4 <= kc; k += 4, d += 4 * stride) {
    __m128 r0 = _mm_loadu_ps(s0 + k), r1 = _mm_loadu_ps(s1 + k), r2 = _mm_loadu_ps(s2 + k), r3 = _mm_loadu_ps(s3 + k);
    _MM_TRANSPOSE4_PS(r0, r1, r2, r3);
    _mm_storeu_ps(d, r0);
    _mm_storeu_ps(d + stride, r1);
    _mm_storeu_ps(d + 2 * stride, r2);
    _mm_storeu_ps(d + 3 * stride, r3);
  }
  for (; k < kc; k++, d += stride) {
    d[0] = s0[k];
    d[1] = s1[k];
    d[2] = s2[k];
    d[3] = s3[k];
  }
}

/** op(B)[pc.., jc..] (kc × nc) into NR-column panels, zero past nc. */
static void packB(float* dst, const float* b, int inner, int cols, int pc, int jc, int kc, int nc, bool transB) {
  for (int j = 0; j < nc; j += NR) {
    const int w = imin(NR, nc - j);
    if (!transB) {
      const float* src = b + (size_t)pc * cols + jc + j;
      if (w == NR) {
        for (int k = 0; k < kc; k++, src += cols, dst += NR) {
          store(dst, load(src));
          store(dst + W, load(src + W));
        }
      } else {
        const T t0 = tail(w), t1 = tail(w - W);
        for (int k = 0; k < kc; k++, src += cols, dst += NR) {
          store(dst, loadT(src, t0));
          store(dst + W, w > W ? loadT(src + W, t1) : zero());
        }
      }
    } else if (w == NR) {
      // B stored cols × inner: four of B's rows (four panel columns) at a time, 4 × 4 transposes
      const float* row0 = b + (size_t)(jc + j) * inner + pc;
      for (int c = 0; c < NR; c += 4) packFourRows(dst + c, row0 + (size_t)c * inner, inner, kc, NR);
      dst += (size_t)kc * NR;
    } else {
      // an edge panel: column c of the panel is a contiguous run of B's row jc + j + c
      for (int c = 0; c < NR; c++) {
        float* d = dst + c;
        if (c < w) {
          const float* src = b + (size_t)(jc + j + c) * inner + pc;
          for (int k = 0; k < kc; k++) d[(size_t)k * NR] = src[k];
        } else {
          for (int k = 0; k < kc; k++) d[(size_t)k * NR] = 0.0f;
        }
      }
      dst += (size_t)kc * NR;
    }
  }
}

/** op(A)[ic.., pc..] (mc × kc) into MR-row panels, zero past mc. */
static void packA(float* dst, const float* a, int rows, int inner, int ic, int pc, int mc, int kc, bool transA) {
  for (int i = 0; i < mc; i += MR) {
    const int h = imin(MR, mc - i);
    if (transA) {
      // A stored inner × rows: the MR entries of one k are contiguous
      const float* src = a + (size_t)pc * rows + ic + i;
      if (h == MR) {
        for (int k = 0; k < kc; k++, src += rows, dst += MR) std::memcpy(dst, src, sizeof(float) * MR);
      } else {
        for (int k = 0; k < kc; k++, src += rows, dst += MR) {
          for (int r = 0; r < MR; r++) dst[r] = r < h ? src[r] : 0.0f;
        }
      }
    } else if (h == MR) {
      // A stored rows × inner: four rows at a time, 4 × 4 transposes (a last pair of rows one by one)
      const float* row0 = a + (size_t)(ic + i) * inner + pc;
      int r = 0;
      for (; r + 4 <= MR; r += 4) packFourRows(dst + r, row0 + (size_t)r * inner, inner, kc, MR);
      for (; r < MR; r++) {
        const float* src = row0 + (size_t)r * inner;
        float* d = dst + r;
        for (int k = 0; k < kc; k++) d[(size_t)k * MR] = src[k];
      }
      dst += (size_t)kc * MR;
    } else {
      for (int r = 0; r < MR; r++) {
        float* d = dst + r;
        if (r < h) {
          const float* src = a + (size_t)(ic + i + r) * inner + pc;
          for (int k = 0; k < kc; k++) d[(size_t)k * MR] = src[k];
        } else {
          for (int k = 0; k < kc; k++) d[(size_t)k * MR] = 0.0f;
        }
      }
      dst += (size_t)kc * MR;
    }
  }
}

/**
 * A micro-kernel's finished tile into C (rows mr ≤ MR, columns nr ≤ NR, row stride ldc): C = acc (+ C when beta)
 * (∘ h when h); rows past mr and columns past nr are not stored.
 */
static inline void storeTile(const V* acc0, const V* acc1, float* c, size_t ldc, bool beta, int mr, int nr,
                             const float* h) {
  if (mr == MR && nr == NR) {
#pragma GCC unroll 16
    for (int r = 0; r < MR; r++) {
      float* p = c + r * ldc;
      V x0 = acc0[r], x1 = acc1[r];
      if (beta) { x0 = add(x0, load(p)); x1 = add(x1, load(p + W)); }
      if (h) { x0 = mul(x0, load(h + r * ldc)); x1 = mul(x1, load(h + r * ldc + W)); }
      store(p, x0);
      store(p + W, x1);
    }
    return;
  }
  const T t0 = tail(nr), t1 = tail(nr - W);
  for (int r = 0; r < mr; r++) {
    float* p = c + r * ldc;
    V x0 = acc0[r], x1 = acc1[r];
    if (beta) { x0 = add(x0, loadT(p, t0)); x1 = add(x1, loadT(p + W, t1)); }
    if (h) { x0 = mul(x0, loadT(h + r * ldc, t0)); x1 = mul(x1, loadT(h + r * ldc + W, t1)); }
    storeT(p, x0, t0);
    if (nr > W) storeT(p + W, x1, t1);
  }
}

/**
 * The MR × NR micro-kernel: C[0..mr, 0..nr] (row stride ldc) = Σ_k ap[k]ᵀ·bp[k] (+ C when beta) (∘ h when h).
 * Rows past mr and columns past nr are computed on zero padding and not stored.
 */
static inline void micro(int kc, const float* __restrict ap, const float* __restrict bp, float* c, size_t ldc,
                         bool beta, int mr, int nr, const float* h) {
  V acc0[MR], acc1[MR];
#pragma GCC unroll 16
  for (int r = 0; r < MR; r++) acc0[r] = acc1[r] = zero();
  for (int k = 0; k < kc; k++) {
    const V b0 = load(bp), b1 = load(bp + W);
#pragma GCC unroll 16
    for (int r = 0; r < MR; r++) {
      const V av = splat(ap[r]);
      acc0[r] = fma(av, b0, acc0[r]);
      acc1[r] = fma(av, b1, acc1[r]);
    }
    ap += MR;
    bp += NR;
  }
  storeTile(acc0, acc1, c, ldc, beta, mr, nr, h);
}

/**
 * micro() with A read in place (A stored rows × inner, row stride lda, a full MR rows): the same FMA chain per
 * entry, without packing A.
 */
static inline void microRows(int kc, const float* __restrict a, size_t lda, const float* __restrict bp, float* c,
                             size_t ldc, bool beta, int nr, const float* h) {
  V acc0[MR], acc1[MR];
  const float* ar[MR];
#pragma GCC unroll 16
  for (int r = 0; r < MR; r++) { acc0[r] = acc1[r] = zero(); ar[r] = a + r * lda; }
  for (int k = 0; k < kc; k++) {
    const V b0 = load(bp), b1 = load(bp + W);
#pragma GCC unroll 16
    for (int r = 0; r < MR; r++) {
      const V av = splat(ar[r][k]);
      acc0[r] = fma(av, b0, acc0[r]);
      acc1[r] = fma(av, b1, acc1[r]);
    }
    bp += NR;
  }
  storeTile(acc0, acc1, c, ldc, beta, MR, nr, h);
}

/** out[r] (+)= Σ_p op(A)[r, p]·x[p] (∘ h[r]) for r0 ≤ r < r1, in asm/gemm.ts gemv's order. */
static void gemv(float* out, const float* a, const float* x, const float* h, int rows, int inner, bool transA, bool acc,
                 int r0, int r1) {
  auto put = [&](int r, float d) {
    if (acc) d = d + out[r];
    if (h) d = d * h[r];
    out[r] = d;
  };
  if (!transA) {
    // eight chains per row (lanes p mod 8), summed (l + l+4), then (0 + 2) + (1 + 3), then the tail one by one
    const int k8 = inner & ~7;
    auto finish = [&](__m256 s, const float* row) {
      const __m128 u = _mm_add_ps(_mm256_castps256_ps128(s), _mm256_extractf128_ps(s, 1));
      alignas(16) float l[4];
      _mm_store_ps(l, u);
      float d = (l[0] + l[2]) + (l[1] + l[3]);
      for (int p = k8; p < inner; p++) d += row[p] * x[p];
      return d;
    };
    int r = r0;
    for (; r + 4 <= r1; r += 4) {
      const float* a0 = a + (size_t)r * inner;
      const float* a1 = a0 + inner;
      const float* a2 = a1 + inner;
      const float* a3 = a2 + inner;
      __m256 s0 = _mm256_setzero_ps(), s1 = s0, s2 = s0, s3 = s0;
      for (int p = 0; p < k8; p += 8) {
        const __m256 xv = _mm256_loadu_ps(x + p);
        s0 = _mm256_fmadd_ps(_mm256_loadu_ps(a0 + p), xv, s0);
        s1 = _mm256_fmadd_ps(_mm256_loadu_ps(a1 + p), xv, s1);
        s2 = _mm256_fmadd_ps(_mm256_loadu_ps(a2 + p), xv, s2);
        s3 = _mm256_fmadd_ps(_mm256_loadu_ps(a3 + p), xv, s3);
      }
      put(r, finish(s0, a0));
      put(r + 1, finish(s1, a1));
      put(r + 2, finish(s2, a2));
      put(r + 3, finish(s3, a3));
    }
    for (; r < r1; r++) {
      const float* a0 = a + (size_t)r * inner;
      __m256 s0 = _mm256_setzero_ps();
      for (int p = 0; p < k8; p += 8) s0 = _mm256_fmadd_ps(_mm256_loadu_ps(a0 + p), _mm256_loadu_ps(x + p), s0);
      put(r, finish(s0, a0));
    }
    return;
  }
  // A stored inner × rows: one FMA chain per entry, W entries (then a masked block) at a time
  const size_t ld = rows;
  int r = r0;
  for (; r + 2 * W <= r1; r += 2 * W) {
    V c0 = zero(), c1 = zero();
    const float* src = a + r;
    for (int p = 0; p < inner; p++, src += ld) {
      const V xp = splat(x[p]);
      c0 = fma(xp, load(src), c0);
      c1 = fma(xp, load(src + W), c1);
    }
    alignas(64) float t[2 * W];
    store(t, c0);
    store(t + W, c1);
    for (int q = 0; q < 2 * W; q++) put(r + q, t[q]);
  }
  for (; r < r1; r += W) {
    const int n = imin(W, r1 - r);
    const T m = tail(n);
    V c0 = zero();
    const float* src = a + r;
    for (int p = 0; p < inner; p++, src += ld) c0 = fma(splat(x[p]), loadT(src, m), c0);
    alignas(64) float t[W];
    store(t, c0);
    for (int q = 0; q < n; q++) put(r + q, t[q]);
  }
}

static void gemmPart(float* out, const float* a, const float* b, const float* h, int rows, int inner, int cols,
                     bool transA, bool transB, bool acc, int r0, int r1, int c0, int c1) {
  if (r0 < 0) r0 = 0;
  if (c0 < 0) c0 = 0;
  if (r1 > rows) r1 = rows;
  if (c1 > cols) c1 = cols;
  if (r1 <= r0 || c1 <= c0) return;
  const size_t ldc = cols;
  if (inner <= 0) {
    for (int i = r0; i < r1; i++) {
      for (int j = c0; j < c1; j++) {
        float v = acc ? out[i * ldc + j] : 0.0f;
        if (h) v = v * h[i * ldc + j];
        out[i * ldc + j] = v;
      }
    }
    return;
  }
  if (cols == 1) {
    gemv(out, a, b, h, rows, inner, transA, acc, r0, r1);
    return;
  }
  Workspace& ws = workspace();
  for (int jc = c0; jc < c1; jc += NC) {
    const int nc = imin(NC, c1 - jc);
    for (int pc = 0; pc < inner; pc += KC) {
      const int kc = imin(KC, inner - pc);
      packB(ws.b, b, inner, cols, pc, jc, kc, nc, transB);
      const bool beta = acc || pc > 0;
      const bool last = pc + kc >= inner;
      for (int ic = r0; ic < r1; ic += MC) {
        const int mc = imin(MC, r1 - ic);
        // A stored rows × inner is read in place, by full MR-row tiles, when few column panels would reuse a packed
        // copy (packing it transposes every entry); transposed A, edge tiles and wide blocks are packed
        const int full = transA || nc > IN_PLACE_COLS ? 0 : mc - mc % MR;
        if (full < mc) packA(ws.a, a, rows, inner, ic + full, pc, mc - full, kc, transA);
        for (int i = 0; i < mc; i += MR) {
          const int mr = imin(MR, mc - i);
          for (int j = 0; j < nc; j += NR) {
            const size_t o = (size_t)(ic + i) * ldc + jc + j;
            const float* hp = last && h ? h + o : nullptr;
            if (i < full)
              microRows(kc, a + (size_t)(ic + i) * inner + pc, inner, ws.b + (size_t)j * kc, out + o, ldc, beta,
                        imin(NR, nc - j), hp);
            else
              micro(kc, ws.a + (size_t)(i - full) * kc, ws.b + (size_t)j * kc, out + o, ldc, beta, mr, imin(NR, nc - j), hp);
          }
        }
      }
    }
  }
}

// ---- elementwise ---------------------------------------------------------------------------------------------

static void hadamard(float* out, const float* a, const float* b, int64_t len) {
  int64_t i = 0;
  for (; i + W <= len; i += W) store(out + i, mul(load(a + i), load(b + i)));
  for (; i < len; i++) out[i] = a[i] * b[i];
}

// The constants of asm/simd.ts.
constexpr float EXP_LO = -87.3365478515625f, EXP_HI = 88.0f, LOG2E = 1.44269504088896341f;
constexpr float LN2_HI = 0.693359375f, LN2_LO = -2.12194440e-4f, MAGIC = 12582912.0f;
constexpr float EXP_P[6] = {1.9875691500e-4f, 1.3981999507e-3f, 8.3334519073e-3f, 4.1665795894e-2f, 1.6666665459e-1f, 5.0000001201e-1f};
constexpr float LOG_SQRTHF = 0.707106781186547524f;
constexpr float LOG_P[9] = {7.0376836292e-2f, -1.1514610310e-1f, 1.1676998740e-1f, -1.2420140846e-1f, 1.4249322787e-1f,
                            -1.6668057665e-1f, 2.0000714765e-1f, -2.4999993993e-1f, 3.3333331174e-1f};
constexpr float TANH_SMALL = 0.625f;
constexpr float TANH_P[5] = {-5.70498872745e-3f, 2.06390887954e-2f, -5.37397155531e-2f, 1.33314422036e-1f, -3.33332819422e-1f};
constexpr float LEAKY = 0.01f, EXPM1_SMALL = 0.5f;
constexpr float EXPM1_P[7] = {2.48015873015873e-5f, 1.98412698412698e-4f, 1.38888888888889e-3f, 8.33333333333333e-3f,
                              4.16666666666667e-2f, 1.66666666666667e-1f, 0.5f};
constexpr float GELU_C = 0.7978845608028654f, GELU_A = 0.044715f, GELU_3A = 0.134145f;

static inline V K(float x) { return splat(x); }
static inline V negAbs(V x) { return floats(orI(bits(x), splatI((int32_t)0x80000000))); }
static inline V absv(V x) { return floats(andI(bits(x), splatI(0x7fffffff))); }
static inline V signOf(V x) { return floats(andI(bits(x), splatI((int32_t)0x80000000))); }
static inline V orv(V a, V b) { return floats(orI(bits(a), bits(b))); }

static inline V expv(V x0) {
  const V x = pmin(pmax(x0, K(EXP_LO)), K(EXP_HI));
  const V t = fma(x, K(LOG2E), K(MAGIC));
  const V n = sub(t, K(MAGIC));
  V r = sub(x, mul(n, K(LN2_HI)));
  r = sub(r, mul(n, K(LN2_LO)));
  V p = fma(K(EXP_P[0]), r, K(EXP_P[1]));
  p = fma(p, r, K(EXP_P[2]));
  p = fma(p, r, K(EXP_P[3]));
  p = fma(p, r, K(EXP_P[4]));
  p = fma(p, r, K(EXP_P[5]));
  const V y = add(fma(p, mul(r, r), r), K(1.0f));
  const V pow2 = floats(shl23(addI(bits(t), splatI(127))));
  return mul(y, pow2);
}

static inline V log1pv(V u) {
  const V w = add(K(1.0f), u);
  VI e = subI(shr23(bits(w)), splatI(126));
  const V m = floats(orI(andI(bits(w), splatI(0x007fffff)), splatI(0x3f000000)));
  const M small = lt(m, K(LOG_SQRTHF));
  e = decWhere(small, e);
  const V x = add(sub(m, K(1.0f)), keep(small, m));
  const V z = mul(x, x);
  V p = fma(K(LOG_P[0]), x, K(LOG_P[1]));
  for (int i = 2; i < 9; i++) p = fma(p, x, K(LOG_P[i]));
  const V ef = toFloat(e);
  V y = mul(mul(p, x), z);
  y = fma(ef, K(LN2_LO), y);
  y = fma(z, K(-0.5f), y);
  const V lnw = fma(ef, K(LN2_HI), add(x, y));
  const V d = sub(w, K(1.0f));
  return sel(eq(d, zero()), u, mul(lnw, div(u, d)));
}

static inline V tanhSmallv(V x) {
  const V z = mul(x, x);
  V p = fma(K(TANH_P[0]), z, K(TANH_P[1]));
  p = fma(p, z, K(TANH_P[2]));
  p = fma(p, z, K(TANH_P[3]));
  p = fma(p, z, K(TANH_P[4]));
  return fma(mul(p, z), x, x);
}

static inline V expm1Smallv(V x) {
  V p = fma(K(EXPM1_P[0]), x, K(EXPM1_P[1]));
  for (int i = 2; i < 7; i++) p = fma(p, x, K(EXPM1_P[i]));
  p = fma(p, x, K(1.0f));
  return mul(p, x);
}

// Activation ids (the library's ActivationId).
enum { IDENTITY, RELU, SIGMOID, TANH, LEAKY_RELU, ELU, SOFTPLUS, SILU, GELU, SIN, SQUARE };

/** σ and σ' of one vector, by id (asm/elementwise.ts). */
static inline void act(int id, V x, V& s, V& d) {
  switch (id) {
    case IDENTITY: s = x; d = K(1.0f); break;
    case RELU: { const M pos = gt(x, zero()); s = keep(pos, x); d = keep(pos, K(1.0f)); break; }
    case LEAKY_RELU: { const M pos = gt(x, zero()); s = sel(pos, x, mul(x, K(LEAKY))); d = sel(pos, K(1.0f), K(LEAKY)); break; }
    case SIGMOID: {
      const V e = expv(negAbs(x));
      const V r = div(K(1.0f), add(K(1.0f), e));
      const V er = mul(e, r);
      s = sel(ge(x, zero()), r, er);
      d = mul(er, r);
      break;
    }
    case TANH: {
      const V ax = absv(x);
      const V e = expv(mul(ax, K(-2.0f)));
      const V r = div(K(1.0f), add(K(1.0f), e));
      const V big = orv(mul(sub(K(1.0f), e), r), signOf(x));
      const M small = lt(ax, K(TANH_SMALL));
      const V ts = tanhSmallv(x);
      s = sel(small, ts, big);
      d = sel(small, sub(K(1.0f), mul(ts, ts)), mul(mul(K(4.0f), e), mul(r, r)));
      break;
    }
    case ELU: {
      const M pos = gt(x, zero());
      const V xn = pmin(x, zero());
      const V e = expv(xn);
      const V em1 = sel(lt(absv(xn), K(EXPM1_SMALL)), expm1Smallv(xn), sub(e, K(1.0f)));
      s = sel(pos, x, em1);
      d = sel(pos, K(1.0f), e);
      break;
    }
    case SOFTPLUS: {
      const V e = expv(negAbs(x));
      s = add(pmax(x, zero()), log1pv(e));
      const V r = div(K(1.0f), add(K(1.0f), e));
      d = sel(ge(x, zero()), r, mul(e, r));
      break;
    }
    case SILU: {
      const V e = expv(negAbs(x));
      const V r = div(K(1.0f), add(K(1.0f), e));
      const V er = mul(e, r);
      const M pos = ge(x, zero());
      const V g = sel(pos, r, er);
      const V gc = sel(pos, er, r);
      s = mul(x, g);
      d = mul(g, fma(x, gc, K(1.0f)));
      break;
    }
    case GELU: {
      const V x2 = mul(x, x);
      const V u = mul(K(GELU_C), fma(mul(K(GELU_A), x2), x, x));
      const V au = absv(u);
      const V e = expv(mul(au, K(-2.0f)));
      const V r = div(K(1.0f), add(K(1.0f), e));
      const V tb = mul(sub(K(1.0f), e), r);
      const M small = lt(au, K(TANH_SMALL));
      const V ts = tanhSmallv(u);
      const V onePlusT = sel(small, add(K(1.0f), ts), sel(ge(u, zero()), add(K(1.0f), tb), mul(mul(K(2.0f), e), r)));
      const V oneMinusT2 = sel(small, sub(K(1.0f), mul(ts, ts)), mul(mul(K(4.0f), e), mul(r, r)));
      const V hx = mul(K(0.5f), x);
      s = mul(hx, onePlusT);
      const V du = mul(K(GELU_C), fma(K(GELU_3A), x2, K(1.0f)));
      d = fma(mul(hx, oneMinusT2), du, mul(K(0.5f), onePlusT));
      break;
    }
    case SQUARE: s = mul(x, x); d = add(x, x); break;
    default: s = x; d = K(1.0f); break;
  }
}

static void activate(const float* N, float* S, float* dS, int64_t len, int id) {
  if (id == SIN) {
    // scalar, as in the WebAssembly build (its Mathf.sin/cos may differ from the C library's in the last place)
    for (int64_t i = 0; i < len; i++) {
      const float x = N[i];
      S[i] = std::sin(x);
      dS[i] = std::cos(x);
    }
    return;
  }
  int64_t i = 0;
  V s, d;
  for (; i + W <= len; i += W) {
    act(id, load(N + i), s, d);
    store(S + i, s);
    store(dS + i, d);
  }
  if (i < len) {
    const T t = tail((int)(len - i));
    act(id, loadT(N + i, t), s, d);
    storeT(S + i, s, t);
    storeT(dS + i, d, t);
  }
}

/** seed = (softmax(N) − Y)/B by columns; returns the mean cross-entropy (asm/softmax.ts). */
static double softmaxSeed(const float* N, const float* Y, float* seed, int rows, int B) {
  if (rows <= 0 || B <= 0) return 0;
  const size_t ld = B;
  const float invB = (float)(1.0 / (double)B);
  const V vinvB = splat(invB);
  const int B4 = B & ~3;  // columns the WebAssembly build takes four at a time in float32; the rest in float64
  double loss = 0;
  for (int j = 0; j < B4; j += W) {
    const int n = imin(W, B4 - j);
    const T t = tail(n);
    const float* Nj = N + j;
    V mx = loadT(Nj, t);
    for (int i = 1; i < rows; i++) mx = pmax(mx, loadT(Nj + i * ld, t));
    V s = zero(), tt = zero(), ys = zero();
    for (int i = 0; i < rows; i++) {
      const size_t o = j + i * ld;
      const V x = sub(loadT(N + o, t), mx);
      const V y = loadT(Y + o, t);
      const V e = expv(x);
      storeT(seed + o, e, t);
      s = add(s, e);
      tt = fma(y, x, tt);
      ys = add(ys, y);
    }
    const V inv = div(K(1.0f), s);
    for (int i = 0; i < rows; i++) {
      const size_t o = j + i * ld;
      storeT(seed + o, mul(sub(mul(loadT(seed + o, t), inv), loadT(Y + o, t)), vinvB), t);
    }
    alignas(64) float ls[W], lt_[W], lys[W];
    store(ls, s);
    store(lt_, tt);
    store(lys, ys);
    for (int q = 0; q < n; q++) loss += (double)lys[q] * std::log((double)ls[q]) - (double)lt_[q];
  }
  for (int j = B4; j < B; j++) {
    double mx = N[j];
    for (int i = 1; i < rows; i++) mx = std::fmax(mx, (double)N[j + i * ld]);
    double s = 0, t = 0, ys = 0;
    for (int i = 0; i < rows; i++) {
      const size_t o = j + i * ld;
      const double x = (double)N[o] - mx;
      const double y = Y[o];
      const double e = std::exp(x);
      seed[o] = (float)e;
      s += e;
      t += y * x;
      ys += y;
    }
    const double inv = 1 / s;
    for (int i = 0; i < rows; i++) {
      const size_t o = j + i * ld;
      seed[o] = (float)(((double)seed[o] * inv - (double)Y[o]) * (double)invB);
    }
    loss += ys * std::log(s) - t;
  }
  return loss / (double)B;
}

// ---- optimizers (asm/optim.ts): vector formula for the first len − len mod 4 entries, its scalar tail after ----

static void sgd(float* w, const float* g, float* v, int64_t len, double lr, double momentum, double weightDecay, bool nesterov) {
  const float flr = (float)lr, mu = (float)momentum, wd = (float)weightDecay;
  const V vlr = splat(-flr), vmu = splat(mu), vwd = splat(wd);
  const int64_t n4 = len & ~(int64_t)3;
  int64_t i = 0;
  if (mu == 0) {
    for (; i + W <= n4; i += W) {
      const V wv = load(w + i);
      store(w + i, fma(vlr, fma(vwd, wv, load(g + i)), wv));
    }
    if (i < n4) {
      const T t = tail((int)(n4 - i));
      const V wv = loadT(w + i, t);
      storeT(w + i, fma(vlr, fma(vwd, wv, loadT(g + i, t)), wv), t);
    }
    for (i = n4; i < len; i++) w[i] = w[i] - flr * (g[i] + wd * w[i]);
    return;
  }
  auto step = [&](V wv, V gv, V vv, V& wOut, V& vOut) {
    V d = fma(vwd, wv, gv);
    const V buf = fma(vmu, vv, d);
    vOut = buf;
    d = nesterov ? fma(vmu, buf, d) : buf;
    wOut = fma(vlr, d, wv);
  };
  V wo, vo;
  for (; i + W <= n4; i += W) {
    step(load(w + i), load(g + i), load(v + i), wo, vo);
    store(v + i, vo);
    store(w + i, wo);
  }
  if (i < n4) {
    const T t = tail((int)(n4 - i));
    step(loadT(w + i, t), loadT(g + i, t), loadT(v + i, t), wo, vo);
    storeT(v + i, vo, t);
    storeT(w + i, wo, t);
  }
  for (i = n4; i < len; i++) {
    const float wv = w[i];
    float d = g[i] + wd * wv;
    const float buf = mu * v[i] + d;
    v[i] = buf;
    d = nesterov ? d + mu * buf : buf;
    w[i] = wv - flr * d;
  }
}

static void adam(float* w, const float* g, float* m, float* v, int64_t len, double lr, double beta1, double beta2,
                 double eps, double weightDecay, int stepNo, bool decoupled) {
  const double bc1 = 1 - std::pow(beta1, (double)stepNo);
  const double bc2 = 1 - std::pow(beta2, (double)stepNo);
  const float ss = (float)(lr / bc1);
  const float bc2s = (float)std::sqrt(bc2);
  const float b1 = (float)beta1, c1 = (float)(1 - beta1), b2 = (float)beta2, c2 = (float)(1 - beta2), fe = (float)eps;
  const float wdL2 = decoupled ? 0.0f : (float)weightDecay;
  const float shrink = decoupled ? (float)(1 - lr * weightDecay) : 1.0f;
  const V vb1 = splat(b1), vc1 = splat(c1), vb2 = splat(b2), vc2 = splat(c2);
  const V vss = splat(ss), vinv = splat((float)(1 / std::sqrt(bc2))), veps = splat(fe);
  const V vwd = splat(wdL2), vshrink = splat(shrink);
  auto step = [&](V wv, V gv, V mv0, V vv0, V& wOut, V& mOut, V& vOut) {
    const V d = fma(vwd, wv, gv);
    wv = mul(wv, vshrink);
    mOut = fma(vb1, mv0, mul(vc1, d));
    vOut = fma(vb2, vv0, mul(vc2, mul(d, d)));
    const V den = fma(vsqrt(vOut), vinv, veps);
    wOut = sub(wv, div(mul(vss, mOut), den));
  };
  const int64_t n4 = len & ~(int64_t)3;
  int64_t i = 0;
  V wo, mo, vo;
  for (; i + W <= n4; i += W) {
    step(load(w + i), load(g + i), load(m + i), load(v + i), wo, mo, vo);
    store(m + i, mo);
    store(v + i, vo);
    store(w + i, wo);
  }
  if (i < n4) {
    const T t = tail((int)(n4 - i));
    step(loadT(w + i, t), loadT(g + i, t), loadT(m + i, t), loadT(v + i, t), wo, mo, vo);
    storeT(m + i, mo, t);
    storeT(v + i, vo, t);
    storeT(w + i, wo, t);
  }
  for (i = n4; i < len; i++) {
    float wv = w[i];
    const float d = g[i] + wdL2 * wv;
    wv = wv * shrink;
    const float mv = b1 * m[i] + c1 * d;
    const float vv = b2 * v[i] + c2 * d * d;
    m[i] = mv;
    v[i] = vv;
    w[i] = wv - (ss * mv) / (std::sqrt(vv) / bc2s + fe);
  }
}

// ---- the FMA probe --------------------------------------------------------------------------------------------

template <typename X, X (*FMA)(X, X, X), X (*SPLAT)(float)>
static double probeWith(int lanes, double seconds) {
  X c[12];
  for (int i = 0; i < 12; i++) c[i] = SPLAT(0.001f * (float)i);
  const X a = SPLAT(0.999999f), b = SPLAT(1e-7f);
  const auto t0 = std::chrono::steady_clock::now();
  double elapsed = 0;
  long iters = 0;
  const long chunk = 1 << 16;
  do {
    for (long k = 0; k < chunk; k++) {
#pragma GCC unroll 12
      for (int i = 0; i < 12; i++) c[i] = FMA(c[i], a, b);
    }
    iters += chunk;
    elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  } while (elapsed < seconds);
  volatile float sink = 0;
  alignas(64) float out[16];
  for (int i = 0; i < 12; i++) {
    std::memcpy(out, &c[i], sizeof(X));
    sink = sink + out[0];
  }
  (void)sink;
  return 2.0 * lanes * 12.0 * (double)iters / elapsed / 1e9;
}
static __m128 fma128(__m128 a, __m128 b, __m128 c) { return _mm_fmadd_ps(a, b, c); }
static __m128 splat128(float x) { return _mm_set1_ps(x); }
static __m256 fma256(__m256 a, __m256 b, __m256 c) { return _mm256_fmadd_ps(a, b, c); }
static __m256 splat256(float x) { return _mm256_set1_ps(x); }
#if NABLA_ISA == 512
static __m512 fma512(__m512 a, __m512 b, __m512 c) { return _mm512_fmadd_ps(a, b, c); }
static __m512 splat512(float x) { return _mm512_set1_ps(x); }
#endif

static double probe(int bits, double seconds) {
  if (bits == 128) return probeWith<__m128, fma128, splat128>(4, seconds);
  if (bits == 256) return probeWith<__m256, fma256, splat256>(8, seconds);
#if NABLA_ISA == 512
  if (bits == 512) return probeWith<__m512, fma512, splat512>(16, seconds);
#endif
  return 0;
}

extern const nabla::Ops ops = {gemmPart, hadamard, activate, softmaxSeed, sgd, adam, probe, MR, NR};

}  // namespace NABLA_NS
