/**
 * The paper's products on rational matrices, with the same names and messages as src/linalg/products.ts:
 * `A·B` (matmul), `A∘B` (hadamard), `A•B = B·A` (bullet), `A⊗B` (kron), `Aᵀ` (transpose), `\hat Σ'` (diag).
 */
import { ShapeError } from '../errors.js';
import type { Names } from '../grad/algebra.js';
import { RMatrix } from './matrix.js';
import { Fraction, type Rational } from './rational.js';

/** A·B. */
export function rmatmul(A: RMatrix, B: RMatrix, names: Names = ['A', 'B']): RMatrix {
  if (A.cols !== B.rows) {
    throw new ShapeError(
      `${names[0]} · ${names[1]}: ${names[0]} is ${A.shape} but ${names[1]} is ${B.shape}; expected ${names[1]} to have ${A.cols} rows`,
    );
  }
  const out: Rational[] = [];
  for (let i = 0; i < A.rows; i++) {
    for (let j = 0; j < B.cols; j++) {
      let s = new Fraction(0);
      for (let p = 0; p < A.cols; p++) s = s.add(A.data[i * A.cols + p]!.mul(B.data[p * B.cols + j]!));
      out.push(s);
    }
  }
  return new RMatrix(A.rows, B.cols, out);
}

/** A∘B (same shape). */
export function rhadamard(A: RMatrix, B: RMatrix, names: Names = ['A', 'B']): RMatrix {
  if (A.rows !== B.rows || A.cols !== B.cols) {
    throw new ShapeError(
      `${names[0]} ∘ ${names[1]}: ${names[0]} is ${A.shape} but ${names[1]} is ${B.shape}; expected the same shape`,
    );
  }
  return new RMatrix(
    A.rows,
    A.cols,
    A.data.map((a, i) => a.mul(B.data[i]!)),
  );
}

/** A•B = B·A (A a column, B a matrix). */
export function rbullet(A: RMatrix, B: RMatrix, names: Names = ['A', 'B']): RMatrix {
  if (B.cols !== A.rows) {
    throw new ShapeError(
      `${names[0]} • ${names[1]} (= ${names[1]} · ${names[0]}): ${names[1]} is ${B.shape} but ` +
        `${names[0]} is ${A.shape}; expected ${names[0]} to have ${B.cols} rows`,
    );
  }
  return rmatmul(B, A, [names[1], names[0]]);
}

/** A⊗B, the Kronecker product [a_ij·B]. */
export function rkron(A: RMatrix, B: RMatrix): RMatrix {
  const rows = A.rows * B.rows;
  const cols = A.cols * B.cols;
  const out = new Array<Rational>(rows * cols);
  for (let i = 0; i < A.rows; i++) {
    for (let j = 0; j < A.cols; j++) {
      const a = A.data[i * A.cols + j]!;
      for (let u = 0; u < B.rows; u++) {
        for (let v = 0; v < B.cols; v++) out[(i * B.rows + u) * cols + j * B.cols + v] = a.mul(B.data[u * B.cols + v]!);
      }
    }
  }
  return new RMatrix(rows, cols, out);
}

/** Aᵀ. */
export function rtranspose(A: RMatrix): RMatrix {
  const out = new Array<Rational>(A.data.length);
  for (let i = 0; i < A.rows; i++) for (let j = 0; j < A.cols; j++) out[j * A.rows + i] = A.data[i * A.cols + j]!;
  return new RMatrix(A.cols, A.rows, out);
}

/** \hat Σ': the diagonal matrix of a column. */
export function rdiag(c: RMatrix, name = "Σ'"): RMatrix {
  if (c.cols !== 1) throw new ShapeError(`diag(${name}): ${name} is ${c.shape}, expected a column (n×1)`);
  const n = c.rows;
  const out = new Array<Rational>(n * n).fill(new Fraction(0));
  for (let i = 0; i < n; i++) out[i * n + i] = c.data[i]!;
  return new RMatrix(n, n, out);
}

/** A + B. */
export function radd(A: RMatrix, B: RMatrix, names: Names = ['A', 'B']): RMatrix {
  if (A.rows !== B.rows || A.cols !== B.cols) {
    throw new ShapeError(
      `${names[0]} + ${names[1]}: ${names[0]} is ${A.shape} but ${names[1]} is ${B.shape}; expected the same shape`,
    );
  }
  return new RMatrix(
    A.rows,
    A.cols,
    A.data.map((a, i) => a.add(B.data[i]!)),
  );
}

/** s·A. */
export function rscale(A: RMatrix, s: Rational): RMatrix {
  return new RMatrix(
    A.rows,
    A.cols,
    A.data.map((a) => a.mul(s)),
  );
}
