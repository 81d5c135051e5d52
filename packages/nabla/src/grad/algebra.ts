/**
 * The algebra the paper's forms are written over: the products ·, ∘, •, ⊗, ᵀ, diag on a matrix type M, as
 * `floatAlgebraOf(dtype)` here and `rationalAlgebra` in exact/. A `Recorder` receives each step (formula,
 * operands, value) for the CLI, the derivations and the explorer; the engines work the same without one.
 */
import { type DType, zeros as fzeros, Matrix, newArray } from '../linalg/matrix.js';
import { add, bullet, diag, hadamard, kron, matmul, transpose } from '../linalg/products.js';
import { augment } from '../net/affine.js';
import { Layers } from '../net/layers.js';
import type { Network } from '../net/network.js';

export type Names = readonly [string, string];

/**
 * The paper's products (·, ∘, •, ⊗, ᵀ, diag) on one kind of matrix: float `Matrix` or exact `RMatrix`. Every
 * form is written once over an algebra.
 */
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
  /** §3 (a): A with a row of ones appended (the constant-1 input of an affine network). */
  augment(A: M): M;
  rows(A: M): number;
  cols(A: M): number;
  /** Entries as float64 numbers. */
  toNumbers(A: M): number[][];
}

const floatAlgebras = new Map<DType, Algebra<Matrix>>();

/** linalg's Matrix in `dtype` (the products keep the dtype of their operands). */
export function floatAlgebraOf(dtype: DType): Algebra<Matrix> {
  let alg = floatAlgebras.get(dtype);
  if (!alg) {
    alg = {
      exact: false,
      matmul: (A, B, names) => matmul(A, B, names ? { names } : {}),
      hadamard: (A, B, names) => hadamard(A, B, names ? { names } : {}),
      bullet: (A, B, names) => bullet(A, B, names ? { names } : {}),
      kron,
      transpose,
      diag: (c, name) => diag(c, name),
      add: (A, B, names) => add(A, B, names),
      ones: (rows, cols) => {
        const m = new Matrix(rows, cols, newArray(dtype, rows * cols));
        m.data.fill(1);
        return m;
      },
      zeros: (rows, cols) => fzeros(rows, cols, dtype),
      column: (A, c) => (A.dtype === dtype ? A : A.as(dtype)).column(c),
      augment,
      rows: (A) => A.rows,
      cols: (A) => A.cols,
      toNumbers: (A) => A.toRows(),
    };
    floatAlgebras.set(dtype, alg);
  }
  return alg;
}

/** float64 on the reference products: the worked decimals of the derivations. */
export const floatAlgebra: Algebra<Matrix> = floatAlgebraOf('float64');

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
  /** The sample (column b of X) this step works on, for the forms that go one sample at a time. */
  sample?: number;
  /** What is computed, in TeX (e.g. `\\Delta_{2}`). */
  lhs: string;
  /** Its formula in the paper's symbols, in TeX, when it has one. */
  formula?: string;
  /** The formula with the matrices substituted, one line per stage of the computation. */
  lines: {
    /** TeX with #0, #1, … standing for the operands. */
    tex: string;
    /** The matrices substituted, in the order of their placeholders. */
    operands: M[];
  }[];
  /** The result. */
  value: M;
}

/** Receives every step an engine computes, in order (what `nabla grad`, `explain` and the explorer print). */
export type Recorder<M> = (step: Step<M>) => void;

/** What a form returns (as `Grads` in types.ts). */
export interface FormResult<M> {
  gradW: Layers<M>;
  D?: Layers<M>;
  gradS?: Layers<M>;
}

/** A gradient form written over any algebra. */
export type AlgebraEngine = <M>(
  alg: Algebra<M>,
  net: AlgebraNet<M>,
  trace: AlgebraTrace<M>,
  seed: M,
  record?: Recorder<M>,
) => FormResult<M>;

/** A float network as an AlgebraNet<Matrix> in its own dtype (the catalog's fused σ, σ' passes). */
export function floatNet(net: Network): AlgebraNet<Matrix> {
  return {
    n: net.n,
    W: net.W,
    activate(i, N) {
      const S = fzeros(N.rows, N.cols, net.dtype);
      const dS = fzeros(N.rows, N.cols, net.dtype);
      net.sigma.get(i).apply(N, S, dS, `Σ_${i}`);
      return { S, dS };
    },
  };
}

/** Sums per-sample gradients into `into` (layer i), starting it when absent. */
export function accumulate<M>(alg: Algebra<M>, into: Layers<M>, i: number, g: M): void {
  into.set(i, into.has(i) ? alg.add(into.get(i), g, [`∇_{W_${i}} f`, `∇_{W_${i}} f`]) : g);
}

/**
 * The frame of the forms that go one sample at a time ((1)/(2), (3), (4), (5)): `body` is called for each sample b
 * and adds each layer's term with `add(i, g)`; the terms are summed over
 * the batch, and a layer no sample reached (B = 0) is zero.
 */
export function sumOverSamples<M>(
  alg: Algebra<M>,
  net: AlgebraNet<M>,
  seed: M,
  body: (b: number, add: (i: number, g: M) => void) => void,
): Layers<M> {
  const gradW = new Layers<M>('∇W', 1, net.n.length - 1);
  const add = (i: number, g: M) => accumulate(alg, gradW, i, g);
  for (let b = 0; b < alg.cols(seed); b++) body(b, add);
  return fillZeros(alg, net, gradW);
}

/** Fills layers no sample reached (an empty batch) with zeros shaped like W_i. */
export function fillZeros<M>(alg: Algebra<M>, net: AlgebraNet<M>, gradW: Layers<M>): Layers<M> {
  for (let i = 1; i < net.n.length; i++) if (!gradW.has(i)) gradW.set(i, alg.zeros(net.n[i]!, net.n[i - 1]!));
  return gradW;
}

export { Layers };
