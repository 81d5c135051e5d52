/**
 * The rows of an input batch X that the data fill. For the homogeneous form of an affine network (paper §3 (a))
 * every input column ends with the constant 1: that last row is set here, once, and the data fill the rows above.
 */
import { Matrix } from '../linalg/matrix.js';

export function inputView(X: Matrix, affine: boolean): Matrix {
  if (!affine) return X;
  X.data.fill(1, (X.rows - 1) * X.cols);
  return new Matrix(X.rows - 1, X.cols, X.data.subarray(0, (X.rows - 1) * X.cols));
}
