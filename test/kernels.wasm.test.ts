/**
 * WASM-specific behaviour that the conformance suite does not cover: feature detection and the
 * rejection messages, the memory arena, growth detaching old views, and the copy (slow) path.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { UnsupportedError } from '../packages/nabla/src/errors.js';
import { refKernels } from '../packages/nabla/src/kernels/ref.js';
import {
  ActivationId,
  activationIdOf,
  createWasmKernels,
  enableRelaxedSimdFlag,
  simdSupported,
  WasmArena,
} from '../packages/nabla/src/kernels/wasm/index.js';

const SIMD = simdSupported();
/** Whether a module contains the opcode f32x4.relaxed_madd (0xfd 0x85 0x02), as the probe and the relaxed build do. */
function containsRelaxed(bytes: BufferSource): boolean {
  const b = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes instanceof ArrayBuffer ? bytes : bytes.buffer);
  for (let i = 0; i + 2 < b.length; i++) if (b[i] === 0xfd && b[i + 1] === 0x85 && b[i + 2] === 0x02) return true;
  return false;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('detection', () => {
  it('createWasmKernels rejects with UnsupportedError naming the fallback when SIMD is missing', async () => {
    vi.spyOn(WebAssembly, 'validate').mockReturnValue(false);
    await expect(createWasmKernels()).rejects.toThrow(UnsupportedError);
    await expect(createWasmKernels()).rejects.toThrow(/no WebAssembly SIMD.*use refKernels/);
  });

  it.skipIf(!SIMD)(
    'relaxed: true rejects when relaxed SIMD is missing; the default falls back to plain SIMD',
    async () => {
      const validate = WebAssembly.validate.bind(WebAssembly);
      vi.spyOn(WebAssembly, 'validate').mockImplementation((b) => !containsRelaxed(b) && validate(b));
      await expect(createWasmKernels({ relaxed: true })).rejects.toThrow(/relaxed SIMD.*relaxed: false/);
      const k = await createWasmKernels();
      expect(k.name).toBe('wasm-simd');
      expect(k.relaxed).toBe(false);
    },
  );

  it.skipIf(!SIMD)('picks the relaxed build by default when the engine runs it', async () => {
    const k = await createWasmKernels();
    expect(k.relaxed).toBe(enableRelaxedSimdFlag());
    expect(k.name).toBe(k.relaxed ? 'wasm-relaxed' : 'wasm-simd');
  });

  it('maps catalog names to activation ids', () => {
    expect(activationIdOf('relu')).toBe(ActivationId.relu);
    expect(activationIdOf('leaky_relu')).toBe(4);
    expect(activationIdOf('my_own')).toBeUndefined();
    expect(activationIdOf('toString')).toBeUndefined();
  });
});

describe('WasmArena', () => {
  it('hands out 16-byte-aligned offsets, resets to a mark, and counts growths', () => {
    const memory = new WebAssembly.Memory({ initial: 1 });
    const arena = new WasmArena(memory, 100);
    expect(arena.base).toBe(112);
    const a = arena.alloc(3);
    const mark = arena.mark();
    const b = arena.alloc(20);
    expect([a % 16, b % 16, b - a]).toEqual([0, 0, 16]);
    arena.reset(mark);
    expect(arena.alloc(1)).toBe(b);
    expect(arena.generation).toBe(0);
    const view = arena.f32(a, 4);
    arena.alloc(200_000); // beyond the first 64 KiB page: grows
    expect(arena.generation).toBe(1);
    expect(view.length).toBe(0); // detached by the growth
    expect(arena.f32(a, 4).length).toBe(4); // re-derived
    expect(() => arena.reset(arena.mark() + 16)).toThrow(/not a mark/);
    arena.reset();
    expect(arena.used).toBe(0);
  });
});

describe.skipIf(!SIMD)('WasmKernels memory', () => {
  it('allocF32 returns zeroed views of the module memory; others are not in memory', async () => {
    const k = await createWasmKernels({ relaxed: false, initialBytes: 1 << 20 });
    const x = k.allocF32(10);
    x.fill(3);
    k.arena.reset();
    const y = k.allocF32(10);
    expect(y.byteOffset).toBe(x.byteOffset);
    expect(Array.from(y)).toEqual(new Array(10).fill(0));
    expect(y.buffer).toBe(k.arena.memory.buffer);
    expect(new Float32Array(10).buffer).not.toBe(k.arena.memory.buffer);
  });

  it('the copy path never grows the main memory, and mixed placements compute correctly', async () => {
    const k = await createWasmKernels({ relaxed: false, initialBytes: 1 << 16 });
    const bytes = k.arena.memory.buffer.byteLength;
    const M = 300,
      K = 200,
      N = 100; // operands far larger than the main memory's free space
    const a = Float32Array.from({ length: M * K }, (_, i) => ((i * 7) % 13) - 6);
    const b = Float32Array.from({ length: K * N }, (_, i) => ((i * 5) % 11) - 5);
    const out = new Float32Array(M * N);
    k.matmul(out, a, b, M, K, N, false, false, false);
    const want = new Float64Array(M * N);
    refKernels.matmul(want, a, b, M, K, N, false, false, false);
    expect(Array.from(out)).toEqual(Array.from(want)); // small integers: exact in f32
    expect(k.arena.memory.buffer.byteLength).toBe(bytes);
    expect(k.arena.generation).toBe(0);

    const small = k.allocF32(6);
    small.set([1, 2, 3, 4, 5, 6]);
    const outside = Float32Array.from([1, 1, 1, 1, 1, 1]);
    k.hadamard(outside, small, outside, 6); // out and b outside, a inside
    expect(Array.from(outside)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('a view detached by memory growth fails with a message saying so', async () => {
    const k = await createWasmKernels({ relaxed: false, initialBytes: 0 });
    const old = k.allocF32(4);
    const gen = k.arena.generation;
    k.allocF32(1 << 20); // grows
    expect(k.arena.generation).toBeGreaterThan(gen);
    expect(() => k.hadamard(old, old, old, 4)).toThrow(/detached.*allocF32.*grew/);
  });

  it('rejects a negative initialBytes', async () => {
    await expect(createWasmKernels({ initialBytes: -1 })).rejects.toThrow(/initialBytes/);
  });
});
