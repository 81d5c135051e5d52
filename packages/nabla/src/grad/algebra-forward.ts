/**
 * The forward pass (paper §2) over any algebra: N_1 = W_1·X, N_{i+1} = W_{i+1}·Σ_i(N_i), f = Σ_k(N_k),
 * recording N_i, Σ_i = Σ_i(N_i) and Σ'_i = Σ'_i(N_i) with the paper's indices (Σ_0 = X).
 */
import { ShapeError } from '../errors.js';
import { Layers } from '../net/layers.js';
import type { Algebra, AlgebraNet, AlgebraTrace, Recorder } from './algebra.js';

export function algebraForward<M>(alg: Algebra<M>, net: AlgebraNet<M>, X: M, record?: Recorder<M>): AlgebraTrace<M> {
  const k = net.n.length - 1;
  if (alg.rows(X) !== net.n[0]) {
    throw new ShapeError(
      `W_1 · X: W_1 is ${net.n[1]}×${net.n[0]} but X is ${alg.rows(X)}×${alg.cols(X)}; expected X to have n_0 = ${net.n[0]} rows (one column per sample)`,
    );
  }
  const N = new Layers<M>('N', 1, k);
  const S = new Layers<M>('Σ', 0, k);
  const dS = new Layers<M>("Σ'", 1, k);
  S.set(0, X);
  for (let i = 1; i <= k; i++) {
    // N_i = W_i · Σ_{i−1}
    const Wi = net.W.get(i);
    const Sprev = S.get(i - 1);
    const Ni = alg.matmul(Wi, Sprev, [`W_${i}`, `Σ_${i - 1}`]);
    N.set(i, Ni);
    record?.({
      lhs: `N_{${i}}`,
      formula: `W_{${i}}\\cdot\\Sigma_{${i - 1}}`,
      lines: [{ tex: '#0\\cdot #1', operands: [Wi, Sprev] }],
      value: Ni,
    });
    // Σ_i(N_i), Σ'_i(N_i)
    const a = net.activate(i, Ni);
    S.set(i, a.S);
    dS.set(i, a.dS);
    record?.({
      lhs: `\\Sigma_{${i}}`,
      formula: `\\Sigma_{${i}}(N_{${i}})`,
      lines: [{ tex: `\\Sigma_{${i}}\\left(#0\\right)`, operands: [Ni] }],
      value: a.S,
    });
    record?.({
      lhs: `\\Sigma'_{${i}}`,
      formula: `\\Sigma'_{${i}}(N_{${i}})`,
      lines: [{ tex: `\\Sigma'_{${i}}\\left(#0\\right)`, operands: [Ni] }],
      value: a.dS,
    });
  }
  return { N, S, dS, f: S.get(k) };
}
