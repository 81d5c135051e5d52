/**
 * Paper §5, Remark 3 (the recursion), over any algebra, for a batch of B columns (the specification of
 * train/backprop.ts):  Δ_i = (W_{i+1}ᵀ · Δ_{i+1}) ∘ Σ'_i,  Δ_{k+1} = 1,  ∇_{W_i} f = Δ_i · Σ_{i−1}ᵀ,  Σ_0 = X.
 * With a recorder, each Δ_i and ∇_{W_i} f is recorded with its operands.
 */
import { Layers } from '../net/layers.js';
import type { AlgebraEngine, FormResult } from './algebra.js';
import { seedIsOne } from './seed.js';

export const recursiveForm: AlgebraEngine = (alg, net, trace, seed, record) => {
  const k = net.n.length - 1;
  type M = typeof seed;
  const D = new Layers<M>('Δ', 1, k + 1);
  const gradW = new Layers<M>('∇W', 1, k);
  const one = seedIsOne(alg, seed);
  D.set(k + 1, seed);
  record?.({ lhs: `\\Delta_{${k + 1}}`, formula: one ? `W_{${k + 1}}^T = 1` : 'v', lines: [], value: seed });
  // Δ_k = Δ_{k+1} ∘ Σ'_k (W_{k+1}ᵀ = 1)
  const dSk = trace.dS.get(k);
  D.set(k, alg.hadamard(seed, dSk, [`Δ_${k + 1}`, `Σ'_${k}`]));
  record?.({
    lhs: `\\Delta_{${k}}`,
    formula: `\\Delta_{${k + 1}}\\circ\\Sigma'_{${k}}`,
    lines: [{ tex: '#0\\circ #1', operands: [seed, dSk] }],
    value: D.get(k),
  });
  for (let i = k - 1; i >= 1; i--) {
    // Δ_i = (W_{i+1}ᵀ · Δ_{i+1}) ∘ Σ'_i
    const WT = alg.transpose(net.W.get(i + 1));
    const up = alg.matmul(WT, D.get(i + 1), [`W_${i + 1}ᵀ`, `Δ_${i + 1}`]);
    const dSi = trace.dS.get(i);
    D.set(i, alg.hadamard(up, dSi, [`W_${i + 1}ᵀ·Δ_${i + 1}`, `Σ'_${i}`]));
    record?.({
      lhs: `\\Delta_{${i}}`,
      formula: `(W_{${i + 1}}^T\\cdot\\Delta_{${i + 1}})\\circ\\Sigma'_{${i}}`,
      lines: [
        { tex: '\\left(#0\\cdot #1\\right)\\circ #2', operands: [WT, D.get(i + 1), dSi] },
        { tex: '#0\\circ #1', operands: [up, dSi] },
      ],
      value: D.get(i),
    });
  }
  for (let i = k; i >= 1; i--) {
    // ∇_{W_i} f = Δ_i · Σ_{i−1}ᵀ (summed over the batch by the product)
    const ST = alg.transpose(trace.S.get(i - 1));
    gradW.set(i, alg.matmul(D.get(i), ST, [`Δ_${i}`, `Σ_${i - 1}ᵀ`]));
    record?.({
      layer: i,
      lhs: `\\nabla_{W_{${i}}} f`,
      formula: `\\Delta_{${i}}\\cdot\\Sigma_{${i - 1}}^T`,
      lines: [{ tex: '#0\\cdot #1', operands: [D.get(i), ST] }],
      value: gradW.get(i),
    });
  }
  const out: FormResult<M> = { gradW, D };
  return out;
};
