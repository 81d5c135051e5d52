/**
 * The profile of `npm run bench -- --profile`: where one training step's time goes. Every call a step makes into
 * the kernels (the matrix products by shape and transpose case, the fused Δ products, the activation passes, the
 * loss seed, the optimizer update) is timed through a wrapper around the kernels object; what is left of the
 * step's time is the step's own JavaScript (batch gather, bookkeeping, the accuracy count, calls into WASM). Each
 * phase is set against its own roofline: products against the measured 128-bit FMA peak (× threads), elementwise
 * passes against the measured cache-to-cache copy bandwidth.
 */
import type { Kernels } from '../packages/nabla/src/kernels/types.js';

export interface PhaseTotals {
  /** e.g. "GEMM NN 129×785×64" or "activation relu". */
  name: string;
  kind: 'product' | 'elementwise' | 'other';
  calls: number;
  ms: number;
  flops: number;
  bytes: number;
}

export interface Profiler {
  kernels: Kernels;
  phases: Map<string, PhaseTotals>;
  reset(): void;
}

const F = 4; // bytes of a float32

/** The phase a kernel call belongs to, with its FLOP and bytes moved (float32). */
function classify(method: string, args: unknown[]): Omit<PhaseTotals, 'calls' | 'ms'> | undefined {
  const n = (i: number) => args[i] as number;
  const t = (i: number) => (args[i] ? 'T' : 'N');
  switch (method) {
    case 'matmul':
      return { name: `GEMM ${t(6)}${t(7)} ${n(3)}×${n(4)}×${n(5)}${args[8] ? ' +=' : ''}`, kind: 'product', flops: 2 * n(3) * n(4) * n(5), bytes: F * (n(3) * n(4) + n(4) * n(5) + n(3) * n(5)) };
    case 'matmulHadamard':
      return { name: `GEMM∘Σ′ ${t(7)}${t(8)} ${n(4)}×${n(5)}×${n(6)}`, kind: 'product', flops: 2 * n(4) * n(5) * n(6) + n(4) * n(6), bytes: F * (n(4) * n(5) + n(5) * n(6) + 2 * n(4) * n(6)) };
    case 'hadamard':
      return { name: 'Hadamard ∘', kind: 'elementwise', flops: n(3), bytes: 3 * F * n(3) };
    case 'activation':
      return { name: `activation ${String(args[0])} (Σ, Σ′)`, kind: 'elementwise', flops: 0, bytes: 3 * F * (n(5) - n(4)) };
    case 'softmaxCrossEntropySeed':
      return { name: 'loss seed (softmax-ce)', kind: 'elementwise', flops: 0, bytes: 3 * F * n(3) * n(4) };
    case 'sgdUpdate':
      return { name: 'optimizer update (sgd)', kind: 'elementwise', flops: 3 * n(3), bytes: (n(5) > 0 ? 5 : 3) * F * n(3) };
    case 'adamUpdate':
      return { name: 'optimizer update (adam)', kind: 'elementwise', flops: 12 * n(4), bytes: 7 * F * n(4) };
    default:
      return undefined;
  }
}

const TIMED = new Set(['matmul', 'matmulHadamard', 'hadamard', 'activation', 'softmaxCrossEntropySeed', 'sgdUpdate', 'adamUpdate']);

/** A wrapper around `inner` that times every call of the step's kernel methods. */
export function profileKernels(inner: Kernels): Profiler {
  const phases = new Map<string, PhaseTotals>();
  const wrapped = new Proxy(inner, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof value !== 'function') return value;
      if (typeof prop !== 'string' || !TIMED.has(prop)) return (value as (...a: unknown[]) => unknown).bind(target);
      return (...args: unknown[]) => {
        const t0 = performance.now();
        const r = (value as (...a: unknown[]) => unknown).apply(target, args);
        const ms = performance.now() - t0;
        const c = classify(prop, args)!;
        const p = phases.get(c.name) ?? { ...c, calls: 0, ms: 0, flops: 0, bytes: 0 };
        p.calls++;
        p.ms += ms;
        p.flops += c.flops;
        p.bytes += c.bytes;
        phases.set(c.name, p);
        return r;
      };
    },
  });
  return { kernels: wrapped, phases, reset: () => phases.clear() };
}

/** GB/s of copying a cache-resident float32 buffer (a roofline for the step's elementwise passes). */
export function copyBandwidth(floats = 128 * 1024): number {
  const a = new Float32Array(floats).fill(1);
  const b = new Float32Array(floats);
  for (let i = 0; i < 200; i++) b.set(a);
  let best = 0;
  for (let rep = 0; rep < 7; rep++) {
    const reps = 400;
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) (i & 1 ? a : b).set(i & 1 ? b : a);
    const s = (performance.now() - t0) / 1000;
    best = Math.max(best, (2 * F * floats * reps) / s / 1e9);
  }
  return best;
}
