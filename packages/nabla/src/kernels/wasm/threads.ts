/**
 * The thread pool for large matrix products and optimizer updates: the main thread plus workers on one shared
 * `WebAssembly.Memory`. A job is cut into disjoint chunks that every thread claims with a compare-and-swap on a
 * control block (control-block.ts, `Atomics`), so the result is bit-identical to one thread whoever computes what;
 * the main thread never waits for a worker to start. Workers spin briefly, then sleep in `Atomics.wait`.
 */
import { NablaError } from '../../errors.js';
import {
  ARG,
  CMD,
  CMD_EXIT,
  CONTROL_BYTES,
  ERR,
  FIN,
  FLOATS_BYTE,
  HADAMARD,
  KIND,
  KIND_ADAM,
  KIND_MATMUL,
  KIND_SGD,
  NEXT,
  SEQ,
  SLEEPERS,
  SPIN_US,
  WORKER_CHUNKS,
} from './control-block.js';
import { canBlock } from './detect.js';
import type { RawExports } from './types.js';
import { startWorker, type WorkerHandle } from './worker.js';

const MR = 4; // row unit of a chunk (the micro-kernel's rows; keeps edge tiles where one thread has them)
const NR = 8; // column unit
const VU = 16; // float unit of an optimizer update's chunk (a 64-byte line; keeps the SIMD blocks of one thread)

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
  private readonly f: Float64Array;
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
    this.f = new Float64Array(init.memory.buffer, init.control + FLOATS_BYTE, (CONTROL_BYTES - FLOATS_BYTE) / 8);
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
        startWorker({ module: init.module, memory: init.memory, workspace, control: init.control }, (why) =>
          pool.crashed(why),
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
   * out = op(a)·op(b) (+ out), or (op(a)·op(b)) ∘ h with a factor h, split across the threads (byte offsets into
   * the shared memory). The caller decides that the product is large enough; here it is cut into chunks and
   * computed by all threads, each applying ∘ h to its own blocks while they are in its cache.
   */
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
    h = 0,
  ): void {
    const c = this.c;
    const byRows = rows >= cols;
    c[HADAMARD] = h;
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
    this.run(KIND_MATMUL, byRows ? rows : cols, byRows ? MR : NR);
  }

  /** `sgdUpdate` (byte offsets) split into chunks of the floats: each float's update is the same wherever it runs. */
  sgdUpdate(w: number, g: number, v: number, len: number, lr: number, mu: number, wd: number, nesterov: number): void {
    const c = this.c;
    c[ARG] = w;
    c[ARG + 1] = g;
    c[ARG + 2] = v;
    c[ARG + 4] = nesterov;
    this.f[0] = lr;
    this.f[1] = mu;
    this.f[2] = wd;
    this.run(KIND_SGD, len, VU);
  }

  /** `adamUpdate` (byte offsets) split into chunks of the floats, like `sgdUpdate`. */
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
  ): void {
    const c = this.c;
    c[ARG] = w;
    c[ARG + 1] = g;
    c[ARG + 2] = m;
    c[ARG + 3] = v;
    c[ARG + 5] = step;
    c[ARG + 6] = decoupled;
    const f = this.f;
    f[0] = lr;
    f[1] = b1;
    f[2] = b2;
    f[3] = eps;
    f[4] = wd;
    this.run(KIND_ADAM, len, VU);
  }

  /** Chunk k of the job in the control block, on the main thread's instance (the worker's body does the same). */
  private chunk(k: number): void {
    const c = this.c;
    const x = this.x;
    const lo = k * c[ARG + 10]!;
    const hi = Math.min(c[ARG + 11]!, lo + c[ARG + 10]!);
    const kind = c[KIND];
    if (kind === KIND_MATMUL) {
      const rows = c[ARG + 3]!;
      const cols = c[ARG + 5]!;
      const byRows = c[ARG + 9] === 0;
      const r0 = byRows ? lo : 0;
      const r1 = byRows ? hi : rows;
      const c0 = byRows ? 0 : lo;
      const c1 = byRows ? cols : hi;
      const h = c[HADAMARD]!;
      if (h !== 0)
        x.matmulHadamardPart(
          c[ARG]!,
          c[ARG + 1]!,
          c[ARG + 2]!,
          h,
          rows,
          c[ARG + 4]!,
          cols,
          c[ARG + 6]!,
          c[ARG + 7]!,
          r0,
          r1,
          c0,
          c1,
        );
      else
        x.matmulPart(
          c[ARG]!,
          c[ARG + 1]!,
          c[ARG + 2]!,
          rows,
          c[ARG + 4]!,
          cols,
          c[ARG + 6]!,
          c[ARG + 7]!,
          c[ARG + 8]!,
          r0,
          r1,
          c0,
          c1,
        );
    } else if (kind === KIND_SGD) {
      const o = 4 * lo;
      x.sgdUpdate(
        c[ARG]! + o,
        c[ARG + 1]! + o,
        c[ARG + 2]! + o,
        hi - lo,
        this.f[0]!,
        this.f[1]!,
        this.f[2]!,
        c[ARG + 4]!,
      );
    } else {
      const o = 4 * lo;
      const f = this.f;
      x.adamUpdate(
        c[ARG]! + o,
        c[ARG + 1]! + o,
        c[ARG + 2]! + o,
        c[ARG + 3]! + o,
        hi - lo,
        f[0]!,
        f[1]!,
        f[2]!,
        f[3]!,
        f[4]!,
        c[ARG + 5]!,
        c[ARG + 6]!,
      );
    }
  }

  /**
   * Runs the job whose arguments are in the control block: `extent` (rows, columns or floats) cut into chunks of
   * whole `unit`s, computed by every thread; returns when all chunks are done.
   */
  private run(kind: number, extent: number, unit: number): void {
    const c = this.c;
    const want = Math.min(1023, Math.max(1, Math.round(this.size * threadTuning.chunksPerThread)));
    const size = Math.ceil(extent / want / unit) * unit;
    const n = Math.ceil(extent / size);
    c[ARG + 10] = size;
    c[ARG + 11] = extent;
    c[KIND] = kind;
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
    while (threadTuning.mainComputes) {
      const w = Atomics.load(c, NEXT);
      const k = w & 1023;
      if (k >= n) break;
      if (Atomics.compareExchange(c, NEXT, w, w + 1) !== w) continue;
      try {
        this.chunk(k);
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
      throw new NablaError(
        'range',
        'wasm kernels: a worker thread failed computing its part of a split kernel call (out-of-bounds operand?)',
      );
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
