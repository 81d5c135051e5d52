/**
 * GEMM throughput, float32, one thread: reference kernels vs WASM SIMD vs relaxed SIMD (FMA) vs the native addon.
 * GFLOP/s = 2·M·K·N / t, t the median over samples after a warm-up; operands in the module's memory, no copies.
 * Run: npx tsx bench/gemm.bench.ts [--quick]   (needs `npm run build:wasm` first; not part of the tests)
 */

import { createNativeKernels, nativeIsas, nativeUnavailableReason } from '../packages/nabla/src/kernels/native.js';
import { refKernels } from '../packages/nabla/src/kernels/ref.js';
import type { Kernels } from '../packages/nabla/src/kernels/types.js';
import { createWasmKernels, relaxedSimdSupported, type WasmKernels } from '../packages/nabla/src/kernels/wasm/index.js';

interface Shape {
  label: string;
  M: number;
  K: number;
  N: number;
  tA: boolean;
  tB: boolean;
}

// M×K×N = op(A) rows × inner × cols. The MLP (784-128-10, batch 64, samples as columns) step:
const shapes: Shape[] = [
  { label: 'NN 128×784×64   N1 = W1·X', M: 128, K: 784, N: 64, tA: false, tB: false },
  { label: 'TN 784×128×64   W1ᵀ·Δ1', M: 784, K: 128, N: 64, tA: true, tB: false },
  { label: 'NT 128×64×784   ∇W1 = Δ1·Xᵀ', M: 128, K: 64, N: 784, tA: false, tB: true },
  { label: 'NN 10×128×64    N2 = W2·S1', M: 10, K: 128, N: 64, tA: false, tB: false },
  { label: 'TN 128×10×64    W2ᵀ·Δ2', M: 128, K: 10, N: 64, tA: true, tB: false },
  { label: 'NT 10×64×128    ∇W2 = Δ2·S1ᵀ', M: 10, K: 64, N: 128, tA: false, tB: true },
  { label: 'NN 64×784×128   (study shape)', M: 64, K: 784, N: 128, tA: false, tB: false },
  { label: 'NN 513×785×128  (784-512-…, batch 128)', M: 513, K: 785, N: 128, tA: false, tB: false },
  { label: 'NN 512×512×512', M: 512, K: 512, N: 512, tA: false, tB: false },
  { label: 'TN 512×512×512', M: 512, K: 512, N: 512, tA: true, tB: false },
  { label: 'NT 512×512×512', M: 512, K: 512, N: 512, tA: false, tB: true },
];

const quick = process.argv.includes('--quick');
const now = () => performance.now();

function fill(a: Float32Array, seed: number): void {
  let s = seed >>> 0;
  for (let i = 0; i < a.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    a[i] = s / 2 ** 31 - 1;
  }
}

/** Median seconds per call. */
function time(call: () => void, warmMs: number, samples: number, sampleMs: number): number {
  const t0 = now();
  while (now() - t0 < warmMs) call();
  const per: number[] = [];
  for (let s = 0; s < samples; s++) {
    let n = 0;
    const start = now();
    let t = start;
    do {
      call();
      n++;
      t = now();
    } while (t - start < sampleMs);
    per.push((t - start) / 1000 / n);
  }
  per.sort((x, y) => x - y);
  return per[per.length >> 1]!;
}

function run(k: Kernels, alloc: (n: number) => Float32Array, sh: Shape, isRef: boolean): number {
  const a = alloc(sh.M * sh.K);
  const b = alloc(sh.K * sh.N);
  const c = alloc(sh.M * sh.N);
  fill(a, 1);
  fill(b, 2);
  const flops = 2 * sh.M * sh.K * sh.N;
  const call = () => k.matmul(c, a, b, sh.M, sh.K, sh.N, sh.tA, sh.tB, false);
  const slow = isRef && flops > 5e7;
  const sec = quick
    ? time(call, isRef ? 50 : 150, slow ? 3 : 7, slow ? 0 : 5)
    : time(call, isRef ? (slow ? 0 : 200) : 400, slow ? 3 : 21, slow ? 0 : 5);
  return flops / sec / 1e9;
}

const simd = await createWasmKernels({ relaxed: false });
let relaxed: WasmKernels | undefined;
try {
  relaxed = await createWasmKernels({ relaxed: true });
} catch (e) {
  process.stdout.write(`relaxed SIMD unavailable (${String(e)})\n`);
}

const cols: { name: string; k: Kernels; alloc: (n: number) => Float32Array; ref: boolean }[] = [
  { name: 'ref (f32)', k: refKernels, alloc: (n) => new Float32Array(n), ref: true },
  { name: 'wasm-simd', k: simd, alloc: (n) => simd.allocF32(n), ref: false },
];
if (relaxed) {
  const r = relaxed;
  cols.push({ name: 'wasm-relaxed', k: r, alloc: (n) => r.allocF32(n), ref: false });
}
const nativeWhy = nativeUnavailableReason();
if (nativeWhy !== undefined) process.stdout.write(`native kernels unavailable (${nativeWhy})\n`);
else
  for (const isa of nativeIsas())
    cols.push({
      name: `native-${isa}`,
      k: createNativeKernels({ isa, threads: 1 }),
      alloc: (n) => new Float32Array(n),
      ref: false,
    });

process.stdout.write(
  `GEMM GFLOP/s (median${quick ? ', --quick' : ' of 21 samples'}), Node ${process.versions.node}, relaxed SIMD ${relaxedSimdSupported() ? 'on' : 'off'}\n\n`,
);
const head = ['shape (M×K×N)'.padEnd(40), ...cols.map((c) => c.name.padStart(13)), '  µs/call (best set)'];
process.stdout.write(`${head.join(' ')}\n${'-'.repeat(head.join(' ').length)}\n`);
for (const sh of shapes) {
  const row: string[] = [sh.label.padEnd(40)];
  let best = 0;
  for (const c of cols) {
    const g = run(c.k, c.alloc, sh, c.ref);
    if (!c.ref) best = Math.max(best, g);
    row.push(g.toFixed(2).padStart(13));
    simd.arena.reset();
    relaxed?.arena.reset();
  }
  row.push(((2 * sh.M * sh.K * sh.N) / best / 1e3).toFixed(1).padStart(21));
  process.stdout.write(`${row.join(' ')}\n`);
}
