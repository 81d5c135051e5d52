/**
 * Paper §5, Remark 6, eq. (5), the diagonal-matrix form, with \hat Σ'_i = diag(Σ'_i):
 *   ∇_{W_i} f = Σ_{i−1}ᵀ ⊗ (\hat Σ'_i · W_{i+1}ᵀ · \hat Σ'_{i+1} · … · W_kᵀ · \hat Σ'_k)
 * Only ordinary and Kronecker products; for n_k > 1 the bracket is multiplied by v (the paper's 1).
 * One sample at a time, summed over the batch.
 */
import { Layers } from '../net/layers.js';
import { type AlgebraEngine, sumOverSamples } from './algebra.js';
import { seedIsOne } from './seed.js';

export const diagonalForm: AlgebraEngine = (alg, net, trace, seed, record) => {
  const k = net.n.length - 1;
  type M = typeof seed;
  const one = seedIsOne(alg, seed);
  const hat = (r: number) => `\\widehat{\\Sigma}'_{${r}}`;
  const gradW = sumOverSamples(alg, net, seed, (b, add) => {
    const H = new Layers<M>("Σ̂'", 1, k);
    for (let r = 1; r <= k; r++) {
      const dS = alg.column(trace.dS.get(r), b);
      H.set(r, alg.diag(dS, `Σ'_${r}`));
      record?.({
        sample: b,
        lhs: hat(r),
        formula: `\\mathrm{diag}(\\Sigma'_{${r}})`,
        lines: [{ tex: '\\mathrm{diag}\\left(#0\\right)', operands: [dS] }],
        value: H.get(r),
      });
    }
    for (let i = k; i >= 1; i--) {
      // \hat Σ'_i · W_{i+1}ᵀ · \hat Σ'_{i+1} · … · W_kᵀ · \hat Σ'_k, multiplied left to right
      const factors: M[] = [H.get(i)];
      const names: string[] = [hat(i)];
      for (let r = i + 1; r <= k; r++) {
        factors.push(alg.transpose(net.W.get(r)), H.get(r));
        names.push(`W_{${r}}^T`, hat(r));
      }
      let label = names.join('\\cdot ');
      let prod: M = factors[0]!;
      if (factors.length > 1) {
        const lines: { tex: string; operands: M[] }[] = [];
        const rest = factors.slice(1);
        lines.push({ tex: factors.map((_, j) => `#${j}`).join('\\cdot '), operands: [...factors] });
        while (rest.length > 0) {
          prod = alg.matmul(prod, rest.shift()!, ['(…)', 'factor']);
          if (rest.length > 0)
            lines.push({ tex: [prod, ...rest].map((_, j) => `#${j}`).join('\\cdot '), operands: [prod, ...rest] });
        }
        record?.({ layer: i, sample: b, lhs: label, lines, value: prod });
      }
      let bracket: M = prod;
      if (!one) {
        const v = alg.column(seed, b);
        bracket = alg.matmul(prod, v, ['(…)', 'v']);
        label = `(${label})\\cdot v`;
        record?.({
          layer: i,
          sample: b,
          lhs: label,
          lines: [{ tex: '#0\\cdot #1', operands: [prod, v] }],
          value: bracket,
        });
      }
      const ST = alg.transpose(alg.column(trace.S.get(i - 1), b));
      const g = alg.kron(ST, bracket);
      const inner = factors.length > 1 || !one ? `(${label})` : label;
      record?.({
        layer: i,
        sample: b,
        lhs: `\\nabla_{W_{${i}}} f`,
        formula: `\\Sigma_{${i - 1}}^T\\otimes ${inner}`,
        lines: [{ tex: '#0\\otimes #1', operands: [ST, bracket] }],
        value: g,
      });
      add(i, g);
    }
  });
  return { gradW };
};
