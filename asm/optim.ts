// Fused optimizer steps over one parameter array, PyTorch conventions (torch.optim.SGD / Adam / AdamW,
// dampening 0, no amsgrad). Scalars arrive as f64 and are rounded to f32 once per call.

import { fma } from './simd';

/**
 * SGD with optional momentum, Nesterov and L2 weight decay, in one pass:
 *   d = g + wd·w;  v ← μ·v + d;  d = nesterov ? d + μ·v : v  (only when μ ≠ 0);  w ← w − lr·d.
 * `v` (zero before the first step) is untouched when momentum = 0.
 */
export function sgdUpdate(w: usize, g: usize, v: usize, len: i32, lr: f64, momentum: f64, weightDecay: f64, nesterov: i32): void {
  const flr = <f32>lr, mu = <f32>momentum, wd = <f32>weightDecay;
  const vlr = f32x4.splat(-flr), vmu = f32x4.splat(mu), vwd = f32x4.splat(wd);
  const n4 = <usize>(len & ~3) << 2;
  const end = <usize>len << 2;
  let o: usize = 0;
  if (mu == 0) {
    for (; o < n4; o += 16) {
      const wv = v128.load(w + o);
      const d = fma(vwd, wv, v128.load(g + o));
      v128.store(w + o, fma(vlr, d, wv));
    }
    for (; o < end; o += 4) {
      const wv = load<f32>(w + o);
      store<f32>(w + o, wv - flr * (load<f32>(g + o) + wd * wv));
    }
    return;
  }
  const nest = nesterov != 0;
  for (; o < n4; o += 16) {
    const wv = v128.load(w + o);
    let d = fma(vwd, wv, v128.load(g + o));
    const buf = fma(vmu, v128.load(v + o), d);
    v128.store(v + o, buf);
    d = nest ? fma(vmu, buf, d) : buf;
    v128.store(w + o, fma(vlr, d, wv));
  }
  for (; o < end; o += 4) {
    const wv = load<f32>(w + o);
    let d = load<f32>(g + o) + wd * wv;
    const buf = mu * load<f32>(v + o) + d;
    store<f32>(v + o, buf);
    d = nest ? d + mu * buf : buf;
    store<f32>(w + o, wv - flr * d);
  }
}

/**
 * Adam (decoupled = 0: L2 decay d = g + wd·w) or AdamW (decoupled ≠ 0: w ← w·(1 − lr·wd) first), step t ≥ 1:
 *   m ← β1·m + (1−β1)·d;  v ← β2·v + (1−β2)·d²;
 *   w ← w − (lr / (1 − β1ᵗ)) · m / (√v / √(1 − β2ᵗ) + ε).
 * `m` and `v` start at zero.
 */
export function adamUpdate(
  w: usize, g: usize, m: usize, v: usize, len: i32,
  lr: f64, beta1: f64, beta2: f64, eps: f64, weightDecay: f64, step: i32, decoupled: i32,
): void {
  const bc1 = 1 - Math.pow(beta1, <f64>step);
  const bc2 = 1 - Math.pow(beta2, <f64>step);
  const ss = <f32>(lr / bc1);
  const bc2s = <f32>Math.sqrt(bc2);
  const b1 = <f32>beta1, c1 = <f32>(1 - beta1), b2 = <f32>beta2, c2 = <f32>(1 - beta2), fe = <f32>eps;
  const dec = decoupled != 0;
  const wdL2 = dec ? <f32>0 : <f32>weightDecay;
  const shrink = dec ? <f32>(1 - lr * weightDecay) : <f32>1;
  const vb1 = f32x4.splat(b1), vc1 = f32x4.splat(c1), vb2 = f32x4.splat(b2), vc2 = f32x4.splat(c2);
  // √v̂ = √v · (1/√c2): a multiplication instead of a second division (the division unit is the bottleneck here)
  const vss = f32x4.splat(ss), vinv = f32x4.splat(<f32>(1 / Math.sqrt(bc2))), veps = f32x4.splat(fe);
  const vwd = f32x4.splat(wdL2), vshrink = f32x4.splat(shrink);
  const n4 = <usize>(len & ~3) << 2;
  const end = <usize>len << 2;
  let o: usize = 0;
  for (; o < n4; o += 16) {
    let wv = v128.load(w + o);
    const d = fma(vwd, wv, v128.load(g + o));
    wv = f32x4.mul(wv, vshrink);
    const mv = fma(vb1, v128.load(m + o), f32x4.mul(vc1, d));
    const vv = fma(vb2, v128.load(v + o), f32x4.mul(vc2, f32x4.mul(d, d)));
    v128.store(m + o, mv);
    v128.store(v + o, vv);
    const den = fma(f32x4.sqrt(vv), vinv, veps);
    v128.store(w + o, f32x4.sub(wv, f32x4.div(f32x4.mul(vss, mv), den)));
  }
  for (; o < end; o += 4) {
    let wv = load<f32>(w + o);
    const d = load<f32>(g + o) + wdL2 * wv;
    wv = wv * shrink;
    const mv = b1 * load<f32>(m + o) + c1 * d;
    const vv = b2 * load<f32>(v + o) + c2 * d * d;
    store<f32>(m + o, mv);
    store<f32>(v + o, vv);
    store<f32>(w + o, wv - (ss * mv) / (Mathf.sqrt(vv) / bc2s + fe));
  }
}
