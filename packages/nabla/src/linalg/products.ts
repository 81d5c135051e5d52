/**
 * The paper's products on checked matrices: `A·B` (matmul), `A∘B` (hadamard), `A•B = B·A` (bullet),
 * `A⊗B` (kron), transpose, and `\hat Σ'` (diag). Each checks shapes, names the operands in its error
 * message, then calls the kernels it was given (the reference kernels by default).
 */
import { ShapeError } from '../errors.js';
import { refKernels } from '../kernels/ref.js';
import type { Kernels } from '../kernels/types.js';
import { Matrix, newArray } from './matrix.js';

/** Options of every product: operand names, an output matrix, the kernels. */
export interface ProductOptions {
  /** Symbols for the operands in error messages, e.g. `['W_3', 'Σ_2']`. */
  names?: readonly [string, string];
  /** Write the result here instead of allocating (must have the result's shape and not alias an operand). */
  out?: Matrix;
  /** Kernels to compute with; defaults to the reference kernels. */
  kernels?: Kernels;
}

/** Options of `matmul`: those of every product, transposed operands and accumulation. */
export interface MatmulOptions extends ProductOptions {
  /** Use Aᵀ in place of A (without materialising it). */
  transA?: boolean;
  /** Use Bᵀ in place of B. */
  transB?: boolean;
  /** Add the product to `out` instead of overwriting it. */
  accumulate?: boolean;
}

function label(names: readonly [string, string] | undefined, fallback: [string, string]): [string, string] {
  return names ? [names[0], names[1]] : fallback;
}

function checkOut(out: Matrix | undefined, rows: number, cols: number, op: string, like: Matrix): Matrix {
  if (out === undefined) return new Matrix(rows, cols, newArray(like.dtype, rows * cols));
  if (out.rows !== rows || out.cols !== cols)
    throw new ShapeError(`${op}: the output matrix is ${out.shape}, expected ${rows}×${cols}`);
  return out;
}

/** The operands' symbols for a message, with ᵀ where transposed (built only when a check fails). */
function symbolsOf(opts: MatmulOptions): [string, string] {
  const [a, b] = label(opts.names, ['A', 'B']);
  return [opts.transA ? `${a}ᵀ` : a, opts.transB ? `${b}ᵀ` : b];
}

/**
 * A·B, the usual column-by-row product (with optional transposes: Aᵀ·B, A·Bᵀ, Aᵀ·Bᵀ). With `out`, the happy
 * path allocates nothing (messages are built only on failure), so a training step can call it freely.
 */
export function matmul(A: Matrix, B: Matrix, opts: MatmulOptions = {}): Matrix {
  const tA = opts.transA ?? false;
  const tB = opts.transB ?? false;
  const rows = tA ? A.cols : A.rows;
  const cols = tB ? B.rows : B.cols;
  const inner = innerOf(A, B, tA, tB, rows, cols, opts);
  const out = productOut(A, rows, cols, opts);
  (opts.kernels ?? refKernels).matmul(out.data, A.data, B.data, rows, inner, cols, tA, tB, opts.accumulate ?? false);
  return out;
}

/** The inner dimension of op(A)·op(B); throws `ShapeError` naming the symbols when op(B) does not fit. */
function innerOf(
  A: Matrix,
  B: Matrix,
  tA: boolean,
  tB: boolean,
  rows: number,
  cols: number,
  opts: MatmulOptions,
): number {
  const inner = tA ? A.rows : A.cols;
  const innerB = tB ? B.cols : B.rows;
  if (inner !== innerB) {
    const [sa, sb] = symbolsOf(opts);
    throw new ShapeError(
      `${sa} · ${sb}: ${sa} is ${rows}×${inner} but ${sb} is ${innerB}×${cols}; expected ${sb} to have ${inner} rows`,
    );
  }
  return inner;
}

/** The rows × cols matrix a product goes into: `opts.out` when given (checked), else a new one. */
function productOut(A: Matrix, rows: number, cols: number, opts: MatmulOptions): Matrix {
  return opts.out === undefined || (opts.out.rows === rows && opts.out.cols === cols)
    ? checkOut(opts.out, rows, cols, '', A)
    : checkOut(opts.out, rows, cols, symbolsOf(opts).join(' · '), A);
}

/** The options of `matmulHadamard`: those of `matmul` but `accumulate` (the kernel overwrites out). */
export interface MatmulHadamardOptions extends Omit<MatmulOptions, 'accumulate'> {
  /** The symbol of H in error messages, e.g. "Σ'_2". */
  hName?: string;
}

/**
 * (A·B) ∘ H in one call (`Kernels.matmulHadamard`: exactly the product followed by ∘ H, which faster kernels fuse
 * into one pass). `out` must not alias A, B or H.
 */
export function matmulHadamard(A: Matrix, B: Matrix, H: Matrix, opts: MatmulHadamardOptions = {}): Matrix {
  const tA = opts.transA ?? false;
  const tB = opts.transB ?? false;
  const rows = tA ? A.cols : A.rows;
  const cols = tB ? B.rows : B.cols;
  if (H.rows !== rows || H.cols !== cols) {
    const [sa, sb] = symbolsOf(opts);
    const h = opts.hName ?? 'H';
    throw new ShapeError(
      `(${sa} · ${sb}) ∘ ${h}: ${sa} · ${sb} is ${rows}×${cols} but ${h} is ${H.shape}; expected the same shape`,
    );
  }
  const inner = innerOf(A, B, tA, tB, rows, cols, opts);
  const out = productOut(A, rows, cols, opts);
  (opts.kernels ?? refKernels).matmulHadamard(out.data, A.data, B.data, H.data, rows, inner, cols, tA, tB);
  return out;
}

