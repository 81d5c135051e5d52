/**
 * The full Jacobian of f with respect to each W_i, for n_k ≥ 1: row (j, b) holds ∂f_j(x_b)/∂W_i flattened
 * row-major (entry (r, c) of W_i at column r·n_{i−1} + c). Computed by the recursion of Remark 3 with the seed
 * Δ_{k+1} = e_j (the j-th unit vector) for one sample at a time. Rows are ordered j·B + b.
 */
import { Matrix, newArray } from '../linalg/matrix.js';
import { forward } from '../net/forward.js';
import { Layers } from '../net/layers.js';
import type { Network } from '../net/network.js';
import { recursive } from './forms.js';

/** The Jacobian ∂f/∂W_i of each layer for the B samples of X: row j·B + b holds ∂f_j(x_b)/∂W_i, row-major. */
export function jacobian(net: Network, X: Matrix): Layers<Matrix> {
  const k = net.k;
  const nk = net.n[k]!;
  const B = X.cols;
  const J = new Layers<Matrix>('∂f/∂W', 1, k);
  for (let i = 1; i <= k; i++) {
    const size = net.n[i]! * net.n[i - 1]!;
    J.set(i, new Matrix(nk * B, size, newArray(net.dtype, nk * B * size)));
  }
  for (let b = 0; b < B; b++) {
    const trace = forward(net, X.column(b));
    for (let j = 0; j < nk; j++) {
      const e = new Matrix(nk, 1, newArray(net.dtype, nk));
      e.data[j] = 1;
      const { gradW } = recursive(net, trace, e);
      for (let i = 1; i <= k; i++) J.get(i).data.set(gradW.get(i).data, (j * B + b) * J.get(i).cols);
    }
  }
  return J;
}
