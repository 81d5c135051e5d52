/**
 * Backends agree (STYLE.md §1.6, rung 5): every member of `Kernels` on every kernel set of
 * test/helpers/kernel-sets.ts, against float64 oracles written out below (a naive product, the activations'
 * formulas, softmax cross-entropy, PyTorch's SGD and Adam/AdamW), for every array placement and shape a caller
 * can produce; then the WebAssembly module's exports outside the contract.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FloatArray, Kernels } from '../packages/nabla/src/kernels/types.js';
import {
  ActivationId,
  createWasmKernels,
  enableRelaxedSimdFlag,
  SPLIT_UPDATE_FLOATS,
  simdSupported,
  type WasmKernels,
} from '../packages/nabla/src/kernels/wasm/index.js';
import { type ElementwiseKernels, elementwiseKernels } from '../packages/nabla/src/kernels/wasm/kernels.js';
import { wasmActivationConstants } from '../packages/nabla/src/kernels/wasm/module.js';
import { activationNames } from '../packages/nabla/src/net/activation.js';
import { type KernelSet, kernelSets, reportSkipped } from './helpers/kernel-sets.js';
import { makeRandom } from './helpers/reference.js';

type Placement = 'f32-region' | 'f32-plain' | 'f64';
type Alloc = (n: number) => FloatArray;

/**
 * Runs `body` with an allocator of the placement; a region (room for `floats` floats plus alignment of up to
 * `arrays` arrays) is released afterwards.
 */
function withArrays<T>(k: Kernels, where: Placement, floats: number, body: (alloc: Alloc) => T): T {
  if (where === 'f64') return body((n) => new Float64Array(n));
  if (where === 'f32-plain') return body((n) => new Float32Array(n));
  const region = k.region(floats + 4 * 64);
  try {
    return body((n) => region.alloc(n));
  } finally {
    region.release();
  }
}

function fillRandom(a: FloatArray, rand: () => number, lo = -1, hi = 1): void {
  for (let i = 0; i < a.length; i++) a[i] = lo + (hi - lo) * rand();
}

/** out = op(a)·op(b) (+ c0) in float64, and per entry Σ|a·b| + |c0| (the scale of the rounding error). */
function productF64(
  a: FloatArray,
  b: FloatArray,
  c0: FloatArray | undefined,
  M: number,
  K: number,
  N: number,
  tA: boolean,
  tB: boolean,
): { value: Float64Array; scale: Float64Array } {
  const value = new Float64Array(M * N);
  const scale = new Float64Array(M * N);
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let s = c0 ? c0[i * N + j]! : 0;
      let m = Math.abs(s);
      for (let p = 0; p < K; p++) {
        const x = (tA ? a[p * M + i]! : a[i * K + p]!) * (tB ? b[j * K + p]! : b[p * N + j]!);
        s += x;
        m += Math.abs(x);
      }
      value[i * N + j] = s;
      scale[i * N + j] = m;
    }
  }
  return { value, scale };
}

/** Fails with the first entry where |got − want| > tol·scale + 1e-30. */
/**
 * matmul on random a, b and c (c's entries in ±cRange) in `where`'s arrays, against the float64 product written
 * above (plus c when accumulating).
 */
function checkMatmul(
  k: Kernels,
  where: Placement,
  rand: () => number,
  M: number,
  K: number,
  N: number,
  tA: boolean,
  tB: boolean,
  acc: boolean,
  tol: number,
  label: string,
  cRange: number,
): void {
  withArrays(k, where, M * K + K * N + M * N, (alloc) => {
    const a = alloc(M * K);
    const b = alloc(K * N);
    const c = alloc(M * N);
    fillRandom(a, rand);
    fillRandom(b, rand);
    fillRandom(c, rand, -cRange, cRange);
    const { value, scale } = productF64(a, b, acc ? Float64Array.from(c) : undefined, M, K, N, tA, tB);
    k.matmul(c, a, b, M, K, N, tA, tB, acc);
    expectWithin(c, value, scale, tol, label);
  });
}

