/**
 * The reference kernels `refKernels`: plain, readable TypeScript loops for Float32Array and Float64Array, one
 * concept per file under ref/. They are the specification: the WebAssembly kernels must agree with them.
 */
import { hadamard } from './ref/elementwise.js';
import { matmul } from './ref/matmul.js';
import type { Kernels } from './types.js';

/** The reference kernels `'ref'`: plain TypeScript, the definition of correct behaviour. */
export const refKernels: Kernels = {
  name: 'ref',
  matmul,
  hadamard,
};
