/**
 * Threads for the large matrix products: the main thread plus worker threads on one shared
 * `WebAssembly.Memory`, each worker with its own instance of the (shared-memory build of the) kernels
 * module and its own GEMM packing workspace. The module uses no stack in linear memory (`--runtime stub`,
 * no managed objects) and its only mutable state is per-instance globals, so per-thread workspaces are
 * all that must not overlap.
 *
 * Protocol (all words in a control block in the shared memory, `Int32Array` + `Atomics`):
 * - A product is cut into `n` chunks along the longer side of C (rows in multiples of MR, or columns in
 *   multiples of NR): disjoint blocks of C, each computed by `matmulPart`, which sums every entry in the
 *   same order as the one-thread `matmul` — the result is bit-identical to one thread, whoever computes
 *   which chunk.
 * - The main thread writes the arguments, publishes the job in one word NEXT = tag·2²⁰ | n·2¹⁰ | next
 *   chunk, bumps SEQ and wakes sleeping workers (`Atomics.notify`). Then *every* thread, the main thread
 *   included, claims chunks with a compare-and-swap on NEXT until none is left. A worker that is slow to
 *   wake (6–84 µs on this kind of VM), descheduled by a foreign process, or not started yet simply gets
 *   fewer chunks: the main thread never waits for a worker to *start*, only for chunks a worker has
 *   claimed to finish (FIN counts finished chunks; the last one notifies).
 * - A worker spins briefly on SEQ after a job (the next large product of a training step usually follows
 *   within microseconds), then sleeps in `Atomics.wait`. The spin is bounded: an unbounded spin collapses
 *   to milliseconds per call as soon as a third runnable thread shares the two cores.
 *
 * Platform: the protocol and the worker body are plain JavaScript with no Node API. Only starting the
 * worker differs: Node `worker_threads` (reached through `process.getBuiltinModule`, never imported, so
 * browser bundles don't see it; `unref()` so a forgotten `close()` doesn't keep the process alive) or a
 * web `Worker` from a blob URL (needs cross-origin isolation for `SharedArrayBuffer`; on a browser's main
 * thread, where `Atomics.wait` is forbidden, the main thread spins while the last chunk finishes).
 */
import { NablaError } from '../../errors.js';
import type { RawExports } from './types.js';

/** Words of the control block (Int32 indices); groups on separate 64-byte lines. */
const SEQ = 0;
const CMD = 1;
const SLEEPERS = 2;
const SPIN_US = 3;
const NEXT = 16;
const FIN = 32;
const ERR = 33;
const WORKER_CHUNKS = 34;
const ARG = 48; // out, a, b, rows, inner, cols, tA, tB, acc, dim, chunk size, extent
/** Bytes of the control block. */
export const CONTROL_BYTES = 64 * 4;

const CMD_EXIT = 2;
const MR = 4; // row unit of a chunk (the micro-kernel's rows; keeps edge tiles where one thread has them)
const NR = 8; // column unit

/**
 * The worker's body (plain JavaScript, run by the worker as source text: a string, not a stringified
 * function, so no bundler or test transform can rewrite it). `d`: { module, memory, workspace, control };
 * `post(message)` answers the creating thread once: { ok: true } or { ok: false, message }.
 */
