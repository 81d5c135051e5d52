/**
 * A bump arena over a `WebAssembly.Memory`: 16-byte-aligned byte offsets, `reset(mark)` frees everything after
 * `mark`. Growing an unshared memory detaches its buffer, so never keep a view across a call that may grow it:
 * re-derive it with `f32(offset, length)` (see `generation`) or `reserve` up front. Stale views are refused.
 */
import { NablaError } from '../../errors.js';
import type { WasmMemory } from './memory-types.js';

const PAGE = 65536;
const ALIGN = 16;

/** A bump arena over a WebAssembly memory: 16-byte-aligned byte offsets, freed at once by `reset(mark)`. */
export class WasmArena {
  /** The memory the offsets point into. */
  readonly memory: WasmMemory;
  /** The first offset this arena hands out (below it: the module's static data and workspace). */
  readonly base: number;
  private top: number;
  private grows = 0;
  private readonly shared: boolean;
  /** Buffers of a shared memory that views were made of (to recognise stale ones); unused otherwise. */
  private readonly buffers = new WeakSet<ArrayBufferLike>();

  constructor(memory: WasmMemory, base: number) {
    this.memory = memory;
    this.base = align(base);
    this.top = this.base;
    this.shared = typeof SharedArrayBuffer === 'function' && memory.buffer instanceof SharedArrayBuffer;
  }

  /**
   * True when `buffer` is an earlier buffer of this (shared) memory that `f32` made views of before the
   * memory grew: the counterpart of a detached buffer of an ordinary memory.
   */
  stale(buffer: ArrayBufferLike): boolean {
    return this.shared && buffer !== this.memory.buffer && this.buffers.has(buffer);
  }

  /** Bytes in use above `base`. */
  get used(): number {
    return this.top - this.base;
  }

  /** Counts memory growths; views made before the count changed are detached. */
  get generation(): number {
    return this.grows;
  }

  /** Reserves `bytes` (rounded up to 16) and returns the offset. May grow (see the class comment). */
  alloc(bytes: number): number {
    const at = this.top;
    const end = at + align(Math.max(0, bytes));
    this.ensure(end);
    this.top = end;
    return at;
  }

  /** Grows the memory now, if needed, so that the next `bytes` of allocations will not grow it. */
  reserve(bytes: number): void {
    this.ensure(this.top + align(Math.max(0, bytes)));
  }

  /** The current top, for a later `reset(mark)`. */
  mark(): number {
    return this.top;
  }

  /** Frees everything allocated after `mark` (default: everything). */
  reset(mark: number = this.base): void {
    if (mark < this.base || mark > this.top || mark % ALIGN !== 0) {
      throw new NablaError('range', `WasmArena.reset: mark ${mark} is not a mark between ${this.base} and ${this.top}`);
    }
    this.top = mark;
  }

  /** A Float32Array view of `length` floats at `offset`, on the current buffer. */
  f32(offset: number, length: number): Float32Array {
    const buffer = this.memory.buffer;
    if (this.shared) this.buffers.add(buffer);
    return new Float32Array(buffer, offset >>> 0, length);
  }

  private ensure(end: number): void {
    const have = this.memory.buffer.byteLength;
    if (end <= have) return;
    const pages = Math.ceil((end - have) / PAGE);
    try {
      this.memory.grow(pages);
    } catch (e) {
      throw new NablaError(
        'range',
        `WasmArena: cannot grow WebAssembly memory from ${have} to ${have + pages * PAGE} bytes (${String(e)}); ` +
          `free scratch with reset(), or use smaller batches`,
      );
    }
    this.grows++;
  }
}

function align(n: number): number {
  return Math.ceil(n / ALIGN) * ALIGN;
}

/** A shared memory with the largest maximum the engine accepts (the module allows up to 4 GiB), for threads. */
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
