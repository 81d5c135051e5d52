/**
 * Paper §4, the one-dimensional recursion (every W_i a number w_i):
 *   Δ_i = Δ_{i+1} w_{i+1} σ'_i,   Δ_{k+1} = w_{k+1} = 1,   ∇_{w_i} f = Δ_i σ_{i−1}.
 * The 1-D case of Remark 3, written with numbers instead of matrices (the explicit chain (1)/(2) is scalar.ts).
 */
import { UnsupportedError } from '../errors.js';
import { Matrix, newArray } from '../linalg/matrix.js';
import type { Trace } from '../net/forward.js';
import { Layers } from '../net/layers.js';
import type { Network } from '../net/network.js';
import { type Grads, requireColumnTrace } from './types.js';

function requireOneDimensional(net: Network): void {
  if (net.n.some((w) => w !== 1)) {
    throw new UnsupportedError(
      `the scalar recursion of §4 needs every width to be 1; this network has widths [${net.n.join(', ')}]`,
    );
  }
}

/** The scalar recursion of §4: Δ_i = Δ_{i+1} w_{i+1} σ'_i, ∇_{w_i} f = Δ_i σ_{i−1}. */
export function scalarRecursion(net: Network, trace: Trace, seed: Matrix): Grads {
  requireOneDimensional(net);
  requireColumnTrace(trace, 'scalarRecursion');
  const k = net.k;
  const B = seed.cols;
  const D = new Layers<Matrix>('Δ', 1, k + 1);
  const gradW = new Layers<Matrix>('∇W', 1, k);
  D.set(k + 1, seed);
  for (let i = k; i >= 1; i--) {
    const Di = new Matrix(1, B, newArray(net.dtype, B));
    const wNext = i === k ? 1 : net.W.get(i + 1).data[0]!; // w_{k+1} = 1
    let g = 0;
    for (let b = 0; b < B; b++) {
      Di.data[b] = D.get(i + 1).data[b]! * wNext * trace.dS.get(i).data[b]!;
      g += Di.data[b]! * trace.S.get(i - 1).data[b]!;
    }
    D.set(i, Di);
    const G = new Matrix(1, 1, newArray(net.dtype, 1));
    G.data[0] = g;
    gradW.set(i, G);
  }
  return { gradW, D };
}
