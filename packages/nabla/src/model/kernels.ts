/**
 * The kernels a model trains and predicts with when the caller names none: the fastest this engine runs.
 * WebAssembly SIMD (the relaxed-FMA build where available, two threads where a second core and shared memory
 * exist) in Node and in browsers; the reference TypeScript kernels only where WebAssembly SIMD is missing. The
 * choice is reported (`KernelsInfo`), never silent.
 */
import { UnsupportedError } from '../errors.js';
import { refKernels } from '../kernels/ref.js';
import type { Kernels } from '../kernels/types.js';
import { createWasmKernels, createWasmKernelsSync } from '../kernels/wasm/index.js';

/** Which kernels ran: `wasm-relaxed` (SIMD + FMA), `wasm-simd`, or `ref` (plain TypeScript), and on how many threads. */
export interface KernelsInfo {
  /** `wasm-relaxed`, `wasm-simd`, `ref`, or a caller's kernels' name. */
  name: string;
  /** Threads the matrix products use. */
  threads: number;
  /** Why slower kernels or fewer threads than the best are in use, when they are. */
  note?: string;
}

export interface SelectedKernels {
  kernels: Kernels;
  info: KernelsInfo;
}

function describe(kernels: Kernels, note: string | undefined): KernelsInfo {
  const k = kernels as Kernels & { threads?: number; threadsNote?: string };
  const info: KernelsInfo = { name: kernels.name ?? 'custom', threads: k.threads ?? 1 };
  const why = note ?? k.threadsNote;
  if (why !== undefined) info.note = why;
  return info;
}

function fallback(e: unknown): SelectedKernels {
  if (!(e instanceof UnsupportedError)) throw e;
  return { kernels: refKernels, info: { name: 'ref', threads: 1, note: e.message } };
}

let shared: Promise<SelectedKernels> | undefined;
let sync: SelectedKernels | undefined;
/** Serialises training on the shared kernels (a fit holds a region of their memory from start to end). */
let queue: Promise<unknown> = Promise.resolve();

/** The shared default kernels for asynchronous training (made once, threads 'auto'). */
export function defaultKernels(): Promise<SelectedKernels> {
  shared ??= createWasmKernels({ threads: 'auto' }).then((k) => ({ kernels: k, info: describe(k, undefined) }), fallback);
  return shared;
}

/** The default kernels on one thread, made synchronously (for `fitSync`, `predict`, `evaluate`). */
export function defaultKernelsSync(): SelectedKernels {
  if (!sync) {
    try {
      const k = createWasmKernelsSync();
      sync = { kernels: k, info: { name: k.name, threads: 1 } };
    } catch (e) {
      sync = fallback(e);
    }
  }
  return sync;
}

/** Describes caller-given kernels the same way. */
export function describeKernels(kernels: Kernels): KernelsInfo {
  return describe(kernels, undefined);
}

/** Runs `job` when every earlier job on the shared kernels has finished. */
export function exclusive<T>(job: () => Promise<T>): Promise<T> {
  const run = queue.then(job, job);
  queue = run.catch(() => undefined);
  return run;
}
