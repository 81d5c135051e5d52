/**
 * The `WasmKernels` object: its kernels bound from the table of binding.ts (one function does the choice of
 * fast path, copy path or `other` for all of them), its memory (`allocF32`, `region`) and its threads. With a
 * thread pool, fast-path products above `splitFlops` and optimizer updates above `SPLIT_UPDATE_FLOATS` floats are
 * split across the threads (threads.ts).
 */

import { NablaError, OptionError } from '../../errors.js';
import { refKernels } from '../ref.js';
import type { FloatArray } from '../types.js';
import { type ActivationId, activationIdOf } from './activation-ids.js';
import { type AnyKernel, bind, FAST, type KernelName, placement } from './binding.js';
import type { GemmPool } from './threads.js';
import type { Bound, RawExports, WasmKernels, WasmThreadStats } from './types.js';

/**
 * FLOPs (2·rows·inner·cols) above which a product is split across threads: 1 MFLOP, ~25–50 µs on one thread.
 * Measured on a 2-vCPU VM: with bench/threads.bench.ts (2026-11-28), split products ran 1.2–2.0× faster from
 * 0.5 MFLOP up (worker awake), and the products of a 10-wide output layer at batch 64 (≤ 0.2 MFLOP) gain nothing,
 * which stay below this threshold. Lowered from 4 MFLOP on 2026-12-01: splitting the 1.3 MFLOP output-layer
 * products of 784-512-512-10 at batch 128 too made two-thread training 2–5 % faster (fitSync with 1- and 2-thread
 * kernels alternating in one process, SGD and Adam). With the second core busy with another process, splitting
 * lost ~10 % at every size, large ones included, so no size threshold protects against that: use `threads: 1` on
 * a machine whose cores are taken.
 */
export const DEFAULT_SPLIT_FLOPS = 1e6;

/**
 * Floats above which an optimizer update is split across threads: 32,768 (the update of a 784×42 layer; Adam
 * reads and writes four arrays, ~30–60 µs on one thread here, against a few µs to hand out a job).
 */
export const SPLIT_UPDATE_FLOATS = 32768;

/** The threads of a kernels object: the pool (none with one thread) and why there are not more. */
export interface Threading {
  pool: GemmPool | undefined;
  note: string | undefined;
}

const NO_STATS: WasmThreadStats = Object.freeze({ splitCalls: 0, chunks: 0, workerChunks: 0 });

/** The module's kernels outside the `Kernels` contract, bound like the others (false: not all Float32Arrays). */
export interface ElementwiseKernels {
  /** S[i] = σ(N[i]), dS[i] = σ'(N[i]) for i < length, σ chosen by id. S or dS may alias N. */
  activate(N: FloatArray, S: FloatArray, dS: FloatArray, length: number, id: ActivationId): boolean;
  /** out[i] ← out[i]·a[i]. */
  hadamardInto(out: FloatArray, a: FloatArray, length: number): boolean;
  /** y[i] ← y[i] + alpha·x[i]. */
  axpy(y: FloatArray, x: FloatArray, alpha: number, length: number): boolean;
  /** x[i] ← alpha·x[i]. */
  scale(x: FloatArray, alpha: number, length: number): boolean;
}

const instances = new WeakMap<WasmKernels, { main: Bound; scratch: Bound }>();

/**
 * The module's exports that no caller of `Kernels` needs (activation by id, hadamardInto, axpy, scale), bound by
 * the same table for the conformance tests. Internal: not exported from the package.
 */
export function elementwiseKernels(k: WasmKernels): ElementwiseKernels {
  const inst = instances.get(k);
  if (!inst) throw new OptionError('elementwiseKernels: not a WasmKernels object made by createWasmKernels');
  const { main, scratch } = inst;
  const actCount = Number(main.x.ACT_COUNT.value);
  const activate = bind('activate', main.x.activate as AnyKernel, main, scratch);
  return {
    activate(N, S, dS, length, id) {
      if (!(id >= 0 && id < actCount && Number.isInteger(id))) {
        throw new OptionError(
          `activate: unknown activation id ${id}; expected one of ActivationId (0–${actCount - 1})`,
        );
      }
      return activate(N, S, dS, length, id) as boolean;
    },
    hadamardInto: bind(
      'hadamardInto',
      main.x.hadamardInto as AnyKernel,
      main,
      scratch,
    ) as ElementwiseKernels['hadamardInto'],
    axpy: bind('axpy', main.x.axpy as AnyKernel, main, scratch) as ElementwiseKernels['axpy'],
    scale: bind('scale', main.x.scale as AnyKernel, main, scratch) as ElementwiseKernels['scale'],
  };
}

