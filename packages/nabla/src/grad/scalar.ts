/**
 * Paper §4, the one-dimensional case (every W_i a number w_i), eq. (1)/(2):
 *   ∇_{w_i} f = σ'_k w_k · σ'_{k−1} w_{k−1} · … · σ'_{i+1} w_{i+1} · σ'_i σ_{i−1}
 * Each product written out in full (1×1 matrices), one sample at a time, summed over the batch.
 */
import { UnsupportedError } from '../errors.js';
import { type AlgebraEngine, sumOverSamples } from './algebra.js';
import { seedIsOne } from './seed.js';

export const scalarForm: AlgebraEngine = (alg, net, trace, seed, record) => {
  if (net.n.some((w) => w !== 1)) {
    throw new UnsupportedError(
      `the scalar form (1)/(2) needs every width to be 1; this network has widths [${net.n.join(', ')}]`,
    );
  }
  const k = net.n.length - 1;
  type M = typeof seed;
  const one = seedIsOne(alg, seed);
  const gradW = sumOverSamples(alg, net, seed, (b, add) => {
    for (let i = k; i >= 1; i--) {
      const factors: M[] = [];
      const names: string[] = [];
      if (!one) {
        factors.push(alg.column(seed, b));
        names.push('v');
      }
      for (let r = k; r > i; r--) {
        factors.push(alg.column(trace.dS.get(r), b), net.W.get(r));
        names.push(`\\sigma'_{${r}}`, `w_{${r}}`);
      }
      factors.push(alg.column(trace.dS.get(i), b), alg.column(trace.S.get(i - 1), b));
      names.push(`\\sigma'_{${i}}`, i === 1 ? 'x' : `\\sigma_{${i - 1}}`);
      let g: M = factors[0]!;
      for (const f of factors.slice(1)) g = alg.matmul(g, f, ['(…)', 'factor']);
      record?.({
        layer: i,
        sample: b,
        lhs: `\\nabla_{w_{${i}}} f`,
        formula: names.join('\\,'),
        lines: [{ tex: factors.map((_, j) => `#${j}`).join('\\cdot '), operands: factors }],
        value: g,
      });
      add(i, g);
    }
  });
  return { gradW };
};
