/**
 * The native kernel set for Node (the optional package `nabla-native`: AVX-512F or AVX2 + FMA, its own threads) as
 * a `Kernels`: Float32Arrays go to the addon in place; Float64Arrays and non-catalog activations go to the reference
 * kernels. Results equal the WebAssembly relaxed-SIMD kernels' bit for bit. The addon is loaded with `createRequire`,
 * never imported; where it cannot load, `nativeUnavailableReason()` says why.
 */
import { OptionError, UnsupportedError } from '../errors.js';
import { refKernels } from './ref.js';
import type { FloatArray, KernelRegion, Kernels } from './types.js';
import { activationIdOf } from './wasm/activation-ids.js';
import { availableCores, nodeBuiltin } from './wasm/detect.js';
import { DEFAULT_SPLIT_FLOPS, SPLIT_UPDATE_FLOATS } from './wasm/kernels.js';

/** An instruction set of the native kernels. */
export type NativeIsa = 'avx512' | 'avx2';

/** Options of `createNativeKernels`: the instruction set and the threads. */
export interface NativeKernelsOptions {
  /** `'auto'` (default): AVX-512F where the CPU has it, else AVX2 + FMA. Naming one refuses when the CPU lacks it. */
  isa?: NativeIsa | 'auto';
  /** Threads for large products and updates: `'auto'` (default) = the available cores (at most 2 unless asked), or 1–64. */
  threads?: number | 'auto';
}

/** The native kernels: the whole contract, plus which instruction set and threads they use. */
export interface NativeKernels extends Kernels {
  readonly name: 'native-avx512' | 'native-avx2';
  /** The instruction set the kernels run: AVX-512F or AVX2 + FMA. */
  readonly isa: NativeIsa;
  /** Threads the large products and updates are split across. */
  readonly threads: number;
  /** Why fewer threads than asked run (e.g. 'one core available'), if so. */
  readonly threadsNote: string | undefined;
  /** Products of more FLOPs (2·rows·inner·cols) than this are split across the threads. */
  splitFlops: number;
  /** Calls these kernels split across their threads (products above `splitFlops`, updates above SPLIT_UPDATE_FLOATS floats). */
  readonly stats: {
    /** The number of such calls so far. */
    readonly splitCalls: number;
  };
  /** Chunks the pool's worker threads have computed since the process started (all native kernel sets together). */
  workerChunks(): number;
  /** Measures one thread's FMA throughput on vectors of `bits` (128, 256, or 512 with AVX-512F) for `seconds`, GFLOP/s. */
  probeFma(bits: 128 | 256 | 512, seconds: number): number;
  /**
   * The same probe on all of these kernels' threads at once, for `seconds`: their FLOPs together over the wall time,
   * GFLOP/s. Near `threads` × probeFma where each thread has a core of its own; less where they share one.
   */
  probeFmaThreads(bits: 128 | 256 | 512, seconds: number): number;
  /** Nothing to stop (the pool's threads sleep when idle and never keep Node alive); for symmetry with the WASM kernels. */
  close(): Promise<void>;
}

interface Addon {
  matmul(
    isa: number,
    threads: number,
    out: Float32Array,
    a: Float32Array,
    b: Float32Array,
    h: Float32Array | null,
    rows: number,
    inner: number,
    cols: number,
    tA: boolean,
    tB: boolean,
    acc: boolean,
  ): void;
  hadamard(isa: number, out: Float32Array, a: Float32Array, b: Float32Array, length: number): void;
  activate(
    isa: number,
    id: number,
    N: Float32Array,
    S: Float32Array,
    dS: Float32Array,
    start: number,
    end: number,
  ): void;
  softmaxSeed(isa: number, N: Float32Array, Y: Float32Array, seed: Float32Array, rows: number, B: number): number;
  sgd(
    isa: number,
    threads: number,
    w: Float32Array,
    g: Float32Array,
    v: Float32Array | null,
    length: number,
    lr: number,
    momentum: number,
    wd: number,
    nesterov: boolean,
  ): void;
  adam(
    isa: number,
    threads: number,
    w: Float32Array,
    g: Float32Array,
    m: Float32Array,
    v: Float32Array,
    length: number,
    lr: number,
    b1: number,
    b2: number,
    eps: number,
    wd: number,
    step: number,
    decoupled: boolean,
  ): void;
  probe(isa: number, bits: number, seconds: number): number;
  probeThreads(isa: number, bits: number, seconds: number, threads: number): number;
  workerChunks(): number;
  cpu(): { avx512: boolean; avx2: boolean };
}

