/** The memory the WebAssembly arena (memory.ts) and the kernels' types (types.ts) share. */

/**
 * The part of a `WebAssembly.Memory` the kernels expose (declared here so that the types need no DOM library).
 */
export interface WasmMemory {
  /** The memory's bytes (a new buffer after each growth). */
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
  /** Grows the memory by `delta` pages of 64 KiB; returns the previous size in pages. */
  grow(delta: number): number;
}
