/**
 * The paper's computations are written once (forward.ts and one file per gradient form) over an `Algebra`:
 * the products ·, ∘, •, ⊗, ᵀ, diag on some matrix type M. Two algebras:
 *   rationalAlgebra  RMatrix, exact (fraction.js)         → the exact engines and the answer keys
 *   floatAlgebra     linalg's Matrix, float64 reference  → the same worked steps in decimals
 * A `Recorder` receives each step (what is computed, the formula, the operands substituted, the value), which
 * is what the derivation writer (src/teach) prints; the engines work the same without one.
 */
import { ShapeError } from '../errors.js';
import { Matrix, newArray, zeros as fzeros } from '../linalg/matrix.js';
import { add, bullet, diag, hadamard, kron, matmul, transpose } from '../linalg/products.js';
import { Layers } from '../net/layers.js';
import type { Network } from '../net/network.js';
import { RMatrix, rones, rzeros } from './matrix.js';
import type { ExactNetwork } from './network.js';
import { radd, rbullet, rdiag, rhadamard, rkron, rmatmul, rtranspose } from './products.js';

export type Names = readonly [string, string];

export interface Algebra<M> {
  /** True for rational arithmetic. */
  readonly exact: boolean;
  matmul(A: M, B: M, names?: Names): M;
  hadamard(A: M, B: M, names?: Names): M;
  /** A•B = B·A. */
  bullet(A: M, B: M, names?: Names): M;
  kron(A: M, B: M): M;
  transpose(A: M): M;
  diag(c: M, name?: string): M;
  add(A: M, B: M, names?: Names): M;
  ones(rows: number, cols: number): M;
  zeros(rows: number, cols: number): M;
  column(A: M, c: number): M;
  rows(A: M): number;
  cols(A: M): number;
  /** Entries as float64 numbers. */
  toNumbers(A: M): number[][];
}

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
  rows: (A) => A.rows,
  cols: (A) => A.cols,
  toNumbers: (A) => A.toNumbers(),
};

/** float64 on the reference kernels (linalg's checked products). */
export const floatAlgebra: Algebra<Matrix> = {
  exact: false,
  matmul: (A, B, names) => matmul(A, B, names ? { names } : {}),
  hadamard: (A, B, names) => hadamard(A, B, names ? { names } : {}),
  bullet: (A, B, names) => bullet(A, B, names ? { names } : {}),
  kron,
  transpose,
  diag: (c, name) => diag(c, name),
  add: (A, B, names) => add(A, B, names),
  ones: (rows, cols) => {
    const m = new Matrix(rows, cols, newArray('float64', rows * cols));
    m.data.fill(1);
    return m;
  },
  zeros: (rows, cols) => fzeros(rows, cols),
  column: (A, c) => A.as('float64').column(c),
  rows: (A) => A.rows,
  cols: (A) => A.cols,
  toNumbers: (A) => A.toRows(),
};

/** A network as the computations see it: widths, weights, and Σ_i(N), Σ'_i(N) for layer i. */
export interface AlgebraNet<M> {
  readonly n: readonly number[];
  readonly W: Layers<M>;
  activate(i: number, N: M): { S: M; dS: M };
}

/** The forward values, indexed as in the paper (Σ_0 = X). */
export interface AlgebraTrace<M> {
  N: Layers<M>;
  S: Layers<M>;
  dS: Layers<M>;
  f: M;
}

/** One worked step: `lhs = formula = line_1 = … = value`; a line is TeX with #0, #1, … standing for its operands. */
export interface Step<M> {
  /** The layer i whose ∇_{W_i} f this step serves (forms that build each gradient separately). */
  layer?: number;
  lhs: string;
  formula?: string;
  lines: { tex: string; operands: M[] }[];
  value: M;
}

export type Recorder<M> = (step: Step<M>) => void;

/** What a form returns (as src/grad's `Grads`). */
export interface FormResult<M> {
  gradW: Layers<M>;
  D?: Layers<M>;
  gradS?: Layers<M>;
}

/** A gradient form written over any algebra. */
export type AlgebraEngine = <M>(alg: Algebra<M>, net: AlgebraNet<M>, trace: AlgebraTrace<M>, seed: M, record?: Recorder<M>) => FormResult<M>;

/** The exact network as an AlgebraNet<RMatrix> (row j of N_i goes through σ_ij). */
export function exactNet(net: ExactNetwork): AlgebraNet<RMatrix> {
  return {
    n: net.n,
    W: net.W,
    activate(i, N) {
      const col = net.sigma.get(i);
      if (N.rows !== col.length) throw new ShapeError(`Σ_${i}(N_${i}): the column has ${col.length} activations but N_${i} is ${N.shape}`);
      const S = N.data.map((x, e) => col[Math.floor(e / N.cols)]!.sigma(x));
      const dS = N.data.map((x, e) => col[Math.floor(e / N.cols)]!.dsigma(x));
      return { S: new RMatrix(N.rows, N.cols, S), dS: new RMatrix(N.rows, N.cols, dS) };
    },
  };
}

/** The float64 network as an AlgebraNet<Matrix> (the catalog's fused σ, σ' passes). */
export function floatNet(net: Network): AlgebraNet<Matrix> {
  const n64 = net.dtype === 'float64' ? net : net.as('float64');
  return {
    n: n64.n,
    W: n64.W,
    activate(i, N) {
      const S = fzeros(N.rows, N.cols);
      const dS = fzeros(N.rows, N.cols);
      n64.sigma.get(i).apply(N, S, dS, `Σ_${i}`);
      return { S, dS };
    },
  };
}

/** Sums per-sample gradients into `into` (layer i), starting it when absent. */
export function accumulate<M>(alg: Algebra<M>, into: Layers<M>, i: number, g: M): void {
  into.set(i, into.has(i) ? alg.add(into.get(i), g, [`∇_{W_${i}} f`, `∇_{W_${i}} f`]) : g);
}

/** Fills layers no sample reached (an empty batch) with zeros shaped like W_i. */
export function fillZeros<M>(alg: Algebra<M>, net: AlgebraNet<M>, gradW: Layers<M>): Layers<M> {
  for (let i = 1; i < net.n.length; i++) if (!gradW.has(i)) gradW.set(i, alg.zeros(net.n[i]!, net.n[i - 1]!));
  return gradW;
}

export { Layers };
