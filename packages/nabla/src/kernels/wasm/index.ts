/**
 * WebAssembly SIMD kernels (float32) behind the `Kernels` interface, working on their own `WebAssembly.Memory`:
 * arrays made there with `allocF32` pass by offset, others are copied through a private instance, Float64Arrays
 * run the reference kernels. Large products split across threads (threads.ts), bit-identical to one thread.
 */
import { OptionError, UnsupportedError } from '../../errors.js';
import { CONTROL_BYTES } from './control-block.js';
import { availableCores, enableRelaxedSimdFlag, simdSupported, threadsUnavailableReason } from './detect.js';
import { makeKernels, type Threading } from './kernels.js';
import { createSharedMemory, WasmArena } from './memory.js';
import { loadModule, loadModuleSync } from './module.js';
import { GemmPool } from './threads.js';
import type { Bound, RawExports, WasmKernels, WasmKernelsOptions } from './types.js';

export type { ActivationName } from './activation-ids.js';
export { ActivationId, activationIdOf } from './activation-ids.js';
export {
  availableCores,
  enableRelaxedSimdFlag,
  relaxedSimdSupported,
  simdSupported,
  threadsUnavailableReason,
} from './detect.js';
export { DEFAULT_SPLIT_FLOPS, SPLIT_UPDATE_FLOATS } from './kernels.js';
export { WasmArena } from './memory.js';
export type { WasmKernels, WasmKernelsOptions, WasmMemory, WasmThreadStats } from './types.js';

/** Most threads `createWasmKernels` accepts. */
const MAX_THREADS = 64;

/** The bound kernels of an instance on its own memory: the GEMM workspace, then the arena, above the static data. */
function boot(memory: WebAssembly.Memory, instance: WebAssembly.Instance, arenaBytes: number): Bound {
  // The module imports its memory (env.memory); its static data ends at heapBase().
  const x = instance.exports as unknown as RawExports;
  const arena = new WasmArena(memory, x.heapBase());
  arena.reserve(x.gemmWorkspaceBytes() + arenaBytes);
  x.setGemmWorkspace(arena.alloc(x.gemmWorkspaceBytes()));
  return { x, memory, arena: new WasmArena(memory, arena.mark()) };
}

async function bind(module: WebAssembly.Module, arenaBytes: number): Promise<Bound> {
  const memory = new WebAssembly.Memory({ initial: 1 });
  return boot(memory, await WebAssembly.instantiate(module, { env: { memory } }), arenaBytes);
}

/**
 * The main instance on a shared memory, plus (below its arena) the pool's control block and one GEMM
 * workspace per worker, then starts the workers. Without workers (they failed to start and `'auto'` was
 * asked for) the instance still works, on one thread.
 */
async function bindThreaded(
  module: WebAssembly.Module,
  arenaBytes: number,
  threads: number,
  strict: boolean,
): Promise<{ bound: Bound; threading: Threading }> {
  const memory = createSharedMemory();
  const instance = await WebAssembly.instantiate(module, { env: { memory } });
  const x = instance.exports as unknown as RawExports;
  const boot = new WasmArena(memory, x.heapBase());
  const ws = x.gemmWorkspaceBytes();
  boot.reserve(threads * (ws + 16) + CONTROL_BYTES + arenaBytes);
  x.setGemmWorkspace(boot.alloc(ws));
  const control = boot.alloc(CONTROL_BYTES);
  const workspaces = Array.from({ length: threads - 1 }, () => boot.alloc(ws));
  const bound = { x, memory, arena: new WasmArena(memory, boot.mark()) };
  try {
    const pool = await GemmPool.start({ module, memory, x, control, workspaces });
    return { bound, threading: { pool, note: undefined } };
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    if (strict)
      throw new UnsupportedError(`createWasmKernels({ threads: ${threads} }): ${why}; use threads: 1 or 'auto'`);
    return { bound, threading: { pool: undefined, note: why } };
  }
}

function bindSync(module: WebAssembly.Module, arenaBytes: number): Bound {
  const memory = new WebAssembly.Memory({ initial: 1 });
  return boot(memory, new WebAssembly.Instance(module, { env: { memory } }), arenaBytes);
}

/**
 * The WASM kernels on one thread, made synchronously (for synchronous training, `Model.fitSync`). The module is
 * compiled synchronously the first time, which browsers allow for modules of this size (~25 KB). Throws
 * `UnsupportedError` without WebAssembly SIMD, like `createWasmKernels`.
 */
