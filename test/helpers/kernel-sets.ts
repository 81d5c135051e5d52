// Every kernel set the tests run, in one list: the conformance suite (test/kernels.conformance.test.ts) runs each
// member of `Kernels` on each of these. A set that cannot run here (no WebAssembly SIMD, no relaxed SIMD, no shared
// memory for threads) stays in the list with the reason in `unavailable`; the suite skips it and prints the reason.
// The native sets (packages/native) run where `npm ci` built them: each instruction set the CPU has, on one thread,
// and the widest on two threads.

import {
  createNativeKernels,
  type NativeIsa,
  nativeIsas,
  nativeUnavailableReason,
} from '../../packages/nabla/src/kernels/native.js';
import { refKernels } from '../../packages/nabla/src/kernels/ref.js';
import type { Kernels } from '../../packages/nabla/src/kernels/types.js';
import {
  createWasmKernels,
  enableRelaxedSimdFlag,
  simdSupported,
  threadsUnavailableReason,
  type WasmKernels,
} from '../../packages/nabla/src/kernels/wasm/index.js';

export interface KernelSet {
  /** The name in test titles. */
  name: string;
  /** Builds the kernels; a suite calls it once and `close` when done. */
  make: () => Promise<Kernels>;
  /** True when the set takes Float32Array only (the suite then passes no Float64Array). */
  float32Only?: boolean;
  /** Frees what `make` built (worker threads). */
  close?: () => Promise<void>;
  /**
   * For sets that split work across threads: the number of calls split so far (the suite checks that large
   * products and optimizer updates really split).
   */
  splitCalls?: () => number;
  /** Why the set cannot run in this engine; undefined when it can. */
  unavailable?: string;
}

/** A WebAssembly set: made once on demand, closed by `close`. */
function wasmSet(
  name: string,
  opts: Parameters<typeof createWasmKernels>[0],
  unavailable: string | undefined,
  splitFlops?: number,
): KernelSet {
  let made: WasmKernels | undefined;
  const set: KernelSet = {
    name,
    async make() {
      made = await createWasmKernels(opts);
      if (splitFlops !== undefined) made.splitFlops = splitFlops;
      return made;
    },
    async close() {
      await made?.close();
    },
  };
  if (unavailable !== undefined) set.unavailable = unavailable;
  if (splitFlops !== undefined) set.splitCalls = () => made?.stats.splitCalls ?? 0;
  return set;
}

/** A native set, on `threads` threads (splitting every product it can when more than one). */
function nativeSet(isa: NativeIsa, threads: number): KernelSet {
  const why =
    nativeUnavailableReason() ??
    (nativeIsas().includes(isa) ? undefined : `this CPU has no ${isa === 'avx512' ? 'AVX-512F' : 'AVX2 + FMA'}`);
  let made: ReturnType<typeof createNativeKernels> | undefined;
  const set: KernelSet = {
    name: threads > 1 ? `native-${isa}, two threads` : `native-${isa}`,
    float32Only: false,
    async make() {
      made = createNativeKernels({ isa, threads });
      if (threads > 1) made.splitFlops = 1;
      return made;
    },
  };
  if (why !== undefined) set.unavailable = why;
  if (threads > 1) set.splitCalls = () => made?.stats.splitCalls ?? 0;
  return set;
}

/**
 * The kernel sets: the reference kernels, both WebAssembly builds on one thread, the SIMD build on two threads that
 * split every product it can, and the native sets (AVX-512, AVX2, and AVX-512 on two threads).
 */
export async function kernelSets(): Promise<KernelSet[]> {
  const simd = simdSupported();
  const noSimd = simd ? undefined : 'this engine has no WebAssembly SIMD';
  const noRelaxed =
    noSimd ??
    (enableRelaxedSimdFlag()
      ? undefined
      : "relaxed SIMD is unavailable (Node 20 needs V8's --experimental-wasm-relaxed-simd and node:v8)");
  const noThreads = noSimd ?? threadsUnavailableReason();
  return [
    { name: 'ref', make: async () => refKernels },
    wasmSet('wasm-simd', { relaxed: false, threads: 1 }, noSimd),
    wasmSet('wasm-relaxed', { relaxed: true, threads: 1 }, noRelaxed),
    // splitFlops 1: every product with rows ≥ 8 or cols ≥ 16 goes to the two threads (optimizer updates split above SPLIT_UPDATE_FLOATS)
    wasmSet('wasm-simd, two threads', { relaxed: false, threads: 2 }, noThreads, 1),
    nativeSet('avx512', 1),
    nativeSet('avx2', 1),
    nativeSet(nativeIsas()[0] ?? 'avx512', 2),
  ];
}

/** Prints why a set is skipped (once per call), as the other tests that need something absent do. */
export function reportSkipped(set: KernelSet): void {
  if (set.unavailable !== undefined) process.stderr.write(`skipped: kernels ${set.name}: ${set.unavailable}\n`);
}
