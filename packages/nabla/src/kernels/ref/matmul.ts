/**
 * The reference products: out = op(a)·op(b) (+ out) and the fused backward step (op(a)·op(b)) ∘ h, in plain loops
 * for Float32Array and Float64Array. Loop orders keep the innermost loop on contiguous memory for each transpose
 * case. Preconditions (shapes, out aliasing none of a, b, h) are the caller's; nothing is checked here.
 */

import type { FloatArray, Kernels } from '../types.js';
import { hadamard } from './elementwise.js';

export const matmul: Kernels['matmul'] = (out, a, b, rows, inner, cols, transA, transB, accumulate) => {
  if (!accumulate) out.fill(0, 0, rows * cols);
  if (!transA && !transB) {
    // out[i,:] += a[i,p] · b[p,:]
    for (let i = 0; i < rows; i++) {
      const oi = i * cols;
      for (let p = 0; p < inner; p++) {
        const aip = a[i * inner + p]!;
        const bp = p * cols;
        for (let j = 0; j < cols; j++) out[oi + j]! += aip * b[bp + j]!;
      }
    }
  } else if (!transA && transB) {
    // out[i,j] += a[i,:] · b[j,:]   (both rows contiguous)
    for (let i = 0; i < rows; i++) {
      const ai = i * inner;
      for (let j = 0; j < cols; j++) {
        const bj = j * inner;
        // one sum in the order of p, as the other cases add: the same floats whichever operand is transposed
        let s = 0;
        for (let p = 0; p < inner; p++) s += a[ai + p]! * b[bj + p]!;
        out[i * cols + j]! += s;
      }
    }
  } else if (transA && !transB) {
    // a stored inner×rows: out[i,:] += a[p,i] · b[p,:]
    for (let p = 0; p < inner; p++) {
      const ap = p * rows;
      const bp = p * cols;
      for (let i = 0; i < rows; i++) {
        const api = a[ap + i]!;
        const oi = i * cols;
        for (let j = 0; j < cols; j++) out[oi + j]! += api * b[bp + j]!;
      }
    }
  } else {
    // a stored inner×rows, b stored cols×inner
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) {
        let s = 0;
        for (let p = 0; p < inner; p++) s += a[p * rows + i]! * b[j * inner + p]!;
        out[i * cols + j]! += s;
      }
    }
  }
};

/** out = (op(a)·op(b)) ∘ h: the product, then one multiplication per entry (so exactly matmul followed by hadamard). */
export function matmulHadamard(
  out: FloatArray,
  a: FloatArray,
  b: FloatArray,
  h: FloatArray,
  rows: number,
  inner: number,
  cols: number,
  transA: boolean,
  transB: boolean,
): void {
  matmul(out, a, b, rows, inner, cols, transA, transB, false);
  hadamard(out, out, h, rows * cols);
}
