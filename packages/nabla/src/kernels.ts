/**
 * `nabla/kernels`: the matrix kernels behind training. `refKernels` (plain TypeScript, the definition of correct
 * behaviour) and `createWasmKernels` (WebAssembly SIMD, relaxed FMA where available, optionally two threads).
 * `Model.fit` picks the fastest itself; pass these only to choose.
 */
export type { Kernels, KernelRegion } from './kernels/types.js';
export { refKernels } from './kernels/ref.js';
export * from './kernels/wasm/index.js';
export { createWasmKernels } from './kernels/wasm/index.js';