function expectWithin(got: FloatArray, want: Float64Array, scale: Float64Array, tol: number, label: string): void {
  for (let i = 0; i < want.length; i++) {
    const d = Math.abs(got[i]! - want[i]!);
    const allowed = tol * scale[i]! + 1e-30;
    if (!(d <= allowed))
      throw new Error(`${label}: entry ${i}: got ${got[i]}, expected ${want[i]}, |diff| ${d} > allowed ${allowed}`);
  }
}

/** |got − want| ≤ atol + rtol·|want| entry by entry (NaN equals nothing). */
function expectClose(got: ArrayLike<number>, want: ArrayLike<number>, rtol: number, atol: number, label: string): void {
  expect(got.length, `${label}: length`).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    const d = Math.abs(got[i]! - want[i]!);
    const allowed = atol + rtol * Math.abs(want[i]!);
    if (!(d <= allowed))
      throw new Error(`${label}: entry ${i}: got ${got[i]}, expected ${want[i]}, |diff| ${d} > allowed ${allowed}`);
  }
}

/** Index of the first entry whose bits differ (−0 ≠ 0), or −1. */
function firstBitDifference(x: FloatArray, y: FloatArray): number {
  for (let i = 0; i < x.length; i++) if (!Object.is(x[i], y[i])) return i;
  return x.length === y.length ? -1 : x.length;
}

// ---------------------------------------------------------------------------------------------------
// float64 oracles

function sigmoidF64(x: number): number {
  return 1 / (1 + Math.exp(-x));
}
const GELU_C = Math.sqrt(2 / Math.PI);

/** σ(x) and σ'(x) of each built-in activation, written out from their definitions. */
const ACTIVATION_F64: Record<string, (x: number) => [number, number]> = {
  identity: (x) => [x, 1],
  sigmoid: (x) => {
    const s = sigmoidF64(x);
    return [s, s * (1 - s)];
  },
  tanh: (x) => [Math.tanh(x), 1 - Math.tanh(x) ** 2],
  relu: (x) => [Math.max(x, 0), x > 0 ? 1 : 0],
  leaky_relu: (x) => [x > 0 ? x : 0.01 * x, x > 0 ? 1 : 0.01],
  elu: (x) => [x > 0 ? x : Math.expm1(x), x > 0 ? 1 : Math.exp(x)],
  softplus: (x) => [x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x)), sigmoidF64(x)],
  silu: (x) => {
    const s = sigmoidF64(x);
    return [x * s, s + x * s * (1 - s)];
  },
  gelu: (x) => {
    const t = Math.tanh(GELU_C * (x + 0.044715 * x ** 3));
    return [0.5 * x * (1 + t), 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * GELU_C * (1 + 3 * 0.044715 * x * x)];
  },
  sin: (x) => [Math.sin(x), Math.cos(x)],
  square: (x) => [x * x, 2 * x],
};

/** PyTorch torch.optim.SGD (dampening 0). */
function sgdStep(
  w: number[],
  g: ArrayLike<number>,
  v: number[],
  lr: number,
  mu: number,
  wd: number,
  nesterov: boolean,
): void {
  for (let i = 0; i < w.length; i++) {
    let d = g[i]! + wd * w[i]!;
    if (mu !== 0) {
      v[i] = mu * v[i]! + d;
      d = nesterov ? d + mu * v[i]! : v[i]!;
    }
    w[i] = w[i]! - lr * d;
  }
}

/** PyTorch torch.optim.Adam / AdamW (amsgrad off): bias correction, ε after √. */
function adamStep(
  w: number[],
  g: ArrayLike<number>,
  m: number[],
  v: number[],
  t: number,
  lr: number,
  b1: number,
  b2: number,
  eps: number,
  wd: number,
  decoupled: boolean,
): void {
  for (let i = 0; i < w.length; i++) {
    let gi = g[i]!;
    if (decoupled) w[i] = w[i]! * (1 - lr * wd);
    else gi += wd * w[i]!;
    m[i] = b1 * m[i]! + (1 - b1) * gi;
    v[i] = b2 * v[i]! + (1 - b2) * gi * gi;
    const mHat = m[i]! / (1 - b1 ** t);
    const denom = Math.sqrt(v[i]!) / Math.sqrt(1 - b2 ** t) + eps;
    w[i] = w[i]! - lr * (mHat / denom);
  }
}

