/**
 * Losses as seeds of the recursion: seed = ∂L/∂Σ_k takes the place of the paper's 1, Δ_k = seed ∘ Σ'_k. Batch
 * means as PyTorch's defaults: mse, softmax-ce and bce, the last two on logits (Σ_k the identity), computed stably
 * from N_k (log-sum-exp with the maximum subtracted).
 */
import { OptionError } from '../errors.js';
import { softmaxCrossEntropy as softmaxCrossEntropyLoop } from '../kernels/ref/loss.js';
import type { Matrix } from '../linalg/matrix.js';
import type { Network } from '../net/network.js';

/**
 * A loss by name: `'mse'` (mean squared error on Σ_k = f), `'softmax-ce'` (softmax cross-entropy on the logits N_k)
 * or `'bce'` (binary cross-entropy on the logits N_k); each is a batch mean and supplies the seed ∂L/∂Σ_k of the recursion.
 */
export type LossName = 'mse' | 'softmax-ce' | 'bce';
/** The names of all losses. */
export const lossNames: readonly LossName[] = ['mse', 'softmax-ce', 'bce'];

/** A loss L: its seed ∂L/∂Σ_k for the backward pass, and its value. */
export interface Loss {
  /** Which loss. */
  readonly name: LossName;
  /** True when the loss reads logits N_k and the last activation must be the identity. */
  readonly onLogits: boolean;
  /**
   * Writes the seed ∂L/∂Σ_k (n_k × B) and returns L. `out` is Σ_k = f for mse and N_k for the logit losses;
   * Y is n_k × B (one-hot rows for softmax-ce).
   */
  seed(out: Matrix, Y: Matrix, seed: Matrix): number;
  /** L only (no seed), for evaluation. */
  value(out: Matrix, Y: Matrix): number;
}

function mseCore(f: Matrix, Y: Matrix, seed: Matrix | undefined): number {
  const n = f.data.length;
  const scale = 2 / n;
  let sum = 0;
  const fd = f.data;
  const yd = Y.data;
  const sd = seed?.data;
  for (let j = 0; j < n; j++) {
    const d = fd[j]! - yd[j]!;
    sum += d * d;
    if (sd) sd[j] = scale * d;
  }
  return sum / n;
}

/** softmax-ce: the reference kernels' loop (kernels/ref/loss.ts), which the kernel sets' fused seeds must agree with. */
function softmaxCeCore(N: Matrix, Y: Matrix, seed: Matrix | undefined): number {
  return softmaxCrossEntropyLoop(N.data, Y.data, seed?.data, N.rows, N.cols);
}

function bceCore(N: Matrix, Y: Matrix, seed: Matrix | undefined): number {
  const n = N.data.length;
  const nd = N.data;
  const yd = Y.data;
  const sd = seed?.data;
  let total = 0;
  for (let j = 0; j < n; j++) {
    const z = nd[j]!;
    const y = yd[j]!;
    total += Math.max(z, 0) - z * y + Math.log1p(Math.exp(-Math.abs(z)));
    if (sd) {
      const p = z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
      sd[j] = (p - y) / n;
    }
  }
  return total / n;
}

export const mse: Loss = { name: 'mse', onLogits: false, seed: mseCore, value: (f, Y) => mseCore(f, Y, undefined) };
export const softmaxCrossEntropy: Loss = {
  name: 'softmax-ce',
  onLogits: true,
  seed: softmaxCeCore,
  value: (N, Y) => softmaxCeCore(N, Y, undefined),
};
export const binaryCrossEntropy: Loss = {
  name: 'bce',
  onLogits: true,
  seed: bceCore,
  value: (N, Y) => bceCore(N, Y, undefined),
};

export const losses: Readonly<Record<LossName, Loss>> = {
  mse,
  'softmax-ce': softmaxCrossEntropy,
  bce: binaryCrossEntropy,
};

/** The loss by name (`mse`, `softmax-ce`, `bce`); an unknown name is an OptionError listing the known ones. */
export function getLoss(name: string): Loss {
  if (!Object.hasOwn(losses, name))
    throw new OptionError(`unknown loss "${name}"; expected one of: ${lossNames.join(', ')}`);
  return losses[name as LossName];
}

/** Refuses a loss that reads logits on a network whose last activation is not the identity. */
export function checkLossFits(loss: Loss, net: Network): void {
  if (!loss.onLogits) return;
  const col = net.sigma.get(net.k);
  const bad = col.sigmas.find((a) => a.name !== 'identity');
  if (bad) {
    throw new OptionError(
      `loss ${loss.name} is computed from the logits N_${net.k}, so the last layer's activation ` +
        `must be identity; Σ_${net.k} has ${bad.name} (make the last layer's activation ` +
        `'identity', or choose another loss)`,
    );
  }
  if (loss.name === 'softmax-ce' && net.n[net.k]! < 2) {
    throw new OptionError(
      `loss softmax-ce needs at least 2 outputs (one per class); n_${net.k} = ${net.n[net.k]} (use bce for two classes with one output)`,
    );
  }
}

/**
 * The one default-loss policy (the model API, the CLI and the explorer all ask it). Regression: mse.
 * Classification on logits (the last activation is the identity): bce for one output neuron (two classes),
 * softmax-ce for one neuron per class. Classification through any other last activation: mse on the 0/1 or
 * one-hot targets.
 */
export function defaultLoss(task: 'classification' | 'regression', outputs: number, lastIsIdentity: boolean): LossName {
  if (task === 'regression' || !lastIsIdentity) return 'mse';
  return outputs === 1 ? 'bce' : 'softmax-ce';
}
