// nabla's WebAssembly kernels (float32, SIMD128). Entry point for scripts/build-wasm.mjs, which compiles
// it twice: plain SIMD (mul + add) and relaxed SIMD (f32x4.relaxed_madd, i.e. FMA).
//
// Every export works on byte offsets into the module's (imported) memory and never allocates; the
// TypeScript side (src/kernels/wasm/) owns the memory, checks shapes, and hands out the workspace.
//
// Threads: scripts/build-wasm.mjs also builds both variants against a *shared* imported memory; then one
// instance per thread runs on that memory (src/kernels/wasm/threads.ts), each with its own GEMM workspace
// (`setGemmWorkspace`; the pointers are per-instance globals). Keep it that way: no stack in linear memory
// (the stub runtime and raw pointers need none — there is no __stack_pointer), and no static data that
// `matmul`/`matmulPart` write (active data segments are re-applied when a worker instantiates the module,
// which happens before the kernels are handed out; the constant tables are rewritten with equal bytes).

export { matmul, matmulPart, matmulHadamard, matmulHadamardPart, gemmWorkspaceBytes, setGemmWorkspace } from './gemm';
export {
  ACT_IDENTITY, ACT_RELU, ACT_SIGMOID, ACT_TANH, ACT_LEAKY_RELU, ACT_ELU, ACT_SOFTPLUS, ACT_SILU, ACT_GELU,
  ACT_SIN, ACT_SQUARE, ACT_COUNT, activate, axpy, hadamard, hadamardInto, scale,
} from './elementwise';
export { adamUpdate, sgdUpdate } from './optim';
export { softmaxCrossEntropySeed } from './softmax';

/** First byte after the module's static data: JS may use memory from here on. */
export function heapBase(): usize {
  return __heap_base;
}

/** 1 in the relaxed-SIMD (FMA) build, 0 in the plain SIMD build. */
export const RELAXED: i32 = ASC_FEATURE_RELAXED_SIMD ? 1 : 0;