const WORKER_BODY = `
function nablaGemmWorker(d, post) {
  var SEQ = ${SEQ}, CMD = ${CMD}, SLEEPERS = ${SLEEPERS}, SPIN_US = ${SPIN_US}, NEXT = ${NEXT}, FIN = ${FIN}, ERR = ${ERR}, WCH = ${WORKER_CHUNKS}, ARG = ${ARG};
  var x, c;
  try {
    x = new WebAssembly.Instance(d.module, { env: { memory: d.memory } }).exports;
    x.setGemmWorkspace(d.workspace);
    c = new Int32Array(d.memory.buffer, d.control, ${CONTROL_BYTES / 4});
  } catch (e) {
    post({ ok: false, message: String((e && e.message) || e) });
    return;
  }
  post({ ok: true });
  var seen = Atomics.load(c, SEQ);
  for (;;) {
    var s = Atomics.load(c, SEQ);
    if (s === seen) {
      var t0 = performance.now(), i = 0;
      while ((s = Atomics.load(c, SEQ)) === seen) {
        if ((++i & 255) === 0 && performance.now() - t0 >= Atomics.load(c, SPIN_US) / 1000) {
          Atomics.add(c, SLEEPERS, 1);
          Atomics.wait(c, SEQ, seen);
          Atomics.sub(c, SLEEPERS, 1);
        }
      }
    }
    seen = s;
    if (Atomics.load(c, CMD) === ${CMD_EXIT}) return;
    for (;;) {
      var w = Atomics.load(c, NEXT), n = (w >>> 10) & 1023, k = w & 1023;
      if (k >= n) break;
      if (Atomics.compareExchange(c, NEXT, w, w + 1) !== w) continue;
      try {
        var size = c[ARG + 10], lo = k * size, hi = Math.min(c[ARG + 11], lo + size), rows = c[ARG + 3], cols = c[ARG + 5];
        if (c[ARG + 9] === 0) x.matmulPart(c[ARG], c[ARG + 1], c[ARG + 2], rows, c[ARG + 4], cols, c[ARG + 6], c[ARG + 7], c[ARG + 8], lo, hi, 0, cols);
        else x.matmulPart(c[ARG], c[ARG + 1], c[ARG + 2], rows, c[ARG + 4], cols, c[ARG + 6], c[ARG + 7], c[ARG + 8], 0, rows, lo, hi);
      } catch (e) {
        Atomics.store(c, ERR, 1);
      }
      Atomics.add(c, WCH, 1);
      if (Atomics.add(c, FIN, 1) + 1 === n) Atomics.notify(c, FIN);
    }
  }
}
`;

/** The worker scripts (exported for a test that parses the browser one, which Node cannot run). */
export const NODE_WORKER = `${WORKER_BODY}
const { parentPort, workerData } = require('node:worker_threads');
nablaGemmWorker(workerData, (m) => parentPort.postMessage(m));
`;

export const WEB_WORKER = `${WORKER_BODY}
self.onmessage = function (e) {
  self.onmessage = null;
  nablaGemmWorker(e.data, function (m) { self.postMessage(m); });
  self.close();
};
`;

// ---------------------------------------------------------------------------------------------------
// Environment

interface NodeWorkerLike {
  on(event: string, fn: (arg: never) => void): unknown;
  off(event: string, fn: (arg: never) => void): unknown;
  unref(): void;
  terminate(): Promise<number> | void;
}
interface NodeWorkerThreads {
  Worker: new (src: string, opts: { eval: true; workerData: unknown }) => NodeWorkerLike;
}
interface WebWorkerLike {
  postMessage(m: unknown): void;
  terminate(): void;
  addEventListener(type: string, fn: (e: { data?: unknown; message?: string }) => void): void;
  removeEventListener(type: string, fn: (e: { data?: unknown; message?: string }) => void): void;
}
interface ProcessLike {
  versions?: { node?: string };
  getBuiltinModule?: (id: string) => unknown;
}

function nodeBuiltin<T>(id: string): T | undefined {
  const proc = (globalThis as { process?: ProcessLike }).process;
  if (proc?.versions?.node === undefined || typeof proc.getBuiltinModule !== 'function') return undefined;
  try {
    return proc.getBuiltinModule(id) as T | undefined;
  } catch {
    return undefined;
  }
}

/** Logical processors: `os.availableParallelism()` in Node, `navigator.hardwareConcurrency` elsewhere. */
export function availableCores(): number {
  const os = nodeBuiltin<{ availableParallelism?: () => number; cpus(): unknown[] }>('node:os');
  if (os) return os.availableParallelism?.() ?? os.cpus().length;
  const n = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency;
  return typeof n === 'number' && n >= 1 ? n : 1;
}

/**
 * Why threads cannot be used here, or undefined when they can: shared WebAssembly memory
 * (`SharedArrayBuffer`; browsers need cross-origin isolation) and a way to start a worker.
 */
