/**
 * Backends agree (STYLE.md §1.6, rung 5): one suite, `describeKernels(name, make)`, run against the
 * reference kernels and both WASM builds. Oracles are computed here in float64, independently of the
 * code under test: a naive product, the activation catalog (src/net/activation.ts, the spec the float32
 * polynomials must meet), and the PyTorch optimizer and softmax formulas written out below.
 *
 * Arrays are exercised in every placement a caller can produce: float32 inside the WASM memory
 * (`allocF32`, the no-copy path), float32 outside it (copied through the scratch instance), and float64
 * (the exact teaching path: `matmul`/`hadamard` hand it to the reference kernels; the fused kernels decline
 * it, and the callers' own loops, tested in train-step.test.ts, do the work).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { FloatArray } from '../packages/nabla/src/linalg/matrix.js';
import { refKernels } from '../packages/nabla/src/kernels/ref.js';
import type { Kernels } from '../packages/nabla/src/kernels/types.js';
import {
  ActivationId,
  createWasmKernels,
  enableRelaxedSimdFlag,
  simdSupported,
  type WasmKernels,
} from '../packages/nabla/src/kernels/wasm/index.js';
import { elementwiseKernels, type ElementwiseKernels } from '../packages/nabla/src/kernels/wasm/kernels.js';
import { wasmActivationConstants } from '../packages/nabla/src/kernels/wasm/module.js';
import { activations } from '../packages/nabla/src/net/activation.js';
import { makeRandom } from './helpers/reference.js';

type Placement = 'f32-in-wasm' | 'f32-outside' | 'f64';

const SIMD = simdSupported();
const RELAXED = SIMD && enableRelaxedSimdFlag();
const NO_SIMD = 'this engine has no WebAssembly SIMD';
const NO_RELAXED = "relaxed SIMD is unavailable in this engine (Node 20 needs V8's --experimental-wasm-relaxed-simd and node:v8)";

function isWasm(k: Kernels): k is WasmKernels {
  return 'allocF32' in k;
}

/** Float32Array in/out of the WASM memory, or Float64Array. */
function allocator(k: Kernels, where: Placement): (n: number) => FloatArray {
  if (where === 'f64') return (n) => new Float64Array(n);
  if (where === 'f32-outside') return (n) => new Float32Array(n);
  if (!isWasm(k)) throw new Error('f32-in-wasm needs WASM kernels');
  return (n) => k.allocF32(n);
}

function fillRandom(a: FloatArray, rand: () => number, lo = -1, hi = 1): void {
  for (let i = 0; i < a.length; i++) a[i] = lo + (hi - lo) * rand();
}

/** out = op(a)·op(b) (+ c0) in float64, and per entry Σ|a·b| + |c0| (the scale of the rounding error). */
function productF64(
  a: FloatArray, b: FloatArray, c0: FloatArray | undefined, M: number, K: number, N: number, tA: boolean, tB: boolean,
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
function expectWithin(got: FloatArray, want: Float64Array, scale: Float64Array, tol: number, label: string): void {
  let worst = 0;
  for (let i = 0; i < want.length; i++) {
    const d = Math.abs(got[i]! - want[i]!);
    const allowed = tol * scale[i]! + 1e-30;
    if (!(d <= allowed)) {
      throw new Error(`${label}: entry ${i}: got ${got[i]}, expected ${want[i]}, |diff| ${d} > allowed ${allowed}`);
    }
    worst = Math.max(worst, d / (scale[i]! + 1e-30));
  }
  expect(worst).toBeLessThanOrEqual(tol);
}

/** |got − want| ≤ atol + rtol·|want| entry by entry (NaN equals nothing). */
function expectClose(got: ArrayLike<number>, want: ArrayLike<number>, rtol: number, atol: number, label: string): void {
  expect(got.length, `${label}: length`).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    const d = Math.abs(got[i]! - want[i]!);
    const allowed = atol + rtol * Math.abs(want[i]!);
    if (!(d <= allowed)) {
      throw new Error(`${label}: entry ${i}: got ${got[i]}, expected ${want[i]}, |diff| ${d} > allowed ${allowed}`);
    }
  }
}

const SMALL = [0, 1, 2, 3, 5, 7, 17];
const MIXED: readonly [number, number, number][] = [
  [64, 784, 128],
  [10, 128, 64],
  [128, 64, 784],
  [128, 784, 64],
  [784, 128, 64],
  [9, 300, 2100], // more than one NC block of columns and one KC block of inner
  [130, 33, 9], // more than one MC block of rows
  [129, 785, 1], // one column (the matrix-vector path), inner not a multiple of 8
  [531, 1003, 1], // one column: 16-, 4- and 1-row blocks of the transposed path
];
const CASES: readonly [boolean, boolean, string][] = [
  [false, false, 'NN'],
  [true, false, 'TN'],
  [false, true, 'NT'],
  [true, true, 'TT'],
];

