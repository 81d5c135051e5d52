/**
 * The threaded WASM matmul (main thread + workers on a shared memory): bit-identical to one thread,
 * split only above the threshold, close(), the fallback without shared memory, and that Node exits
 * with a worker that was never closed. No timings here (see bench/threads.bench.ts).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import type { Dataset } from '../packages/nabla/src/data/dataset.js';
import { OptionError, UnsupportedError } from '../packages/nabla/src/errors.js';
import {
  createWasmKernels,
  DEFAULT_SPLIT_FLOPS,
  enableRelaxedSimdFlag,
  relaxedSimdSupported,
  SPLIT_UPDATE_FLOATS,
  simdSupported,
  threadsUnavailableReason,
  type WasmKernels,
} from '../packages/nabla/src/kernels/wasm/index.js';
import { threadTuning } from '../packages/nabla/src/kernels/wasm/threads.js';
import { NODE_WORKER, WEB_WORKER } from '../packages/nabla/src/kernels/wasm/worker-script.js';
import { createNetwork } from '../packages/nabla/src/net/init.js';
import { fit } from '../packages/nabla/src/train/fit.js';

const SIMD = simdSupported();
const THREADS = SIMD && threadsUnavailableReason() === undefined;
const RELAXED = SIMD && (enableRelaxedSimdFlag() || relaxedSimdSupported());

const open: WasmKernels[] = [];
async function make(opts: Parameters<typeof createWasmKernels>[0]): Promise<WasmKernels> {
  const k = await createWasmKernels(opts);
  open.push(k);
  return k;
}
afterAll(async () => {
  for (const k of open) await k.close();
});
afterEach(() => {
  vi.unstubAllGlobals();
});

function fill(a: Float32Array, seed: number): void {
  let s = seed >>> 0;
  for (let i = 0; i < a.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    a[i] = s / 2 ** 31 - 1;
  }
}

/** Index of the first entry whose bits differ (-0 ≠ 0, NaN patterns compared too), or -1. */
function firstBitDifference(x: Float32Array, y: Float32Array): number {
  const a = new Uint32Array(x.buffer, x.byteOffset, x.length);
  const b = new Uint32Array(y.buffer, y.byteOffset, y.length);
  if (a.length !== b.length) return 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return i;
  return -1;
}

/** op(a)·op(b) (+ c) with one thread and split across the threads of `multi`; returns both results. */
function both(
  one: WasmKernels,
  multi: WasmKernels,
  M: number,
  K: number,
  N: number,
  tA: boolean,
  tB: boolean,
  acc: boolean,
): { single: Float32Array; split: Float32Array; splitCalls: number } {
  const marks = [one.arena.mark(), multi.arena.mark()];
  const a1 = one.allocF32(M * K),
    b1 = one.allocF32(K * N),
    c1 = one.allocF32(M * N);
  const a2 = multi.allocF32(M * K),
    b2 = multi.allocF32(K * N),
    c2 = multi.allocF32(M * N);
  fill(a1, M * 31 + K);
  fill(b1, N * 17 + 3);
  fill(c1, 5);
  a2.set(a1);
  b2.set(b1);
  c2.set(c1);
  const before = multi.stats.splitCalls;
  one.matmul(c1, a1, b1, M, K, N, tA, tB, acc);
  multi.matmul(c2, a2, b2, M, K, N, tA, tB, acc);
  const r = { single: c1.slice(), split: c2.slice(), splitCalls: multi.stats.splitCalls - before };
  one.arena.reset(marks[0]);
  multi.arena.reset(marks[1]);
  return r;
}

