/**
 * The native kernels (packages/native) against the WebAssembly relaxed-SIMD kernels, bit for bit: every native
 * instruction set, on one thread and two, for every member of the contract on odd shapes. Accuracy against float64
 * is the conformance suite's; here only the agreement, the addon's own refusals and the choice of set.
 */

import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { createModel, OptionError, UnsupportedError } from 'nabla';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNativeKernels, type NativeKernels } from '../packages/nabla/src/kernels/native.js';
import {
  createWasmKernels,
  enableRelaxedSimdFlag,
  type WasmKernels,
} from '../packages/nabla/src/kernels/wasm/index.js';
import { activations } from '../packages/nabla/src/net/activation.js';
import { haveNative, NATIVE_ISAS } from './helpers/native.js';
import { makeRandom } from './helpers/reference.js';

const RUN = haveNative('native against WebAssembly, bit for bit') && enableRelaxedSimdFlag();

const sets: [string, NativeKernels][] = [];
let wasm: WasmKernels;
beforeAll(async () => {
  if (!RUN) return;
  wasm = await createWasmKernels({ relaxed: true, threads: 1 });
  for (const isa of NATIVE_ISAS) {
    sets.push([`native-${isa}`, createNativeKernels({ isa, threads: 1 })]);
    const two = createNativeKernels({ isa, threads: 2 });
    two.splitFlops = 1;
    sets.push([`native-${isa}, two threads`, two]);
  }
});
afterAll(async () => {
  await wasm?.close();
});

const rand = makeRandom(19);
function filled(n: number, lo = -1, hi = 1): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = lo + (hi - lo) * rand();
  return a;
}

/** Index of the first entry where a and b differ as bit patterns (NaN payloads aside), or −1. */
function firstDifference(a: Float32Array, b: Float32Array): number {
  for (let i = 0; i < a.length; i++)
    if (!Object.is(a[i], b[i]) && !(Number.isNaN(a[i]!) && Number.isNaN(b[i]!))) return i;
  return -1;
}

const SHAPES: [number, number, number][] = [
  [1, 1, 1],
  [3, 5, 2],
  [13, 17, 33],
  [12, 256, 32],
  [25, 257, 31],
  [7, 600, 1],
  [40, 33, 1],
  [10, 129, 64],
  [129, 785, 64],
  [65, 300, 513],
  [150, 520, 100], // more than one MC block of rows, A read in place (≤ 128 columns), two KC blocks and a tail
];