/** The kernel suite. `make` builds the kernels (once); `placements` lists the array kinds to test. */
export function describeKernels(name: string, make: () => Promise<Kernels>, placements: readonly Placement[]): void {
  describe(`kernels: ${name}`, () => {
    let k: Kernels;
    beforeAll(async () => {
      k = await make();
    });

    for (const where of placements) {
      // float32 results vs the f64 product: relative to Σ|a·b| per entry (f32 rounding of ~K terms);
      // float64 inputs take the reference path: only the summation order can differ.
      const tol = where === 'f64' ? 1e-13 : 1e-5;

      describe(`${where} arrays`, () => {
        for (const [tA, tB, label] of CASES) {
          it(`matmul ${label}: all sizes in {0,1,2,3,5,7,17}³, with and without accumulate`, () => {
            const alloc = allocator(k, where);
            const rand = makeRandom(11);
            for (const M of SMALL) {
              for (const K of SMALL) {
                for (const N of SMALL) {
                  for (const acc of [false, true]) {
                    const a = alloc(M * K);
                    const b = alloc(K * N);
                    const c = alloc(M * N);
                    fillRandom(a, rand);
                    fillRandom(b, rand);
                    fillRandom(c, rand, -3, 3);
                    const c0 = acc ? Float64Array.from(c) : undefined;
                    const { value, scale } = productF64(a, b, c0, M, K, N, tA, tB);
                    k.matmul(c, a, b, M, K, N, tA, tB, acc);
                    expectWithin(c, value, scale, tol, `${name} ${where} ${label} ${M}×${K}×${N} acc=${acc}`);
                    if (isWasm(k)) k.arena.reset();
                  }
                }
              }
            }
          });

          // (for WASM kernels, f64 arrays only dispatch to the reference path tested above: small sizes suffice,
          // so this case is not registered for them at all)
          if (!(where === 'f64' && name !== 'ref')) it(`matmul ${label}: training-step and block-boundary shapes`, () => {
            const alloc = allocator(k, where);
            const rand = makeRandom(12);
            for (const [M, K, N] of MIXED) {
              const acc = M === 10; // one shape per case also accumulates
              const a = alloc(M * K);
              const b = alloc(K * N);
              const c = alloc(M * N);
              fillRandom(a, rand);
              fillRandom(b, rand);
              fillRandom(c, rand);
              const c0 = acc ? Float64Array.from(c) : undefined;
              const { value, scale } = productF64(a, b, c0, M, K, N, tA, tB);
              k.matmul(c, a, b, M, K, N, tA, tB, acc);
              expectWithin(c, value, scale, tol, `${name} ${where} ${label} ${M}×${K}×${N}`);
              if (isWasm(k)) k.arena.reset();
            }
          });
        }

        it('matmul leaves entries past rows·cols alone and zeroes the output when inner = 0', () => {
          const alloc = allocator(k, where);
          const out = alloc(7);
          out.fill(5);
          k.matmul(out, alloc(0), alloc(0), 2, 0, 3, false, false, false);
          expect(Array.from(out)).toEqual([0, 0, 0, 0, 0, 0, 5]);
          out.fill(5);
          k.matmul(out, alloc(0), alloc(0), 2, 0, 3, true, true, true);
          expect(Array.from(out)).toEqual([5, 5, 5, 5, 5, 5, 5]);
          if (isWasm(k)) k.arena.reset();
        });

        it('hadamard for lengths 0–17 and 1003, also in place (out = a)', () => {
          const alloc = allocator(k, where);
          const rand = makeRandom(13);
          for (const n of [...Array.from({ length: 18 }, (_, i) => i), 1003]) {
            const a = alloc(n);
            const b = alloc(n);
            const out = alloc(n);
            fillRandom(a, rand);
            fillRandom(b, rand);
            const want = Array.from(a, (v, i) => v * b[i]!);
            k.hadamard(out, a, b, n);
            // one rounding of an exact product: f32 ulp
            expectClose(out, want, where === 'f64' ? 0 : 6e-8, 0, `${name} hadamard n=${n}`);
            k.hadamard(a, a, b, n);
            expectClose(a, want, where === 'f64' ? 0 : 6e-8, 0, `${name} hadamard in place n=${n}`);
          }
          if (isWasm(k)) k.arena.reset();
        });
      });
    }
  });
}