type Loaded = { addon: Addon; cpu: { avx512: boolean; avx2: boolean } } | { reason: string };
let loaded: Loaded | undefined;

declare const __filename: string | undefined;

/** This module's own location, for resolving `nabla-native` next to the library (ESM and CommonJS builds). */
function here(): string | undefined {
  if (typeof __filename === 'string') return __filename;
  try {
    return import.meta.url;
  } catch {
    return undefined;
  }
}

function load(): Loaded {
  if (loaded) return loaded;
  const mod = nodeBuiltin<{ createRequire(from: string): (id: string) => unknown }>('node:module');
  const from = here();
  if (!mod || !from) {
    loaded = { reason: 'not running in Node (the native kernels are for Node; browsers use WebAssembly)' };
    return loaded;
  }
  let pkg: { load(): Loaded };
  try {
    pkg = mod.createRequire(from)('nabla-native') as { load(): Loaded };
  } catch {
    loaded = { reason: 'the optional package nabla-native is not installed' };
    return loaded;
  }
  loaded = pkg.load();
  return loaded;
}

/** Why the native kernels cannot run here (not Node, not installed, not built, no AVX2), or undefined when they can. */
export function nativeUnavailableReason(): string | undefined {
  const l = load();
  return 'reason' in l ? l.reason : undefined;
}

/** The instruction sets the native kernels can use on this CPU, best first (empty when they cannot run). */
export function nativeIsas(): NativeIsa[] {
  const l = load();
  if ('reason' in l) return [];
  return [...(l.cpu.avx512 ? (['avx512'] as const) : []), ...(l.cpu.avx2 ? (['avx2'] as const) : [])];
}

const MAX_THREADS = 64;
const isF32 = (x: FloatArray): x is Float32Array => x instanceof Float32Array;

/**
 * Creates the native kernels (synchronously). Throws `UnsupportedError` naming why when they cannot run here, or
 * when the instruction set asked for is missing; `OptionError` for a bad option.
 */
export function createNativeKernels(opts: NativeKernelsOptions = {}): NativeKernels {
  const isaAsked = opts.isa ?? 'auto';
  if (isaAsked !== 'auto' && isaAsked !== 'avx512' && isaAsked !== 'avx2') {
    throw new OptionError(
      `createNativeKernels: isa must be 'auto', 'avx512' or 'avx2', got ${JSON.stringify(isaAsked)}`,
    );
  }
  const threadsAsked = opts.threads ?? 'auto';
  if (
    threadsAsked !== 'auto' &&
    !(Number.isInteger(threadsAsked) && threadsAsked >= 1 && threadsAsked <= MAX_THREADS)
  ) {
    throw new OptionError(
      `createNativeKernels: threads must be 'auto' or an integer from 1 to ${MAX_THREADS}, got ${String(threadsAsked)}`,
    );
  }
  const l = load();
  if ('reason' in l) throw new UnsupportedError(`the native kernels are unavailable: ${l.reason}`);
  const isas = nativeIsas();
  const isa: NativeIsa | undefined = isaAsked === 'auto' ? isas[0] : isas.includes(isaAsked) ? isaAsked : undefined;
  if (!isa)
    throw new UnsupportedError(
      `createNativeKernels({ isa: '${isaAsked}' }): this CPU has only ${isas.join(', ') || 'neither AVX-512F nor AVX2 + FMA'}`,
    );
  let threads = threadsAsked === 'auto' ? Math.min(2, availableCores()) : threadsAsked;
  const threadsNote = threadsAsked === 'auto' && threads < 2 ? 'one core available' : undefined;
  threads = Math.max(1, threads);
  return makeNativeKernels(l.addon, isa, threads, threadsNote);
}

