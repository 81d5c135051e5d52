/**
 * The `WasmKernels` object: per call, a Float32Array already in the module's memory is passed by offset
 * (the fast path); any other Float32Array is copied through the private scratch instance (the slow path,
 * which never grows the main memory); Float64Array arguments go to the reference kernels. With a thread
 * pool, fast-path products above `splitFlops` are split across the threads (threads.ts).
 */
import { activationIdOf } from './activation-ids.js';
import { NablaError, OptionError } from '../../errors.js';
import type { FloatArray } from '../../linalg/matrix.js';
import { refKernels } from '../ref.js';
import {
  activateRef, adamUpdateRef, axpyRef, hadamardIntoRef, scaleRef, sgdUpdateRef, softmaxCrossEntropySeedRef,
} from './fused-ref.js';
import type { GemmPool } from './threads.js';
import type { Bound, RawExports, WasmKernels, WasmThreadStats } from './types.js';

/**
 * FLOPs (2·rows·inner·cols) above which a product is split across threads: 4 MFLOP, ~0.1–0.2 ms on one
 * thread. Measured with bench/threads.bench.ts on a 2-vCPU VM (2026-11-28): with the second core free,
 * split products ran 1.2–2.0× faster from 0.5 MFLOP up (worker awake), and fit() of 784-128-10 at batch
 * 64 — whose largest products are 12.8 MFLOP — 1.2–1.5× faster with them split; the products of the
 * 10-wide output layer (≤ 0.2 MFLOP) gain nothing. With the second core busy with another process,
 * splitting lost ~10 % at every size, large ones included, so no size threshold protects against that:
 * use `threads: 1` on a machine whose cores are taken.
 */
export const DEFAULT_SPLIT_FLOPS = 4e6;

/** The threads of a kernels object: the pool (none with one thread) and why there are not more. */
export interface Threading {
  pool: GemmPool | undefined;
  note: string | undefined;
}

const NO_STATS: WasmThreadStats = Object.freeze({ splitCalls: 0, chunks: 0, workerChunks: 0 });

/** One argument of a slow-path call: `n` floats, copied in (unless `in` is false) and/or back out. */
interface Arg {
  arr: Float32Array;
  n: number;
  out: boolean;
  in?: boolean;
}

