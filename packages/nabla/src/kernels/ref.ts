/**
 * The reference kernels `refKernels`: every member of `Kernels` as plain, readable TypeScript loops for
 * Float32Array and Float64Array, one concept per file under ref/. They are the specification: the WebAssembly
 * kernels (and any other set) must agree with them, and run them for arguments their fast paths do not take.
 */
import { activation } from './ref/activation.js';
import { hadamard } from './ref/elementwise.js';
import { softmaxCrossEntropySeed } from './ref/loss.js';
import { matmul, matmulHadamard } from './ref/matmul.js';
import { adamUpdate, sgdUpdate } from './ref/optimizer.js';
import type { KernelRegion, Kernels } from './types.js';

/** A "region" of ordinary memory: each array is a new zeroed Float32Array, and releasing frees nothing (the garbage collector does). */
function region(): KernelRegion {
  return {
    alloc: (length) => new Float32Array(length),
    release() {},
  };
}

/** The reference kernels `'ref'`: plain TypeScript, the definition of correct behaviour for every member of `Kernels`. */
export const refKernels: Kernels = {
  name: 'ref',
  matmul,
  matmulHadamard,
  hadamard,
  activation,
  softmaxCrossEntropySeed,
  sgdUpdate,
  adamUpdate,
  region,
};