function makeNativeKernels(x: Addon, isa: NativeIsa, threads: number, threadsNote: string | undefined): NativeKernels {
  const code = isa === 'avx512' ? 512 : 256;
  const stats = { splitCalls: 0 };
  const kernels: NativeKernels = {
    name: `native-${isa}`,
    isa,
    threads,
    threadsNote,
    splitFlops: DEFAULT_SPLIT_FLOPS,
    matmul(out, a, b, rows, inner, cols, transA, transB, accumulate) {
      if (!(isF32(out) && isF32(a) && isF32(b)))
        return refKernels.matmul(out, a, b, rows, inner, cols, transA, transB, accumulate);
      x.matmul(code, productThreads(rows, inner, cols), out, a, b, null, rows, inner, cols, transA, transB, accumulate);
    },
    hadamard(out, a, b, length) {
      if (!(isF32(out) && isF32(a) && isF32(b))) return refKernels.hadamard(out, a, b, length);
      x.hadamard(code, out, a, b, length);
    },
    matmulHadamard(out, a, b, h, rows, inner, cols, transA, transB) {
      if (!(isF32(out) && isF32(a) && isF32(b) && isF32(h)))
        return refKernels.matmulHadamard(out, a, b, h, rows, inner, cols, transA, transB);
      x.matmul(code, productThreads(rows, inner, cols), out, a, b, h, rows, inner, cols, transA, transB, false);
    },
    activation(name, N, S, dS, start, end) {
      const id = activationIdOf(name);
      if (id === undefined || !(isF32(N) && isF32(S) && isF32(dS)))
        return refKernels.activation(name, N, S, dS, start, end);
      x.activate(code, id, N, S, dS, start, end);
    },
    softmaxCrossEntropySeed(N, Y, seed, rows, B) {
      if (!(isF32(N) && isF32(Y) && isF32(seed))) return refKernels.softmaxCrossEntropySeed(N, Y, seed, rows, B);
      return x.softmaxSeed(code, N, Y, seed, rows, B);
    },
    sgdUpdate(w, g, v, length, lr, momentum, weightDecay, nesterov) {
      if (!(isF32(w) && isF32(g) && isF32(v)))
        return refKernels.sgdUpdate(w, g, v, length, lr, momentum, weightDecay, nesterov);
      x.sgd(code, updateThreads(length), w, g, v, length, lr, momentum, weightDecay, nesterov);
    },
    adamUpdate(w, g, m, v, length, lr, beta1, beta2, eps, weightDecay, step, decoupled) {
      if (!(isF32(w) && isF32(g) && isF32(m) && isF32(v)))
        return refKernels.adamUpdate(w, g, m, v, length, lr, beta1, beta2, eps, weightDecay, step, decoupled);
      x.adam(code, updateThreads(length), w, g, m, v, length, lr, beta1, beta2, eps, weightDecay, step, decoupled);
    },
    region(): KernelRegion {
      // the addon reads any Float32Array in place, so a region is ordinary memory
      return { alloc: (n) => new Float32Array(n), release: () => undefined };
    },
    stats,
    workerChunks: () => x.workerChunks(),
    probeFma: (bits, seconds) => x.probe(code, bits, seconds),
    probeFmaThreads: (bits, seconds) => x.probeThreads(code, bits, seconds, threads),
    close: () => Promise.resolve(),
  };
  function productThreads(rows: number, inner: number, cols: number): number {
    if (threads === 1 || 2 * rows * inner * cols <= kernels.splitFlops) return 1;
    stats.splitCalls++;
    return threads;
  }
  function updateThreads(length: number): number {
    if (threads === 1 || length <= SPLIT_UPDATE_FLOATS) return 1;
    stats.splitCalls++;
    return threads;
  }
  return kernels;
}