/**
 * The fused kernels (WASM only, float32): optimizer updates, softmax-CE seed, and the module's elementwise
 * exports outside the contract (activation by id, hadamardInto, axpy, scale), reached through `elementwiseKernels`.
 */
function describeFused(name: string, make: () => Promise<WasmKernels>, placements: readonly Placement[]): void {
  describe(`fused kernels: ${name}`, () => {
    let k: WasmKernels;
    let e: ElementwiseKernels;
    beforeAll(async () => {
      k = await make();
      e = elementwiseKernels(k);
    });

    for (const where of placements) {
      describe(`${where} arrays`, () => {
        it('activate(N, S, dS, len, id) matches the catalog map for every id', () => {
          const alloc = allocator(k, where);
          const rand = makeRandom(21);
          const specials = [0, -0, 1e-3, -1e-3, 1e-7, -1e-7, 0.5, -0.5, 0.625, -0.625, 20, -20, 50, -50, 88, -88, 100, -100, 1e4, -1e4];
          for (const [actName, id] of Object.entries(ActivationId)) {
            const act = activations[actName]!;
            for (const n of [0, 1, 2, 3, 5, 7, 17, 2003]) {
              const N = alloc(n);
              fillRandom(N, rand, -10, 10);
              if (n === 2003) {
                specials.forEach((v, i) => (N[i] = v));
                for (let i = 0; i < 1000; i++) N[specials.length + i] = -5 + i / 100; // a dense grid on [−5, 5)
              }
              const S = alloc(n);
              const dS = alloc(n);
              expect(e.activate(N, S, dS, n, id)).toBe(true);
              const N64 = Float64Array.from(N);
              const S64 = new Float64Array(n);
              const D64 = new Float64Array(n);
              act.map(N64, S64, D64, 0, n);
              // f32 polynomial exp/log1p/tanh (Cephes) vs f64: measured ≤ 3e-7·max(1, |σ|). Relative error is
              // not bounded near zeros of σ' (silu, gelu) nor where the f64 catalog itself cancels
              // (s(1−s) for large x), so σ' is checked absolutely and σ relatively only on |x| ≤ 5.
              for (let i = 0; i < n; i++) {
                const allowedS = 1e-6 * Math.max(1, Math.abs(S64[i]!));
                const allowedD = 1e-6 * Math.max(1, Math.abs(D64[i]!));
                if (!(Math.abs(S[i]! - S64[i]!) <= allowedS) || !(Math.abs(dS[i]! - D64[i]!) <= allowedD)) {
                  throw new Error(`${name} ${actName} at x = ${N[i]}: σ ${S[i]} vs ${S64[i]}, σ' ${dS[i]} vs ${D64[i]}`);
                }
                if (Math.abs(N[i]!) <= 5) {
                  // σ relative: f32 argument rounding times the condition number (gelu: e^{−2|u|}) ≤ ~3e-6
                  const rel = Math.abs(S[i]! - S64[i]!) / Math.abs(S64[i]!);
                  if (S64[i] !== 0 && !(rel <= 5e-6)) {
                    throw new Error(`${name} ${actName} at x = ${N[i]}: σ ${S[i]} vs ${S64[i]}, relative error ${rel}`);
                  }
                }
              }
            }
          }
          k.arena.reset();
        });

        it('activate writes nothing past len and allows S to alias N', () => {
          const alloc = allocator(k, where);
          const N = alloc(9);
          const S = alloc(9);
          const dS = alloc(9);
          N.set([-2, -1, 0, 1, 2, 3, 4, 9, 9]);
          S.fill(7);
          dS.fill(7);
          e.activate(N, S, dS, 7, ActivationId.relu);
          expect(Array.from(S)).toEqual([0, 0, 0, 1, 2, 3, 4, 7, 7]);
          expect(Array.from(dS)).toEqual([0, 0, 0, 1, 1, 1, 1, 7, 7]);
          e.activate(N, N, dS, 7, ActivationId.square);
          expect(Array.from(N)).toEqual([4, 1, 0, 1, 4, 9, 16, 9, 9]);
          expect(() => e.activate(N, S, dS, 7, 99 as ActivationId)).toThrow(/unknown activation id 99/);
          k.arena.reset();
        });

        it('hadamardInto, axpy and scale for lengths 0–17 and 1003', () => {
          const alloc = allocator(k, where);
          const rand = makeRandom(22);
          const rtol = 2e-7; // at most two f32 roundings
          for (const n of [...Array.from({ length: 18 }, (_, i) => i), 1003]) {
            const x = alloc(n);
            const y = alloc(n);
            fillRandom(x, rand);
            fillRandom(y, rand);
            const x0 = Float64Array.from(x);
            const y0 = Float64Array.from(y);
            e.hadamardInto(y, x, n);
            expectClose(y, Array.from(y0, (v, i) => v * x0[i]!), rtol, 0, `${name} hadamardInto n=${n}`);
            y.set(y0);
            e.axpy(y, x, -0.75, n);
            // |y + αx| can be much smaller than the terms: scale the tolerance by |y| + |αx|
            const want = Array.from(y0, (v, i) => v - 0.75 * x0[i]!);
            for (let i = 0; i < n; i++) {
              expect(Math.abs(y[i]! - want[i]!)).toBeLessThanOrEqual(rtol * (Math.abs(y0[i]!) + 0.75 * Math.abs(x0[i]!)) + 1e-30);
            }
            e.scale(x, 3.5, n);
            expectClose(x, Array.from(x0, (v) => 3.5 * v), rtol, 0, `${name} scale n=${n}`);
          }
          k.arena.reset();
        });

        // PyTorch torch.optim.SGD (dampening 0), written out in float64
        function sgdStep(w: number[], g: number[], v: number[], lr: number, mu: number, wd: number, nesterov: boolean): void {
          for (let i = 0; i < w.length; i++) {
            let d = g[i]! + wd * w[i]!;
            if (mu !== 0) {
              v[i] = mu * v[i]! + d;
              d = nesterov ? d + mu * v[i]! : v[i]!;
            }
            w[i] = w[i]! - lr * d;
          }
        }

        it('sgdUpdate matches PyTorch SGD (plain, momentum, Nesterov, weight decay) over 3 steps', () => {
          const alloc = allocator(k, where);
          const rand = makeRandom(23);
          const configs: [number, number, boolean][] = [
            [0, 0, false],
            [0.9, 0, false],
            [0.9, 1e-2, true],
            [0, 5e-4, false],
          ];
          for (const n of [1, 3, 5, 17, 1003]) {
            for (const [mu, wd, nesterov] of configs) {
              const w = alloc(n);
              const g = alloc(n);
              const v = alloc(n);
              fillRandom(w, rand);
              const ew = Array.from(w);
              const ev = new Array<number>(n).fill(0);
              for (let step = 0; step < 3; step++) {
                fillRandom(g, rand);
                sgdStep(ew, Array.from(g), ev, 0.1, mu, wd, nesterov);
                k.sgdUpdate(w, g, v, n, 0.1, mu, wd, nesterov);
              }
              // f32 state, a few roundings per step
              const tol = 2e-6;
              expectClose(w, ew, tol, tol, `${name} sgd w (μ=${mu}, wd=${wd}, nesterov=${nesterov}) n=${n}`);
              if (mu !== 0) expectClose(v, ev, tol, tol, `${name} sgd v n=${n}`);
            }
          }
          k.arena.reset();
        });

        // PyTorch torch.optim.Adam / AdamW (amsgrad off), written out in float64: bias correction, ε after √
        function adamStep(
          w: number[], g: number[], m: number[], v: number[], t: number,
          lr: number, b1: number, b2: number, eps: number, wd: number, decoupled: boolean,
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

        it('adamUpdate matches PyTorch Adam and AdamW over 4 steps', () => {
          const alloc = allocator(k, where);
          const rand = makeRandom(24);
          for (const n of [1, 3, 5, 17, 1003]) {
            for (const [wd, decoupled] of [[0, false], [1e-2, false], [1e-2, true]] as [number, boolean][]) {
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
                adamStep(ew, Array.from(g), em, ev, t, 1e-3, 0.9, 0.999, 1e-8, wd, decoupled);
                k.adamUpdate(w, g, m, v, n, 1e-3, 0.9, 0.999, 1e-8, wd, t, decoupled);
              }
              // the update is ~lr per step; f32 state and rounding of w (|w| ≤ 1) dominate
              const tol = 2e-7;
              expectClose(w, ew, tol, tol, `${name} adam w (wd=${wd}, decoupled=${decoupled}) n=${n}`);
              // m and v are f32 sums of terms (1−β1)·d ≈ 0.05 and (1−β2)·d² ≈ 2.5e-4 that may cancel:
              // a few f32 roundings of those terms
              expectClose(m, em, 1e-6, 3e-8, `${name} adam m n=${n}`);
              expectClose(v, ev, 1e-6, 1e-10, `${name} adam v n=${n}`);
            }
          }
          k.arena.reset();
        });

        it('softmaxCrossEntropySeed matches a float64 softmax and cross-entropy', () => {
          const alloc = allocator(k, where);
          const rand = makeRandom(25);
          for (const rows of [1, 2, 3, 10]) {
            for (const B of [1, 2, 3, 4, 5, 7, 17, 64]) {
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
              // float64 oracle
              let loss = 0;
              const want = new Float64Array(rows * B);
              for (let j = 0; j < B; j++) {
                let mx = -Infinity;
                for (let i = 0; i < rows; i++) mx = Math.max(mx, N[i * B + j]!);
                let s = 0;
                for (let i = 0; i < rows; i++) s += Math.exp(N[i * B + j]! - mx);
                for (let i = 0; i < rows; i++) {
                  const logp = N[i * B + j]! - mx - Math.log(s);
                  want[i * B + j] = (Math.exp(logp) - Y[i * B + j]!) / B;
                  loss -= Y[i * B + j]! * logp;
                }
              }
              loss /= B;
              const got = k.softmaxCrossEntropySeed(N, Y, seed, rows, B);
              // |seed| ≤ 1/B: f32 exp (≤ 2 ulp), a sum and a division, relative to that scale
              expectClose(seed, want, 1e-6, 1e-6 / B, `${name} softmax seed ${rows}×${B}`);
              // the loss sums ln terms of magnitude up to ~1000 (the −1000 column): relative to that
              expect(Math.abs(got - loss)).toBeLessThanOrEqual(2e-6 * (Math.abs(loss) + 1));
            }
          }
          k.arena.reset();
        });
      });
    }

    it('the internal elementwise kernels decline any Float64Array (alone or beside Float32Arrays): false, nothing written', () => {
      const n = 12;
      const f64 = (v: number) => new Float64Array(n).fill(v);
      const inWasm = (v: number) => k.allocF32(n).fill(v);
      for (const [label, alloc] of [['all float64', f64], ['one float64', inWasm]] as const) {
        const w = f64(0.5), g = alloc(0.25), S = alloc(7), dS = alloc(7);
        expect(e.activate(w, S, dS, n, ActivationId.relu), label).toBe(false);
        expect(e.hadamardInto(w, g, n), label).toBe(false);
        expect(e.axpy(w, g, 2, n), label).toBe(false);
        expect(e.scale(w, 2, n), label).toBe(false);
        for (const [a, value] of [[w, 0.5], [g, 0.25], [S, 7], [dS, 7]] as const) {
          expect(Array.from(a), label).toEqual(new Array(n).fill(value));
        }
      }
      k.arena.reset();
    });

    it('matmulHadamard never declines: with float64 it is the reference matmul followed by hadamard', () => {
      const rand = makeRandom(26);
      const a = new Float64Array(3 * 5), b = new Float64Array(5 * 4), h = new Float64Array(3 * 4);
      for (const x of [a, b, h]) fillRandom(x, rand);
      const got = new Float64Array(12);
      k.matmulHadamard(got, a, b, h, 3, 5, 4, false, false);
      const want = new Float64Array(12);
      refKernels.matmul(want, a, b, 3, 5, 4, false, false, false);
      refKernels.hadamard(want, want, h, 12);
      expect(Array.from(got)).toEqual(Array.from(want));
    });
  });
}