export function threadsUnavailableReason(): string | undefined {
  const g = globalThis as { SharedArrayBuffer?: unknown; crossOriginIsolated?: boolean; Worker?: unknown };
  if (typeof g.SharedArrayBuffer !== 'function') {
    return g.crossOriginIsolated === false
      ? 'SharedArrayBuffer is unavailable: the page is not cross-origin isolated (serve it with the headers ' +
          'Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp)'
      : 'SharedArrayBuffer is unavailable in this JavaScript environment';
  }
  try {
    new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
  } catch (e) {
    return `shared WebAssembly memory is unavailable (${String(e)})`;
  }
  if (!nodeBuiltin('node:worker_threads') && !(typeof g.Worker === 'function' && typeof Blob === 'function' && typeof URL?.createObjectURL === 'function')) {
    return 'no way to start a worker thread here (neither node:worker_threads nor Worker)';
  }
  return undefined;
}

/** True when this thread may block in `Atomics.wait` (not on a browser's main thread). */
function canBlock(): boolean {
  try {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
    return true;
  } catch {
    return false;
  }
}

/** A shared memory with the largest maximum the engine accepts (the module allows up to 4 GiB). */
export function createSharedMemory(): WebAssembly.Memory {
  let last: unknown;
  for (const maximum of [65536, 32768, 16384, 4096]) {
    try {
      return new WebAssembly.Memory({ initial: 1, maximum, shared: true });
    } catch (e) {
      last = e;
    }
  }
  throw new NablaError('range', `wasm kernels: cannot create a shared WebAssembly memory (${String(last)})`);
}

// ---------------------------------------------------------------------------------------------------
// Workers

interface WorkerHandle {
  /** Terminates the worker; resolves when it is gone (as far as the platform tells). */
  stop(): Promise<void>;
}

interface WorkerInit {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  workspace: number;
  control: number;
}

const START_TIMEOUT_MS = 30_000;

/** Starts one worker; resolves once its instance is ready (or rejects with the reason it is not). */
function startWorker(init: WorkerInit, onCrash: (why: string) => void): Promise<WorkerHandle> {
  const wt = nodeBuiltin<NodeWorkerThreads>('node:worker_threads');
  return new Promise<WorkerHandle>((resolve, reject) => {
    let settled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const finish = (err: string | undefined, handle: WorkerHandle): void => {
      if (settled) return;
      settled = true;
      if (timer !== undefined) clearTimeout(timer);
      if (err === undefined) resolve(handle);
      else {
        void handle.stop();
        reject(new Error(err));
      }
    };
    if (wt) {
      const w = new wt.Worker(NODE_WORKER, { eval: true, workerData: init });
      const handle: WorkerHandle = {
        stop: async () => {
          await w.terminate();
        },
      };
      const onMessage = (m: { ok: boolean; message?: string }): void => {
        w.off('message', onMessage);
        if (m.ok) w.unref(); // an idle worker must not keep Node alive
        finish(m.ok ? undefined : `the worker could not instantiate the kernels: ${m.message}`, handle);
      };
      const onError = (e: Error): void => {
        if (settled) onCrash(`the worker stopped: ${e.message}`);
        finish(`the worker failed to start: ${e.message}`, handle);
      };
      const onExit = (code: number): void => {
        if (settled) onCrash(`the worker exited (code ${code})`);
        finish(`the worker exited during start-up (code ${code})`, handle);
      };
      w.on('message', onMessage);
      w.on('error', onError);
      w.on('exit', onExit);
      timer = setTimeout(() => finish(`the worker did not start within ${START_TIMEOUT_MS / 1000} s`, handle), START_TIMEOUT_MS);
    } else {
      const url = URL.createObjectURL(new Blob([WEB_WORKER], { type: 'text/javascript' }));
      let w: WebWorkerLike;
      try {
        w = new (globalThis as unknown as { Worker: new (url: string) => WebWorkerLike }).Worker(url);
      } catch (e) {
        URL.revokeObjectURL(url);
        reject(e instanceof Error ? e : new Error(String(e)));
        return;
      }
      const handle: WorkerHandle = {
        stop: () => {
          w.terminate();
          return Promise.resolve();
        },
      };
      const onMessage = (e: { data?: unknown }): void => {
        const m = e.data as { ok: boolean; message?: string };
        w.removeEventListener('message', onMessage);
        URL.revokeObjectURL(url);
        finish(m.ok ? undefined : `the worker could not instantiate the kernels: ${m.message}`, handle);
      };
      const onError = (e: { message?: string }): void => {
        if (settled) onCrash(`the worker stopped: ${e.message ?? 'error'}`);
        finish(`the worker failed to start: ${e.message ?? 'error (a Content-Security-Policy may forbid blob: workers)'}`, handle);
      };
      w.addEventListener('message', onMessage);
      w.addEventListener('error', onError);
      w.postMessage(init);
      timer = setTimeout(() => finish(`the worker did not start within ${START_TIMEOUT_MS / 1000} s`, handle), START_TIMEOUT_MS);
    }
  });
}

