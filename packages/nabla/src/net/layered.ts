/** What the homogeneous network (network.ts) and the affine one of §3 (affine.ts) share: W_1 … W_k, Σ_1 … Σ_k. */
import type { DType, Matrix } from '../linalg/matrix.js';
import type { Column } from './column.js';
import { Layers } from './layers.js';

/** What the homogeneous and the affine networks share: the weights W_i and the activations Σ_i. */
export abstract class LayeredNetwork {
  /** The weights W_1 … W_k (for the affine network, W̃_i = [A_i | b_i]). */
  readonly W: Layers<Matrix>;
  /** The activation columns Σ_1 … Σ_k. */
  readonly sigma: Layers<Column>;

  /** The shapes are the subclass's to check. */
  protected constructor(W: readonly Matrix[], sigma: readonly Column[]) {
    this.W = new Layers('W', 1, W.length, W);
    this.sigma = new Layers('Σ', 1, sigma.length, sigma);
  }

  /** The number of layers k. */
  get k(): number {
    return this.W.last;
  }

  /** Precision of the weights (all W_i share it). */
  get dtype(): DType {
    return this.W.get(1).dtype;
  }
}
