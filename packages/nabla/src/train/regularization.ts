/**
 * Weight penalties added to the training loss, as in TensorFlow Playground: L1 adds rate·Σ|w| and L2 adds
 * rate·½Σw² over the weights, so the gradient gains rate·sign(W_i) (L1) or rate·W_i (L2) beside ∇_{W_i} L of the
 * recursion. The biases are not penalised: for the homogeneous form of an affine network (paper §3) the last
 * column of every W_i holds them and keeps its gradient, and the formal rows stay fixed (holdFormalRows).
 */
import { OptionError } from '../errors.js';
import type { Matrix } from '../linalg/matrix.js';
import type { Layers } from '../net/layers.js';

export const regularizationKinds = ['l1', 'l2'] as const;
export type RegularizationKind = (typeof regularizationKinds)[number];

/** A penalty on the weights W_i: its kind and its rate. */
export interface Regularization {
  /** 'l1' (adds rate·sign(W_i) to ∇_{W_i} L) or 'l2' (adds rate·W_i). */
  kind: RegularizationKind;
  /** The penalty's factor (≥ 0; 0 switches it off). */
  rate: number;
}

/** Checks the option; one clear error naming what was wrong. */
export function checkRegularization(r: Regularization): Regularization {
  if (!(regularizationKinds as readonly string[]).includes(r.kind))
    throw new OptionError(
      `regularization kind "${String(r.kind)}"; expected one of: ${regularizationKinds.join(', ')}`,
    );
  if (typeof r.rate !== 'number' || !Number.isFinite(r.rate) || r.rate < 0)
    throw new OptionError(`regularization rate ${String(r.rate)}; expected a finite number ≥ 0`);
  return r;
}

/**
 * Adds the penalty's gradient to `gradW` in place: ∇_{W_i} ← ∇_{W_i} + rate·sign(W_i) (L1; sign 0 = 0) or
 * + rate·W_i (L2). With `affine`, the last column of each W_i (the biases) is left as it is.
 */
export function addPenaltyGradient(W: Layers<Matrix>, gradW: Layers<Matrix>, r: Regularization, affine: boolean): void {
  if (r.rate === 0) return;
  for (const i of W.indices()) {
    const M = W.get(i);
    const G = gradW.get(i);
    const cols = affine ? M.cols - 1 : M.cols;
    for (let row = 0; row < M.rows; row++) {
      const base = row * M.cols;
      for (let c = 0; c < cols; c++) {
        const w = M.data[base + c]!;
        G.data[base + c]! += r.kind === 'l2' ? r.rate * w : w > 0 ? r.rate : w < 0 ? -r.rate : 0;
      }
    }
  }
}
