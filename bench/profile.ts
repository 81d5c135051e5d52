/**
 * The profile of `npm run bench -- --profile`: where one training step's time goes. Every kernel call of a step is
 * timed through a wrapper and grouped into the step's phases; products are set against the FMA probe of the kernel
 * set's vector width, elementwise passes against the measured copy bandwidth at their size. Any kernel set.
 */
import type { Kernels } from '../packages/nabla/src/kernels/types.js';

/** The phases of a training step, in the step's order. */
export const PHASES = [
  'forward products',
  'activations',
  'loss seed',
  'backward products',
  'backward ∘ Σ′ (elementwise)',
  'weight gradients',
  'optimizer update',
] as const;
export type Phase = (typeof PHASES)[number];

export interface PhaseTotals {
  /** e.g. "GEMM NN 129×785×64" or "activation relu". */
  name: string;
  kind: 'product' | 'elementwise' | 'other';
  /**
   * The step's phase: TN products (and the fused ∘ Σ′) are the backward pass; a product summing over the batch
   * (inner = B) is a weight gradient ∇W_i = Δ_i·Σ_{i−1}ᵀ; the others are the forward pass N_i = W_i·Σ_{i−1} (NT for
   * i = 1, whose Σ_0 the step holds as Xᵀ).
   */
  phase: Phase;
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
function classify(
  method: string,
  args: unknown[],
  batches: readonly number[],
): Omit<PhaseTotals, 'calls' | 'ms'> | undefined {
  const n = (i: number) => args[i] as number;
  const t = (i: number) => (args[i] ? 'T' : 'N');
  // the training step's products: N_i = W_i·Σ_{i-1}, W_{i+1}ᵀ·Δ_{i+1} (TN, fused with ∘ Σ′_i), ∇W_i = Δ_i·Σ_{i-1}ᵀ (summed over the batch)
  const productPhase = (tA: unknown, inner: number): Phase =>
    tA ? 'backward products' : batches.includes(inner) ? 'weight gradients' : 'forward products';
  switch (method) {
    case 'matmul':
      return {
        name: `GEMM ${t(6)}${t(7)} ${n(3)}×${n(4)}×${n(5)}${args[8] ? ' +=' : ''}`,
        kind: 'product',
        phase: productPhase(args[6], n(4)),
        flops: 2 * n(3) * n(4) * n(5),
        bytes: F * (n(3) * n(4) + n(4) * n(5) + n(3) * n(5)),
      };
    case 'matmulHadamard':
      return {
        name: `GEMM∘Σ′ ${t(7)}${t(8)} ${n(4)}×${n(5)}×${n(6)}`,
        kind: 'product',
        phase: productPhase(args[7], n(5)),
        flops: 2 * n(4) * n(5) * n(6) + n(4) * n(6),
        bytes: F * (n(4) * n(5) + n(5) * n(6) + 2 * n(4) * n(6)),
      };
    case 'hadamard':
      return {
        name: 'Hadamard ∘',
        kind: 'elementwise',
        phase: 'backward ∘ Σ′ (elementwise)',
        flops: n(3),
        bytes: 3 * F * n(3),
      };
    case 'activation':
      return {
        name: `activation ${String(args[0])} (Σ, Σ′)`,
        kind: 'elementwise',
        phase: 'activations',
        flops: 0,
        bytes: 3 * F * (n(5) - n(4)),
      };
    case 'softmaxCrossEntropySeed':
      return {
        name: 'loss seed (softmax-ce)',
        kind: 'elementwise',
        phase: 'loss seed',
        flops: 0,
        bytes: 3 * F * n(3) * n(4),
      };
    case 'sgdUpdate':
      return {
        name: 'optimizer update (sgd)',
        kind: 'elementwise',
        phase: 'optimizer update',
        flops: 3 * n(3),
        bytes: (n(5) > 0 ? 5 : 3) * F * n(3),
      };
    case 'adamUpdate':
      return {
        name: 'optimizer update (adam)',
        kind: 'elementwise',
        phase: 'optimizer update',
        flops: 12 * n(4),
        bytes: 7 * F * n(4),
      };
    default:
      return undefined;
  }
}

const TIMED = new Set([
  'matmul',
  'matmulHadamard',
  'hadamard',
  'activation',
  'softmaxCrossEntropySeed',
  'sgdUpdate',
  'adamUpdate',
]);

/** A wrapper around `inner` that times every call of the step's kernel methods. */
/** `batches`: the batch sizes of the run (the full one and the last, partial one), which weight gradients sum over. */
export function profileKernels(inner: Kernels, batches: readonly number[]): Profiler {
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
        const c = classify(prop, args, batches)!;
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

/** GB/s (read + write) of copying a float32 buffer of `floats` values back and forth, best of 7 rounds. */
export function copyBandwidth(floats = 128 * 1024): number {
  const a = new Float32Array(floats).fill(1);
  const b = new Float32Array(floats);
  const reps = Math.max(4, Math.round((400 * 128 * 1024) / floats));
  for (let i = 0; i < Math.min(200, reps); i++) b.set(a);
  let best = 0;
  for (let rep = 0; rep < 7; rep++) {
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) (i & 1 ? a : b).set(i & 1 ? b : a);
    const s = (performance.now() - t0) / 1000;
    best = Math.max(best, (2 * F * floats * reps) / s / 1e9);
  }
  return best;
}

/** Copy bandwidth at growing buffer sizes (bytes moved per copy = 2 × 4 × floats): cache-resident up to main memory. */
export interface CopyLevel {
  /** Bytes read + written by one copy. */
  bytes: number;
  GBs: number;
}

/** Copies of 0.5 MB, 4 MB and 64 MB buffers: roughly L2, L3 and main memory on the project's machines. */
export function copyBandwidths(): CopyLevel[] {
  return [128 * 1024, 1024 * 1024, 16 * 1024 * 1024].map((floats) => ({
    bytes: 2 * F * floats,
    GBs: copyBandwidth(floats),
  }));
}

/** The copy bandwidth of the smallest level whose copy moves at least `bytes` (a pass of that footprint is bound by it). */
export function levelFor(levels: readonly CopyLevel[], bytes: number): CopyLevel {
  return levels.find((l) => l.bytes >= bytes) ?? levels[levels.length - 1]!;
}
