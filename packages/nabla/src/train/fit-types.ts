/** What the training loop takes and gives: its options, the per-epoch records and per-batch information, its result. */
import type { Dataset } from '../data/dataset.js';
import type { Kernels } from '../kernels/types.js';
import type { DType } from '../linalg/matrix.js';
import type { Network } from '../net/network.js';
import type { DivergenceError } from './divergence.js';
import type { LossName } from './loss.js';
import type { OptimizerName, OptimizerOptions, OptimizerState } from './optimizer.js';
import type { Regularization } from './regularization.js';
import type { ScheduleOptions } from './schedule.js';

/** One epoch of training as recorded in `history`: the epoch's mean losses and accuracies, its learning rate and its speed. */
export interface EpochRecord {
  /** Epoch number, from 1 (or from `firstEpoch` when training is resumed). */
  epoch: number;
  /** Mean training loss over the epoch's samples: each batch's loss, computed before that batch's update, weighted by its size. */
  loss: number;
  /** Classification: fraction of the epoch's training samples whose predicted class was right (each before its batch's update). */
  accuracy?: number;
  /** Mean loss on the validation set after the epoch, when there is one. */
  valLoss?: number;
  /** Classification: accuracy on the validation set after the epoch, when there is one. */
  valAccuracy?: number;
  /** The learning rate η used in this epoch (after the schedule). */
  learningRate: number;
  /** Wall-clock seconds from the start of the epoch to the end of its last batch (the validation pass not included). */
  seconds: number;
  /** Training samples processed per second in this epoch. */
  samplesPerSecond: number;
}

/** What `onBatchEnd` receives after each training step. */
export interface BatchInfo {
  /** Epoch number, from 1 (or from `firstEpoch`). */
  epoch: number;
  /** Batch number within the epoch, from 1. */
  batch: number;
  /** Number of batches per epoch, ⌈count / batchSize⌉. */
  batches: number;
  /** This batch's loss. */
  loss: number;
  /** Mean loss over the epoch so far. */
  runningLoss: number;
  /** Training samples processed so far in this epoch, this batch included. */
  samplesDone: number;
  /** Ask the loop to stop after this batch. */
  stop(): void;
}

/** What `onEpochEnd` receives: the epoch's record, and a way to stop training. */
export interface EpochInfo extends EpochRecord {
  /** Ask the loop to stop after this epoch (stopReason `'callback'`, unless early stopping or an abort applies first). */
  stop(): void;
  /** Copies of the weights and the optimizer state at the end of this epoch (a checkpoint to resume from). */
  state(): {
    /** A copy of the network's weights W_i. */
    network: Network;
    /** A copy of the optimizer's state. */
    optimizerState: OptimizerState;
  };
}

/** Options of the low-level `fit` on a `Network`: loss, optimizer, schedule, batches, epochs, callbacks. */
export interface FitOptions {
  /** The loss L to minimize: 'mse', 'softmax-ce' or 'bce'. */
  loss: LossName;
  /** The optimizer (default 'sgd'). */
  optimizer?: OptimizerName;
  /** The optimizer's hyperparameters (momentum μ, weight decay λ, β₁, β₂, ε). */
  optimizerOptions?: OptimizerOptions;
  /** η (default 0.01 for sgd, 0.001 for adam/adamw). */
  learningRate?: number;
  /** Samples per batch B (default 32; the last batch of an epoch may be smaller). */
  batchSize?: number;
  /** Epochs to train (default 1). */
  epochs?: number;
  /** Seed of the shuffles (default 1). */
  seed?: number;
  /** Reshuffle every epoch (default true); false keeps the data order. */
  shuffle?: boolean;
  /** Training precision (default float32). */
  dtype?: DType;
  /** A validation set, evaluated after each epoch (valLoss, valAccuracy). */
  validation?: Dataset;
  /** Fraction of the training data held out for validation (seeded), when `validation` is not given. */
  validationSplit?: number;
  /** How η changes from epoch to epoch (default constant). */
  schedule?: ScheduleOptions;
  /** Clip the global gradient norm to this value. */
  clipNorm?: number;
  /**
   * An L1 or L2 penalty on the weights (not the biases of an affine network): its gradient rate·sign(W_i) or
   * rate·W_i is added to ∇_{W_i} L in every step. The losses reported in `history` are those of the data alone.
   */
  regularization?: Regularization;
  /** Stop when the monitored loss has not improved by `minDelta` for `patience` epochs; restores the best weights. */
  earlyStopping?: {
    /** Epochs without improvement before training stops. */
    patience: number;
    /** The least decrease that counts as an improvement (default 0). */
    minDelta?: number;
    /**
     * What to watch (default 'valLoss' when there is a validation set, else 'loss'); 'valAccuracy' improves by
     * growing (Keras's mode 'max'), and needs a validation set of classification data.
     */
    monitor?: 'valLoss' | 'loss' | 'valAccuracy';
  };
  /** Called before each batch (epoch and batch numbers from 1). */
  onBatchBegin?: (info: { epoch: number; batch: number; batches: number }) => CallbackResult;
  /** Called after each batch's update. */
  onBatchEnd?: (info: BatchInfo) => CallbackResult;
  /** Called before each epoch. */
  onEpochBegin?: (info: { epoch: number; learningRate: number }) => CallbackResult;
  /** Called after each epoch (and its validation), with its record. */
  onEpochEnd?: (info: EpochInfo) => CallbackResult;
  /** Stops training after the current batch when aborted (stopReason 'aborted'; the weights so far are kept). */
  signal?: {
    /** True once training should stop (an `AbortSignal` fits). */
    readonly aborted: boolean;
  };
  /** The kernel set that runs the matrix products (default the reference kernels, in plain TypeScript). */
  kernels?: Kernels;
  /**
   * The network is the homogeneous form of an affine network (paper §3): each input column gets the constant 1
   * as its last entry, so the data have n_0 − 1 features.
   */
  affine?: boolean;
  /** Continue from a saved optimizer state. */
  resume?: OptimizerState;
  /** Epoch number to start counting from (for resumed training; default 1). */
  firstEpoch?: number;
  /**
   * Epochs whose shuffles the data order has already been through (default 0): a resumed run replays them from
   * `seed`, so its batches are those the uninterrupted run would have had.
   */
  shuffledEpochs?: number;
}

/**
 * What a callback may return: nothing, or (with `fitAsync`) a promise that training waits for. `fit` (synchronous)
 * does not wait.
 */
export type CallbackResult = unknown;

/** What the low-level `fit` returns: the trained network, its history and why it stopped. */
export interface FitResult {
  /** The trained network (the best one when early stopping restored it; the last good one after divergence). */
  network: Network;
  /** One record per epoch trained. */
  history: EpochRecord[];
  /** Why training stopped. */
  stopReason: 'completed' | 'early-stopping' | 'callback' | 'aborted' | 'diverged';
  /** The error that stopped a diverged run (stopReason 'diverged'). */
  divergence?: DivergenceError;
  /** With early stopping: the epoch whose weights were kept. */
  bestEpoch?: number;
  /** The optimizer's state at the end (to resume training from). */
  optimizerState: OptimizerState;
  /** Wall-clock seconds of the whole run. */
  seconds: number;
}
