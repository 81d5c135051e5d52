/**
 * Paper §5, Remark 5, eq. (4), the Kronecker form, read right to left:
 *   ∇_{W_k} f     = Σ_{k−1}ᵀ ⊗ Σ'_k
 *   ∇_{W_{k−1}} f = Σ_{k−2}ᵀ ⊗ Σ'_{k−1} ∘ W_kᵀ · Σ'_k
 *   …
 *   ∇_{W_1} f     = Xᵀ ⊗ Σ'_1 ∘ W_2ᵀ · Σ'_2 ∘ … ∘ W_kᵀ · Σ'_k
 * The right-hand chain c_i = W_{i+1}ᵀ · (Σ'_{i+1} ∘ c_{i+1}) (with c_k = v, the paper's 1) is an n_i column; the
 * Hadamard product of the n_i × n_{i−1} matrix Σ_{i−1}ᵀ ⊗ Σ'_i with that column applies it to every column,
 * written here as ∘ (1ᵀ ⊗ c_i), the column repeated n_{i−1} times. One sample at a time, summed over the batch.
 */
import { Matrix, newArray } from '../linalg/matrix.js';
import { add, hadamard, kron, matmul, transpose } from '../linalg/products.js';
import type { Trace } from '../net/forward.js';
import { Layers } from '../net/layers.js';
import { zeros } from '../linalg/matrix.js';
import type { Network } from '../net/network.js';
import type { Grads } from './types.js';

function onesRow(n: number, like: Matrix): Matrix {
  const m = new Matrix(1, n, newArray(like.dtype, n));
  m.data.fill(1);
  return m;
}

export function kronecker(net: Network, trace: Trace, seed: Matrix): Grads {
  const k = net.k;
  const B = seed.cols;
  const gradW = new Layers<Matrix>('∇W', 1, k);
  for (let b = 0; b < B; b++) {
    let c = seed.column(b); // c_k = v
    for (let i = k; i >= 1; i--) {
      if (i < k) {
        // c_i = W_{i+1}ᵀ · (Σ'_{i+1} ∘ c_{i+1})
        c = matmul(transpose(net.W.get(i + 1)), hadamard(trace.dS.get(i + 1).column(b), c, { names: [`Σ'_${i + 1}`, 'c'] }), {
          names: [`W_${i + 1}ᵀ`, `Σ'_${i + 1}∘(…)`],
        });
      }
      // Σ_{i−1}ᵀ ⊗ Σ'_i, then ∘ the chain
      const K = kron(transpose(trace.S.get(i - 1).column(b)), trace.dS.get(i).column(b));
      const g = hadamard(K, kron(onesRow(net.n[i - 1]!, K), c), { names: [`Σ_${i - 1}ᵀ ⊗ Σ'_${i}`, `W_${i + 1}ᵀ·Σ'_${i + 1}∘…`] });
      gradW.set(i, gradW.has(i) ? add(gradW.get(i), g) : g);
    }
  }
  // an empty batch (B = 0) sums nothing: ∇_{W_i} f = 0
  for (let i = 1; i <= k; i++) if (!gradW.has(i)) gradW.set(i, zeros(net.n[i]!, net.n[i - 1]!, net.dtype));
  return { gradW };
}
