/**
 * Paper §5, eq. (3), the explicit product, read left to right with the inverted product A•B = B·A:
 *   ∇_{W_k} f     = Σ'_k · Σ_{k−1}ᵀ
 *   ∇_{W_{k−1}} f = Σ'_k • W_kᵀ ∘ Σ'_{k−1} · Σ_{k−2}ᵀ
 *   …
 *   ∇_{W_1} f     = Σ'_k • W_kᵀ ∘ Σ'_{k−1} • W_{k−1}ᵀ ∘ … ∘ Σ'_2 • W_2ᵀ ∘ Σ'_1 · Xᵀ
 * Each ∇_{W_i} f is built afresh from the left (no reuse between layers, as the formula reads), one sample at
 * a time, and summed over the batch. With n_k > 1 the leading Σ'_k is v ∘ Σ'_k.
 */
import { Matrix } from '../linalg/matrix.js';
import { add, bullet, hadamard, matmul, transpose } from '../linalg/products.js';
import type { Trace } from '../net/forward.js';
import { Layers } from '../net/layers.js';
import { zeros } from '../linalg/matrix.js';
import type { Network } from '../net/network.js';
import type { Grads } from './types.js';

export function explicit(net: Network, trace: Trace, seed: Matrix): Grads {
  const k = net.k;
  const B = seed.cols;
  const gradW = new Layers<Matrix>('∇W', 1, k);
  for (let b = 0; b < B; b++) {
    const col = (M: Matrix) => M.column(b);
    for (let i = k; i >= 1; i--) {
      // v ∘ Σ'_k (v = 1 in the paper)
      let P = hadamard(col(seed), col(trace.dS.get(k)), { names: [`Δ_${k + 1}`, `Σ'_${k}`] });
      for (let r = k; r > i; r--) {
        // … • W_rᵀ ∘ Σ'_{r−1}
        P = bullet(P, transpose(net.W.get(r)), { names: [`(…)`, `W_${r}ᵀ`] });
        P = hadamard(P, col(trace.dS.get(r - 1)), { names: [`(…)`, `Σ'_${r - 1}`] });
      }
      // … · Σ_{i−1}ᵀ
      const g = matmul(P, transpose(col(trace.S.get(i - 1))), { names: ['(…)', `Σ_${i - 1}ᵀ`] });
      gradW.set(i, gradW.has(i) ? add(gradW.get(i), g) : g);
    }
  }
  // an empty batch (B = 0) sums nothing: ∇_{W_i} f = 0
  for (let i = 1; i <= k; i++) if (!gradW.has(i)) gradW.set(i, zeros(net.n[i]!, net.n[i - 1]!, net.dtype));
  return { gradW };
}