export function createWasmKernelsSync(opts: Omit<WasmKernelsOptions, 'threads'> = {}): WasmKernels {
  const initialBytes = checkInitialBytes(opts.initialBytes);
  const relaxed = chooseRelaxed(opts.relaxed);
  const module = loadModuleSync(relaxed ? 'relaxed' : 'simd');
  return makeKernels(bindSync(module, initialBytes), bindSync(module, 1024 * 1024), relaxed, {
    pool: undefined,
    note: 'one thread (synchronous kernels)',
  });
}

function checkInitialBytes(v: number | undefined): number {
  const initialBytes = v ?? 16 * 1024 * 1024;
  if (!Number.isFinite(initialBytes) || initialBytes < 0) {
    throw new OptionError(
      `createWasmKernels: initialBytes must be a non-negative number of bytes, got ${initialBytes}`,
    );
  }
  return initialBytes;
}

/** Whether to use the relaxed-SIMD build; throws when SIMD is missing or relaxed: true cannot be had. */
function chooseRelaxed(want: boolean | undefined): boolean {
  if (!simdSupported()) {
    throw new UnsupportedError(
      'createWasmKernels: this JavaScript engine has no WebAssembly SIMD (fixed-width SIMD128); ' +
        'use refKernels instead (pure TypeScript, about 10× slower)',
    );
  }
  if (want === false) return false;
  const relaxed = enableRelaxedSimdFlag();
  if (!relaxed && want === true) {
    throw new UnsupportedError(
      'createWasmKernels({ relaxed: true }): this engine does not run relaxed SIMD (FMA); in Node 20 it needs ' +
        "V8's --experimental-wasm-relaxed-simd (switched on automatically when node:v8 is reachable); " +
        'use createWasmKernels({ relaxed: false }) for the plain SIMD build',
    );
  }
  return relaxed;
}

/** Closes the workers of kernels objects that were dropped without close(). */
const dropped =
  typeof FinalizationRegistry === 'function'
    ? new FinalizationRegistry<GemmPool>((pool) => void pool.close())
    : undefined;

/**
 * Creates the WASM kernels. Rejects with `UnsupportedError` when the engine has no WebAssembly SIMD
 * (use `refKernels` then), when `relaxed: true` is asked for and relaxed SIMD is unavailable, or when
 * `threads ≥ 2` is asked for and shared memory or workers are unavailable (`'auto'` falls back to one
 * thread instead and says why in `threadsNote`). Call `close()` to stop the worker when done.
 *
 * @example
 * const k = await createWasmKernels();
 * const W = k.allocF32(128 * 784), S = k.allocF32(784 * 64), N = k.allocF32(128 * 64);
 * k.matmul(N, W, S, 128, 784, 64, false, false, false); // N = W·S, no copies
 */
export async function createWasmKernels(opts: WasmKernelsOptions = {}): Promise<WasmKernels> {
  const initialBytes = checkInitialBytes(opts.initialBytes);
  const asked = opts.threads ?? 'auto';
  if (asked !== 'auto' && !(Number.isInteger(asked) && asked >= 1 && asked <= MAX_THREADS)) {
    throw new OptionError(
      `createWasmKernels: threads must be 'auto' or an integer from 1 to ${MAX_THREADS}, got ${String(asked)}`,
    );
  }
  const relaxed = chooseRelaxed(opts.relaxed);
  let threads = 1;
  let note: string | undefined;
  if (asked === 'auto') {
    const cores = availableCores();
    note = cores < 2 ? `one core available` : threadsUnavailableReason();
    if (note === undefined) threads = 2;
  } else if (asked > 1) {
    const why = threadsUnavailableReason();
    if (why !== undefined) {
      throw new UnsupportedError(
        `createWasmKernels({ threads: ${asked} }): ${why}; use threads: 1 (or 'auto', which falls back to one thread)`,
      );
    }
    threads = asked;
  }
  const module = await loadModule(relaxed ? 'relaxed' : 'simd');
  const scratch = await bind(module, 1024 * 1024);
  if (threads === 1) return makeKernels(await bind(module, initialBytes), scratch, relaxed, { pool: undefined, note });
  const shared = await loadModule(relaxed ? 'relaxed-shared' : 'simd-shared');
  const { bound, threading } = await bindThreaded(shared, initialBytes, threads, asked !== 'auto');
  const kernels = makeKernels(bound, scratch, relaxed, threading);
  if (threading.pool) dropped?.register(kernels, threading.pool, threading.pool);
  return kernels;
}
