/**
 * The kernel layer: raw functions on typed arrays plus dimensions. They take no objects, never allocate,
 * and assume valid input (the `linalg` layer checks shapes before calling them). Passed around as a value.
 */
import type { FloatArray } from '../linalg/matrix.js';

export interface Kernels {
  readonly name: string;
  /**
   * out (rows×cols) = op(a)·op(b) (+ out when `accumulate`), where op(a) is rows×inner and op(b) is inner×cols;
   * `transA` means a is stored inner×rows, `transB` means b is stored cols×inner. All row-major.
   */
  matmul(
    out: FloatArray,
    a: FloatArray,
    b: FloatArray,
    rows: number,
    inner: number,
    cols: number,
    transA: boolean,
    transB: boolean,
    accumulate: boolean,
  ): void;
  /** out[i] = a[i]·b[i] for i < length. `out` may alias `a` or `b`. */
  hadamard(out: FloatArray, a: FloatArray, b: FloatArray, length: number): void;
}
