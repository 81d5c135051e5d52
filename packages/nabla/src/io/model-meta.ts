/** What a model file holds besides the network: the format's name and version, and the fields training writes. */
import { type LossName, lossNames } from '../train/loss.js';

export const MODEL_FORMAT = 'nabla-model';
/** The newest model-file version this build reads and the one it writes. */
export const MODEL_FORMAT_VERSION = 1;

// The loss names are the trainer's (train/loss.ts); the file format accepts exactly those.
export { type LossName, lossNames };

/** One layer's matrices, e.g. Adam's first moments: one matrix (array of rows) per layer, shaped like W_i. */
export type LayerMatrices = number[][][];

/** An optimizer's state as a model file stores it (`--save-optimizer`), to resume training. */
export interface OptimizerState {
  /** The optimizer: sgd, adam or adamw. */
  name: string;
  /** Steps taken so far. */
  step: number;
  /** Its hyperparameters (momentum, betas, eps, weight decay, …). */
  options?: Record<string, number | string | boolean>;
  /** Per-layer state matrices by name (e.g. m, v), each list one matrix per layer shaped like the file's W_i. */
  state?: Record<string, LayerMatrices>;
}

/** What is done to the inputs before the network. */
export interface Preprocessing {
  /** x ↦ (x − mean) / std, per input coordinate (length n_0, or m_0 for an affine model); std > 0. */
  standardize?: {
    /** One mean per input. */
    mean: number[];
    /** One standard deviation (> 0) per input. */
    std: number[];
  };
}

/** Everything in a model file besides the network itself. */
export interface ModelMeta {
  /** The precision written in the file ("dtype"), when it was given. */
  dtype?: 'float32' | 'float64';
  /** The loss the model was trained with. */
  loss?: LossName;
  /** Class labels, output neuron j standing for classes[j]. */
  classes?: string[] | number[];
  /** Input scaling applied before the network. */
  preprocessing?: Preprocessing;
  /** One entry per epoch, e.g. { epoch, loss, accuracy, valLoss, valAccuracy, seconds }. */
  history?: Record<string, number>[];
  /** The optimizer's state, to resume training. */
  optimizer?: OptimizerState;
  /** How the model was trained (data, epochs, hyperparameters), as written by `nabla train`. */
  training?: Record<string, number | string | boolean | null>;
  /** Free text. */
  description?: string;
}
