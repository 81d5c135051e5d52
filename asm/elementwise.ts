// Elementwise f32x4 kernels: Hadamard products, axpy/scale, and the fused activation pass
// S = σ(N), dS = σ'(N) by activation id. Lengths need not be multiples of 4: the last 1–3 elements go
// through a 16-byte staging buffer so every activation has a single (vector) definition.

import {
  C_EXPM1_SMALL, C_FOUR, C_GELU_3A, C_GELU_A, C_GELU_C, C_HALF, C_LEAKY, C_NEG_TWO, C_ONE,
  C_TANH_SMALL, C_TWO, C_ZERO, I_SIGN, K, KI, absv, expm1Smallv, expv, fma, log1pv, negAbs, sel, tanhSmallv,
} from './simd';

// Activation ids; the TS enum (src/kernels/wasm/activation-ids.ts) must match (a test checks).
export const ACT_IDENTITY: i32 = 0;
export const ACT_RELU: i32 = 1;
export const ACT_SIGMOID: i32 = 2;
export const ACT_TANH: i32 = 3;
export const ACT_LEAKY_RELU: i32 = 4;
export const ACT_ELU: i32 = 5;
export const ACT_SOFTPLUS: i32 = 6;
export const ACT_SILU: i32 = 7;
export const ACT_GELU: i32 = 8;
export const ACT_SIN: i32 = 9;
export const ACT_SQUARE: i32 = 10;
/** One past the largest id. */
export const ACT_COUNT: i32 = 11;

const STAGE = memory.data(48, 16); // N, S, dS staging for the last 1–3 elements

/** out[i] = a[i]·b[i]; `out` may alias `a` or `b`. */
export function hadamard(out: usize, a: usize, b: usize, len: i32): void {
  const n4 = <usize>(len & ~3) << 2;
  const end = <usize>len << 2;
  let o: usize = 0;
  for (; o < n4; o += 16) v128.store(out + o, f32x4.mul(v128.load(a + o), v128.load(b + o)));
  for (; o < end; o += 4) store<f32>(out + o, load<f32>(a + o) * load<f32>(b + o));
}

/** out[i] ← out[i]·a[i] (in place, e.g. Δ ← (Wᵀ·Δ) ∘ Σ'). */
export function hadamardInto(out: usize, a: usize, len: i32): void {
  hadamard(out, out, a, len);
}

/** y[i] ← y[i] + alpha·x[i]. */
export function axpy(y: usize, x: usize, alpha: f32, len: i32): void {
  const n4 = <usize>(len & ~3) << 2;
  const end = <usize>len << 2;
  const va = f32x4.splat(alpha);
  let o: usize = 0;
  for (; o < n4; o += 16) v128.store(y + o, fma(va, v128.load(x + o), v128.load(y + o)));
  for (; o < end; o += 4) store<f32>(y + o, load<f32>(y + o) + alpha * load<f32>(x + o));
}

/** x[i] ← alpha·x[i]. */
export function scale(x: usize, alpha: f32, len: i32): void {
  const n4 = <usize>(len & ~3) << 2;
  const end = <usize>len << 2;
  const va = f32x4.splat(alpha);
  let o: usize = 0;
  for (; o < n4; o += 16) v128.store(x + o, f32x4.mul(va, v128.load(x + o)));
  for (; o < end; o += 4) store<f32>(x + o, alpha * load<f32>(x + o));
}

// Each function below handles a length that is a multiple of 4 (`end` bytes).

function identityRange(N: usize, S: usize, dS: usize, end: usize): void {
  for (let o: usize = 0; o < end; o += 16) {
    v128.store(S + o, v128.load(N + o));
    v128.store(dS + o, K(C_ONE));
  }
}

// relu: σ = max(0, x) with σ(NaN) = 0 as in the TS catalog; σ'(x) = [x > 0]
function reluRange(N: usize, S: usize, dS: usize, end: usize): void {
  for (let o: usize = 0; o < end; o += 16) {
    const x = v128.load(N + o);
    const pos = f32x4.gt(x, K(C_ZERO));
    v128.store(S + o, v128.and(x, pos));
    v128.store(dS + o, v128.and(K(C_ONE), pos));
  }
}

// leaky_relu: σ = x for x > 0 else 0.01x; σ' = 1 or 0.01
function leakyReluRange(N: usize, S: usize, dS: usize, end: usize): void {
  for (let o: usize = 0; o < end; o += 16) {
    const x = v128.load(N + o);
    const pos = f32x4.gt(x, K(C_ZERO));
    v128.store(S + o, sel(pos, x, f32x4.mul(x, K(C_LEAKY))));
    v128.store(dS + o, sel(pos, K(C_ONE), K(C_LEAKY)));
  }
}

