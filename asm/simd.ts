// Shared SIMD helpers: the FMA switch, a constant table, and f32x4 exp / log1p.
//
// Constants are read from a static table with `v128.load32_splat` instead of `f32x4.splat(const)`:
// Binaryen propagates splatted constants into loops and V8 then rebuilds each one per iteration
// (three instructions); a broadcast load is a single one. Keep this module free of other static data.

/** a·b + c: fused (`f32x4.relaxed_madd`) in the relaxed-SIMD build, mul then add in the plain build. */
// @ts-ignore: decorator
@inline export function fma(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(f32x4.mul(a, b), c);
}

// Indices into CF (f32 constants) and CI (i32 constants).
export const C_ZERO = 0;
export const C_ONE = 1;
export const C_HALF = 2;
export const C_TWO = 3;
export const C_EXP_LO = 4;
export const C_EXP_HI = 5;
export const C_LOG2E = 6;
export const C_LN2_HI = 7;
export const C_LN2_LO = 8;
export const C_EXP_P0 = 9; // 6 coefficients: 9..14
export const C_LOG_SQRTHF = 15;
export const C_LOG_P0 = 16; // 9 coefficients: 16..24
export const C_TANH_SMALL = 25;
export const C_TANH_P0 = 26; // 5 coefficients: 26..30
export const C_NEG_HALF = 31;
export const C_FOUR = 32;
export const C_LEAKY = 33;
export const C_EXPM1_SMALL = 34;
export const C_EXPM1_P0 = 35; // 1/8! .. 1/2!: 35..41
export const C_GELU_C = 42;
export const C_GELU_A = 43;
export const C_GELU_3A = 44;
export const C_NEG_TWO = 45;
export const C_MAGIC = 46;

const CF = memory.data<f32>([
  0.0, 1.0, 0.5, 2.0,
  -87.3365478515625, 88.0, 1.44269504088896341, 0.693359375, -2.12194440e-4,
  // exp: Cephes expf polynomial, highest degree first
  1.9875691500e-4, 1.3981999507e-3, 8.3334519073e-3, 4.1665795894e-2, 1.6666665459e-1, 5.0000001201e-1,
  0.707106781186547524,
  // log: Cephes logf polynomial, highest degree first
  7.0376836292e-2, -1.1514610310e-1, 1.1676998740e-1, -1.2420140846e-1, 1.4249322787e-1,
  -1.6668057665e-1, 2.0000714765e-1, -2.4999993993e-1, 3.3333331174e-1,
  0.625,
  // tanh for |x| < 0.625: Cephes tanhf polynomial, highest degree first
  -5.70498872745e-3, 2.06390887954e-2, -5.37397155531e-2, 1.33314422036e-1, -3.33332819422e-1,
  -0.5, 4.0, 0.01,
  0.5,
  // expm1 for |x| < 0.5: Taylor 1/8! .. 1/2!
  2.48015873015873e-5, 1.98412698412698e-4, 1.38888888888889e-3, 8.33333333333333e-3,
  4.16666666666667e-2, 1.66666666666667e-1, 0.5,
  0.7978845608028654, 0.044715, 0.134145,
  -2.0,
  12582912.0, // 1.5·2²³: adding it rounds |x| < 2²² to an integer, kept in the low mantissa bits
], 16);

export const I_127 = 0;
export const I_MANT = 1;
export const I_HALF_EXP = 2;
export const I_126 = 3;
export const I_SIGN = 4;
export const I_ABS = 5;

const CI = memory.data<i32>([127, 0x007fffff, 0x3f000000, 126, 0x80000000, 0x7fffffff], 16);

/** The f32 constant `i` of the table, in all four lanes. */
// @ts-ignore: decorator
@inline export function K(i: i32): v128 {
  return v128.load32_splat(CF + (<usize>i << 2));
}

/** The i32 constant `i` of the table, in all four lanes. */
// @ts-ignore: decorator
@inline export function KI(i: i32): v128 {
  return v128.load32_splat(CI + (<usize>i << 2));
}

/** mask ? a : b, lane-wise, for masks from comparisons (lanes all ones or all zeros). */
// @ts-ignore: decorator
@inline export function sel(mask: v128, a: v128, b: v128): v128 {
  // relaxed_laneselect equals bitselect for such masks and is one vblendvps instead of three ops
  if (ASC_FEATURE_RELAXED_SIMD) return i32x4.relaxed_laneselect(a, b, mask);
  return v128.bitselect(a, b, mask);
}

/** −|x| per lane (sets the sign bit). */
// @ts-ignore: decorator
@inline export function negAbs(x: v128): v128 {
  return v128.or(x, KI(I_SIGN));
}

/** |x| per lane (clears the sign bit). */
// @ts-ignore: decorator
@inline export function absv(x: v128): v128 {
  return v128.and(x, KI(I_ABS));
}

