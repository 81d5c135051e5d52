/**
 * The training step's backward pass, paper §5, Remark 3, on the kernels for a batch of B columns:
 *   Δ_i = (W_{i+1}ᵀ · Δ_{i+1}) ∘ Σ'_i,  Δ_{k+1} = 1,  ∇_{W_i} f = Δ_i · Σ_{i−1}ᵀ (summed over the batch).
 * Fused Σ'-Hadamard products, no allocation per step; its specification is grad/recursive.ts
 * (test/engines.agree.test.ts compares the two).
 */

import type { Grads } from '../grad/types.js';
import { refKernels } from '../kernels/ref.js';
import type { Kernels } from '../kernels/types.js';
import { type FloatArray, Matrix, newArray } from '../linalg/matrix.js';
import {
  hadamard,
  type MatmulHadamardOptions,
  type MatmulOptions,
  matmul,
  matmulHadamard,
  type ProductOptions,
} from '../linalg/products.js';
import type { Trace } from '../net/forward.js';
import { Layers } from '../net/layers.js';
import type { Network } from '../net/network.js';

/** Allocates Δ_1 … Δ_{k+1} and ∇_{W_i} f for a batch of B columns. */
export function allocateGrads(
  net: Network,
  B: number,
  alloc: (length: number) => FloatArray = (n) => newArray(net.dtype, n),
): Required<Pick<Grads, 'D' | 'gradW'>> {
  const k = net.k;
  const D = new Layers<Matrix>('Δ', 1, k + 1);
  const gradW = new Layers<Matrix>('∇W', 1, k);
  for (let i = 1; i <= k + 1; i++) {
    const rows = i <= k ? net.n[i]! : net.n[k]!;
    D.set(i, new Matrix(rows, B, alloc(rows * B)));
  }
  for (let i = 1; i <= k; i++) gradW.set(i, new Matrix(net.n[i]!, net.n[i - 1]!, alloc(net.n[i]! * net.n[i - 1]!)));
  return { D, gradW };
}

/** Options of the recursion (kernels, and matrices to write Δ_i and ∇_{W_i} f into). */
export interface RecursiveOptions {
  /** Kernels to compute with; defaults to the reference kernels. */
  kernels?: Kernels;
  /** Write into these matrices (from `allocateGrads`) instead of allocating. */
  into?: Required<Pick<Grads, 'D' | 'gradW'>>;
}

/** The options of every product of the recursion, made once per workspace so that a step allocates nothing. */
interface BackwardPlan {
  net: Network;
  kernels: Kernels;
  seedProduct: ProductOptions;
  up: MatmulHadamardOptions[];
  grads: MatmulOptions[];
  /** ∇_{W_1} when the trace holds Σ_0 as Xᵀ. */
  gradsRows?: MatmulOptions;
}
const plans = new WeakMap<object, BackwardPlan>();

function planOf(net: Network, g: Required<Pick<Grads, 'D' | 'gradW'>>, kernels: Kernels): BackwardPlan {
  const cached = plans.get(g);
  if (cached && cached.net === net && cached.kernels === kernels) return cached;
  const k = net.k;
  const plan: BackwardPlan = {
    net,
    kernels,
    seedProduct: { names: [`Δ_${k + 1}`, `Σ'_${k}`], out: g.D.get(k), kernels },
    up: [],
    grads: [],
  };
  for (let i = 1; i <= k; i++) {
    if (i < k) {
      plan.up[i] = { transA: true, names: [`W_${i + 1}`, `Δ_${i + 1}`], hName: `Σ'_${i}`, out: g.D.get(i), kernels };
    }
    plan.grads[i] = { transB: true, names: [`Δ_${i}`, `Σ_${i - 1}`], out: g.gradW.get(i), kernels };
  }
  // Σ_0 held as Xᵀ (a forward pass with inputRows): ∇_{W_1} f = Δ_1·Σ_0ᵀ = Δ_1·(Xᵀ) reads it as it is
  plan.gradsRows = { ...plan.grads[1]!, transB: false, names: ['Δ_1', '(Xᵀ)'] };
  plans.set(g, plan);
  return plan;
}

/** Runs the recursion of Remark 3 from the seed Δ_{k+1} (n_k × B). */
export function backpropagate(
  net: Network,
  trace: Trace,
  seed: Matrix,
  opts: RecursiveOptions = {},
): Required<Pick<Grads, 'D' | 'gradW'>> {
  const k = net.k;
  const g = opts.into ?? allocateGrads(net, seed.cols);
  const plan = planOf(net, g, opts.kernels ?? refKernels);
  const { D } = g;
  if (D.get(k + 1) !== seed) D.set(k + 1, seed);
  // Δ_k = Δ_{k+1} ∘ Σ'_k (W_{k+1}ᵀ = 1: the seed is already the upstream column)
  hadamard(seed, trace.dS.get(k), plan.seedProduct);
  for (let i = k; i >= 1; i--) {
    if (i < k) {
      // Δ_i = (W_{i+1}ᵀ · Δ_{i+1}) ∘ Σ'_i   (Kernels.matmulHadamard: one fused pass in the faster kernels)
      matmulHadamard(net.W.get(i + 1), D.get(i + 1), trace.dS.get(i), plan.up[i]);
    }
    // ∇_{W_i} f = Δ_i · Σ_{i−1}ᵀ
    matmul(D.get(i), trace.S.get(i - 1), i === 1 && trace.inputRows ? plan.gradsRows : plan.grads[i]);
  }
  return g;
}

/** The recursion as a gradient engine. */
export function recursive(net: Network, trace: Trace, seed: Matrix): Grads {
  return backpropagate(net, trace, seed);
}
