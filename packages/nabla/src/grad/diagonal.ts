/**
 * Paper §5, Remark 6, eq. (5), the diagonal-matrix form, with \hat Σ'_i = diag(Σ'_i):
 *   ∇_{W_k} f     = Σ_{k−1}ᵀ ⊗ \hat Σ'_k
 *   ∇_{W_{k−1}} f = Σ_{k−2}ᵀ ⊗ (\hat Σ'_{k−1} · W_kᵀ · \hat Σ'_k)
 *   …
 *   ∇_{W_1} f     = Xᵀ ⊗ (\hat Σ'_1 · W_2ᵀ · \hat Σ'_2 · … · W_kᵀ · \hat Σ'_k)
 * Only ordinary and Kronecker products, no Hadamard product. The bracket is n_i × n_k; for n_k > 1 it is
 * multiplied by v (for n_k = 1 that is the paper's 1). One sample at a time, summed over the batch.
 */
import type { Matrix } from '../linalg/matrix.js';
import { add, diag, kron, matmul, transpose } from '../linalg/products.js';
import type { Trace } from '../net/forward.js';
import { Layers } from '../net/layers.js';
import { zeros } from '../linalg/matrix.js';
import type { Network } from '../net/network.js';
import type { Grads } from './types.js';

export function diagonal(net: Network, trace: Trace, seed: Matrix): Grads {
  const k = net.k;
  const B = seed.cols;
  const gradW = new Layers<Matrix>('∇W', 1, k);
  for (let b = 0; b < B; b++) {
    for (let i = k; i >= 1; i--) {
      // \hat Σ'_i · W_{i+1}ᵀ · \hat Σ'_{i+1} · … · W_kᵀ · \hat Σ'_k, multiplied left to right
      let M = diag(trace.dS.get(i).column(b), `Σ'_${i}`);
      for (let r = i + 1; r <= k; r++) {
        M = matmul(M, transpose(net.W.get(r)), { names: ['(…)', `W_${r}ᵀ`] });
        M = matmul(M, diag(trace.dS.get(r).column(b), `Σ'_${r}`), { names: ['(…)', `\\hat Σ'_${r}`] });
      }
      const bracket = matmul(M, seed.column(b), { names: ['(…)', 'v'] });
      const g = kron(transpose(trace.S.get(i - 1).column(b)), bracket);
      gradW.set(i, gradW.has(i) ? add(gradW.get(i), g) : g);
    }
  }
  // an empty batch (B = 0) sums nothing: ∇_{W_i} f = 0
  for (let i = 1; i <= k; i++) if (!gradW.has(i)) gradW.set(i, zeros(net.n[i]!, net.n[i - 1]!, net.dtype));
  return { gradW };
}