/** seed = (softmax(N) − Y)/B column by column and L = −(1/B)·Σ Y·log softmax(N). */
function softmaxF64(
  N: ArrayLike<number>,
  Y: ArrayLike<number>,
  rows: number,
  B: number,
): { seed: Float64Array; loss: number } {
  let loss = 0;
  const seed = new Float64Array(rows * B);
  for (let j = 0; j < B; j++) {
    let mx = -Infinity;
    for (let i = 0; i < rows; i++) mx = Math.max(mx, N[i * B + j]!);
    let s = 0;
    for (let i = 0; i < rows; i++) s += Math.exp(N[i * B + j]! - mx);
    for (let i = 0; i < rows; i++) {
      const logp = N[i * B + j]! - mx - Math.log(s);
      seed[i * B + j] = (Math.exp(logp) - Y[i * B + j]!) / B;
      loss -= Y[i * B + j]! * logp;
    }
  }
  return { seed, loss: loss / B };
}

// ---------------------------------------------------------------------------------------------------
// shapes

const SMALL = [0, 1, 2, 3, 5, 7, 17];
const MIXED: readonly [number, number, number][] = [
  [1, 1, 1],
  [64, 784, 128],
  [10, 128, 64],
  [128, 784, 64],
  [9, 300, 2100], // more than one NC block of columns and one KC block of inner
  [130, 33, 9], // more than one MC block of rows
  [129, 785, 1], // one column (the matrix-vector path), inner not a multiple of 8
  [531, 1003, 1], // one column: 16-, 4- and 1-row blocks of the transposed path
];
const FUSED: readonly [number, number, number][] = [
  [1, 1, 1],
  [1, 7, 1],
  [3, 5, 7],
  [17, 2, 5],
  [4, 0, 8],
  [129, 10, 64],
  [130, 300, 33],
  [129, 10, 1],
  [515, 785, 1],
];
const CASES: readonly [boolean, boolean, string][] = [
  [false, false, 'NN'],
  [true, false, 'TN'],
  [false, true, 'NT'],
  [true, true, 'TT'],
];
/** Optimizer lengths: odd ones and one above SPLIT_UPDATE_FLOATS (split across threads where there are threads). */
const UPDATE_LENGTHS = [1, 3, 5, 17, 1003, 2 * SPLIT_UPDATE_FLOATS + 7];

// ---------------------------------------------------------------------------------------------------
// the suite

