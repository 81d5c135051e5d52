/** The model API's option and result types (model.ts is the class, create.ts `createModel`). */
import type { Dataset, Standardizer } from '../data/dataset.js';
import type { GradientForm } from '../grad/forms.js';
import type { Grads, SeedInput } from '../grad/types.js';
import type { WorkedForm, WorkedGradient } from '../grad/worked.js';
import type { Kernels } from '../kernels/types.js';
import type { DType, Matrix } from '../linalg/matrix.js';
import type { Activation } from '../net/activation.js';
import type { Trace } from '../net/forward.js';
import type { InitScheme } from '../net/init.js';
import type { BatchInfo, CallbackResult, EpochInfo, FitResult } from '../train/fit.js';
import type { LossName } from '../train/loss.js';
import type { OptimizerName, OptimizerOptions } from '../train/optimizer.js';
import type { Regularization } from '../train/regularization.js';
import type { ScheduleName, ScheduleOptions } from '../train/schedule.js';
import type { Inputs, Targets } from './inputs.js';
import type { KernelSetName, KernelsInfo } from './kernels.js';
import type { ClassificationReport, RegressionReport } from './metrics.js';

/** An activation for a whole layer (a catalog name or an `Activation`), or one per neuron. */
export type ActivationSpec = string | Activation | readonly (string | Activation)[];

/** A layer: its number of neurons and their activation (default `tanh` for hidden layers, `identity` for the last). */
export type LayerSpec =
  | number
  | {
      /** Neurons in the layer (m_i). */
      units: number;
      /**
       * One activation for the layer or one per neuron (default `tanh` for hidden layers, `identity` for the last).
       * `'softmax'` on the last layer, as in Keras, means an identity last layer with the loss `softmax-ce`.
       */
      activation?: ActivationSpec;
      /** First layer only, as in TensorFlow.js's `tf.layers.dense`: `[m_0]`, the model's `inputs`. */
      inputShape?: readonly [number];
    };

/** Options of `createModel`. */
export interface ModelOptions {
  /** Inputs per sample (m_0); required unless `inputShape` (here or on the first layer) gives it. */
  inputs?: number;
  /** Keras's and TensorFlow.js's spelling of `inputs`: `[m_0]` (a sample is a flat row). */
  inputShape?: readonly [number];
  /** The layers from the first hidden one to the output layer. */
  layers: readonly LayerSpec[];
  /** Biases in every layer (default true): the affine network, held as the homogeneous network of §3. */
  bias?: boolean;
  /**
   * The training loss; by default chosen from the first targets `fit` sees (see `defaultLoss`). Keras's names are
   * read as nabla's: `meanSquaredError` as `mse`, `categoricalCrossentropy` and `sparseCategoricalCrossentropy` as
   * `softmax-ce`, `binaryCrossentropy` as `bce` (snake_case too).
   */
  loss?: LossOption;
  /** Class labels, one per output neuron (two for one output neuron with bce); by default taken from the first labels `fit` sees. */
  classes?: readonly (string | number)[];
  /** Precision of the weights (default float32, the fast WebAssembly path; float64 for exact teaching numbers). */
  dtype?: DType;
  /** Seed of the initial weights (default 1). */
  seed?: number;
  /** Initial weights (default glorot). */
  init?: InitScheme;
  /** User-defined activations the layer specs may name (see `defineActivation`). */
  activations?: Readonly<Record<string, Activation>>;
  /** Input scaling x ↦ (x − mean) / std, applied before the network; `fit({ standardize: true })` can fit it. */
  inputScaling?: Standardizer;
  /** Free text stored in the model file. */
  description?: string;
}

/**
 * A loss as `createModel` and `fit` take it: nabla's name, or Keras's (`meanSquaredError` as `mse`,
 * `categoricalCrossentropy` and `sparseCategoricalCrossentropy` as `softmax-ce`, `binaryCrossentropy` as `bce`,
 * snake_case too).
 */
export type LossOption =
  | LossName
  | 'meanSquaredError'
  | 'categoricalCrossentropy'
  | 'sparseCategoricalCrossentropy'
  | 'binaryCrossentropy'
  | 'mean_squared_error'
  | 'categorical_crossentropy'
  | 'sparse_categorical_crossentropy'
  | 'binary_crossentropy';

