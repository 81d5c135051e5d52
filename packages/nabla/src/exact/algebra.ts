/**
 * The rational instance of the paper's algebra (grad/algebra.ts): RMatrix, exact (fraction.js), for the exact
 * engines and the answer keys; and the exact network as the engines see it.
 */
import { ShapeError } from '../errors.js';
import type { Algebra, AlgebraNet } from '../grad/algebra.js';
import { RMatrix, rones, rzeros } from './matrix.js';
import type { ExactNetwork } from './network.js';
import { radd, rbullet, rdiag, rhadamard, rkron, rmatmul, rtranspose } from './products.js';
import { checkDigits } from './rational.js';

export type {
  Algebra,
  AlgebraEngine,
  AlgebraNet,
  AlgebraTrace,
  FormResult,
  Names,
  Recorder,
  Step,
} from '../grad/algebra.js';
export { accumulate, fillZeros, floatAlgebra, floatAlgebraOf, floatNet, Layers } from '../grad/algebra.js';

export const rationalAlgebra: Algebra<RMatrix> = {
  exact: true,
  matmul: (A, B, names) => rmatmul(A, B, names),
  hadamard: (A, B, names) => rhadamard(A, B, names),
  bullet: (A, B, names) => rbullet(A, B, names),
  kron: rkron,
  transpose: rtranspose,
  diag: (c, name) => rdiag(c, name),
  add: (A, B, names) => radd(A, B, names),
  ones: rones,
  zeros: rzeros,
  column: (A, c) => A.column(c),
  augment: (A) => new RMatrix(A.rows + 1, A.cols, [...A.data, ...rones(1, A.cols).data]),
  rows: (A) => A.rows,
  cols: (A) => A.cols,
  toNumbers: (A) => A.toNumbers(),
};

/** The exact network as an AlgebraNet<RMatrix> (row j of N_i goes through σ_ij). */
export function exactNet(net: ExactNetwork): AlgebraNet<RMatrix> {
  return {
    n: net.n,
    W: net.W,
    activate(i, N) {
      const col = net.sigma.get(i);
      if (N.rows !== col.length)
        throw new ShapeError(`Σ_${i}(N_${i}): the column has ${col.length} activations but N_${i} is ${N.shape}`);
      const S = N.data.map((x, e) => col[Math.floor(e / N.cols)]!.sigma(x));
      const dS = N.data.map((x, e) => col[Math.floor(e / N.cols)]!.dsigma(x));
      // the digits multiply layer by layer (square doubles them): refuse before they grow without bound
      S.forEach((x, e) => checkDigits(x, `Σ_${i}, row ${Math.floor(e / N.cols) + 1}`));
      dS.forEach((x, e) => checkDigits(x, `Σ'_${i}, row ${Math.floor(e / N.cols) + 1}`));
      return { S: new RMatrix(N.rows, N.cols, S), dS: new RMatrix(N.rows, N.cols, dS) };
    },
  };
}