describe.skipIf(!RUN)('native = WebAssembly relaxed SIMD, bit for bit', () => {
  it('matmul in all four transpose cases, with and without accumulate, and matmulHadamard', () => {
    for (const [M, K, N] of SHAPES) {
      for (const tA of [false, true]) {
        for (const tB of [false, true]) {
          const a = filled(M * K),
            b = filled(K * N),
            h = filled(M * N),
            c0 = filled(M * N);
          for (const mode of ['overwrite', 'accumulate', 'hadamard'] as const) {
            const want = c0.slice();
            if (mode === 'hadamard') wasm.matmulHadamard(want, a, b, h, M, K, N, tA, tB);
            else wasm.matmul(want, a, b, M, K, N, tA, tB, mode === 'accumulate');
            for (const [name, k] of sets) {
              const got = c0.slice();
              if (mode === 'hadamard') k.matmulHadamard(got, a, b, h, M, K, N, tA, tB);
              else k.matmul(got, a, b, M, K, N, tA, tB, mode === 'accumulate');
              expect(
                firstDifference(got, want),
                `${name} ${mode} ${M}×${K}×${N} ${tA ? 'T' : 'N'}${tB ? 'T' : 'N'}`,
              ).toBe(-1);
            }
          }
        }
      }
    }
  });

  it("every catalog activation (σ and σ') on lengths 1–40 and a range inside an array, the SIMD ones exactly; sin within one float32 step", () => {
    for (const name of Object.keys(activations)) {
      for (const n of [1, 3, 4, 5, 15, 16, 17, 33, 40]) {
        const N = filled(n + 7, -9, 9);
        N[2] = 0;
        // in the WebAssembly memory: the WebAssembly activation pass runs there (arrays elsewhere take the reference pass)
        const wN = wasm.allocF32(n + 7),
          wS = wasm.allocF32(n + 7),
          wdS = wasm.allocF32(n + 7);
        wN.set(N);
        wasm.activation(name, wN, wS, wdS, 3, 3 + n);
        const want = { S: wS.slice(), dS: wdS.slice() };
        wasm.arena.reset();
        for (const [set, k] of sets) {
          const S = new Float32Array(n + 7),
            dS = new Float32Array(n + 7);
          k.activation(name, N, S, dS, 3, 3 + n);
          if (name === 'sin') {
            for (let i = 0; i < S.length; i++) {
              expect(Math.abs(S[i]! - want.S[i]!), `${set} sin`).toBeLessThanOrEqual(1.2e-7);
              expect(Math.abs(dS[i]! - want.dS[i]!), `${set} cos`).toBeLessThanOrEqual(1.2e-7);
            }
            continue;
          }
          expect(firstDifference(S, want.S), `${set} ${name} σ, length ${n}`).toBe(-1);
          expect(firstDifference(dS, want.dS), `${set} ${name} σ', length ${n}`).toBe(-1);
        }
      }
    }
  });

  it('the softmax cross-entropy seed (every column count mod 4 and mod 16) and its loss', () => {
    for (const [rows, B] of [
      [1, 1],
      [10, 3],
      [10, 64],
      [10, 67],
      [3, 130],
      [11, 17],
    ] as const) {
      const N = filled(rows * B, -8, 8),
        Y = new Float32Array(rows * B);
      for (let j = 0; j < B; j++) Y[Math.floor(rand() * rows) * B + j] = 1;
      const want = new Float32Array(rows * B);
      const L = wasm.softmaxCrossEntropySeed(N, Y, want, rows, B);
      for (const [set, k] of sets) {
        const seed = new Float32Array(rows * B);
        const got = k.softmaxCrossEntropySeed(N, Y, seed, rows, B);
        expect(firstDifference(seed, want), `${set} seed ${rows}×${B}`).toBe(-1);
        expect(Math.abs(got - L), `${set} loss ${rows}×${B} (float64 log of the same sums)`).toBeLessThanOrEqual(
          1e-12 * Math.max(1, Math.abs(L)),
        );
      }
    }
  });

  it('SGD (plain, momentum, Nesterov, weight decay) and Adam/AdamW updates, lengths around the vector widths and split across threads', () => {
    for (const n of [1, 3, 17, 100, 40_000, 70_003]) {
      const w0 = filled(n),
        g = filled(n),
        v0 = filled(n, 0, 0.1),
        m0 = filled(n, -0.1, 0.1),
        s0 = filled(n, 0, 0.01);
      const cases: [
        string,
        (k: NativeKernels | WasmKernels, w: Float32Array, a: Float32Array, b: Float32Array) => void,
      ][] = [
        ['sgd', (k, w, a) => k.sgdUpdate(w, g, a, n, 0.1, 0, 0, false)],
        ['sgd momentum wd', (k, w, a) => k.sgdUpdate(w, g, a, n, 0.05, 0.9, 1e-3, false)],
        ['sgd nesterov', (k, w, a) => k.sgdUpdate(w, g, a, n, 0.05, 0.9, 0, true)],
        ['adam', (k, w, a, b) => k.adamUpdate(w, g, a, b, n, 1e-3, 0.9, 0.999, 1e-8, 0, 7, false)],
        ['adamw', (k, w, a, b) => k.adamUpdate(w, g, a, b, n, 1e-3, 0.9, 0.999, 1e-8, 0.01, 1, true)],
      ];
      for (const [what, step] of cases) {
        const ww = w0.slice(),
          wa = (what.startsWith('adam') ? m0 : v0).slice(),
          wb = s0.slice();
        step(wasm, ww, wa, wb);
        for (const [set, k] of sets) {
          const w = w0.slice(),
            a = (what.startsWith('adam') ? m0 : v0).slice(),
            b = s0.slice();
          step(k, w, a, b);
          expect(firstDifference(w, ww), `${set} ${what} w, length ${n}`).toBe(-1);
          expect(firstDifference(a, wa), `${set} ${what} state, length ${n}`).toBe(-1);
          expect(firstDifference(b, wb), `${set} ${what} second moment, length ${n}`).toBe(-1);
        }
      }
    }
  });

  it("two-thread sets really split (their counters move, and the pool's worker computes chunks)", () => {
    const two = sets.filter(([n]) => n.includes('two threads')).map(([, k]) => k);
    expect(two.length).toBeGreaterThan(0);
    const before = two[0]!.workerChunks();
    const a = filled(512 * 785),
      b = filled(785 * 128),
      out = new Float32Array(512 * 128);
    for (let r = 0; r < 200; r++) two[0]!.matmul(out, a, b, 512, 785, 128, false, false, false);
    expect(two[0]!.stats.splitCalls).toBeGreaterThan(200);
    expect(two[0]!.workerChunks()).toBeGreaterThan(before);
  });

  it("a new pool's first job is shared with the worker made for it (a fresh process: its first two-thread probe)", () => {
    // the probe runs 0.2 s on each thread; the worker, made as the job is published, must take the second chunk
    const script =
      'const { addon } = require(process.argv[1]).load(); const c0 = addon.workerChunks(); ' +
      'addon.probeThreads(256, 256, 0.2, 2); process.stdout.write(String(addon.workerChunks() - c0));';
    const r = spawnSync(process.execPath, ['-e', script, resolve('packages/native/index.cjs')], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('1');
  });
});

describe.skipIf(!RUN)('the native addon refuses what would write past an array, and the choice of set', () => {
  it('an array shorter than the call needs is a RangeError naming it, and nothing is written', () => {
    const k = createNativeKernels({ threads: 1 });
    const out = new Float32Array(5).fill(7);
    expect(() => k.matmul(out, new Float32Array(6), new Float32Array(6), 2, 3, 3, false, false, false)).toThrow(
      /nabla-native: out has 5 entries, the call needs 6/,
    );
    expect([...out]).toEqual([7, 7, 7, 7, 7]);
  });

  it('createNativeKernels refuses an unknown instruction set or thread count by name', () => {
    expect(() => createNativeKernels({ isa: 'sse2' as 'avx2' })).toThrow(OptionError);
    expect(() => createNativeKernels({ isa: 'sse2' as 'avx2' })).toThrow(
      /isa must be 'auto', 'avx512' or 'avx2', got "sse2"/,
    );
    expect(() => createNativeKernels({ threads: 0 })).toThrow(
      /threads must be 'auto' or an integer from 1 to 64, got 0/,
    );
    if (!NATIVE_ISAS.includes('avx512')) expect(() => createNativeKernels({ isa: 'avx512' })).toThrow(UnsupportedError);
  });

  it("fit with kernels: 'native' names the set it ran; NABLA_KERNELS=wasm makes the default WebAssembly", async () => {
    const x = [
      [0, 0],
      [0, 1],
      [1, 0],
      [1, 1],
    ];
    const h = createModel({ inputs: 2, layers: [3, 1] }).fitSync(x, [0, 1, 1, 0], { epochs: 2, kernels: 'native' });
    expect(h.kernels.name).toBe(`native-${NATIVE_ISAS[0]}`);
    const saved = process.env.NABLA_KERNELS;
    try {
      process.env.NABLA_KERNELS = 'wasm';
      expect(
        (await createModel({ inputs: 2, layers: [3, 1] }).fit(x, [0, 1, 1, 0], { epochs: 2 })).kernels.name,
      ).toMatch(/^wasm-/);
      process.env.NABLA_KERNELS = '';
      expect(() => createModel({ inputs: 2, layers: [3, 1] }).fitSync(x, [0, 1, 1, 0], { epochs: 2 })).toThrow(
        /NABLA_KERNELS="": expected native, wasm, ref or auto \(unset it for the automatic choice\)/,
      );
    } finally {
      if (saved === undefined) delete process.env.NABLA_KERNELS;
      else process.env.NABLA_KERNELS = saved;
    }
  });
});
