/**
 * Plain-TypeScript versions of the fused WASM kernels, used by `WasmKernels` for Float64Array arguments
 * (the f64 path is the exact teaching path; the WASM kernels are float32 only). Same formulas and
 * conventions as asm/optim.ts and asm/softmax.ts.
 */
import type { FloatArray } from '../../linalg/matrix.js';
import { activations } from '../../net/activation.js';
import { ActivationId, type ActivationName } from './activation-ids.js';

const namesById: readonly ActivationName[] = (() => {
  const out: ActivationName[] = [];
  for (const [name, id] of Object.entries(ActivationId)) out[id] = name as ActivationName;
  return out;
})();

/** S = σ(N), dS = σ'(N) with the catalog's fused map for activation `id`. */
export function activateRef(N: FloatArray, S: FloatArray, dS: FloatArray, length: number, id: ActivationId): void {
  activations[namesById[id]!]!.map(N, S, dS, 0, length);
}

export function hadamardIntoRef(out: FloatArray, a: FloatArray, length: number): void {
  for (let i = 0; i < length; i++) out[i]! *= a[i]!;
}

export function axpyRef(y: FloatArray, x: FloatArray, alpha: number, length: number): void {
  for (let i = 0; i < length; i++) y[i]! += alpha * x[i]!;
}

export function scaleRef(x: FloatArray, alpha: number, length: number): void {
  for (let i = 0; i < length; i++) x[i]! *= alpha;
}

export function sgdUpdateRef(
  w: FloatArray, g: FloatArray, v: FloatArray, length: number,
  lr: number, momentum: number, weightDecay: number, nesterov: boolean,
): void {
  for (let i = 0; i < length; i++) {
    let d = g[i]! + weightDecay * w[i]!;
    if (momentum !== 0) {
      const buf = momentum * v[i]! + d;
      v[i] = buf;
      d = nesterov ? d + momentum * buf : buf;
    }
    w[i] = w[i]! - lr * d;
  }
}

export function adamUpdateRef(
  w: FloatArray, g: FloatArray, m: FloatArray, v: FloatArray, length: number,
  lr: number, beta1: number, beta2: number, eps: number, weightDecay: number, step: number, decoupled: boolean,
): void {
  const stepSize = lr / (1 - beta1 ** step);
  const bc2Sqrt = Math.sqrt(1 - beta2 ** step);
  for (let i = 0; i < length; i++) {
    let wi = w[i]!;
    let d = g[i]!;
    if (decoupled) wi *= 1 - lr * weightDecay;
    else d += weightDecay * wi;
    const mi = beta1 * m[i]! + (1 - beta1) * d;
    const vi = beta2 * v[i]! + (1 - beta2) * d * d;
    m[i] = mi;
    v[i] = vi;
    w[i] = wi - (stepSize * mi) / (Math.sqrt(vi) / bc2Sqrt + eps);
  }
}

export function softmaxCrossEntropySeedRef(N: FloatArray, Y: FloatArray, seed: FloatArray, rows: number, B: number): number {
  if (rows <= 0 || B <= 0) return 0;
  let loss = 0;
  for (let j = 0; j < B; j++) {
    let m = -Infinity;
    for (let i = 0; i < rows; i++) m = Math.max(m, N[i * B + j]!);
    let s = 0;
    let t = 0;
    let ys = 0;
    for (let i = 0; i < rows; i++) {
      const x = N[i * B + j]! - m;
      const y = Y[i * B + j]!;
      const e = Math.exp(x);
      seed[i * B + j] = e;
      s += e;
      t += y * x;
      ys += y;
    }
    for (let i = 0; i < rows; i++) seed[i * B + j] = (seed[i * B + j]! / s - Y[i * B + j]!) / B;
    loss += ys * Math.log(s) - t;
  }
  return loss / B;
}
