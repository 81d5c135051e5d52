/**
 * The forward pass in rationals (the pass itself, over any algebra, is grad/algebra-forward.ts).
 */
import { algebraForward } from '../grad/algebra-forward.js';
import { type AlgebraTrace, exactNet, rationalAlgebra } from './algebra.js';
import type { RMatrix } from './matrix.js';
import type { ExactNetwork } from './network.js';

export { algebraForward };

/** The forward pass in rationals: X is n_0 × B (samples as columns). */
export function exactForward(net: ExactNetwork, X: RMatrix): AlgebraTrace<RMatrix> {
  return algebraForward(rationalAlgebra, exactNet(net), X);
}
