/**
 * The reference elementwise kernel: the Hadamard product out = a ∘ b, for Float32Array and Float64Array.
 */
import type { FloatArray } from '../types.js';

/** out[i] = a[i]·b[i] for i < length; `out` may alias `a` or `b`. */
export function hadamard(out: FloatArray, a: FloatArray, b: FloatArray, length: number): void {
  for (let i = 0; i < length; i++) out[i] = a[i]! * b[i]!;
}