/** Options of `Model.fit` / `fitSync`. */
export interface ModelFitOptions {
  /** The training loss, as Keras's `compile` gives it; it becomes the model's (default the model's, else chosen from the targets: see `defaultLoss`). */
  loss?: LossOption;
  /** Passes over the data (default 1). */
  epochs?: number;
  /** Samples per step (default 32). */
  batchSize?: number;
  /** Default adam. */
  optimizer?: OptimizerName;
  /** η (default 0.01 for sgd, 0.001 for adam and adamw). */
  learningRate?: number;
  /** Momentum, Nesterov, betas, weight decay …, with PyTorch's meaning. */
  optimizerOptions?: OptimizerOptions;
  /** A learning-rate schedule counted in epochs: `'cosine'`, `'step'`, or its options (`{ name: 'step', stepSize: 2, gamma: 0.5 }`). */
  schedule?: ScheduleName | ScheduleOptions;
  /** Clip the global gradient norm to this value. */
  clipNorm?: number;
  /** A weight penalty added to the loss (TensorFlow Playground's): `{ kind: 'l1' | 'l2', rate }`; biases are not penalised. */
  regularization?: Regularization;
  /** Held-out data evaluated after every epoch: `[x, y]`, or a `Dataset`. */
  validationData?: readonly [Inputs, Targets] | Dataset;
  /** Fraction of (x, y) held out for validation (seeded), when `validationData` is not given. */
  validationSplit?: number;
  /** Reshuffle every epoch (default true). */
  shuffle?: boolean;
  /** Seed of the shuffles and of the validation split (default 1). */
  seed?: number;
  /** Fit the input scaling on the training part of the data, when the model has none yet. */
  standardize?: boolean;
  /** Stop when the monitored loss has not improved by `minDelta` for `patience` epochs, and restore the best weights. */
  earlyStopping?: {
    /** Epochs without improvement before stopping. */
    patience: number;
    /** Smallest decrease that counts as an improvement (default 0). */
    minDelta?: number;
    /**
     * What is watched: `val_loss` (default, when there is validation data), `loss`, or `val_accuracy` (as Keras:
     * it improves by growing at least `minDelta`; classification with validation data only).
     */
    monitor?: 'val_loss' | 'loss' | 'val_accuracy';
  };
  /** Called before each epoch; a returned promise is awaited (by `fit`). */
  onEpochBegin?: (info: { epoch: number; learningRate: number }) => CallbackResult;
  /**
   * Called after each epoch with its loss and metrics; `info.stop()` ends training, `info.snapshot()` gives the
   * model file as of this epoch (a checkpoint: `Model.fromJSON` and `fit` resume from it). A returned promise is
   * awaited (by `fit`).
   */
  onEpochEnd?: (info: ModelEpochInfo) => CallbackResult;
  /**
   * Called once before the first epoch, when the kernels are chosen and the data split: what the run will do. A
   * returned promise is awaited (by `fit`).
   */
  onTrainBegin?: (info: TrainBeginInfo) => CallbackResult;
  /** Called before each batch; a returned promise is awaited (by `fit`). */
  onBatchBegin?: (info: { epoch: number; batch: number; batches: number }) => CallbackResult;
  /** Called after each batch with its loss; `info.stop()` ends training after it. A returned promise is awaited (by `fit`). */
  onBatchEnd?: (info: BatchInfo) => CallbackResult;
  /** An `AbortSignal` (or anything with `aborted`): stops after the current batch, keeping the weights so far (stopReason 'aborted'). */
  signal?: {
    /** True once training should stop. */
    readonly aborted: boolean;
  };
  /**
   * The kernels to train on: a `Kernels` object, or a set by name (`'native'`, `'wasm'`, `'ref'`; `'auto'`, the
   * default, is the fastest this engine runs, see `KernelsInfo`). Without it the environment variable NABLA_KERNELS
   * may name the set. A named set that cannot run here is refused with the reason.
   */
  kernels?: Kernels | KernelSetName | 'auto';
  /** Threads for the large matrix products of a named set: `'auto'` (default: two where a second core and shared memory exist) or a number. */
  threads?: 'auto' | number;
  /** Facts about the run for the model file's training record (e.g. `{ data: 'iris.csv' }`), written before the model's own. */
  trainingNotes?: TrainingRecord;
  /** `fit` only: milliseconds of training between yields to the event loop (default 12). */
  sliceMs?: number;
}

/** What `fit` returns: Keras's History, plus how the run ended and on which kernels. */
export interface History {
  /** Epoch numbers (counting on across calls of `fit` on the same model). */
  epoch: number[];
  /** One array per metric, one entry per epoch: `history.loss`, `history.val_loss`, … */
  history: {
    /** Mean training loss of each epoch. */
    loss: number[];
    /** Training accuracy of each epoch (classification). */
    accuracy?: number[];
    /** Loss on the validation data after each epoch. */
    val_loss?: number[];
    /** Accuracy on the validation data after each epoch (classification). */
    val_accuracy?: number[];
    /** The learning rate η of each epoch (after the schedule). */
    learning_rate: number[];
    /** Seconds each epoch took. */
    seconds: number[];
  };
  /** Why training ended: completed, early-stopping, callback (a callback called stop()), aborted, or diverged. */
  stopReason: FitResult['stopReason'];
  /** With early stopping: the epoch whose weights were restored. */
  bestEpoch?: number;
  /** The kernels training ran on. */
  kernels: KernelsInfo;
  /** Training samples per second over the whole run. */
  samplesPerSecond: number;
  /** Seconds the whole call took. */
  seconds: number;
}

