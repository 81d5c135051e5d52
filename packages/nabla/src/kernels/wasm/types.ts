/**
 * Types of the WASM kernels: the public `WasmKernels` interface and the raw module exports.
 */
import type { Kernels } from '../types.js';
import type { WasmArena } from './memory.js';

export type { WasmMemory } from './memory-types.js';

/** Options of `createWasmKernels`: the relaxed-SIMD build or not, initial memory, threads. */
export interface WasmKernelsOptions {
  /**
   * `true`: the relaxed-SIMD (FMA) build, reject if unavailable; `false`: the plain SIMD build;
   * default: relaxed when available. In Node 20 "available" means after switching on V8's
   * `--experimental-wasm-relaxed-simd` from inside the process (a process-wide side effect).
   */
  relaxed?: boolean;
  /** Bytes the main memory holds for `allocF32` before it first grows (default 16 MiB). */
  initialBytes?: number;
  /**
   * Threads for the large matrix products (the main thread + `threads − 1` workers on a shared memory).
   * `'auto'` (default): 2 when more than one core is available and shared WebAssembly memory works
   * (`SharedArrayBuffer`; a browser page must be cross-origin isolated), else 1 — `threadsNote` says why.
   * `1`: never split (an ordinary, non-shared memory, no worker). `n ≥ 2`: split products above
   * `splitFlops` across n threads; rejects with `UnsupportedError` when shared memory or workers are
   * unavailable. Results are bit-identical to one thread either way.
   */
  threads?: number | 'auto';
}

/** Counters of the threaded matmul (all zero with one thread). */
export interface WasmThreadStats {
  /** matmul calls split across the threads. */
  readonly splitCalls: number;
  /** Chunks of those calls (each a block of rows or columns of the result). */
  readonly chunks: number;
  /** Chunks computed by the workers (the rest by the calling thread). */
  readonly workerChunks: number;
}

/**
 * The `Kernels` contract on WebAssembly SIMD, float32. Float32Array arguments in the module's memory (`allocF32`,
 * `region`) are passed by offset; other Float32Arrays are copied through a private scratch instance (`activation`
 * runs the reference pass on them instead, as fast as the copies). A call with any Float64Array runs the reference
 * kernel (kernels/ref.ts), as the contract requires every member to take every FloatArray.
 */
export interface WasmKernels extends Kernels {
  readonly name: 'wasm-simd' | 'wasm-relaxed';
  /** True for the relaxed-SIMD (FMA) build. */
  readonly relaxed: boolean;
  /**
   * The allocator behind `allocF32` over the module's memory (`arena.memory`): mark/reset for per-batch scratch,
   * `generation` to detect growth.
   */
  readonly arena: WasmArena;
  /**
   * Threads matmul uses (1: never split). Becomes 1 after `close()`, or if a worker dies (then
   * `threadsNote` says why).
   */
  readonly threads: number;
  /** Why fewer threads than asked for (`'auto'`) are in use, e.g. no shared memory; else undefined. */
  readonly threadsNote: string | undefined;
  /**
   * With threads: a matmul may be split only when its 2·rows·inner·cols FLOPs exceed this (default
   * `DEFAULT_SPLIT_FLOPS`, measured in bench/threads.bench.ts); smaller ones run on the calling thread.
   */
  splitFlops: number;

  /** Counters of the threaded matmul. */
  readonly stats: WasmThreadStats;
  /**
   * Stops the worker threads (idempotent); the kernels keep working on the calling thread. Not needed
   * for Node to exit (idle workers are unref'd), but frees the threads.
   */
  close(): Promise<void>;
  /**
   * A zeroed Float32Array in the module's memory: kernels take it without copying. If this allocation
   * grows the memory, arrays from earlier `allocF32` calls are detached (length 0; with threads the
   * memory is shared and they stay valid, but the kernels refuse them alike); `arena.reserve(bytes)` first,
   * or compare `arena.generation` before and after.
   */
  allocF32(length: number): Float32Array;
}

/** The raw exports of asm/kernels.ts (pointers are byte offsets; booleans are 0/1). */
export interface RawExports {
  matmulHadamard(
    out: number,
    a: number,
    b: number,
    h: number,
    rows: number,
    inner: number,
    cols: number,
    tA: number,
    tB: number,
  ): void;
  /** The block rows r0..r1 × cols c0..c1 of `matmulHadamard` (each entry exactly as by the whole call). */
  matmulHadamardPart(
    out: number,
    a: number,
    b: number,
    h: number,
    rows: number,
    inner: number,
    cols: number,
    tA: number,
    tB: number,
    r0: number,
    r1: number,
    c0: number,
    c1: number,
  ): void;
  matmul(
    out: number,
    a: number,
    b: number,
    rows: number,
    inner: number,
    cols: number,
    tA: number,
    tB: number,
    acc: number,
  ): void;
  /** The block rows r0..r1 × cols c0..c1 of `matmul` (same summation order per entry). */
  matmulPart(
    out: number,
    a: number,
    b: number,
    rows: number,
    inner: number,
    cols: number,
    tA: number,
    tB: number,
    acc: number,
    r0: number,
    r1: number,
    c0: number,
    c1: number,
  ): void;
  hadamard(out: number, a: number, b: number, len: number): void;
  hadamardInto(out: number, a: number, len: number): void;
  axpy(y: number, x: number, alpha: number, len: number): void;
  scale(x: number, alpha: number, len: number): void;
  activate(N: number, S: number, dS: number, len: number, id: number): void;
  sgdUpdate(w: number, g: number, v: number, len: number, lr: number, mu: number, wd: number, nesterov: number): void;
  adamUpdate(
    w: number,
    g: number,
    m: number,
    v: number,
    len: number,
    lr: number,
    b1: number,
    b2: number,
    eps: number,
    wd: number,
    step: number,
    decoupled: number,
  ): void;
  softmaxCrossEntropySeed(N: number, Y: number, seed: number, rows: number, B: number): number;
  heapBase(): number;
  gemmWorkspaceBytes(): number;
  setGemmWorkspace(ptr: number): void;
  ACT_COUNT: { value: unknown };
}

/** One instance on its own memory, with the GEMM workspace set up below its arena. */
export interface Bound {
  x: RawExports;
  memory: WebAssembly.Memory;
  arena: WasmArena;
}