export function makeKernels(
  main: Bound,
  scratch: Bound,
  relaxed: boolean,
  threading: Threading = { pool: undefined, note: undefined },
): WasmKernels {
  const { x, memory, arena } = main;
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
  /** Whether a product of this size goes to the threads. */
  const splits = (rows: number, inner: number, cols: number): boolean =>
    pool !== undefined &&
    2 * rows * inner * cols > kernels.splitFlops &&
    (rows >= 8 || cols >= 16) &&
    livePool() !== undefined;

  // The fast paths that may split a product (flags arrive as booleans; WebAssembly and the pool's Int32Array take them as 0/1).
  const matmulFast: RawExports['matmul'] = (out, a, b, rows, inner, cols, tA, tB, acc) => {
    if (splits(rows, inner, cols)) pool!.matmul(out, a, b, rows, inner, cols, tA, tB, acc);
    else x.matmul(out, a, b, rows, inner, cols, tA, tB, acc);
  };
  const matmulHadamardFast: RawExports['matmulHadamard'] = (out, a, b, h, rows, inner, cols, tA, tB) => {
    if (splits(rows, inner, cols)) {
      pool!.matmul(out, a, b, rows, inner, cols, tA, tB, 0, h);
    } else {
      // one pass: each block of out is multiplied by h right after its last inner block (asm/gemm.ts)
      x.matmulHadamard(out, a, b, h, rows, inner, cols, tA, tB);
    }
  };
  /** Whether an optimizer update of this many floats goes to the threads. */
  const splitsUpdate = (len: number): boolean =>
    pool !== undefined && len > SPLIT_UPDATE_FLOATS && livePool() !== undefined;
  const sgdFast: RawExports['sgdUpdate'] = (w, g, v, len, lr, mu, wd, nesterov) => {
    if (splitsUpdate(len)) pool!.sgdUpdate(w, g, v, len, lr, mu, wd, nesterov);
    else x.sgdUpdate(w, g, v, len, lr, mu, wd, nesterov);
  };
  const adamFast: RawExports['adamUpdate'] = (w, g, m, v, len, lr, b1, b2, eps, wd, step, decoupled) => {
    if (splitsUpdate(len)) pool!.adamUpdate(w, g, m, v, len, lr, b1, b2, eps, wd, step, decoupled);
    else x.adamUpdate(w, g, m, v, len, lr, b1, b2, eps, wd, step, decoupled);
  };
  const bound = <K extends KernelName>(name: K, fast: AnyKernel = x[name] as AnyKernel) =>
    bind(name, fast, main, scratch) as WasmKernels[K & keyof WasmKernels];

  const kernels: WasmKernels = {
    name: relaxed ? 'wasm-relaxed' : 'wasm-simd',
    relaxed,
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
          if (arena.generation !== generation)
            throw new NablaError('range', 'wasm kernels: a memory region outgrew its reservation');
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

    // arrays outside the module's memory go to the reference pass (as fast as copying them in and out), as do
    // names without a WebAssembly pass (none at present: every catalog activation has an id)
    activation(name, N, S, dS, start, end) {
      const id = activationIdOf(name);
      const buf = memory.buffer;
      if (id === undefined || placement(buf, N) !== FAST || placement(buf, S) !== FAST || placement(buf, dS) !== FAST) {
        refKernels.activation(name, N, S, dS, start, end);
        return;
      }
      x.activate(N.byteOffset + 4 * start, S.byteOffset + 4 * start, dS.byteOffset + 4 * start, end - start, id);
    },

    matmul: bound('matmul', matmulFast as AnyKernel),
    matmulHadamard: bound('matmulHadamard', matmulHadamardFast as AnyKernel),
    hadamard: bound('hadamard'),
    sgdUpdate: bound('sgdUpdate', sgdFast as AnyKernel),
    adamUpdate: bound('adamUpdate', adamFast as AnyKernel),
    softmaxCrossEntropySeed: bound('softmaxCrossEntropySeed'),
  };
  instances.set(kernels, { main, scratch });
  return kernels;
}
