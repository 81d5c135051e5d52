/**
 * Paper §5, eq. (3), the explicit product, read left to right with the inverted product A•B = B·A:
 *   ∇_{W_i} f = Σ'_k • W_kᵀ ∘ Σ'_{k−1} • … • W_{i+1}ᵀ ∘ Σ'_i · Σ_{i−1}ᵀ
 * Each ∇_{W_i} f is built afresh from the left; with n_k > 1 the leading Σ'_k is v ∘ Σ'_k. One sample at a time,
 * summed over the batch.
 */
import { type AlgebraEngine, sumOverSamples } from './algebra.js';
import { seedIsOne } from './seed.js';

export const explicitForm: AlgebraEngine = (alg, net, trace, seed, record) => {
  const k = net.n.length - 1;
  const one = seedIsOne(alg, seed);
  const gradW = sumOverSamples(alg, net, seed, (b, add) => {
    for (let i = k; i >= 1; i--) {
      const dSk = alg.column(trace.dS.get(k), b);
      let P = dSk;
      let label = `\\Sigma'_{${k}}`;
      if (!one) {
        // v ∘ Σ'_k
        const v = alg.column(seed, b);
        P = alg.hadamard(v, dSk, [`Δ_${k + 1}`, `Σ'_${k}`]);
        label = `v\\circ\\Sigma'_{${k}}`;
        record?.({ layer: i, sample: b, lhs: label, lines: [{ tex: '#0\\circ #1', operands: [v, dSk] }], value: P });
      }
      for (let r = k; r > i; r--) {
        // … • W_rᵀ
        const WT = alg.transpose(net.W.get(r));
        const prev = P;
        P = alg.bullet(prev, WT, ['(…)', `W_${r}ᵀ`]);
        label = `${label}\\bullet W_{${r}}^T`;
        record?.({
          layer: i,
          sample: b,
          lhs: label,
          lines: [
            { tex: '#0\\bullet #1', operands: [prev, WT] },
            { tex: '#1\\cdot #0', operands: [prev, WT] },
          ],
          value: P,
        });
        // … ∘ Σ'_{r−1}
        const dS = alg.column(trace.dS.get(r - 1), b);
        const before = P;
        P = alg.hadamard(before, dS, ['(…)', `Σ'_${r - 1}`]);
        label = `${label}\\circ\\Sigma'_{${r - 1}}`;
        record?.({
          layer: i,
          sample: b,
          lhs: label,
          lines: [{ tex: '#0\\circ #1', operands: [before, dS] }],
          value: P,
        });
      }
      // … · Σ_{i−1}ᵀ
      const ST = alg.transpose(alg.column(trace.S.get(i - 1), b));
      const g = alg.matmul(P, ST, ['(…)', `Σ_${i - 1}ᵀ`]);
      record?.({
        layer: i,
        sample: b,
        lhs: `\\nabla_{W_{${i}}} f`,
        formula: `${label}\\cdot\\Sigma_{${i - 1}}^T`,
        lines: [{ tex: '#0\\cdot #1', operands: [P, ST] }],
        value: g,
      });
      add(i, g);
    }
  });
  return { gradW };
};
