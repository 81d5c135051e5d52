/**
 * The reference optimizer kernels: one step of SGD and of Adam/AdamW in place, PyTorch's rules, for Float32Array
 * and Float64Array. The optimizers of train/optimizer.ts run their steps through a kernel set's versions of these.
 */
import type { FloatArray } from '../types.js';

/**
 * One SGD step (PyTorch `SGD`, dampening 0): d = g + wd·w; with momentum μ ≠ 0, v ← μ·v + d and
 * d = nesterov ? d + μ·v : v; then w ← w − lr·d. `v` starts at zero (so v = d at the first step); it is not
 * read or written when μ = 0.
 */
export function sgdUpdate(
  w: FloatArray,
  g: FloatArray,
  v: FloatArray,
  length: number,
  lr: number,
  momentum: number,
  weightDecay: number,
  nesterov: boolean,
): void {
  const mu = momentum;
  const wd = weightDecay;
  if (mu === 0) {
    for (let e = 0; e < length; e++) w[e]! -= lr * (g[e]! + wd * w[e]!);
    return;
  }
  for (let e = 0; e < length; e++) {
    const ge = g[e]! + wd * w[e]!;
    const be = mu * v[e]! + ge;
    v[e] = be;
    w[e]! -= lr * (nesterov ? ge + mu * be : be);
  }
}

/**
 * One Adam step t ≥ 1 (PyTorch `Adam`; `decoupled`: `AdamW`): d = g + wd·w (Adam), or w ← w·(1 − lr·wd) and
 * d = g (AdamW); m ← β1·m + (1 − β1)·d, v ← β2·v + (1 − β2)·d², w ← w − (lr/(1 − β1ᵗ)) · m / (√v/√(1 − β2ᵗ) + ε).
 * `m` and `v` start at zero.
 */
export function adamUpdate(
  w: FloatArray,
  g: FloatArray,
  m: FloatArray,
  v: FloatArray,
  length: number,
  lr: number,
  beta1: number,
  beta2: number,
  eps: number,
  weightDecay: number,
  step: number,
  decoupled: boolean,
): void {
  const b1 = beta1;
  const b2 = beta2;
  const c1 = 1 - b1 ** step;
  const c2 = 1 - b2 ** step;
  const sqrtC2 = Math.sqrt(c2);
  const stepSize = lr / c1;
  const l2 = decoupled ? 0 : weightDecay;
  const shrink = decoupled ? 1 - lr * weightDecay : 1;
  for (let e = 0; e < length; e++) {
    const we = w[e]! * shrink;
    const ge = g[e]! + l2 * w[e]!;
    const me = b1 * m[e]! + (1 - b1) * ge;
    const ve = b2 * v[e]! + (1 - b2) * ge * ge;
    m[e] = me;
    v[e] = ve;
    w[e] = we - (stepSize * me) / (Math.sqrt(ve) / sqrtC2 + eps);
  }
}