describe.skipIf(!SIMD)('options', () => {
  it('rejects a threads value that is not auto or a positive integer', async () => {
    for (const threads of [0, -1, 1.5, Number.NaN, 1000]) {
      await expect(createWasmKernels({ threads })).rejects.toThrow(OptionError);
    }
    await expect(createWasmKernels({ threads: 'many' as unknown as number })).rejects.toThrow(
      /threads must be 'auto' or an integer/,
    );
  });

  it('threads: 1 never starts a worker and keeps an ordinary memory', async () => {
    const k = await make({ threads: 1 });
    expect(k.threads).toBe(1);
    expect(k.threadsNote).toBeUndefined();
    expect(k.arena.memory.buffer).toBeInstanceOf(ArrayBuffer);
    const r = both(k, k, 256, 300, 200, false, false, false);
    expect(r.splitCalls).toBe(0);
    await k.close(); // harmless
  });

  it('without SharedArrayBuffer, threads: 2 rejects naming the reason and auto falls back to one thread', async () => {
    vi.stubGlobal('SharedArrayBuffer', undefined);
    expect(threadsUnavailableReason()).toMatch(/SharedArrayBuffer/);
    await expect(createWasmKernels({ threads: 2 })).rejects.toThrow(UnsupportedError);
    await expect(createWasmKernels({ threads: 2 })).rejects.toThrow(/threads: 2.*SharedArrayBuffer.*threads: 1/);
    const k = await make({});
    expect(k.threads).toBe(1);
    expect(k.threadsNote).toMatch(/SharedArrayBuffer/);
    const r = both(k, k, 130, 70, 90, true, false, false);
    expect(firstBitDifference(r.single, r.split)).toBe(-1);
  });

  it('both worker scripts parse (the browser one is not run under Node)', () => {
    expect(() => new Function(WEB_WORKER)).not.toThrow();
    expect(() => new Function('require', NODE_WORKER)).not.toThrow();
  });

  it('in a browser page that is not cross-origin isolated, the reason names the headers', () => {
    vi.stubGlobal('SharedArrayBuffer', undefined);
    vi.stubGlobal('crossOriginIsolated', false);
    expect(threadsUnavailableReason()).toMatch(/cross-origin isolated.*Cross-Origin-Opener-Policy/);
  });
});