/** What `evaluate` returns. */
export interface EvaluationReport {
  /** The training loss (mean over samples). */
  loss: number;
  /** Samples evaluated. */
  count: number;
  /** Classification: fraction correct. */
  accuracy?: number;
  /** Classification: per-class precision, recall, F1, the macro means and the confusion matrix. */
  classification?: ClassificationReport;
  /** Regression: MAE and RMSE. */
  regression?: RegressionReport;
}

/** One layer as the model stores it. */
export interface LayerInfo {
  /** Neurons in the layer (m_i). */
  units: number;
  /** One name for the layer, or one per neuron. */
  activation: string | string[];
  /** The layer's parameters: [A_i | b_i] (units × (inputs + 1), the bias last) with biases, W_i without. */
  W: Matrix;
}

/** One form of `Model#gradient`: the worked gradient's form, and its ∇ in the shape of each layer. */
export interface ModelGradientForm extends Omit<WorkedForm<Matrix>, 'grads'> {
  /** ∇_{W_i} f, and Δ_i or ∇_{Σ_i} f where the form computes them. */
  grads: Grads;
  /** ∇ of each layer's parameters by this form, in the shape of `layer(i).W`. */
  layerGrads: Matrix[];
}

/**
 * `Model#gradient`: the worked gradient on the homogeneous network, and each layer's gradient in the model's shape.
 */
export interface ModelGradient extends Omit<WorkedGradient<Matrix>, 'forms' | 'trace'> {
  /** The forward pass: N_i, Σ_i (Σ_0 = X), Σ'_i and f = Σ_k. */
  trace: Trace;
  /** The recursion, then each requested form, each with its ∇ in the shape of the layers. */
  forms: ModelGradientForm[];
  /**
   * ∇ of each layer's parameters in the shape of `layer(i).W`, by the recursion (for a biased model: the genuine
   * rows of ∇_{W_i} f of §3).
   */
  layerGrads: Matrix[];
  /** The network input X = Σ_0 the engines saw: scaled, one column per sample, with §3's constant 1 when biased. */
  X: Matrix;
}

/** Options of `Model#gradient`. */
export interface ModelGradientOptions {
  /** The forms of the paper to run besides the recursion, or `'all'` (finite differences included). */
  forms?: readonly GradientForm[] | 'all';
  /** v in place of Δ_{k+1} = 1 when the model has several outputs: gives ∇_W (v·f). */
  seed?: SeedInput;
}

/** What a model carries besides its network. */
export interface ModelFields {
  /** The training loss. */
  loss?: LossName;
  /** Class labels, one per output neuron (two for one output neuron). */
  classes?: (string | number)[];
  /** x ↦ (x − mean) / std before the network. */
  inputScaling?: Standardizer;
  /** Free text stored in the model file. */
  description?: string;
}

/** The run's record in the model file ("training"): the app's notes, then optimizer, η, schedule, batch size, seed, shuffle, stopReason. */
export type TrainingRecord = Record<string, string | number | boolean | null>;

/** One epoch as the model keeps it across runs and in its file (no timings: the same run writes the same bytes). */
export interface EpochSummary {
  /** Epoch number, counting on across runs. */
  epoch: number;
  /** Mean training loss of the epoch. */
  loss: number;
  /** The learning rate η of the epoch. */
  learningRate: number;
  /** Training accuracy (classification). */
  accuracy?: number;
  /** Loss on the validation data after the epoch. */
  valLoss?: number;
  /** Accuracy on the validation data after the epoch (classification). */
  valAccuracy?: number;
}

/** What `onEpochEnd` of `Model.fit` receives: the epoch's record, `stop()`, and a checkpoint of the model. */
export interface ModelEpochInfo extends Omit<EpochInfo, 'state'> {
  /** The model file's text as of the end of this epoch: weights, optimizer state, history (`Model.fromJSON` resumes from it). */
  snapshot(): string;
}

/** What `onTrainBegin` of `Model.fit` receives. */
export interface TrainBeginInfo {
  /** The kernels the run trains on. */
  kernels: KernelsInfo;
  /** The loss (given, the model's, or chosen from the targets). */
  loss: LossName;
  /** The optimizer, and whether its state continues a previous run. */
  optimizer: OptimizerName;
  /** True when the optimizer state of a previous run is continued. */
  resumed: boolean;
  /** η before the schedule. */
  learningRate: number;
  /** The learning-rate schedule (`'constant'` without one). */
  schedule: ScheduleName;
  /** Samples per step. */
  batchSize: number;
  /** The first epoch's number (epochs count on across runs). */
  firstEpoch: number;
  /** Epochs this call trains. */
  epochs: number;
  /** Seed of the shuffles and the validation split. */
  seed: number;
  /** Training samples (after the validation split). */
  samples: number;
  /** Validation samples (0 without validation data). */
  validationSamples: number;
}

/** Options of `Model.evaluate`. */
export interface EvaluateOptions {
  /** The loss to report (default the model's; a model imported from ONNX has none). */
  loss?: LossName;
  /** The kernels (default as for training: `'auto'`, or NABLA_KERNELS). */
  kernels?: Kernels | KernelSetName | 'auto';
}
