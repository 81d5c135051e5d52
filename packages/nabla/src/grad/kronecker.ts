/**
 * Paper §5, Remark 5, eq. (4), the Kronecker form, read right to left:
 *   ∇_{W_i} f = Σ_{i−1}ᵀ ⊗ Σ'_i ∘ c_i,   c_i = W_{i+1}ᵀ · (Σ'_{i+1} ∘ c_{i+1}),   c_k = v (the paper's 1)
 * the Hadamard product with the column c_i computed as ∘ (1ᵀ ⊗ c_i). One sample at a time, summed over the batch.
 */
import { type AlgebraEngine, sumOverSamples } from './algebra.js';
import { seedIsOne } from './seed.js';

export const kroneckerForm: AlgebraEngine = (alg, net, trace, seed, record) => {
  const k = net.n.length - 1;
  type M = typeof seed;
  const one = seedIsOne(alg, seed);
  const gradW = sumOverSamples(alg, net, seed, (b, add) => {
    let c = alg.column(seed, b); // c_k = v (the paper's 1)
    let label = one ? '' : 'v';
    for (let i = k; i >= 1; i--) {
      if (i < k) {
        // c_i = W_{i+1}ᵀ · (Σ'_{i+1} ∘ c_{i+1})
        const WT = alg.transpose(net.W.get(i + 1));
        const dS = alg.column(trace.dS.get(i + 1), b);
        const h = alg.hadamard(dS, c, [`Σ'_${i + 1}`, 'c']);
        const prev = c;
        c = alg.matmul(WT, h, [`W_${i + 1}ᵀ`, `Σ'_${i + 1}∘(…)`]);
        const plain = label === '';
        label = plain
          ? `W_{${i + 1}}^T\\cdot\\Sigma'_{${i + 1}}`
          : `W_{${i + 1}}^T\\cdot\\Sigma'_{${i + 1}}\\circ ${label}`;
        record?.({
          layer: i,
          sample: b,
          lhs: label,
          lines: plain
            ? [{ tex: '#0\\cdot #1', operands: [WT, dS] }]
            : [
                { tex: '#0\\cdot\\left(#1\\circ #2\\right)', operands: [WT, dS, prev] },
                { tex: '#0\\cdot #1', operands: [WT, h] },
              ],
          value: c,
        });
      }
      // Σ_{i−1}ᵀ ⊗ Σ'_i
      const ST = alg.transpose(alg.column(trace.S.get(i - 1), b));
      const dSi = alg.column(trace.dS.get(i), b);
      const K = alg.kron(ST, dSi);
      const klabel = `\\Sigma_{${i - 1}}^T\\otimes\\Sigma'_{${i}}`;
      let g: M;
      if (label === '') {
        g = K;
        record?.({
          layer: i,
          sample: b,
          lhs: `\\nabla_{W_{${i}}} f`,
          formula: klabel,
          lines: [{ tex: '#0\\otimes #1', operands: [ST, dSi] }],
          value: g,
        });
      } else {
        record?.({
          layer: i,
          sample: b,
          lhs: klabel,
          lines: [{ tex: '#0\\otimes #1', operands: [ST, dSi] }],
          value: K,
        });
        // … ∘ c_i, the column applied to every column
        g = alg.hadamard(K, alg.kron(alg.ones(1, net.n[i - 1]!), c), [`Σ_${i - 1}ᵀ ⊗ Σ'_${i}`, label]);
        record?.({
          layer: i,
          sample: b,
          lhs: `\\nabla_{W_{${i}}} f`,
          formula: `${klabel}\\circ ${label}`,
          lines: [{ tex: '#0\\circ #1', operands: [K, c] }],
          value: g,
        });
      }
      add(i, g);
    }
  });
  return { gradW };
};
