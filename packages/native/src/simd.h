// The vector vocabulary of one instruction set, so that kernels.cc reads the same for AVX-512 and AVX2.
// kernels.cc is compiled once per set with NABLA_ISA = 512 or 256; every name lives in that set's namespace.
// Masks: AVX-512 has mask registers (M = __mmask16); AVX2 uses all-ones lanes (M = __m256). The helpers keep
// WebAssembly's lane semantics (pmin/pmax, comparisons, select), so a kernel written once gives the same
// floats as the WebAssembly relaxed-SIMD build, lane for lane.
#pragma once
#include <immintrin.h>
#include <cstddef>
#include <cstdint>

#if NABLA_ISA == 512
#define NABLA_NS nabla_avx512
#elif NABLA_ISA == 256
#define NABLA_NS nabla_avx2
#else
#error "NABLA_ISA must be 512 or 256"
#endif

namespace NABLA_NS {

#if NABLA_ISA == 512
using V = __m512;
using VI = __m512i;
using M = __mmask16;
constexpr int W = 16;
static inline V load(const float* p) { return _mm512_loadu_ps(p); }
static inline void store(float* p, V v) { _mm512_storeu_ps(p, v); }
/** A mask of the first n lanes (0 ≤ n ≤ W). */
using T = __mmask16;
static inline T tail(int n) { return n >= W ? (T)0xFFFF : n <= 0 ? (T)0 : (T)((1u << n) - 1u); }
static inline V loadT(const float* p, T t) { return _mm512_maskz_loadu_ps(t, p); }
static inline void storeT(float* p, V v, T t) { _mm512_mask_storeu_ps(p, t, v); }
static inline V splat(float x) { return _mm512_set1_ps(x); }
static inline V zero() { return _mm512_setzero_ps(); }
static inline V add(V a, V b) { return _mm512_add_ps(a, b); }
static inline V sub(V a, V b) { return _mm512_sub_ps(a, b); }
static inline V mul(V a, V b) { return _mm512_mul_ps(a, b); }
static inline V div(V a, V b) { return _mm512_div_ps(a, b); }
static inline V fma(V a, V b, V c) { return _mm512_fmadd_ps(a, b, c); }
static inline V vsqrt(V a) { return _mm512_sqrt_ps(a); }
/** WebAssembly f32x4.pmax(a, b) = a < b ? b : a. */
static inline V pmax(V a, V b) { return _mm512_max_ps(b, a); }
/** WebAssembly f32x4.pmin(a, b) = b < a ? b : a. */
static inline V pmin(V a, V b) { return _mm512_min_ps(b, a); }
static inline M lt(V a, V b) { return _mm512_cmp_ps_mask(a, b, _CMP_LT_OQ); }
static inline M gt(V a, V b) { return _mm512_cmp_ps_mask(a, b, _CMP_GT_OQ); }
static inline M ge(V a, V b) { return _mm512_cmp_ps_mask(a, b, _CMP_GE_OQ); }
static inline M eq(V a, V b) { return _mm512_cmp_ps_mask(a, b, _CMP_EQ_OQ); }
/** m ? a : b per lane. */
static inline V sel(M m, V a, V b) { return _mm512_mask_blend_ps(m, b, a); }
/** m ? v : 0 per lane. */
static inline V keep(M m, V v) { return _mm512_maskz_mov_ps(m, v); }
static inline VI bits(V v) { return _mm512_castps_si512(v); }
static inline V floats(VI v) { return _mm512_castsi512_ps(v); }
static inline VI splatI(int32_t x) { return _mm512_set1_epi32(x); }
static inline VI addI(VI a, VI b) { return _mm512_add_epi32(a, b); }
static inline VI subI(VI a, VI b) { return _mm512_sub_epi32(a, b); }
static inline VI andI(VI a, VI b) { return _mm512_and_si512(a, b); }
static inline VI orI(VI a, VI b) { return _mm512_or_si512(a, b); }
static inline VI shl23(VI a) { return _mm512_slli_epi32(a, 23); }
static inline VI shr23(VI a) { return _mm512_srli_epi32(a, 23); }
static inline V toFloat(VI a) { return _mm512_cvtepi32_ps(a); }
/** a − 1 in the lanes of m (WebAssembly adds the all-ones comparison result, i.e. −1). */
static inline VI decWhere(M m, VI a) { return _mm512_mask_sub_epi32(a, m, a, _mm512_set1_epi32(1)); }
/** Lane i of v. */
static inline float lane(V v, int i) { alignas(64) float t[W]; _mm512_store_ps(t, v); return t[i]; }
#else
using V = __m256;
using VI = __m256i;
using M = __m256;
constexpr int W = 8;
static inline V load(const float* p) { return _mm256_loadu_ps(p); }
static inline void store(float* p, V v) { _mm256_storeu_ps(p, v); }
using T = __m256i;
static inline T tail(int n) {
  const __m256i idx = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
  return _mm256_cmpgt_epi32(_mm256_set1_epi32(n), idx);
}
static inline V loadT(const float* p, T t) { return _mm256_maskload_ps(p, t); }
static inline void storeT(float* p, V v, T t) { _mm256_maskstore_ps(p, t, v); }
static inline V splat(float x) { return _mm256_set1_ps(x); }
static inline V zero() { return _mm256_setzero_ps(); }
static inline V add(V a, V b) { return _mm256_add_ps(a, b); }
static inline V sub(V a, V b) { return _mm256_sub_ps(a, b); }
static inline V mul(V a, V b) { return _mm256_mul_ps(a, b); }
static inline V div(V a, V b) { return _mm256_div_ps(a, b); }
static inline V fma(V a, V b, V c) { return _mm256_fmadd_ps(a, b, c); }
static inline V vsqrt(V a) { return _mm256_sqrt_ps(a); }
static inline V pmax(V a, V b) { return _mm256_max_ps(b, a); }
static inline V pmin(V a, V b) { return _mm256_min_ps(b, a); }
static inline M lt(V a, V b) { return _mm256_cmp_ps(a, b, _CMP_LT_OQ); }
static inline M gt(V a, V b) { return _mm256_cmp_ps(a, b, _CMP_GT_OQ); }
static inline M ge(V a, V b) { return _mm256_cmp_ps(a, b, _CMP_GE_OQ); }
static inline M eq(V a, V b) { return _mm256_cmp_ps(a, b, _CMP_EQ_OQ); }
static inline V sel(M m, V a, V b) { return _mm256_blendv_ps(b, a, m); }
static inline V keep(M m, V v) { return _mm256_and_ps(m, v); }
static inline VI bits(V v) { return _mm256_castps_si256(v); }
static inline V floats(VI v) { return _mm256_castsi256_ps(v); }
static inline VI splatI(int32_t x) { return _mm256_set1_epi32(x); }
static inline VI addI(VI a, VI b) { return _mm256_add_epi32(a, b); }
static inline VI subI(VI a, VI b) { return _mm256_sub_epi32(a, b); }
static inline VI andI(VI a, VI b) { return _mm256_and_si256(a, b); }
static inline VI orI(VI a, VI b) { return _mm256_or_si256(a, b); }
static inline VI shl23(VI a) { return _mm256_slli_epi32(a, 23); }
static inline VI shr23(VI a) { return _mm256_srli_epi32(a, 23); }
static inline V toFloat(VI a) { return _mm256_cvtepi32_ps(a); }
static inline VI decWhere(M m, VI a) { return _mm256_add_epi32(a, _mm256_castps_si256(m)); }
static inline float lane(V v, int i) { alignas(32) float t[W]; _mm256_store_ps(t, v); return t[i]; }
#endif

}  // namespace NABLA_NS
