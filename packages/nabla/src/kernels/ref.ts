/**
 * Reference kernels in plain TypeScript: they define correct behaviour. Loop orders keep the innermost
 * loop on contiguous memory for each transpose case. Preconditions (shapes, no aliasing of out with a or b
 * in matmul) are the caller's; nothing is checked here.
 */
import type { FloatArray } from './types.js';
import type { Kernels } from './types.js';

const matmul: Kernels['matmul'] = (out, a, b, rows, inner, cols, transA, transB, accumulate) => {
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
        let s0 = 0;
        let s1 = 0;
        let p = 0;
        for (; p + 1 < inner; p += 2) {
          s0 += a[ai + p]! * b[bj + p]!;
          s1 += a[ai + p + 1]! * b[bj + p + 1]!;
        }
        if (p < inner) s0 += a[ai + p]! * b[bj + p]!;
        out[i * cols + j]! += s0 + s1;
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

function hadamard(out: FloatArray, a: FloatArray, b: FloatArray, length: number): void {
  for (let i = 0; i < length; i++) out[i] = a[i]! * b[i]!;
}

/** The reference kernels `'ref'`: plain TypeScript `matmul` and `hadamard` for Float32Array and Float64Array, with none of the optional capabilities. */
export const refKernels: Kernels = { name: 'ref', matmul, hadamard };
