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

/** The names of a product's two operands, for its shape errors (e.g. `['W_2', 'Σ_1']`). */
export type Names = readonly [string, string];

/**
 * The paper's products (·, ∘, •, ⊗, ᵀ, diag) on one kind of matrix: float `Matrix` or exact `RMatrix`. Every
 * form is written once over an algebra.
 */
export interface Algebra<M> {
  /** True for rational arithmetic. */
  readonly exact: boolean;
  /** The matrix product A·B. */
  matmul(A: M, B: M, names?: Names): M;
  /** The entrywise (Hadamard) product A∘B. */
  hadamard(A: M, B: M, names?: Names): M;
  /** A•B = B·A. */
  bullet(A: M, B: M, names?: Names): M;
  /** The Kronecker product A⊗B. */
  kron(A: M, B: M): M;
  /** The transpose Aᵀ. */
  transpose(A: M): M;
  /** The square matrix with the column c on its diagonal (as \hat Σ'_i is made of Σ'_i). */
  diag(c: M, name?: string): M;
  /** The sum A + B. */
  add(A: M, B: M, names?: Names): M;
  /** A rows × cols matrix of ones. */
  ones(rows: number, cols: number): M;
  /** A rows × cols matrix of zeros. */
  zeros(rows: number, cols: number): M;
  /** Column c of A (from 0), as a column matrix. */
  column(A: M, c: number): M;
  /** §3 (a): A with a row of ones appended (the constant-1 input of an affine network). */
  augment(A: M): M;
  /** A's number of rows. */
  rows(A: M): number;
  /** A's number of columns. */
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
  /** The widths n_0 … n_k. */
  readonly n: readonly number[];
  /** The weights W_1 … W_k (W_i is n_i × n_{i−1}). */
  readonly W: Layers<M>;
  /** Σ_i and Σ'_i of layer i, applied entrywise to N_i. */
  activate(
    i: number,
    N: M,
  ): {
    /** Σ_i = σ_i(N_i). */
    S: M;
    /** Σ'_i = σ'_i(N_i). */
    dS: M;
  };
}

/** The forward values, indexed as in the paper (Σ_0 = X). */
export interface AlgebraTrace<M> {
  /** The pre-activations N_1 … N_k (N_i = W_i·Σ_{i−1}). */
  N: Layers<M>;
  /** The activations Σ_0 … Σ_k (Σ_0 = X, Σ_i = σ_i(N_i)). */
  S: Layers<M>;
  /** The derivatives Σ'_1 … Σ'_k (σ'_i at N_i). */
  dS: Layers<M>;
  /** The output f = Σ_k. */
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
  /** ∇_{W_1} f … ∇_{W_k} f, each the shape of W_i. */
  gradW: Layers<M>;
  /** Δ_1 … Δ_{k+1}, when the form computes them. */
  D?: Layers<M>;
  /** ∇_{Σ_0} f … ∇_{Σ_k} f, when the form computes them. */
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