// ---------------------------------------------------------------------------------------------------
// The pool

/**
 * Tuning of the pools (read at every split product; for bench/threads.bench.ts — the defaults are the
 * measured choice, see there).
 */
export const threadTuning = {
  /** Chunks per thread: more balance a slow (late-waking, descheduled) thread better but repack more. */
  chunksPerThread: 2,
  /** How long an idle worker spins for the next product before it sleeps in `Atomics.wait`, µs. */
  workerSpinMicros: 100,
  /** How long the main thread spins for the workers' last chunks before `Atomics.wait`, µs. */
  mainSpinMicros: 50,
  /** False: the main thread computes no chunk, only waits (tests use it to make the workers do all). */
  mainComputes: true,
};

export interface PoolStats {
  /** Products split across the threads. */
  splitCalls: number;
  /** Chunks of those products (all threads). */
  chunks: number;
  /** Chunks the workers computed (the rest: the main thread). */
  readonly workerChunks: number;
}

export interface PoolInit {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  /** The main thread's instance (its own workspace is already set). */
  x: RawExports;
  /** Byte offset of CONTROL_BYTES (16-aligned) for the control block. */
  control: number;
  /** Byte offsets of one GEMM workspace per worker. */
  workspaces: readonly number[];
}

/** The main thread's side of the threads: dispatches products, owns the workers. */
export class GemmPool {
  readonly size: number;
  private readonly c: Int32Array;
  private readonly x: RawExports;
  private readonly blocking = canBlock();
  private workers: WorkerHandle[] = [];
  private tag = 0;
  private closed = false;
  private failure: string | undefined;
  readonly stats: PoolStats;

  private constructor(init: PoolInit) {
    this.size = init.workspaces.length + 1;
    this.x = init.x;
    this.c = new Int32Array(init.memory.buffer, init.control, CONTROL_BYTES / 4);
    this.c.fill(0);
    this.c[SPIN_US] = threadTuning.workerSpinMicros;
    const c = this.c;
    this.stats = {
      splitCalls: 0,
      chunks: 0,
      get workerChunks() {
        return Atomics.load(c, WORKER_CHUNKS);
      },
    };
  }

  /** Starts the workers; rejects (after stopping any that started) when one cannot start. */
  static async start(init: PoolInit): Promise<GemmPool> {
    const pool = new GemmPool(init);
    const started = await Promise.allSettled(
      init.workspaces.map((workspace) =>
        startWorker(
          { module: init.module, memory: init.memory, workspace, control: init.control },
          (why) => pool.crashed(why),
        ),
      ),
    );
    for (const r of started) if (r.status === 'fulfilled') pool.workers.push(r.value);
    const bad = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (bad) {
      await pool.close();
      throw bad.reason instanceof Error ? bad.reason : new Error(String(bad.reason));
    }
    return pool;
  }

  /** False after `close()` or when a worker crashed (then `failure` says why). */
  get active(): boolean {
    return !this.closed;
  }

