/**
 * `nabla/kernels`: the matrix kernels behind training. `refKernels` (plain TypeScript, the definition of correct
 * behaviour), `createWasmKernels` (WebAssembly SIMD, relaxed FMA where available, optionally two threads) and, in
 * Node, `createNativeKernels` (the optional package nabla-native: AVX-512 or AVX2 + FMA, its own threads).
 * `Model.fit` picks the fastest itself; pass these only to choose.
 */
export type { Kernels, KernelRegion } from './kernels/types.js';
export { refKernels } from './kernels/ref.js';
export * from './kernels/wasm/index.js';
export { createWasmKernels } from './kernels/wasm/index.js';
export { createNativeKernels, nativeIsas, nativeUnavailableReason } from './kernels/native.js';
export type { NativeIsa, NativeKernels, NativeKernelsOptions } from './kernels/native.js';