/** Aᵀ·B without materialising Aᵀ. */
export function matmulTN(A: Matrix, B: Matrix, opts: ProductOptions = {}): Matrix {
  return matmul(A, B, { ...opts, transA: true });
}

/** A·Bᵀ without materialising Bᵀ. */
export function matmulNT(A: Matrix, B: Matrix, opts: ProductOptions = {}): Matrix {
  return matmul(A, B, { ...opts, transB: true });
}

/** The "inverted" product of the paper, A•B = B·A (A a column, B a matrix). */
export function bullet(A: Matrix, B: Matrix, opts: ProductOptions = {}): Matrix {
  const [a, b] = label(opts.names, ['A', 'B']);
  try {
    return matmul(B, A, { ...opts, names: [b, a] });
  } catch (e) {
    if (e instanceof ShapeError && A.rows !== B.cols) {
      throw new ShapeError(
        `${a} • ${b} (= ${b} · ${a}): ${b} is ${B.shape} but ${a} is ${A.shape}; expected ${a} to have ${B.cols} rows`,
      );
    }
    throw e;
  }
}

/** A∘B, the Hadamard (entrywise) product of matrices of the same shape. */
export function hadamard(A: Matrix, B: Matrix, opts: ProductOptions = {}): Matrix {
  if (A.rows !== B.rows || A.cols !== B.cols) {
    const [a, b] = label(opts.names, ['A', 'B']);
    throw new ShapeError(`${a} ∘ ${b}: ${a} is ${A.shape} but ${b} is ${B.shape}; expected the same shape`);
  }
  const out = opts.out ?? new Matrix(A.rows, A.cols, newArray(A.dtype, A.data.length));
  if (out.rows !== A.rows || out.cols !== A.cols) {
    const [a, b] = label(opts.names, ['A', 'B']);
    throw new ShapeError(`${a} ∘ ${b}: the output matrix is ${out.shape}, expected ${A.shape}`);
  }
  (opts.kernels ?? refKernels).hadamard(out.data, A.data, B.data, A.data.length);
  return out;
}

/** A⊗B, the Kronecker product: the (p·r)×(q·s) block matrix [a_ij·B]. For a row A and a column B it is the outer product B·A. */
export function kron(A: Matrix, B: Matrix): Matrix {
  const p = A.rows;
  const q = A.cols;
  const r = B.rows;
  const s = B.cols;
  const cols = q * s;
  const out = new Matrix(p * r, cols, newArray(A.dtype, p * r * cols));
  for (let i = 0; i < p; i++) {
    for (let j = 0; j < q; j++) {
      const aij = A.data[i * q + j]!;
      for (let u = 0; u < r; u++) {
        const o = (i * r + u) * cols + j * s;
        for (let v = 0; v < s; v++) out.data[o + v] = aij * B.data[u * s + v]!;
      }
    }
  }
  return out;
}

/** Aᵀ. */
export function transpose(A: Matrix): Matrix {
  const out = new Matrix(A.cols, A.rows, newArray(A.dtype, A.data.length));
  for (let i = 0; i < A.rows; i++) for (let j = 0; j < A.cols; j++) out.data[j * A.rows + i] = A.data[i * A.cols + j]!;
  return out;
}

/** \hat Σ': the square diagonal matrix whose diagonal is the column `c` (n×1 → n×n). */
export function diag(c: Matrix, name = "Σ'"): Matrix {
  if (c.cols !== 1) throw new ShapeError(`diag(${name}): ${name} is ${c.shape}, expected a column (n×1)`);
  const n = c.rows;
  const out = new Matrix(n, n, newArray(c.dtype, n * n));
  for (let i = 0; i < n; i++) out.data[i * n + i] = c.data[i]!;
  return out;
}

/** The outer product of column a and column b: a·bᵀ (= bᵀ ⊗ a). */
export function outer(a: Matrix, b: Matrix): Matrix {
  if (a.cols !== 1 || b.cols !== 1)
    throw new ShapeError(`outer(a, b): expected two columns, found ${a.shape} and ${b.shape}`);
  return matmul(a, b, { transB: true });
}

/** A + B (same shape). */
export function add(A: Matrix, B: Matrix, names: readonly [string, string] = ['A', 'B']): Matrix {
  if (A.rows !== B.rows || A.cols !== B.cols) {
    throw new ShapeError(
      `${names[0]} + ${names[1]}: ${names[0]} is ${A.shape} but ${names[1]} is ${B.shape}; expected the same shape`,
    );
  }
  const out = A.clone();
  for (let i = 0; i < out.data.length; i++) out.data[i]! += B.data[i]!;
  return out;
}

/** s·A. */
export function scale(A: Matrix, s: number): Matrix {
  const out = A.clone();
  for (let i = 0; i < out.data.length; i++) out.data[i]! *= s;
  return out;
}

/** The sum of the columns of A (n×B → n×1). */
export function sumColumns(A: Matrix): Matrix {
  const out = new Matrix(A.rows, 1, newArray(A.dtype, A.rows));
  for (let i = 0; i < A.rows; i++) {
    let s = 0;
    for (let j = 0; j < A.cols; j++) s += A.data[i * A.cols + j]!;
    out.data[i] = s;
  }
  return out;
}
