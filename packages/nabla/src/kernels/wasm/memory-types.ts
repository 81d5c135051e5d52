/** The memory the WebAssembly arena (memory.ts) and the kernels' types (types.ts) share. */

/**
 * The part of a `WebAssembly.Memory` the kernels expose (declared here so that the types need no DOM library).
 */
export interface WasmMemory {
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
  grow(delta: number): number;
}
