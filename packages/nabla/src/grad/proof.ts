/**
 * Paper §6, eq. (6) and eq. (7), the identities of the proof of (3):
 *   (6)  ∇_{W_r} f = (∇_{Σ_r} f) ∘ Σ'_r · Σ_{r−1}ᵀ
 *   (7)  ∇_{Σ_r} f = (∇_{Σ_{r+1}} f) ∘ Σ'_{r+1} • W_{r+1}ᵀ
 * from ∇_{Σ_k} f = 1 (v for n_k > 1) down to ∇_{Σ_0} f = ∇_X f.
 */
import { Layers } from '../net/layers.js';
import type { AlgebraEngine } from './algebra.js';
import { seedIsOne } from './seed.js';

export const proofForm: AlgebraEngine = (alg, net, trace, seed, record) => {
  const k = net.n.length - 1;
  type M = typeof seed;
  const gradS = new Layers<M>('∇Σ', 0, k);
  const gradW = new Layers<M>('∇W', 1, k);
  gradS.set(k, seed);
  record?.({ lhs: `\\nabla_{\\Sigma_{${k}}} f`, formula: seedIsOne(alg, seed) ? '1' : 'v', lines: [], value: seed });
  for (let r = k; r >= 1; r--) {
    const dS = trace.dS.get(r);
    const inner = alg.hadamard(gradS.get(r), dS, [`∇_{Σ_${r}} f`, `Σ'_${r}`]);
    const innerTex = `(\\nabla_{\\Sigma_{${r}}} f)\\circ\\Sigma'_{${r}}`;
    record?.({ layer: r, lhs: innerTex, lines: [{ tex: '#0\\circ #1', operands: [gradS.get(r), dS] }], value: inner });
    // (6)
    const ST = alg.transpose(trace.S.get(r - 1));
    gradW.set(r, alg.matmul(inner, ST, [`(∇_{Σ_${r}} f)∘Σ'_${r}`, `Σ_${r - 1}ᵀ`]));
    record?.({
      layer: r,
      lhs: `\\nabla_{W_{${r}}} f`,
      formula: `${innerTex}\\cdot\\Sigma_{${r - 1}}^T`,
      lines: [{ tex: '#0\\cdot #1', operands: [inner, ST] }],
      value: gradW.get(r),
    });
    // (7) for r − 1: (∇_{Σ_r} f) ∘ Σ'_r • W_rᵀ = W_rᵀ · ((∇_{Σ_r} f) ∘ Σ'_r)
    const WT = alg.transpose(net.W.get(r));
    gradS.set(r - 1, alg.bullet(inner, WT, [`(∇_{Σ_${r}} f)∘Σ'_${r}`, `W_${r}ᵀ`]));
    record?.({
      layer: r,
      lhs: `\\nabla_{\\Sigma_{${r - 1}}} f`,
      formula: `${innerTex}\\bullet W_{${r}}^T`,
      lines: [{ tex: '#1\\cdot #0', operands: [inner, WT] }],
      value: gradS.get(r - 1),
    });
  }
  return { gradW, gradS };
};
