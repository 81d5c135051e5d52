/**
 * The binding of the module's exports as kernels, driven by one table (`KERNELS`): Float32Arrays in the module's
 * memory pass by offset (a direct call), other Float32Arrays are copied through the private scratch instance,
 * any other array goes to the row's `other` (the reference kernel, or "not handled" for the internal kernels).
 */
import { NablaError } from '../../errors.js';
import { refKernels } from '../ref.js';
import type { Bound, RawExports } from './types.js';

// ---------------------------------------------------------------------------------------------------
// The table

/** The numeric arguments of a call after its arrays, flags as 0/1 (e.g. matmul: rows, inner, cols, tA, tB, acc). */
type Scalars = readonly number[];

/** One array argument: the floats the kernel touches, and which way the copy path moves them. */
interface Span {
  floats(s: Scalars): number;
  /** Copied into the scratch instance before the call. */
  in: boolean | ((s: Scalars) => boolean);
  /** Copied back after the call. */
  out: boolean;
}
const read = (floats: (s: Scalars) => number): Span => ({ floats, in: true, out: false });
const written = (floats: (s: Scalars) => number): Span => ({ floats, in: false, out: true });
const updated = (floats: (s: Scalars) => number): Span => ({ floats, in: true, out: true });

/** Any kernel in its public form: the arrays first (at most 4), then numbers and flags, 12 arguments at most. */
export type AnyKernel = (...args: unknown[]) => unknown;

/**
 * One kernel: its array arguments (the leading ones; the module's export takes their byte offsets in the same
 * places, followed by the same numbers), what a call with an array that is not a Float32Array does, and what a
 * call returns when the kernel ran (`ran`; omitted: the export's own result).
 */
interface Row {
  arrays: readonly Span[];
  other: AnyKernel;
  ran?: true;
}

const len = ([n]: Scalars): number => n!;
const decline = (): false => false;

/** The kernels `bind` binds, by export name (the first rows are the `Kernels` contract, the last four internal). */
const KERNELS = {
  // out = op(a)·op(b) (+ out):  scalars rows, inner, cols, tA, tB, acc
  matmul: {
    arrays: [
      { floats: ([r, , c]) => r! * c!, in: (s) => s[5] !== 0, out: true },
      read(([r, i]) => r! * i!),
      read(([, i, c]) => i! * c!),
    ],
    other: refKernels.matmul as AnyKernel,
  },
  // out = (op(a)·op(b)) ∘ h:  rows, inner, cols, tA, tB
  matmulHadamard: {
    arrays: [
      written(([r, , c]) => r! * c!),
      read(([r, i]) => r! * i!),
      read(([, i, c]) => i! * c!),
      read(([r, , c]) => r! * c!),
    ],
    other: refKernels.matmulHadamard as AnyKernel,
  },
  hadamard: { arrays: [written(len), read(len), read(len)], other: refKernels.hadamard as AnyKernel },
  // w, g, v:  length, lr, momentum, weightDecay, nesterov (v untouched when momentum = 0)
  sgdUpdate: {
    arrays: [updated(len), read(len), updated(([n, , mu]) => (mu === 0 ? 0 : n!))],
    other: refKernels.sgdUpdate as AnyKernel,
  },
  // w, g, m, v:  length, lr, β1, β2, ε, weightDecay, step, decoupled
  adamUpdate: {
    arrays: [updated(len), read(len), updated(len), updated(len)],
    other: refKernels.adamUpdate as AnyKernel,
  },
  // N, Y, seed:  rows, B
  softmaxCrossEntropySeed: {
    arrays: [read(([r, b]) => r! * b!), read(([r, b]) => r! * b!), written(([r, b]) => r! * b!)],
    other: refKernels.softmaxCrossEntropySeed as AnyKernel,
  },
  // internal (elementwiseKernels, outside the contract; they decline other arrays): N, S, dS: length, id
  activate: { arrays: [read(len), written(len), written(len)], other: decline, ran: true },
  hadamardInto: { arrays: [updated(len), read(len)], other: decline, ran: true },
  axpy: { arrays: [updated(([, n]) => n!), read(([, n]) => n!)], other: decline, ran: true },
  scale: { arrays: [updated(([, n]) => n!)], other: decline, ran: true },
} satisfies { [K in keyof RawExports]?: Row };