export function makeKernels(main: Bound, scratch: Bound, relaxed: boolean, threading: Threading = { pool: undefined, note: undefined }): WasmKernels {
  const { x, memory, arena } = main;
  const actCount = Number(x.ACT_COUNT.value);
  const f32 = (a: FloatArray): a is Float32Array => a instanceof Float32Array;
  const here = (a: Float32Array, buf: ArrayBufferLike): boolean => a.buffer === buf;
  let pool = threading.pool;
  let note = threading.note;
  /** The pool while it runs; after close() or a worker crash, undefined (and the note says why). */
  const livePool = (): GemmPool | undefined => {
    if (pool && !pool.active) {
      note ??= pool.reason;
      pool = undefined;
    }
    return pool;
  };
  const stats = threading.pool?.stats ?? NO_STATS;

  /**
   * Copies the arguments into the scratch instance, runs `fn` on their offsets there, copies outputs back. The
   * callers pass their numbers in `scalars` rather than letting `fn` capture them: a captured variable would make
   * V8 allocate a context on every call of the kernel, the fast path included.
   */
  function slow<R>(args: readonly Arg[], fn: (sx: RawExports, p: readonly number[], v: readonly number[]) => R, scalars: readonly number[] = []): R {
    const sa = scratch.arena;
    sa.reset();
    const ptrs: number[] = [];
    for (const g of args) {
      if (arena.stale(g.arr.buffer)) {
        throw new NablaError(
          'range',
          'wasm kernels: an array is a view of the shared WebAssembly memory from before it grew; such views are ' +
            'refused like the detached views of an ordinary memory (was it made by allocF32 before the WebAssembly memory grew? ' +
            're-derive it, or reserve the memory up front)',
        );
      }
      if (g.arr.length < g.n) {
        throw new NablaError(
          'range',
          `wasm kernels: an array has ${g.arr.length} floats, the operation needs ${g.n}` +
            (g.arr.length === 0 && g.arr.buffer.byteLength === 0
              ? ' (its buffer is detached: was it made by allocF32 before the WebAssembly memory grew?)'
              : ''),
        );
      }
      ptrs.push(sa.alloc(g.n * 4));
    }
    for (let i = 0; i < args.length; i++) {
      const g = args[i]!;
      if (g.in !== false && g.n > 0) sa.f32(ptrs[i]!, g.n).set(g.arr.length === g.n ? g.arr : g.arr.subarray(0, g.n));
    }
    const r = fn(scratch.x, ptrs, scalars);
    for (let i = 0; i < args.length; i++) {
      const g = args[i]!;
      if (g.out && g.n > 0) g.arr.set(sa.f32(ptrs[i]!, g.n));
    }
    sa.reset();
    return r;
  }

  const kernels: WasmKernels = {
    name: relaxed ? 'wasm-relaxed' : 'wasm-simd',
    relaxed,
    memory,
    arena,
    splitFlops: DEFAULT_SPLIT_FLOPS,
    get threads(): number {
      return livePool()?.size ?? 1;
    },
    get threadsNote(): string | undefined {
      livePool();
      return note;
    },
    get stats(): WasmThreadStats {
      return stats;
    },
    close(): Promise<void> {
      const p = threading.pool;
      pool = undefined;
      return p ? p.close() : Promise.resolve();
    },

    allocF32(length: number): Float32Array {
      const off = arena.alloc(length * 4);
      const view = arena.f32(off, length);
      view.fill(0);
      return view;
    },

    activation(name, N, S, dS, start, end) {
      const id = activationIdOf(name);
      if (id === undefined || !f32(N) || !f32(S) || !f32(dS)) return false;
      const buf = memory.buffer;
      if (!here(N, buf) || !here(S, buf) || !here(dS, buf)) return false;
      x.activate(N.byteOffset + 4 * start, S.byteOffset + 4 * start, dS.byteOffset + 4 * start, end - start, id);
      return true;
    },

    region(floats: number) {
      const mark = arena.mark();
      // room for the floats plus 16-byte alignment of up to 256 arrays, so no allocation inside grows the memory
      arena.reserve(4 * floats + 16 * 256);
      const generation = arena.generation;
      let released = false;
      return {
        alloc(length: number): Float32Array {
          if (released) throw new NablaError('range', 'wasm kernels: this memory region was released');
          const off = arena.alloc(length * 4);
          if (arena.generation !== generation) throw new NablaError('range', 'wasm kernels: a memory region outgrew its reservation');
          const view = arena.f32(off, length);
          view.fill(0);
          return view;
        },
        release() {
          if (!released) arena.reset(mark);
          released = true;
        },
      };
    },

    inMemory(arr: FloatArray): boolean {
      return f32(arr) && arr.buffer === memory.buffer;
    },

    matmul(out, a, b, rows, inner, cols, transA, transB, accumulate) {
      if (!f32(out) || !f32(a) || !f32(b)) {
        refKernels.matmul(out, a, b, rows, inner, cols, transA, transB, accumulate);
        return;
      }
      const tA = transA ? 1 : 0;
      const tB = transB ? 1 : 0;
      const acc = accumulate ? 1 : 0;
      const buf = memory.buffer;
      if (here(out, buf) && here(a, buf) && here(b, buf)) {
        const p = pool;
        if (p !== undefined && 2 * rows * inner * cols > kernels.splitFlops && (rows >= 8 || cols >= 16) && livePool()) {
          p.matmul(out.byteOffset, a.byteOffset, b.byteOffset, rows, inner, cols, tA, tB, acc);
        } else {
          x.matmul(out.byteOffset, a.byteOffset, b.byteOffset, rows, inner, cols, tA, tB, acc);
        }
        return;
      }
      slow(
        [
          { arr: a, n: rows * inner, out: false },
          { arr: b, n: inner * cols, out: false },
          { arr: out, n: rows * cols, out: true, in: accumulate },
        ],
        (sx, [pa, pb, po], v) => sx.matmul(po!, pa!, pb!, v[0]!, v[1]!, v[2]!, v[3]!, v[4]!, v[5]!),
        [rows, inner, cols, tA, tB, acc],
      );
    },

    matmulHadamard(out, a, b, h, rows, inner, cols, transA, transB) {
      const buf = memory.buffer;
      const fits = f32(out) && f32(a) && f32(b) && f32(h) && here(out, buf) && here(a, buf) && here(b, buf) && here(h, buf);
      const split = pool !== undefined && 2 * rows * inner * cols > kernels.splitFlops && (rows >= 8 || cols >= 16);
      if (fits && !split) {
        // one pass: each block of out is multiplied by h right after its last inner block (asm/gemm.ts)
        x.matmulHadamard(out.byteOffset, a.byteOffset, b.byteOffset, h.byteOffset, rows, inner, cols, transA ? 1 : 0, transB ? 1 : 0);
        return;
      }
      // products large enough for two threads, and arrays outside this memory: the product, then ∘ h
      kernels.matmul(out, a, b, rows, inner, cols, transA, transB, false);
      kernels.hadamard(out, out, h, rows * cols);
    },

    hadamard(out, a, b, length) {
      if (!f32(out) || !f32(a) || !f32(b)) {
        refKernels.hadamard(out, a, b, length);
        return;
      }
      const buf = memory.buffer;
      if (here(out, buf) && here(a, buf) && here(b, buf)) {
        x.hadamard(out.byteOffset, a.byteOffset, b.byteOffset, length);
        return;
      }
      slow(
        [
          { arr: a, n: length, out: false },
          { arr: b, n: length, out: false },
          { arr: out, n: length, out: true, in: false },
        ],
        (sx, [pa, pb, po], v) => sx.hadamard(po!, pa!, pb!, v[0]!),
        [length],
      );
    },

    activate(N, S, dS, length, id) {
      if (!(id >= 0 && id < actCount && Number.isInteger(id))) {
        throw new OptionError(`activate: unknown activation id ${id}; expected one of ActivationId (0–${actCount - 1})`);
      }
      if (!f32(N) || !f32(S) || !f32(dS)) {
        activateRef(N, S, dS, length, id);
        return;
      }
      const buf = memory.buffer;
      if (here(N, buf) && here(S, buf) && here(dS, buf)) {
        x.activate(N.byteOffset, S.byteOffset, dS.byteOffset, length, id);
        return;
      }
      slow(
        [
          { arr: N, n: length, out: false },
          { arr: S, n: length, out: true, in: false },
          { arr: dS, n: length, out: true, in: false },
        ],
        (sx, [pN, pS, pD], v) => sx.activate(pN!, pS!, pD!, v[0]!, v[1]!),
        [length, id],
      );
    },

    hadamardInto(out, a, length) {
      if (!f32(out) || !f32(a)) {
        hadamardIntoRef(out, a, length);
        return;
      }
      const buf = memory.buffer;
      if (here(out, buf) && here(a, buf)) {
        x.hadamardInto(out.byteOffset, a.byteOffset, length);
        return;
      }
      slow(
        [
          { arr: out, n: length, out: true },
          { arr: a, n: length, out: false },
        ],
        (sx, [po, pa], v) => sx.hadamardInto(po!, pa!, v[0]!),
        [length],
      );
    },

    axpy(y, xs, alpha, length) {
      if (!f32(y) || !f32(xs)) {
        axpyRef(y, xs, alpha, length);
        return;
      }
      const buf = memory.buffer;
      if (here(y, buf) && here(xs, buf)) {
        x.axpy(y.byteOffset, xs.byteOffset, alpha, length);
        return;
      }
      slow(
        [
          { arr: y, n: length, out: true },
          { arr: xs, n: length, out: false },
        ],
        (sx, [py, px], v) => sx.axpy(py!, px!, v[0]!, v[1]!),
        [alpha, length],
      );
    },

    scale(xs, alpha, length) {
      if (!f32(xs)) {
        scaleRef(xs, alpha, length);
        return;
      }
      if (here(xs, memory.buffer)) {
        x.scale(xs.byteOffset, alpha, length);
        return;
      }
      slow([{ arr: xs, n: length, out: true }], (sx, [px], v) => sx.scale(px!, v[0]!, v[1]!), [alpha, length]);
    },

    sgdUpdate(w, g, v, length, lr, momentum, weightDecay, nesterov) {
      if (!f32(w) || !f32(g) || !f32(v)) {
        sgdUpdateRef(w, g, v, length, lr, momentum, weightDecay, nesterov);
        return;
      }
      const nv = nesterov ? 1 : 0;
      const buf = memory.buffer;
      if (here(w, buf) && here(g, buf) && (momentum === 0 || here(v, buf))) {
        x.sgdUpdate(w.byteOffset, g.byteOffset, momentum === 0 ? 0 : v.byteOffset, length, lr, momentum, weightDecay, nv);
        return;
      }
      const vn = momentum === 0 ? 0 : length;
      slow(
        [
          { arr: w, n: length, out: true },
          { arr: g, n: length, out: false },
          { arr: v, n: vn, out: true },
        ],
        (sx, [pw, pg, pv], v) => sx.sgdUpdate(pw!, pg!, pv!, v[0]!, v[1]!, v[2]!, v[3]!, v[4]!),
        [length, lr, momentum, weightDecay, nv],
      );
    },

    adamUpdate(w, g, m, v, length, lr, beta1, beta2, eps, weightDecay, step, decoupled) {
      if (!f32(w) || !f32(g) || !f32(m) || !f32(v)) {
        adamUpdateRef(w, g, m, v, length, lr, beta1, beta2, eps, weightDecay, step, decoupled);
        return;
      }
      const dc = decoupled ? 1 : 0;
      const buf = memory.buffer;
      if (here(w, buf) && here(g, buf) && here(m, buf) && here(v, buf)) {
        x.adamUpdate(w.byteOffset, g.byteOffset, m.byteOffset, v.byteOffset, length, lr, beta1, beta2, eps, weightDecay, step, dc);
        return;
      }
      slow(
        [
          { arr: w, n: length, out: true },
          { arr: g, n: length, out: false },
          { arr: m, n: length, out: true },
          { arr: v, n: length, out: true },
        ],
        (sx, [pw, pg, pm, pv], v) => sx.adamUpdate(pw!, pg!, pm!, pv!, v[0]!, v[1]!, v[2]!, v[3]!, v[4]!, v[5]!, v[6]!, v[7]!),
        [length, lr, beta1, beta2, eps, weightDecay, step, dc],
      );
    },

    softmaxCrossEntropySeed(N, Y, seed, rows, B) {
      if (!f32(N) || !f32(Y) || !f32(seed)) return softmaxCrossEntropySeedRef(N, Y, seed, rows, B);
      const buf = memory.buffer;
      if (here(N, buf) && here(Y, buf) && here(seed, buf)) {
        return x.softmaxCrossEntropySeed(N.byteOffset, Y.byteOffset, seed.byteOffset, rows, B);
      }
      const n = rows * B;
      return slow(
        [
          { arr: N, n, out: false },
          { arr: Y, n, out: false },
          { arr: seed, n, out: true, in: false },
        ],
        (sx, [pN, pY, pS], v) => sx.softmaxCrossEntropySeed(pN!, pY!, pS!, v[0]!, v[1]!),
        [rows, B],
      );
    },
  };
  return kernels;
}

