/**
 * Paper §6, the identities of the proof of (3):
 *   (6)  ∇_{W_r} f = (∇_{Σ_r} f) ∘ Σ'_r · Σ_{r−1}ᵀ
 *   (7)  ∇_{Σ_r} f = (∇_{Σ_{r+1}} f) ∘ Σ'_{r+1} • W_{r+1}ᵀ
 * starting from ∇_{Σ_k} f = 1 (v for n_k > 1), down to ∇_{Σ_0} f = ∇_X f. Exposes the intermediate gradients
 * ∇_{Σ_r} f so that the proof can be checked numerically (each is n_r × B, one column per sample).
 */
import type { Matrix } from '../linalg/matrix.js';
import { bullet, hadamard, matmul, transpose } from '../linalg/products.js';
import type { Trace } from '../net/forward.js';
import { Layers } from '../net/layers.js';
import type { Network } from '../net/network.js';
import type { Grads } from './types.js';

export function proof(net: Network, trace: Trace, seed: Matrix): Required<Pick<Grads, 'gradW' | 'gradS'>> {
  const k = net.k;
  const gradS = new Layers<Matrix>('∇Σ', 0, k);
  const gradW = new Layers<Matrix>('∇W', 1, k);
  gradS.set(k, seed);
  for (let r = k; r >= 1; r--) {
    const inner = hadamard(gradS.get(r), trace.dS.get(r), { names: [`∇_{Σ_${r}} f`, `Σ'_${r}`] });
    // (6)
    gradW.set(r, matmul(inner, trace.S.get(r - 1), { transB: true, names: [`(∇_{Σ_${r}} f)∘Σ'_${r}`, `Σ_${r - 1}`] }));
    // (7) for r − 1: (∇_{Σ_r} f) ∘ Σ'_r • W_rᵀ = W_rᵀ · ((∇_{Σ_r} f) ∘ Σ'_r)
    gradS.set(r - 1, bullet(inner, transpose(net.W.get(r)), { names: [`(∇_{Σ_${r}} f)∘Σ'_${r}`, `W_${r}ᵀ`] }));
  }
  return { gradW, gradS };
}