export type KernelName = keyof typeof KERNELS;

// ---------------------------------------------------------------------------------------------------
// The binding

export const FAST = 0;
const COPY = 1;
const OTHER = 2;

/** FAST for a number or flag and for a Float32Array on `buf`, COPY for another Float32Array, OTHER for any other array. */
export function placement(buf: ArrayBufferLike, p: unknown): number {
  if (typeof p !== 'object') return FAST;
  if (!(p instanceof Float32Array)) return OTHER;
  return p.buffer === buf ? FAST : COPY;
}

/** The byte offset of an array, or the number itself. */
function offset(p: unknown): unknown {
  return typeof p === 'object' ? (p as Float32Array).byteOffset : p;
}

/** Copies the arrays of `args` into the scratch instance, runs its export `fn` on their offsets there, copies outputs back. */
function copyCall(row: Row, fn: AnyKernel, scratch: Bound, main: Bound, args: readonly unknown[]): unknown {
  const n = row.arrays.length;
  const arrays = args.slice(0, n) as Float32Array[];
  const scalars = args.slice(n).map(Number);
  const sa = scratch.arena;
  sa.reset();
  const ptrs: number[] = [];
  const floats: number[] = [];
  for (let i = 0; i < n; i++) {
    const arr = arrays[i]!;
    const want = row.arrays[i]!.floats(scalars);
    if (main.arena.stale(arr.buffer)) {
      throw new NablaError(
        'range',
        'wasm kernels: an array is a view of the shared WebAssembly memory from before it grew; such views are ' +
          'refused like the detached views of an ordinary memory (was it made by allocF32 before the WebAssembly memory grew? ' +
          're-derive it, or reserve the memory up front)',
      );
    }
    if (arr.length < want) {
      throw new NablaError(
        'range',
        `wasm kernels: an array has ${arr.length} floats, the operation needs ${want}` +
          (arr.length === 0 && arr.buffer.byteLength === 0
            ? ' (its buffer is detached: was it made by allocF32 before the WebAssembly memory grew?)'
            : ''),
      );
    }
    ptrs.push(sa.alloc(want * 4));
    floats.push(want);
  }
  for (let i = 0; i < n; i++) {
    const span = row.arrays[i]!;
    const copyIn = typeof span.in === 'function' ? span.in(scalars) : span.in;
    const arr = arrays[i]!;
    const f = floats[i]!;
    if (copyIn && f > 0) sa.f32(ptrs[i]!, f).set(arr.length === f ? arr : arr.subarray(0, f));
  }
  const r = fn(...ptrs, ...scalars);
  for (let i = 0; i < n; i++) {
    if (row.arrays[i]!.out && floats[i]! > 0) arrays[i]!.set(sa.f32(ptrs[i]!, floats[i]!));
  }
  sa.reset();
  return r;
}

/**
 * The kernel of row `name`: the three-way choice of placement, then `fast` (the main instance's export, or an
 * override that may split across threads) on offsets, the scratch instance's export by copy, or the row's `other`.
 * A fixed list of parameters (no rest array) and nothing captured per call, so the fast path allocates nothing.
 */
export function bind(name: KernelName, fast: AnyKernel, main: Bound, scratch: Bound): AnyKernel {
  const row: Row = KERNELS[name];
  const { other, ran } = row;
  const copyFn = scratch.x[name] as AnyKernel;
  const memory = main.memory;
  return function kernel(p0, p1, p2, p3, p4, p5, p6, p7, p8, p9, p10, p11): unknown {
    const buf = memory.buffer;
    const where = Math.max(placement(buf, p0), placement(buf, p1), placement(buf, p2), placement(buf, p3));
    if (where === OTHER) return other(p0, p1, p2, p3, p4, p5, p6, p7, p8, p9, p10, p11);
    const r =
      where === FAST
        ? fast(offset(p0), offset(p1), offset(p2), offset(p3), p4, p5, p6, p7, p8, p9, p10, p11)
        : copyCall(row, copyFn, scratch, main, [p0, p1, p2, p3, p4, p5, p6, p7, p8, p9, p10, p11]);
    return ran ?? r;
  } as AnyKernel;
}