  /** Why the pool stopped on its own (a worker crashed), if it did. */
  get reason(): string | undefined {
    return this.failure;
  }

  private crashed(why: string): void {
    if (this.closed) return; // the exit that close() asked for
    this.failure = why;
    void this.close();
  }

  /**
   * out = op(a)·op(b) (+ out) split across the threads (byte offsets into the shared memory). The caller
   * decides that the product is large enough; here it is cut into chunks and computed by all threads.
   */
  matmul(out: number, a: number, b: number, rows: number, inner: number, cols: number, tA: number, tB: number, acc: number): void {
    const c = this.c;
    const byRows = rows >= cols;
    const extent = byRows ? rows : cols;
    const unit = byRows ? MR : NR;
    const want = Math.min(1023, Math.max(1, Math.round(this.size * threadTuning.chunksPerThread)));
    const size = Math.ceil(extent / want / unit) * unit;
    const n = Math.ceil(extent / size);
    c[ARG] = out;
    c[ARG + 1] = a;
    c[ARG + 2] = b;
    c[ARG + 3] = rows;
    c[ARG + 4] = inner;
    c[ARG + 5] = cols;
    c[ARG + 6] = tA;
    c[ARG + 7] = tB;
    c[ARG + 8] = acc;
    c[ARG + 9] = byRows ? 0 : 1;
    c[ARG + 10] = size;
    c[ARG + 11] = extent;
    c[SPIN_US] = Math.max(0, Math.min(1e6, Math.round(threadTuning.workerSpinMicros)));
    Atomics.store(c, ERR, 0);
    Atomics.store(c, FIN, 0);
    this.tag = (this.tag + 1) & 0xfff;
    Atomics.store(c, NEXT, (this.tag << 20) | (n << 10)); // publishes the job (seq-cst after the plain stores)
    Atomics.add(c, SEQ, 1);
    if (Atomics.load(c, SLEEPERS) > 0) Atomics.notify(c, SEQ);
    this.stats.splitCalls++;
    this.stats.chunks += n;

    let error: unknown;
    const x = this.x;
    while (threadTuning.mainComputes) {
      const w = Atomics.load(c, NEXT);
      const k = w & 1023;
      if (k >= n) break;
      if (Atomics.compareExchange(c, NEXT, w, w + 1) !== w) continue;
      const lo = k * size;
      const hi = Math.min(extent, lo + size);
      try {
        if (byRows) x.matmulPart(out, a, b, rows, inner, cols, tA, tB, acc, lo, hi, 0, cols);
        else x.matmulPart(out, a, b, rows, inner, cols, tA, tB, acc, 0, rows, lo, hi);
      } catch (e) {
        error ??= e; // keep counting: the workers must finish this job before the next one starts
      }
      Atomics.add(c, FIN, 1);
    }
    // wait for chunks the workers claimed: spin briefly, then sleep (spin only, where blocking is forbidden)
    let f = Atomics.load(c, FIN);
    if (f < n) {
      const spinMs = threadTuning.mainSpinMicros / 1000;
      const t0 = performance.now();
      let i = 0;
      while ((f = Atomics.load(c, FIN)) < n) {
        if (this.blocking && (++i & 255) === 0 && performance.now() - t0 >= spinMs) Atomics.wait(c, FIN, f, 1000);
      }
    }
    if (error !== undefined) throw error;
    if (Atomics.load(c, ERR) !== 0) {
      throw new NablaError('range', 'wasm kernels: a worker thread failed computing its part of a matrix product (out-of-bounds operand?)');
    }
  }

  /**
   * Stops the workers (idempotent; resolves when they are gone). Products computed afterwards use the
   * main thread only.
   */
  async close(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      Atomics.store(this.c, CMD, CMD_EXIT);
      Atomics.add(this.c, SEQ, 1);
      Atomics.notify(this.c, SEQ);
    }
    const workers = this.workers;
    this.workers = [];
    await Promise.all(workers.map((w) => w.stop()));
  }
}
