/**
 * The memory of a training run, allocated once: the weights being trained, and per batch size the workspace a step
 * works in (X, Y, the trace N_i, Σ_i, Σ'_i, Δ_i, ∇W_i, the seed Δ_{k+1}). In float32 all of it lives in a region of
 * the kernels (`Kernels.region`: their own memory for WebAssembly), so a step copies and allocates no arrays.
 */
import type { KernelRegion, Kernels } from '../kernels/types.js';
import { type DType, type FloatArray, Matrix, newArray } from '../linalg/matrix.js';
import { allocateTrace, type ForwardOptions, type Trace } from '../net/forward.js';
import type { Layers } from '../net/layers.js';
import { Network } from '../net/network.js';
import { allocateGrads, type RecursiveOptions } from './backprop.js';
import { setConstantColumn } from './input-view.js';

export interface Workspace {
  B: number;
  /**
   * The batch as Xᵀ (B × n_0, one row per sample; the forward pass reads it with `inputRows`): a step copies each
   * sample as one contiguous row, with no transposing. For the homogeneous form of an affine network (§3 (a)) the
   * last column holds the constant 1, written once here; the data fill the columns before it.
   */
  Xt: Matrix;
  Y: Matrix;
  trace: Trace;
  grads: ReturnType<typeof allocateGrads>;
  seed: Matrix;
  /** Made once, so that a step allocates no option objects. */
  forwardOptions: ForwardOptions;
  backwardOptions: RecursiveOptions;
}

export type Alloc = (length: number) => FloatArray;

/** Floats a workspace for batch size B takes (see `workspace`). */
export function workspaceFloats(net: Network, B: number): number {
  const n = net.n;
  const sum = n.slice(1).reduce((a, b) => a + b, 0);
  return B * (2 * n[0]! + 4 * sum + 2 * n[net.k]!) + net.parameterCount;
}

export function workspace(net: Network, B: number, affine: boolean, alloc: Alloc, kernels: Kernels): Workspace {
  const nk = net.n[net.k]!;
  const grads = allocateGrads(net, B, alloc);
  const Xt = new Matrix(B, net.n[0]!, alloc(net.n[0]! * B));
  setConstantColumn(Xt, affine);
  const trace = allocateTrace(net, B, alloc);
  return {
    forwardOptions: { into: trace, kernels, inputRows: true },
    backwardOptions: { into: grads, kernels },
    B,
    Xt,
    Y: new Matrix(nk, B, alloc(nk * B)),
    trace,
    grads,
    seed: grads.D.get(net.k + 1),
  };
}

export function copyWeights(from: Network, to: Network): void {
  for (let i = 1; i <= from.k; i++) to.W.get(i).data.set(from.W.get(i).data);
}

/**
 * §3 (b): in the homogeneous form of an affine network the last row of every W_i with i < k is [0, …, 0, 1]
 * (the formal neuron that carries the constant 1). Training keeps it so: that row's gradient is zeroed and,
 * after the update (weight decay would otherwise shrink the 1), the row is written again.
 */
export function holdFormalRows(net: Network, gradW?: Layers<Matrix>): void {
  for (let i = 1; i < net.k; i++) {
    const M = gradW ? gradW.get(i) : net.W.get(i);
    const from = (M.rows - 1) * M.cols;
    M.data.fill(0, from, from + M.cols);
    if (!gradW) M.data[from + M.cols - 1] = 1;
  }
}

/** The weights being trained (a copy) and the allocator, in a region of the kernels in float32; in float64 ordinary arrays and `start` itself. */
export function trainingMemory(
  start: Network,
  dtype: DType,
  kernels: Kernels,
  floats: number,
): { work: Network; alloc: Alloc; region: KernelRegion | undefined } {
  const region = dtype === 'float32' ? kernels.region(floats) : undefined;
  const alloc: Alloc = region ? (n) => region.alloc(n) : (n) => newArray(dtype, n);
  const work = region
    ? new Network(
        start.n,
        start.W.indices().map((i) => {
          const M = new Matrix(start.W.get(i).rows, start.W.get(i).cols, alloc(start.W.get(i).data.length));
          M.data.set(start.W.get(i).data);
          return M;
        }),
        start.sigma.indices().map((i) => start.sigma.get(i)),
      )
    : start;
  return { work, alloc, region };
}
