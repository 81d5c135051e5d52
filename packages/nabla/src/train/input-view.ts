/**
 * The rows of an input batch X that the data fill. For the homogeneous form of an affine network (paper §3 (a))
 * every input column ends with the constant 1: that last row is set here, once, and the data fill the rows above.
 * (`setConstantColumn` does the same for a batch held as Xᵀ.)
 */
import { Matrix } from '../linalg/matrix.js';

export function inputView(X: Matrix, affine: boolean): Matrix {
  if (!affine) return X;
  X.data.fill(1, (X.rows - 1) * X.cols);
  return new Matrix(X.rows - 1, X.cols, X.data.subarray(0, (X.rows - 1) * X.cols));
}

/**
 * The same for a batch held as Xᵀ (one row per sample, B × n_0, for a forward pass with `inputRows`): the constant
 * 1 is the last column of every row; the data fill the columns before it.
 */
export function setConstantColumn(Xt: Matrix, affine: boolean): void {
  if (!affine) return;
  const n = Xt.cols;
  for (let s = 0; s < Xt.rows; s++) Xt.data[s * n + n - 1] = 1;
}
