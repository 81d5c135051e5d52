/**
 * The reference loss kernel: the seed of the recursion for softmax cross-entropy on the logits N (rows × B, samples
 * as columns), for Float32Array and Float64Array. train/loss.ts computes the loss `softmax-ce` with it.
 *   L = (1/B) Σ_b −Σ_r Y[r,b]·log softmax(N[:,b])_r,   seed = (softmax(N) − Y)/B column by column,
 * with log softmax = N − (max + log Σ exp(N − max)) (the maximum of the column subtracted, so no overflow).
 */
import type { FloatArray } from '../types.js';

/**
 * Returns L and, when `seed` is given, writes seed = (softmax(N) − Y)/B. Each column reads N before writing its
 * seed, so `seed` may alias N (not Y).
 */
export function softmaxCrossEntropy(
  N: FloatArray,
  Y: FloatArray,
  seed: FloatArray | undefined,
  rows: number,
  B: number,
): number {
  let total = 0;
  for (let b = 0; b < B; b++) {
    let max = -Infinity;
    for (let r = 0; r < rows; r++) max = Math.max(max, N[r * B + b]!);
    let z = 0;
    for (let r = 0; r < rows; r++) z += Math.exp(N[r * B + b]! - max);
    const logZ = max + Math.log(z);
    for (let r = 0; r < rows; r++) {
      const j = r * B + b;
      const y = Y[j]!;
      if (y !== 0) total -= y * (N[j]! - logZ);
      if (seed) seed[j] = (Math.exp(N[j]! - logZ) - y) / B;
    }
  }
  return total / B;
}

/** seed = (softmax(N) − Y)/B column by column; returns the mean cross-entropy L. */
export function softmaxCrossEntropySeed(
  N: FloatArray,
  Y: FloatArray,
  seed: FloatArray,
  rows: number,
  B: number,
): number {
  return softmaxCrossEntropy(N, Y, seed, rows, B);
}