function describeSet(set: KernelSet): void {
  reportSkipped(set);
  describe.skipIf(set.unavailable !== undefined)(
    `kernels: ${set.name}${set.unavailable !== undefined ? ` (skipped: ${set.unavailable})` : ''}`,
    () => {
      let k: Kernels;
      beforeAll(async () => {
        k = await set.make();
      });
      afterAll(async () => {
        await set.close?.();
      });
      /** Runs `body` and, for a set that splits, checks that it split at least `calls` calls. */
      const splitting = (calls: number, label: string, body: () => void): void => {
        const before = set.splitCalls?.() ?? 0;
        body();
        if (set.splitCalls)
          expect(set.splitCalls() - before, `${label}: calls split across threads`).toBeGreaterThanOrEqual(calls);
      };

      const placements: Placement[] = set.float32Only
        ? ['f32-region', 'f32-plain']
        : ['f32-region', 'f32-plain', 'f64'];
      for (const where of placements) {
        const f64 = where === 'f64';
        const splits = where === 'f32-region'; // the copy path and the reference kernels run on the calling thread
        describe(`${where} arrays`, () => {
          for (const [tA, tB, label] of CASES) {
            it(`matmul ${label}: all sizes in {0,1,2,3,5,7,17}³, with and without accumulate`, () => {
              const rand = makeRandom(11);
              // float32 vs the f64 product: relative to Σ|a·b| per entry; float64: only the summation order differs
              const tol = f64 ? 1e-13 : 1e-5;
              for (const M of SMALL) {
                for (const K of SMALL) {
                  for (const N of SMALL) {
                    for (const acc of [false, true]) {
                      checkMatmul(
                        k,
                        where,
                        rand,
                        M,
                        K,
                        N,
                        tA,
                        tB,
                        acc,
                        tol,
                        `${set.name} ${where} ${label} ${M}×${K}×${N} acc=${acc}`,
                        3,
                      );
                    }
                  }
                }
              }
            });

            it(`matmul ${label}: 1×1×1, training-step, block-boundary and one-column shapes`, () => {
              const rand = makeRandom(12);
              const tol = f64 ? 1e-13 : 1e-5;
              splitting(splits ? MIXED.length - 1 : 0, `matmul ${label}`, () => {
                for (const [M, K, N] of MIXED) {
                  const acc = M === 10 || M === 1; // two shapes per case also accumulate
                  checkMatmul(
                    k,
                    where,
                    rand,
                    M,
                    K,
                    N,
                    tA,
                    tB,
                    acc,
                    tol,
                    `${set.name} ${where} ${label} ${M}×${K}×${N}`,
                    1,
                  );
                }
              });
            });

            it(`matmulHadamard ${label}: (op(a)·op(b)) ∘ h, exactly matmul then hadamard`, () => {
              const rand = makeRandom(13);
              const tol = f64 ? 1e-13 : 1e-5;
              splitting(splits ? 5 : 0, `matmulHadamard ${label}`, () => {
                for (const [M, K, N] of FUSED) {
                  withArrays(k, where, M * K + K * N + 3 * M * N, (alloc) => {
                    const a = alloc(M * K);
                    const b = alloc(K * N);
                    const h = alloc(M * N);
                    const fused = alloc(M * N);
                    const plain = alloc(M * N);
                    fillRandom(a, rand);
                    fillRandom(b, rand);
                    fillRandom(h, rand, -2, 2);
                    fused.fill(9); // overwritten, never accumulated
                    const { value, scale } = productF64(a, b, undefined, M, K, N, tA, tB);
                    for (let i = 0; i < value.length; i++) {
                      value[i] = value[i]! * h[i]!;
                      scale[i] = scale[i]! * Math.abs(h[i]!);
                    }
                    k.matmulHadamard(fused, a, b, h, M, K, N, tA, tB);
                    expectWithin(
                      fused,
                      value,
                      scale,
                      tol,
                      `${set.name} ${where} matmulHadamard ${label} ${M}×${K}×${N}`,
                    );
                    k.matmul(plain, a, b, M, K, N, tA, tB, false);
                    k.hadamard(plain, plain, h, M * N);
                    expect(firstBitDifference(fused, plain), `${M}×${K}×${N}: fused vs matmul then hadamard`).toBe(-1);
                  });
                }
              });
            });
          }

          it('matmul leaves entries past rows·cols alone and zeroes the output when inner = 0', () => {
            withArrays(k, where, 7, (alloc) => {
              const out = alloc(7);
              out.fill(5);
              k.matmul(out, alloc(0), alloc(0), 2, 0, 3, false, false, false);
              expect(Array.from(out)).toEqual([0, 0, 0, 0, 0, 0, 5]);
              out.fill(5);
              k.matmul(out, alloc(0), alloc(0), 2, 0, 3, true, true, true);
              expect(Array.from(out)).toEqual([5, 5, 5, 5, 5, 5, 5]);
            });
          });

          it('hadamard for lengths 0–17 and 1003, also in place (out = a, out = b)', () => {
            const rand = makeRandom(14);
            const rtol = f64 ? 0 : 6e-8; // one rounding of an exact product
            for (const n of [...Array.from({ length: 18 }, (_, i) => i), 1003]) {
              withArrays(k, where, 3 * n + 1, (alloc) => {
                const a = alloc(n);
                const b = alloc(n);
                const out = alloc(n + 1);
                fillRandom(a, rand);
                fillRandom(b, rand);
                out[n] = 7;
                const want = Array.from(a, (v, i) => v * b[i]!);
                k.hadamard(out, a, b, n);
                expectClose(out.subarray(0, n), want, rtol, 0, `${set.name} hadamard n=${n}`);
                expect(out[n], 'past length').toBe(7);
                const b0 = b.slice();
                k.hadamard(b, a, b, n);
                expectClose(b, want, rtol, 0, `${set.name} hadamard out = b n=${n}`);
                b.set(b0);
                k.hadamard(a, a, b, n);
                expectClose(a, want, rtol, 0, `${set.name} hadamard out = a n=${n}`);
              });
            }
          });

          it("activation: every built-in σ and σ' on a range, nothing outside it, S or dS aliasing N", () => {
            expect(Object.keys(ACTIVATION_F64).sort()).toEqual([...activationNames].sort());
            const rand = makeRandom(15);
            const specials = [
              0, -0, 1e-3, -1e-3, 1e-7, -1e-7, 0.5, -0.5, 0.625, -0.625, 20, -20, 50, -50, 88, -88, 100, -100, 1e4,
              -1e4,
            ];
            // f32 polynomial exp/log1p/tanh (Cephes) vs f64: measured ≤ 3e-7·max(1, |σ|). Relative error is not bounded
            // near zeros of σ' (silu, gelu) nor where the f64 formula itself cancels (s(1−s) for large x), so σ' is
            // checked absolutely, and σ relatively only on |x| ≤ 5.
            const abs = f64 ? 1e-12 : 1e-6;
            const rel = f64 ? 1e-12 : 5e-6;
            for (const name of activationNames) {
              const oracle = ACTIVATION_F64[name]!;
              for (const n of [0, 1, 2, 3, 5, 7, 17, 2003]) {
                withArrays(k, where, 5 * (n + 4), (alloc) => {
                  // the range 2 … n + 1 of arrays of n + 4 entries
                  const N = alloc(n + 4);
                  fillRandom(N, rand, -10, 10);
                  if (n === 2003) {
                    specials.forEach((v, i) => (N[2 + i] = v));
                    for (let i = 0; i < 1000; i++) N[2 + specials.length + i] = -5 + i / 100; // a dense grid on [−5, 5)
                  }
                  const S = alloc(n + 4).fill(7);
                  const dS = alloc(n + 4).fill(7);
                  k.activation(name, N, S, dS, 2, n + 2);
                  const check = (s: FloatArray, d: FloatArray, x: FloatArray, label: string) => {
                    for (let i = 2; i < n + 2; i++) {
                      const [ws, wd] = oracle(x[i]!);
                      if (
                        !(Math.abs(s[i]! - ws) <= abs * Math.max(1, Math.abs(ws))) ||
                        !(Math.abs(d[i]! - wd) <= abs * Math.max(1, Math.abs(wd)))
                      ) {
                        throw new Error(
                          `${set.name} ${where} ${name} ${label} at x = ${x[i]}: σ ${s[i]} vs ${ws}, σ' ${d[i]} vs ${wd}`,
                        );
                      }
                      if (Math.abs(x[i]!) <= 5 && ws !== 0 && !(Math.abs((s[i]! - ws) / ws) <= rel)) {
                        throw new Error(
                          `${set.name} ${where} ${name} ${label} at x = ${x[i]}: σ ${s[i]} vs ${ws}, relative error ${Math.abs((s[i]! - ws) / ws)}`,
                        );
                      }
                    }
                  };
                  check(S, dS, N, '');
                  for (const a of [S, dS])
                    expect([a[0], a[1], a[n + 2], a[n + 3]], `${name}: outside the range`).toEqual([7, 7, 7, 7]);
                  // S aliasing N, then dS aliasing N
                  const N0 = N.slice();
                  k.activation(name, N, N, dS, 2, n + 2);
                  check(N, dS, N0, 'S = N');
                  N.set(N0);
                  k.activation(name, N, S, N, 2, n + 2);
                  check(S, N, N0, 'dS = N');
                });
              }
            }
          });

          it('softmaxCrossEntropySeed: seed and loss for 1–10 rows and 1–64 columns, extreme logits, soft labels; seed aliasing N', () => {
            const rand = makeRandom(16);
            for (const rows of [1, 2, 3, 10]) {
              for (const B of [1, 2, 3, 4, 5, 7, 17, 64]) {
                withArrays(k, where, 3 * rows * B, (alloc) => {
                  const N = alloc(rows * B);
                  const Y = alloc(rows * B);
                  const seed = alloc(rows * B);
                  fillRandom(N, rand, -6, 6);
                  if (B > 2) {
                    // extreme logits: column 1 large, column 2 very negative (stability)
                    for (let i = 0; i < rows; i++) {
                      N[i * B + 1] = 80 + 10 * i;
                      N[i * B + 2] = -1000 + i;
                    }
                  }
                  for (let j = 0; j < B; j++) {
                    if (j % 3 === 2) {
                      for (let i = 0; i < rows; i++) Y[i * B + j] = 1 / rows; // soft labels
                    } else {
                      Y[((j * 7) % rows) * B + j] = 1; // one-hot
                    }
                  }
                  const want = softmaxF64(N, Y, rows, B);
                  const got = k.softmaxCrossEntropySeed(N, Y, seed, rows, B);
                  // |seed| ≤ 1/B: f32 exp (≤ 2 ulp), a sum and a division; the loss sums ln terms up to ~1000
                  const tol = f64 ? 1e-12 : 1e-6;
                  const label = `${set.name} ${where} softmax ${rows}×${B}`;
                  expectClose(seed, want.seed, tol, tol / B, label);
                  expect(Math.abs(got - want.loss), `${label}: loss ${got} vs ${want.loss}`).toBeLessThanOrEqual(
                    2 * tol * (Math.abs(want.loss) + 1),
                  );
                  const again = k.softmaxCrossEntropySeed(N, Y, N, rows, B);
                  expectClose(N, want.seed, tol, tol / B, `${label}, seed = N`);
                  expect(again).toBe(got);
                });
              }
            }
          });

          it('sgdUpdate: PyTorch SGD (plain, momentum, Nesterov, weight decay) over 3 steps; v = g when μ = 0', () => {
            const rand = makeRandom(17);
            const configs: [number, number, boolean][] = [
              [0, 0, false],
              [0.9, 0, false],
              [0.9, 1e-2, true],
              [0, 5e-4, false],
            ];
            const big = UPDATE_LENGTHS.filter((n) => n > SPLIT_UPDATE_FLOATS).length;
            splitting(splits ? 3 * configs.length * big : 0, 'sgdUpdate', () => {
              for (const n of UPDATE_LENGTHS) {
                for (const [mu, wd, nesterov] of configs) {
                  withArrays(k, where, 3 * n, (alloc) => {
                    const w = alloc(n);
                    const g = alloc(n);
                    const v = alloc(n);
                    fillRandom(w, rand);
                    const ew = Array.from(w);
                    const ev = new Array<number>(n).fill(0);
                    for (let step = 0; step < 3; step++) {
                      fillRandom(g, rand);
                      sgdStep(ew, g, ev, 0.1, mu, wd, nesterov);
                      // without momentum v is neither read nor written: the optimizer passes g
                      k.sgdUpdate(w, g, mu === 0 ? g : v, n, 0.1, mu, wd, nesterov);
                    }
                    const tol = f64 ? 1e-14 : 2e-6; // f32 state, a few roundings per step
                    const label = `${set.name} ${where} sgd (μ=${mu}, wd=${wd}, nesterov=${nesterov}) n=${n}`;
                    expectClose(w, ew, tol, tol, `${label}: w`);
                    if (mu !== 0) expectClose(v, ev, tol, tol, `${label}: v`);
                  });
                }
              }
            });
          });

          it('adamUpdate: PyTorch Adam and AdamW over 4 steps', () => {
            const rand = makeRandom(18);
            const configs: [number, boolean][] = [
              [0, false],
              [1e-2, false],
              [1e-2, true],
            ];
            const big = UPDATE_LENGTHS.filter((n) => n > SPLIT_UPDATE_FLOATS).length;
            splitting(splits ? 4 * configs.length * big : 0, 'adamUpdate', () => {
              for (const n of UPDATE_LENGTHS) {
                for (const [wd, decoupled] of configs) {
                  withArrays(k, where, 4 * n, (alloc) => {
                    const w = alloc(n);
                    const g = alloc(n);
                    const m = alloc(n);
                    const v = alloc(n);
                    fillRandom(w, rand);
                    const ew = Array.from(w);
                    const em = new Array<number>(n).fill(0);
                    const ev = new Array<number>(n).fill(0);
                    for (let t = 1; t <= 4; t++) {
                      fillRandom(g, rand, -0.5, 0.5);
                      adamStep(ew, g, em, ev, t, 1e-3, 0.9, 0.999, 1e-8, wd, decoupled);
                      k.adamUpdate(w, g, m, v, n, 1e-3, 0.9, 0.999, 1e-8, wd, t, decoupled);
                    }
                    const label = `${set.name} ${where} adam (wd=${wd}, decoupled=${decoupled}) n=${n}`;
                    // the update is ~lr per step; f32 state and rounding of w (|w| ≤ 1) dominate. m and v are f32 sums of
                    // terms (1−β1)·d ≈ 0.05 and (1−β2)·d² ≈ 2.5e-4 that may cancel: a few f32 roundings of those terms
                    expectClose(w, ew, f64 ? 1e-13 : 2e-7, f64 ? 1e-13 : 2e-7, `${label}: w`);
                    expectClose(m, em, f64 ? 1e-13 : 1e-6, f64 ? 1e-16 : 3e-8, `${label}: m`);
                    expectClose(v, ev, f64 ? 1e-13 : 1e-6, f64 ? 1e-18 : 1e-10, `${label}: v`);
                  });
                }
              }
            });
          });
        });
      }

      it('region: zeroed Float32Arrays of the asked lengths, usable until released', () => {
        const region = k.region(1000);
        try {
          const arrays = [0, 1, 7, 500].map((n) => region.alloc(n));
          arrays.forEach((a, i) => {
            expect(a).toBeInstanceOf(Float32Array);
            expect(a.length).toBe([0, 1, 7, 500][i]);
            expect(a.every((x) => x === 0)).toBe(true);
          });
          const [, , a, b] = arrays;
          a!.fill(3);
          expect(
            b!.every((x) => x === 0),
            'arrays do not overlap',
          ).toBe(true);
        } finally {
          region.release();
        }
      });
    },
  );
}