// sigmoid with e = exp(−|x|) ≤ 1, r = 1/(1+e): σ = r (x ≥ 0) or e·r (x < 0); σ' = σ(1−σ) = e·r²
function sigmoidRange(N: usize, S: usize, dS: usize, end: usize): void {
  for (let o: usize = 0; o < end; o += 16) {
    const x = v128.load(N + o);
    const e = expv(negAbs(x));
    const r = f32x4.div(K(C_ONE), f32x4.add(K(C_ONE), e));
    const er = f32x4.mul(e, r);
    v128.store(S + o, sel(f32x4.ge(x, K(C_ZERO)), r, er));
    v128.store(dS + o, f32x4.mul(er, r));
  }
}

// tanh: for |x| < 0.625 an odd polynomial, σ' = 1 − t²; otherwise e = exp(−2|x|), r = 1/(1+e),
// |t| = (1−e)·r and σ' = 1 − t² = 4e·r² (no cancellation for large |x|)
function tanhRange(N: usize, S: usize, dS: usize, end: usize): void {
  for (let o: usize = 0; o < end; o += 16) {
    const x = v128.load(N + o);
    const ax = absv(x);
    const e = expv(f32x4.mul(ax, K(C_NEG_TWO)));
    const r = f32x4.div(K(C_ONE), f32x4.add(K(C_ONE), e));
    const big = v128.or(f32x4.mul(f32x4.sub(K(C_ONE), e), r), v128.and(x, KI(I_SIGN)));
    const small = f32x4.lt(ax, K(C_TANH_SMALL));
    const ts = tanhSmallv(x);
    v128.store(S + o, sel(small, ts, big));
    const d = sel(small, f32x4.sub(K(C_ONE), f32x4.mul(ts, ts)), f32x4.mul(f32x4.mul(K(C_FOUR), e), f32x4.mul(r, r)));
    v128.store(dS + o, d);
  }
}

// elu (α = 1): σ = x (x > 0) or eˣ − 1 (Taylor near 0); σ' = 1 or eˣ
function eluRange(N: usize, S: usize, dS: usize, end: usize): void {
  for (let o: usize = 0; o < end; o += 16) {
    const x = v128.load(N + o);
    const pos = f32x4.gt(x, K(C_ZERO));
    const xn = f32x4.pmin(x, K(C_ZERO)); // min(x, 0); NaN stays NaN
    const e = expv(xn);
    const em1 = sel(f32x4.lt(absv(xn), K(C_EXPM1_SMALL)), expm1Smallv(xn), f32x4.sub(e, K(C_ONE)));
    v128.store(S + o, sel(pos, x, em1));
    v128.store(dS + o, sel(pos, K(C_ONE), e));
  }
}

// softplus: σ = max(x, 0) + log1p(e), e = exp(−|x|); σ' = logistic(x)
function softplusRange(N: usize, S: usize, dS: usize, end: usize): void {
  for (let o: usize = 0; o < end; o += 16) {
    const x = v128.load(N + o);
    const e = expv(negAbs(x));
    v128.store(S + o, f32x4.add(f32x4.pmax(x, K(C_ZERO)), log1pv(e)));
    const r = f32x4.div(K(C_ONE), f32x4.add(K(C_ONE), e));
    v128.store(dS + o, sel(f32x4.ge(x, K(C_ZERO)), r, f32x4.mul(e, r)));
  }
}

// silu: g = logistic(x), σ = x·g, σ' = g·(1 + x·(1 − g)), with 1 − g taken from the same e
function siluRange(N: usize, S: usize, dS: usize, end: usize): void {
  for (let o: usize = 0; o < end; o += 16) {
    const x = v128.load(N + o);
    const e = expv(negAbs(x));
    const r = f32x4.div(K(C_ONE), f32x4.add(K(C_ONE), e));
    const er = f32x4.mul(e, r);
    const pos = f32x4.ge(x, K(C_ZERO));
    const g = sel(pos, r, er);
    const gc = sel(pos, er, r);
    v128.store(S + o, f32x4.mul(x, g));
    v128.store(dS + o, f32x4.mul(g, fma(x, gc, K(C_ONE))));
  }
}