describe.skipIf(!THREADS)('two threads', () => {
  const variants = RELAXED ? ([false, true] as const) : ([false] as const);
  for (const relaxed of variants) {
    describe(relaxed ? 'relaxed SIMD (FMA)' : 'plain SIMD', () => {
      let one: WasmKernels;
      let two: WasmKernels;
      it('starts the worker', async () => {
        one = await make({ threads: 1, relaxed });
        two = await make({ threads: 2, relaxed });
        expect(two.threads).toBe(2);
        expect(two.threadsNote).toBeUndefined();
        expect(two.arena.memory.buffer).toBeInstanceOf(SharedArrayBuffer);
        expect(two.splitFlops).toBe(DEFAULT_SPLIT_FLOPS);
      });

      it('split products equal one thread bit for bit: all transposes, odd sizes, both split directions, accumulate', () => {
        two.splitFlops = 0; // split everything that can be split
        const shapes: [number, number, number][] = [
          [513, 785, 129], // rows split, odd everywhere
          [129, 785, 513], // columns split
          [64, 784, 128],
          [97, 300, 2100], // columns beyond one NC block
          [8, 3, 9], // the smallest that splits
          [515, 785, 1], // one column (the matrix-vector path): rows split, 515 = 32·16 + 3 tail rows
        ];
        let splits = 0;
        for (const [M, K, N] of shapes) {
          for (const [tA, tB] of [
            [false, false],
            [true, false],
            [false, true],
            [true, true],
          ] as const) {
            for (const acc of [false, true]) {
              const r = both(one, two, M, K, N, tA, tB, acc);
              splits += r.splitCalls;
              expect(firstBitDifference(r.single, r.split), `${M}×${K}×${N} tA=${tA} tB=${tB} acc=${acc}`).toBe(-1);
            }
          }
        }
        expect(splits).toBe(shapes.length * 8);
        expect(two.stats.chunks).toBeGreaterThanOrEqual(2 * two.stats.splitCalls);
        two.splitFlops = DEFAULT_SPLIT_FLOPS;
      });

      it('chunks computed by the worker alone equal one thread bit for bit', () => {
        two.splitFlops = 0;
        threadTuning.mainComputes = false; // the main thread only dispatches and waits
        try {
          const w0 = two.stats.workerChunks;
          const c0 = two.stats.chunks;
          for (const [M, K, N] of [
            [513, 785, 129],
            [129, 785, 513],
          ] as const) {
            for (const [tA, tB] of [
              [false, false],
              [true, false],
              [false, true],
              [true, true],
            ] as const) {
              const r = both(one, two, M, K, N, tA, tB, true);
              expect(firstBitDifference(r.single, r.split), `${M}×${K}×${N} tA=${tA} tB=${tB}`).toBe(-1);
            }
          }
          expect(two.stats.workerChunks - w0).toBe(two.stats.chunks - c0);
        } finally {
          threadTuning.mainComputes = true;
          two.splitFlops = DEFAULT_SPLIT_FLOPS;
        }
      });

      it("split fused products (W_{i+1}ᵀ·Δ_{i+1}) ∘ Σ'_i equal one thread bit for bit: transposes, both directions, the worker alone", () => {
        two.splitFlops = 0;
        try {
          for (const workerOnly of [false, true]) {
            threadTuning.mainComputes = !workerOnly;
            for (const [M, K, N] of [
              [513, 513, 128],
              [129, 785, 513],
              [10, 513, 128],
              [515, 785, 1],
            ] as const) {
              for (const [tA, tB] of [
                [true, false],
                [false, false],
                [false, true],
                [true, true],
              ] as const) {
                const marks = [one.arena.mark(), two.arena.mark()];
                const [a1, b1, h1, c1] = [
                  one.allocF32(M * K),
                  one.allocF32(K * N),
                  one.allocF32(M * N),
                  one.allocF32(M * N),
                ];
                const [a2, b2, h2, c2] = [
                  two.allocF32(M * K),
                  two.allocF32(K * N),
                  two.allocF32(M * N),
                  two.allocF32(M * N),
                ];
                fill(a1, M + K);
                fill(b1, N + 1);
                fill(h1, 9);
                a2.set(a1);
                b2.set(b1);
                h2.set(h1);
                const before = two.stats.splitCalls;
                one.matmulHadamard!(c1, a1, b1, h1, M, K, N, tA, tB);
                two.matmulHadamard!(c2, a2, b2, h2, M, K, N, tA, tB);
                expect(two.stats.splitCalls - before, `${M}×${K}×${N}`).toBe(1);
                expect(firstBitDifference(c1, c2), `${M}×${K}×${N} tA=${tA} tB=${tB} worker only ${workerOnly}`).toBe(
                  -1,
                );
                one.arena.reset(marks[0]);
                two.arena.reset(marks[1]);
              }
            }
          }
        } finally {
          threadTuning.mainComputes = true;
          two.splitFlops = DEFAULT_SPLIT_FLOPS;
        }
      });

      it(
        'optimizer updates above SPLIT_UPDATE_FLOATS split and equal one thread bit for bit (SGD, ' +
          'momentum, Nesterov, Adam, AdamW; also by the worker alone)',
        () => {
          const len = 3 * SPLIT_UPDATE_FLOATS + 7; // an odd tail in the last chunk
          const run = (k: WasmKernels, kind: string, steps: number): Float32Array[] => {
            const mark = k.arena.mark();
            const [w, g, m, v] = [k.allocF32(len), k.allocF32(len), k.allocF32(len), k.allocF32(len)];
            fill(w, 1);
            for (let t = 1; t <= steps; t++) {
              fill(g, 10 + t);
              if (kind === 'sgd') k.sgdUpdate(w, g, m, len, 0.1, 0, 0.01, false);
              else if (kind === 'momentum') k.sgdUpdate(w, g, m, len, 0.1, 0.9, 0, false);
              else if (kind === 'nesterov') k.sgdUpdate(w, g, m, len, 0.1, 0.9, 0.001, true);
              else k.adamUpdate(w, g, m, v, len, 0.01, 0.9, 0.999, 1e-8, 0.01, t, kind === 'adamw');
            }
            const out = [w.slice(), m.slice(), v.slice()];
            k.arena.reset(mark);
            return out;
          };
          for (const workerOnly of [false, true]) {
            threadTuning.mainComputes = !workerOnly;
            try {
              for (const kind of ['sgd', 'momentum', 'nesterov', 'adam', 'adamw']) {
                const before = two.stats.splitCalls;
                const w0 = two.stats.workerChunks;
                const single = run(one, kind, 3);
                const split = run(two, kind, 3);
                expect(two.stats.splitCalls - before, kind).toBe(3);
                if (workerOnly) expect(two.stats.workerChunks - w0, kind).toBeGreaterThanOrEqual(3 * 2);
                single.forEach((a, j) =>
                  expect(firstBitDifference(a, split[j]!), `${kind} array ${j} worker only ${workerOnly}`).toBe(-1),
                );
                const start = new Float32Array(len);
                fill(start, 1);
                expect(firstBitDifference(single[0]!, start), kind).not.toBe(-1); // the weights moved
              }
            } finally {
              threadTuning.mainComputes = true;
            }
          }
          // at the threshold an update stays on the calling thread
          const before = two.stats.splitCalls;
          const mark = two.arena.mark();
          const [w, g, v] = [
            two.allocF32(SPLIT_UPDATE_FLOATS),
            two.allocF32(SPLIT_UPDATE_FLOATS),
            two.allocF32(SPLIT_UPDATE_FLOATS),
          ];
          two.sgdUpdate(w, g, v, SPLIT_UPDATE_FLOATS, 0.1, 0.9, 0, false);
          two.arena.reset(mark);
          expect(two.stats.splitCalls - before).toBe(0);
        },
      );

      it('a large product splits at the default threshold, and equals one thread', () => {
        const r = both(one, two, 512, 784, 128, false, false, false);
        expect(r.splitCalls).toBe(1);
        expect(firstBitDifference(r.single, r.split)).toBe(-1);
      });

      it('products up to splitFlops stay on one thread; larger ones split; the threshold can be moved', () => {
        const small: [number, number, number, boolean, boolean][] = [
          [10, 128, 64, false, false], // N2 = W2·S1 of a 784-128-10 batch-64 step (0.16 MFLOP)
          [128, 10, 64, true, false], // W2ᵀ·Δ2
          [10, 64, 128, false, true], // ∇W2 = Δ2·S1ᵀ
          [32, 128, 64, false, false], // 0.5 MFLOP
          [1, 1000, 400, false, false], // a single row: 0.8 MFLOP
        ];
        for (const [M, K, N, tA, tB] of small) {
          expect(2 * M * K * N).toBeLessThanOrEqual(DEFAULT_SPLIT_FLOPS);
          expect(both(one, two, M, K, N, tA, tB, false).splitCalls, `${M}×${K}×${N}`).toBe(0);
        }
        two.splitFlops = 0.5e6;
        expect(both(one, two, 1, 1000, 400, false, false, false).splitCalls).toBe(1); // 400 columns split
        two.splitFlops = DEFAULT_SPLIT_FLOPS;
        // the output layer of 784-512-512-10 at batch 128 (1.3 MFLOP) splits
        const out = both(one, two, 10, 513, 128, false, false, false);
        expect(out.splitCalls).toBe(1);
        expect(firstBitDifference(out.single, out.split)).toBe(-1);
        const layer = both(one, two, 128, 784, 64, false, false, false); // N1 = W1·X, 12.8 MFLOP
        expect(layer.splitCalls).toBe(1);
        expect(firstBitDifference(layer.single, layer.split)).toBe(-1);
        two.splitFlops = 30e6; // keep that layer on one thread
        expect(both(one, two, 128, 784, 64, false, false, false).splitCalls).toBe(0);
        two.splitFlops = DEFAULT_SPLIT_FLOPS;
      });
    });
  }

  it('fit() trains the same network bit for bit with every product split', async () => {
    const one = await make({ threads: 1 });
    const two = await make({ threads: 2 });
    two.splitFlops = 0;
    const count = 200;
    const x = new Float32Array(count * 20);
    fill(x, 3);
    const data: Dataset = {
      name: 'random',
      x,
      inputs: 20,
      count,
      task: 'classification',
      labels: new Int32Array(count).map((_, i) => (i * 7) % 3),
      classes: [0, 1, 2],
      outputs: 3,
    };
    // the small net's updates all stay on one thread; in 20-1700-24-3, W_1 (1,700 × 20) and W_2 (24 × 1,700) are above
    // SPLIT_UPDATE_FLOATS, so their updates split too
    for (const [widths, optimizer] of [
      [[20, 24, 16, 3], 'adam'],
      [[20, 1700, 24, 3], 'adam'],
      [[20, 1700, 24, 3], 'sgd'],
    ] as const) {
      const net = createNetwork({
        widths: [...widths],
        activation: ['tanh', 'relu', 'identity'],
        dtype: 'float32',
        seed: 4,
      });
      const opts = {
        loss: 'softmax-ce',
        optimizer,
        learningRate: 0.01,
        batchSize: 32,
        epochs: 3,
        seed: 2,
        ...(optimizer === 'sgd' ? { optimizerOptions: { momentum: 0.9 } } : {}),
      } as const;
      const r1 = fit(net, data, { ...opts, kernels: one });
      const before = two.stats.splitCalls;
      const r2 = fit(net, data, { ...opts, kernels: two });
      expect(two.stats.splitCalls - before).toBeGreaterThan(0);
      for (const i of r1.network.W.indices()) {
        const w1 = r1.network.W.get(i).data as Float32Array;
        const w2 = r2.network.W.get(i).data as Float32Array;
        expect(firstBitDifference(w1, w2), `${widths.join('-')} ${optimizer} W_${i}`).toBe(-1);
      }
      expect(r2.history.map((h) => h.loss)).toEqual(r1.history.map((h) => h.loss));
    }
  });

  it('three threads (more than this machine may have cores) still give the one-thread bits', async () => {
    const one = await make({ threads: 1 });
    const three = await make({ threads: 3 });
    expect(three.threads).toBe(3);
    three.splitFlops = 0;
    for (const [M, K, N] of [
      [513, 785, 129],
      [40, 100, 1000],
    ] as const) {
      const r = both(one, three, M, K, N, false, true, false);
      expect(r.splitCalls).toBe(1);
      expect(firstBitDifference(r.single, r.split)).toBe(-1);
    }
  });

  it('close() stops the worker; the kernels then compute on the calling thread', async () => {
    const one = await make({ threads: 1 });
    const two = await make({ threads: 2 });
    two.splitFlops = 0;
    expect(both(one, two, 100, 100, 100, false, false, false).splitCalls).toBe(1);
    await two.close();
    await two.close(); // idempotent
    expect(two.threads).toBe(1);
    const r = both(one, two, 100, 100, 100, false, false, false);
    expect(r.splitCalls).toBe(0);
    expect(firstBitDifference(r.single, r.split)).toBe(-1);
  });

  it('a product that runs out of bounds fails with an error, and the threads keep working', async () => {
    const one = await make({ threads: 1 });
    const two = await make({ threads: 2, initialBytes: 1 << 20 });
    two.splitFlops = 0;
    const a = two.allocF32(16),
      b = two.allocF32(16),
      c = two.allocF32(16);
    const huge = 1 << 14; // operands of 2^28 floats: far past the end of the memory
    expect(() => two.matmul(c, a, b, huge, huge, 64, false, false, false)).toThrow();
    two.arena.reset();
    const r = both(one, two, 300, 200, 100, true, true, false);
    expect(r.splitCalls).toBe(1);
    expect(firstBitDifference(r.single, r.split)).toBe(-1);
  });

  it('views from before a growth of the shared memory are refused like detached ones', async () => {
    const two = await make({ threads: 2, initialBytes: 0 });
    const old = two.allocF32(4);
    const gen = two.arena.generation;
    two.allocF32(1 << 20); // grows
    expect(two.arena.generation).toBeGreaterThan(gen);
    expect(old.buffer).not.toBe(two.arena.memory.buffer);
    expect(() => two.hadamard(old, old, old, 4)).toThrow(/detached.*allocF32.*grew/);
  });

  it('Node exits although the kernels were never closed (the idle worker is unref’d)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nabla-threads-'));
    try {
      const script = join(dir, 'forgotten.mts');
      const index = resolve('packages/nabla/src/kernels/wasm/index.ts');
      writeFileSync(
        script,
        `import { createWasmKernels } from ${JSON.stringify(index)};\n` +
          `const k = await createWasmKernels({ threads: 2 });\n` +
          `k.splitFlops = 0;\n` +
          `const a = k.allocF32(300 * 300), b = k.allocF32(300 * 300), c = k.allocF32(300 * 300);\n` +
          `a.fill(1); b.fill(2);\n` +
          `k.matmul(c, a, b, 300, 300, 300, false, false, false);\n` +
          `process.stdout.write(JSON.stringify({ threads: k.threads, splits: k.stats.splitCalls, c: c[0] }));\n`,
      );
      const stdout = execFileSync(process.execPath, ['--import', 'tsx', script], { encoding: 'utf8', timeout: 60_000 });
      expect(JSON.parse(stdout)).toEqual({ threads: 2, splits: 1, c: 600 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