for (const set of await kernelSets()) describeSet(set);

// ---------------------------------------------------------------------------------------------------
// The WebAssembly module's exports outside the contract

const SIMD = simdSupported();
const RELAXED = SIMD && enableRelaxedSimdFlag();

/** activate by id, hadamardInto, axpy, scale (internal, reached through `elementwiseKernels`); they decline Float64Array. */
function describeElementwise(name: string, relaxed: boolean): void {
  describe(`elementwise exports: ${name}`, () => {
    let k: WasmKernels;
    let e: ElementwiseKernels;
    beforeAll(async () => {
      k = await createWasmKernels({ relaxed, threads: 1 });
      e = elementwiseKernels(k);
    });

    for (const where of ['f32-region', 'f32-plain'] as const) {
      it(`${where}: activate(N, S, dS, len, id) for every id, S may alias N`, () => {
        const rand = makeRandom(21);
        for (const [actName, id] of Object.entries(ActivationId)) {
          withArrays(k, where, 3 * 300, (alloc) => {
            const N = alloc(300);
            const S = alloc(300);
            const dS = alloc(300);
            fillRandom(N, rand, -10, 10);
            expect(e.activate(N, S, dS, 300, id)).toBe(true);
            for (let i = 0; i < 300; i++) {
              const [ws, wd] = ACTIVATION_F64[actName]!(N[i]!);
              expect(Math.abs(S[i]! - ws), `${actName} σ at ${N[i]}`).toBeLessThanOrEqual(
                1e-6 * Math.max(1, Math.abs(ws)),
              );
              expect(Math.abs(dS[i]! - wd), `${actName} σ' at ${N[i]}`).toBeLessThanOrEqual(
                1e-6 * Math.max(1, Math.abs(wd)),
              );
            }
          });
        }
        withArrays(k, where, 27, (alloc) => {
          const N = alloc(9);
          const dS = alloc(9);
          N.set([-2, -1, 0, 1, 2, 3, 4, 9, 9]);
          e.activate(N, N, dS, 7, ActivationId.square);
          expect(Array.from(N)).toEqual([4, 1, 0, 1, 4, 9, 16, 9, 9]);
          expect(() => e.activate(N, N, dS, 7, 99 as ActivationId)).toThrow(/unknown activation id 99/);
        });
      });

      it(`${where}: hadamardInto, axpy and scale for lengths 0–17 and 1003`, () => {
        const rand = makeRandom(22);
        const rtol = 2e-7; // at most two f32 roundings
        for (const n of [...Array.from({ length: 18 }, (_, i) => i), 1003]) {
          withArrays(k, where, 2 * n, (alloc) => {
            const x = alloc(n);
            const y = alloc(n);
            fillRandom(x, rand);
            fillRandom(y, rand);
            const x0 = Float64Array.from(x);
            const y0 = Float64Array.from(y);
            e.hadamardInto(y, x, n);
            expectClose(
              y,
              Array.from(y0, (v, i) => v * x0[i]!),
              rtol,
              0,
              `${name} hadamardInto n=${n}`,
            );
            y.set(y0);
            e.axpy(y, x, -0.75, n);
            // |y + αx| can be much smaller than the terms: scale the tolerance by |y| + |αx|
            const want = Array.from(y0, (v, i) => v - 0.75 * x0[i]!);
            for (let i = 0; i < n; i++)
              expect(Math.abs(y[i]! - want[i]!)).toBeLessThanOrEqual(
                rtol * (Math.abs(y0[i]!) + 0.75 * Math.abs(x0[i]!)) + 1e-30,
              );
            e.scale(x, 3.5, n);
            expectClose(
              x,
              Array.from(x0, (v) => 3.5 * v),
              rtol,
              0,
              `${name} scale n=${n}`,
            );
          });
        }
      });
    }

    it('they decline any Float64Array (alone or beside Float32Arrays): false, nothing written', () => {
      const n = 12;
      const f64 = (v: number) => new Float64Array(n).fill(v);
      const inWasm = (v: number) => k.allocF32(n).fill(v);
      for (const [label, alloc] of [
        ['all float64', f64],
        ['one float64', inWasm],
      ] as const) {
        const w = f64(0.5),
          g = alloc(0.25),
          S = alloc(7),
          dS = alloc(7);
        expect(e.activate(w, S, dS, n, ActivationId.relu), label).toBe(false);
        expect(e.hadamardInto(w, g, n), label).toBe(false);
        expect(e.axpy(w, g, 2, n), label).toBe(false);
        expect(e.scale(w, 2, n), label).toBe(false);
        for (const [a, value] of [
          [w, 0.5],
          [g, 0.25],
          [S, 7],
          [dS, 7],
        ] as const)
          expect(Array.from(a), label).toEqual(new Array(n).fill(value));
      }
      k.arena.reset();
    });
  });
}

describe.skipIf(!SIMD)('wasm-simd', () => describeElementwise('wasm-simd', false));
describe.skipIf(!RELAXED)('wasm-relaxed', () => describeElementwise('wasm-relaxed', true));

describe.skipIf(!SIMD)('activation ids', () => {
  const variants = RELAXED ? (['simd', 'relaxed'] as const) : (['simd'] as const);
  for (const variant of variants) {
    it(`the ${variant} module exports ACT_* constants equal to ActivationId`, async () => {
      const consts = await wasmActivationConstants(variant);
      const fromTs: Record<string, number> = { ACT_COUNT: Object.keys(ActivationId).length };
      for (const [name, id] of Object.entries(ActivationId)) fromTs[`ACT_${name.toUpperCase()}`] = id;
      expect(consts).toEqual(fromTs);
    });
  }

  it('the ids name exactly the activations of the catalog', () => {
    expect(Object.keys(ActivationId).sort()).toEqual([...activationNames].sort());
  });
});
