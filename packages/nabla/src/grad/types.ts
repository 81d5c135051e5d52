/**
 * What every gradient engine returns, and the seed Δ_{k+1} that starts the recursion: the paper's 1 for n_k = 1,
 * a vector v for n_k > 1 (the engines then compute ∇_W (v·f)); for a batch of B columns an n_k × B matrix, the
 * gradients summed over the batch.
 */
import { ShapeError } from '../errors.js';
import { Matrix, newArray } from '../linalg/matrix.js';
import type { Trace } from '../net/forward.js';
import type { Layers } from '../net/layers.js';
import type { Network } from '../net/network.js';
import type { Step } from './algebra.js';

/** What every gradient engine returns: ∇_{W_i} (v·f) for each layer, and the intermediate Δ_i and ∇_{Σ_i} f if the engine has them. */
export interface Grads {
  /** ∇_{W_1} f … ∇_{W_k} f, each the shape of W_i (summed over the batch). */
  gradW: Layers<Matrix>;
  /** Δ_1 … Δ_{k+1} (n_i × B) when the engine computes them (Δ_{k+1} is the seed). */
  D?: Layers<Matrix>;
  /** ∇_{Σ_0} f … ∇_{Σ_k} f (n_i × B) when the engine computes them (identities (6) and (7)). */
  gradS?: Layers<Matrix>;
}

/** A gradient form: computes ∇_W (v·f) from the forward trace (a paper form records each step when given `record`). */
export type GradientEngine = (net: Network, trace: Trace, seed: Matrix, record?: (step: Step<Matrix>) => void) => Grads;

/** Seed values: nothing (only when n_k = 1), a vector v of n_k numbers, or an n_k × 1 / n_k × B matrix. */
export type SeedInput = undefined | readonly number[] | Matrix;

/** The seed Δ_{k+1} as an n_k × B matrix (a vector v is used for every sample). */
export function seedMatrix(net: Network, B: number, v?: SeedInput): Matrix {
  const nk = net.n[net.k]!;
  const out = new Matrix(nk, B, newArray(net.dtype, nk * B));
  if (v === undefined) {
    if (nk !== 1) {
      throw new ShapeError(
        `Δ_${net.k + 1}: n_k = ${nk} > 1, so a vector v of ${nk} numbers must take the place of Δ_${net.k + 1} = 1 (it gives ∇_W (v·f))`,
      );
    }
    out.data.fill(1);
    return out;
  }
  if (v instanceof Matrix) {
    if (v.rows !== nk || (v.cols !== 1 && v.cols !== B)) {
      throw new ShapeError(`Δ_${net.k + 1}: v is ${v.shape}, expected ${nk}×1 or ${nk}×${B} (n_k × B)`);
    }
    for (let r = 0; r < nk; r++)
      for (let b = 0; b < B; b++) out.data[r * B + b] = v.cols === 1 ? v.data[r]! : v.data[r * B + b]!;
    return out;
  }
  if (v.length !== nk) throw new ShapeError(`Δ_${net.k + 1}: v has ${v.length} numbers, expected n_k = ${nk}`);
  for (let r = 0; r < nk; r++) {
    const x = v[r]!;
    if (typeof x !== 'number' || !Number.isFinite(x))
      throw new ShapeError(
        `Δ_${net.k + 1}: v[${r}] = ${typeof x === 'number' ? String(x) : JSON.stringify(x)} is not a finite number`,
      );
    for (let b = 0; b < B; b++) out.data[r * B + b] = x;
  }
  return out;
}

/**
 * Refuses a trace whose Σ_0 holds Xᵀ (a forward pass with `inputRows`, made for predictions and training steps): the
 * paper's forms read Σ_0 = X, one column per sample.
 */
export function requireColumnTrace(trace: Trace, form: string): void {
  if (trace.inputRows) {
    throw new ShapeError(
      `${form}: this trace holds Σ_0 as Xᵀ (forward with inputRows); the paper's forms read Σ_0 = X: run forward(net, X) with one column per sample`,
    );
  }
}