/**
 * eˣ per lane (Cephes expf: Cody–Waite reduction x = n·ln2 + r, degree-6 polynomial, scale by 2ⁿ).
 * Inputs are clamped to [−87.34, 88], so very negative x give ≈ 1.2e−38 instead of a subnormal.
 * Relative error ≤ ~2 ulp. NaN propagates.
 *
 * Written for V8's x64 code: the clamps use pmin/pmax (one minps/maxps; wasm's NaN-exact min/max take
 * seven instructions), and n = round(x·log2 e) comes from adding 1.5·2²³, whose bit pattern then holds
 * n in its low bits, so 2ⁿ = bits((t + 127) << 23) needs no float→int conversion.
 */
// @ts-ignore: decorator
@inline export function expv(x0: v128): v128 {
  const x = f32x4.pmin(f32x4.pmax(x0, K(C_EXP_LO)), K(C_EXP_HI));
  const t = fma(x, K(C_LOG2E), K(C_MAGIC));
  const n = f32x4.sub(t, K(C_MAGIC));
  let r = f32x4.sub(x, f32x4.mul(n, K(C_LN2_HI)));
  r = f32x4.sub(r, f32x4.mul(n, K(C_LN2_LO)));
  let p = fma(K(C_EXP_P0), r, K(C_EXP_P0 + 1));
  p = fma(p, r, K(C_EXP_P0 + 2));
  p = fma(p, r, K(C_EXP_P0 + 3));
  p = fma(p, r, K(C_EXP_P0 + 4));
  p = fma(p, r, K(C_EXP_P0 + 5));
  const y = f32x4.add(fma(p, f32x4.mul(r, r), r), K(C_ONE));
  const pow2 = i32x4.shl(i32x4.add(t, KI(I_127)), 23);
  return f32x4.mul(y, pow2);
}

/**
 * ln(1 + u) per lane for u ≥ 0 (Cephes logf on w = 1 + u, then the classic correction
 * log1p(u) = ln(w)·u/(w − 1), which restores the digits lost when rounding 1 + u).
 */
// @ts-ignore: decorator
@inline export function log1pv(u: v128): v128 {
  const w = f32x4.add(K(C_ONE), u);
  let e = i32x4.sub(i32x4.shr_u(w, 23), KI(I_126));
  const m = v128.or(v128.and(w, KI(I_MANT)), KI(I_HALF_EXP)); // mantissa in [0.5, 1)
  const small = f32x4.lt(m, K(C_LOG_SQRTHF));
  e = i32x4.add(e, small); // small lanes are −1
  const x = f32x4.add(f32x4.sub(m, K(C_ONE)), v128.and(m, small)); // 2m − 1 or m − 1
  const z = f32x4.mul(x, x);
  let p = fma(K(C_LOG_P0), x, K(C_LOG_P0 + 1));
  p = fma(p, x, K(C_LOG_P0 + 2));
  p = fma(p, x, K(C_LOG_P0 + 3));
  p = fma(p, x, K(C_LOG_P0 + 4));
  p = fma(p, x, K(C_LOG_P0 + 5));
  p = fma(p, x, K(C_LOG_P0 + 6));
  p = fma(p, x, K(C_LOG_P0 + 7));
  p = fma(p, x, K(C_LOG_P0 + 8));
  const ef = f32x4.convert_i32x4_s(e);
  let y = f32x4.mul(f32x4.mul(p, x), z);
  y = fma(ef, K(C_LN2_LO), y);
  y = fma(z, K(C_NEG_HALF), y);
  const lnw = fma(ef, K(C_LN2_HI), f32x4.add(x, y));
  const d = f32x4.sub(w, K(C_ONE));
  const exact = f32x4.eq(d, K(C_ZERO));
  return sel(exact, u, f32x4.mul(lnw, f32x4.div(u, d)));
}

/** The odd polynomial for tanh on |x| < 0.625 (Cephes tanhf). */
// @ts-ignore: decorator
@inline export function tanhSmallv(x: v128): v128 {
  const z = f32x4.mul(x, x);
  let p = fma(K(C_TANH_P0), z, K(C_TANH_P0 + 1));
  p = fma(p, z, K(C_TANH_P0 + 2));
  p = fma(p, z, K(C_TANH_P0 + 3));
  p = fma(p, z, K(C_TANH_P0 + 4));
  return fma(f32x4.mul(p, z), x, x);
}

/** eˣ − 1 for |x| < 0.5 (Taylor series to x⁸; relative error < 1e−8). */
// @ts-ignore: decorator
@inline export function expm1Smallv(x: v128): v128 {
  let p = fma(K(C_EXPM1_P0), x, K(C_EXPM1_P0 + 1));
  p = fma(p, x, K(C_EXPM1_P0 + 2));
  p = fma(p, x, K(C_EXPM1_P0 + 3));
  p = fma(p, x, K(C_EXPM1_P0 + 4));
  p = fma(p, x, K(C_EXPM1_P0 + 5));
  p = fma(p, x, K(C_EXPM1_P0 + 6));
  p = fma(p, x, K(C_ONE));
  return f32x4.mul(p, x);
}