describeKernels('ref', async () => refKernels, ['f64', 'f32-outside']);

const WASM_PLACEMENTS: readonly Placement[] = ['f32-in-wasm', 'f32-outside', 'f64'];
/** The fused kernels take float32 only (float64 is declined, see describeFused). */
const FUSED_PLACEMENTS: readonly Placement[] = ['f32-in-wasm', 'f32-outside'];

describe.skipIf(!SIMD)(`wasm-simd${SIMD ? '' : ` (skipped: ${NO_SIMD})`}`, () => {
  describeKernels('wasm-simd', () => createWasmKernels({ relaxed: false }), WASM_PLACEMENTS);
  describeFused('wasm-simd', () => createWasmKernels({ relaxed: false }), FUSED_PLACEMENTS);
});

describe.skipIf(!RELAXED)(`wasm-relaxed${RELAXED ? '' : ` (skipped: ${NO_RELAXED})`}`, () => {
  describeKernels('wasm-relaxed', () => createWasmKernels({ relaxed: true }), WASM_PLACEMENTS);
  describeFused('wasm-relaxed', () => createWasmKernels({ relaxed: true }), FUSED_PLACEMENTS);
});

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

  it('every id names an activation of the catalog', () => {
    for (const name of Object.keys(ActivationId)) expect(activations[name], name).toBeDefined();
  });
});
