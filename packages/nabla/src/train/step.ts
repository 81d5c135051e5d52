/**
 * One training step, the paper's recursion seeded by the loss, used by `fit` and the bench: forward
 * (net/forward.ts), seed Δ_{k+1} = ∂L/∂Σ_k (loss.ts), backward Δ_i and ∇_{W_i} L (backprop.ts), optional penalty
 * (regularization.ts), update (optimizer.ts). It stops a diverging run at the first non-finite quantity, naming it,
 * reading only the loss and one column of ∇_{W_1} L; in the workspace of workspace.ts it allocates no arrays.
 */
import { type Dataset, gatherSampleRows, gatherTargets } from '../data/dataset.js';
import { refKernels } from '../kernels/ref.js';
import type { Kernels } from '../kernels/types.js';
import { nonFiniteIndex } from '../linalg/matrix.js';
import { forward } from '../net/forward.js';
import type { Network } from '../net/network.js';
import { backpropagate } from './backprop.js';
import { clipGradNorm } from './clip.js';
import { type DivergenceError, diagnose, EXPLOSION_FACTOR, exploded } from './divergence.js';
import type { Loss } from './loss.js';
import type { Optimizer } from './optimizer.js';
import { addPenaltyGradient, type Regularization } from './regularization.js';
import { holdFormalRows, type Workspace } from './workspace.js';

export interface StepSetup {
  /** The weights being trained (updated in place). */
  net: Network;
  loss: Loss;
  optimizer: Optimizer;
  /** Kernels of the seed (softmax-ce); default the reference kernels. The forward and backward passes take those of the workspace. */
  kernels?: Kernels;
  /** The network is the homogeneous form of an affine one (§3): its formal rows are held fixed. */
  affine: boolean;
  /** Clip the global gradient norm to this value. */
  clipNorm?: number;
  /** L1 or L2 weight penalty: its gradient is added to ∇_{W_i} L before clipping and the update. */
  regularization?: Regularization;
}

export class TrainingStep {
  /** Why the last step failed, when it returned NaN. */
  divergence: DivergenceError | undefined;
  /** The loss of the first step, which an exploding loss is measured against. */
  private firstLoss: number | undefined;
  private readonly kernels: Kernels;

  constructor(private readonly s: StepSetup) {
    this.kernels = s.kernels ?? refKernels;
  }

  /**
   * One step on the samples order[start … end − 1] of `data`, in `ws` (sized end − start), with learning rate `lr`.
   * Returns the batch loss; NaN when the run diverged (then `divergence` names the quantity; epoch and batch are
   * for the message).
   */
  run(
    ws: Workspace,
    data: Dataset,
    order: Int32Array,
    start: number,
    end: number,
    lr: number,
    epoch: number,
    batch: number,
  ): number {
    const { net, loss, affine, optimizer } = this.s;
    gatherSampleRows(data, order, start, end, ws.Xt);
    gatherTargets(data, order, start, end, ws.Y);
    forward(net, ws.Xt, ws.forwardOptions);
    const out = loss.onLogits ? ws.trace.N.get(net.k) : ws.trace.f;
    // Δ_{k+1} = ∂L/∂Σ_k (softmax-ce by the kernels: one fused pass where they have one)
    const L =
      loss.name === 'softmax-ce'
        ? this.kernels.softmaxCrossEntropySeed(out.data, ws.Y.data, ws.seed.data, out.rows, out.cols)
        : loss.seed(out, ws.Y, ws.seed);
    if (!Number.isFinite(L)) return this.fail(ws, L, epoch, batch, lr, 'forward');
    this.firstLoss ??= L;
    if (L > EXPLOSION_FACTOR * Math.max(this.firstLoss, 1)) {
      this.divergence = exploded(L, this.firstLoss, epoch, batch, lr);
      return Number.NaN;
    }
    backpropagate(net, ws.trace, ws.seed, ws.backwardOptions);
    // A NaN or ±∞ anywhere in Δ_1 makes its whole row of ∇_{W_1} L = Δ_1·Σ_0ᵀ non-finite (∞·0 is NaN, ∞ − ∞ too), and
    // one in Δ_k … Δ_2 reaches Δ_1 through Δ_i = (W_{i+1}ᵀ·Δ_{i+1}) ∘ Σ'_i: so one column of ∇_{W_1} L (n_1 floats)
    // shows every non-finite Δ_i before the update, and the diagnosis then names the first one. Reading all of Δ_1
    // cost more than its product's share of the step with two threads (half of it is in the other core's cache).
    const G1 = ws.grads.gradW.get(1);
    if (nonFiniteIndex(G1.data, G1.rows, G1.cols) >= 0) return this.fail(ws, L, epoch, batch, lr, 'backward');
    if (this.s.regularization) addPenaltyGradient(net.W, ws.grads.gradW, this.s.regularization, affine);
    if (affine) holdFormalRows(net, ws.grads.gradW);
    if (this.s.clipNorm !== undefined && !Number.isFinite(clipGradNorm(ws.grads.gradW, this.s.clipNorm)))
      return this.fail(ws, L, epoch, batch, lr, 'backward');
    optimizer.update(net.W, ws.grads.gradW, lr);
    if (affine) holdFormalRows(net);
    return L;
  }

  /**
   * After the last step of an epoch (`ws` its workspace, `L` its loss): whether an update made some W_i non-finite
   * (then `divergence` names it). One pass over the weights per epoch, not per step.
   */
  nonFiniteWeights(ws: Workspace, L: number, epoch: number, batch: number, lr: number): boolean {
    const net = this.s.net;
    let finite = true;
    for (let i = 1; i <= net.k; i++) finite &&= nonFiniteIndex(net.W.get(i).data) < 0;
    if (finite) return false;
    this.fail(ws, L, epoch, batch, lr, 'update');
    return true;
  }

  private fail(
    ws: Workspace,
    L: number,
    epoch: number,
    batch: number,
    lr: number,
    phase: 'forward' | 'backward' | 'update',
  ): number {
    const net = this.s.net;
    this.divergence = diagnose(
      { trace: ws.trace, loss: L, D: ws.grads.D, gradW: ws.grads.gradW, W: net.W, k: net.k },
      epoch,
      batch,
      lr,
      phase,
    );
    return Number.NaN;
  }
}