// gelu (tanh form): u = c(x + a x³), t = tanh u, σ = ½x(1 + t), σ' = ½(1 + t) + ½x(1 − t²)·c(1 + 3a x²);
// 1 + t and 1 − t² come from e = exp(−2|u|) without cancellation, as in tanh
function geluRange(N: usize, S: usize, dS: usize, end: usize): void {
  for (let o: usize = 0; o < end; o += 16) {
    const x = v128.load(N + o);
    const x2 = f32x4.mul(x, x);
    const u = f32x4.mul(K(C_GELU_C), fma(f32x4.mul(K(C_GELU_A), x2), x, x));
    const au = absv(u);
    const e = expv(f32x4.mul(au, K(C_NEG_TWO)));
    const r = f32x4.div(K(C_ONE), f32x4.add(K(C_ONE), e));
    const tb = f32x4.mul(f32x4.sub(K(C_ONE), e), r); // |t| for large |u|
    const small = f32x4.lt(au, K(C_TANH_SMALL));
    const ts = tanhSmallv(u);
    const onePlusT = sel(small, f32x4.add(K(C_ONE), ts), sel(f32x4.ge(u, K(C_ZERO)), f32x4.add(K(C_ONE), tb), f32x4.mul(f32x4.mul(K(C_TWO), e), r)));
    const oneMinusT2 = sel(small, f32x4.sub(K(C_ONE), f32x4.mul(ts, ts)), f32x4.mul(f32x4.mul(K(C_FOUR), e), f32x4.mul(r, r)));
    const hx = f32x4.mul(K(C_HALF), x);
    v128.store(S + o, f32x4.mul(hx, onePlusT));
    const du = f32x4.mul(K(C_GELU_C), fma(K(C_GELU_3A), x2, K(C_ONE)));
    v128.store(dS + o, fma(f32x4.mul(hx, oneMinusT2), du, f32x4.mul(K(C_HALF), onePlusT)));
  }
}

// square: σ = x², σ' = 2x
function squareRange(N: usize, S: usize, dS: usize, end: usize): void {
  for (let o: usize = 0; o < end; o += 16) {
    const x = v128.load(N + o);
    v128.store(S + o, f32x4.mul(x, x));
    v128.store(dS + o, f32x4.add(x, x));
  }
}

// sin: scalar (Mathf.sin/cos are accurate but not vectorised)
function sinRange(N: usize, S: usize, dS: usize, end: usize): void {
  for (let o: usize = 0; o < end; o += 4) {
    const x = load<f32>(N + o);
    store<f32>(S + o, Mathf.sin(x));
    store<f32>(dS + o, Mathf.cos(x));
  }
}

function dispatch(N: usize, S: usize, dS: usize, end: usize, id: i32): void {
  switch (id) {
    case ACT_IDENTITY: identityRange(N, S, dS, end); break;
    case ACT_RELU: reluRange(N, S, dS, end); break;
    case ACT_SIGMOID: sigmoidRange(N, S, dS, end); break;
    case ACT_TANH: tanhRange(N, S, dS, end); break;
    case ACT_LEAKY_RELU: leakyReluRange(N, S, dS, end); break;
    case ACT_ELU: eluRange(N, S, dS, end); break;
    case ACT_SOFTPLUS: softplusRange(N, S, dS, end); break;
    case ACT_SILU: siluRange(N, S, dS, end); break;
    case ACT_GELU: geluRange(N, S, dS, end); break;
    case ACT_SIN: sinRange(N, S, dS, end); break;
    case ACT_SQUARE: squareRange(N, S, dS, end); break;
    default: break;
  }
}

/**
 * S[i] = σ(N[i]), dS[i] = σ'(N[i]) for i < len, σ chosen by `id` (ACT_*; unknown ids do nothing).
 * S or dS may alias N.
 */
export function activate(N: usize, S: usize, dS: usize, len: i32, id: i32): void {
  const n4 = len & ~3;
  dispatch(N, S, dS, <usize>n4 << 2, id);
  const rem = len - n4;
  if (rem == 0) return;
  const off = <usize>n4 << 2;
  v128.store(STAGE, f32x4.splat(0));
  for (let i = 0; i < rem; i++) store<f32>(STAGE + (<usize>i << 2), load<f32>(N + off + (<usize>i << 2)));
  dispatch(STAGE, STAGE + 16, STAGE + 32, 16, id);
  for (let i = 0; i < rem; i++) {
    store<f32>(S + off + (<usize>i << 2), load<f32>(STAGE + 16 + (<usize>i << 2)));
    store<f32>(dS + off + (<usize>i << 2), load<f32>(STAGE + 32 + (<usize>i << 2)));
  }
}
