/**
 * The model: what a TypeScript developer builds, trains, saves and explains. It is the paper's homogeneous
 * network (§2) plus what an application needs around it: biases (on by default, held as the §3 construction:
 * a constant-1 input, a formal neuron per hidden layer, the bias as the last column of W_i), its loss, the input
 * scaling and the class labels. The network function and every gradient form are the engines of net/ and grad/;
 * this file converts plain arrays to the paper's layout and back, and keeps the pieces together.
 */
import { applyStandardizer, fitStandardizer, gatherBatch, splitDataset, type Dataset, type Standardizer } from '../data/dataset.js';
import { DataError, OptionError } from '../errors.js';
import { compareForms as compareNetworkForms, gradient as networkGradient, type GradientForm, type GradientResult } from '../grad/forms.js';
import type { Grads, SeedInput } from '../grad/types.js';
import { parseModel, serializeModel, type LoadedModel } from '../io/model-json.js';
import type { Kernels } from '../kernels/types.js';
import { Matrix, newArray, type DType } from '../linalg/matrix.js';
import { transpose } from '../linalg/products.js';
import type { Activation } from '../net/activation.js';
import { affineGradient, AffineNetwork, genuineWidths, createAffineNetwork, fromHomogeneous, toHomogeneous } from '../net/affine.js';
import { createNetwork, type InitScheme } from '../net/init.js';
import type { Network } from '../net/network.js';
import { fit as fitNetwork, fitAsync, type BatchInfo, type CallbackResult, type EpochInfo, type FitAsyncOptions, type FitResult } from '../train/fit.js';
import { inputView } from '../train/input-view.js';
import { defaultLoss, getLoss, lossNames, type LossName } from '../train/loss.js';
import { evaluateDataset, predictOutputs } from '../train/metrics.js';
import type { OptimizerName, OptimizerOptions, OptimizerState } from '../train/optimizer.js';
import type { ScheduleOptions } from '../train/schedule.js';
import {
  argmaxLabels,
  classificationSet,
  labelsOf,
  regressionSet,
  samplesOf,
  sortedClasses,
  type Inputs,
  type Targets,
} from './inputs.js';
import { defaultKernels, defaultKernelsSync, describeKernels, exclusive, type KernelsInfo, type SelectedKernels } from './kernels.js';
import type { FormComparison } from './forms-comparison.js';
import { classificationReport, regressionReport, type ClassificationReport, type RegressionReport } from './metrics.js';

/** An activation for a whole layer (a catalog name or an `Activation`), or one per neuron. */
export type ActivationSpec = string | Activation | readonly (string | Activation)[];

/** A layer: its number of neurons and their activation (default `tanh` for hidden layers, `identity` for the last). */
export type LayerSpec =
  | number
  | {
      /** Neurons in the layer (m_i). */
      units: number;
      /** One activation for the layer or one per neuron (default `tanh` for hidden layers, `identity` for the last). */
      activation?: ActivationSpec;
    };

/** Options of `createModel`. */
export interface ModelOptions {
  /** Inputs per sample (m_0). */
  inputs: number;
  /** The layers from the first hidden one to the output layer. */
  layers: readonly LayerSpec[];
  /** Biases in every layer (default true): the affine network, held as the homogeneous network of §3. */
  bias?: boolean;
  /** The training loss; by default chosen from the first targets `fit` sees (see `defaultLoss`). */
  loss?: LossName;
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

/** Options of `Model.fit` / `fitSync`. */
export interface ModelFitOptions {
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
  /** A learning-rate schedule (step or cosine), counted in epochs. */
  schedule?: ScheduleOptions;
  /** Clip the global gradient norm to this value. */
  clipNorm?: number;
  /** Held-out data evaluated after every epoch. */
  validationData?: readonly [Inputs, Targets];
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
    /** The loss watched: `val_loss` (default, when there is validation data) or `loss`. */
    monitor?: 'val_loss' | 'loss';
  };
  /** Called before each epoch; a returned promise is awaited (by `fit`). */
  onEpochBegin?: (info: { epoch: number; learningRate: number }) => CallbackResult;
  /** Called after each epoch with its loss and metrics; `info.stop()` ends training. A returned promise is awaited (by `fit`). */
  onEpochEnd?: (info: EpochInfo) => CallbackResult;
  /** Called before each batch; a returned promise is awaited (by `fit`). */
  onBatchBegin?: (info: { epoch: number; batch: number; batches: number }) => CallbackResult;
  /** Called after each batch with its loss; `info.stop()` ends training after it. A returned promise is awaited (by `fit`). */
  onBatchEnd?: (info: BatchInfo) => CallbackResult;
  /** An `AbortSignal` (or anything with `aborted`): stops after the current batch, keeping the weights so far (stopReason 'aborted'). */
  signal?: {
    /** True once training should stop. */
    readonly aborted: boolean;
  };
  /** The kernels to train on (default: the fastest this engine runs, see `KernelsInfo`). */
  kernels?: Kernels;
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

/** `gradient` on a model: the paper's result on the homogeneous network, plus each layer's gradient in the model's shape. */
export interface ModelGradient extends GradientResult {
  /** ∇ of each layer's parameters in the shape of `layer(i).W` (for a biased model: the genuine rows of ∇_{W_i} f of §3). */
  layerGrads: Matrix[];
  /** The network input X = Σ_0 the engines saw: scaled, one column per sample, with §3's constant 1 when biased. */
  X: Matrix;
}

/** Options of `gradient` and `compareForms` on a model. */
export interface ModelGradientOptions {
  /** The form of the paper (default the recursion of Remark 3). */
  form?: GradientForm;
  /** v in place of Δ_{k+1} = 1 when the model has several outputs: gives ∇_W (v·f). */
  seed?: SeedInput;
}

function activationOf(spec: LayerSpec): ActivationSpec | undefined {
  return typeof spec === 'number' ? undefined : spec.activation;
}

function unitsOf(spec: LayerSpec, j: number): number {
  const units = typeof spec === 'number' ? spec : spec?.units;
  if (!Number.isInteger(units) || units! < 1) throw new OptionError(`layers[${j}].units = ${String(units)}; expected a whole number ≥ 1`);
  return units!;
}

/** Builds a model from plain options. */
export function createModel(opts: ModelOptions): Model {
  if (opts === null || typeof opts !== 'object') throw new OptionError('createModel: expected options { inputs, layers: [{ units, activation }, …] }');
  if (!Number.isInteger(opts.inputs) || opts.inputs < 1) throw new OptionError(`inputs = ${String(opts.inputs)}; expected a whole number ≥ 1 (the features per sample)`);
  if (!Array.isArray(opts.layers) || opts.layers.length === 0) throw new OptionError('layers: expected at least one layer, e.g. [{ units: 8, activation: "tanh" }, { units: 1 }]');
  if (opts.loss !== undefined && !lossNames.includes(opts.loss)) throw new OptionError(`loss = ${JSON.stringify(opts.loss)}; expected one of: ${lossNames.join(', ')}`);
  const widths = [opts.inputs, ...opts.layers.map(unitsOf)];
  const k = opts.layers.length;
  const activation = opts.layers.map((l, j) => activationOf(l) ?? (j === k - 1 ? 'identity' : 'tanh'));
  const base = {
    widths,
    activation,
    seed: opts.seed ?? 1,
    init: opts.init ?? 'glorot',
    dtype: opts.dtype ?? 'float32',
    ...(opts.activations ? { extraActivations: opts.activations } : {}),
  } as const;
  const bias = opts.bias ?? true;
  const net = bias ? toHomogeneous(createAffineNetwork(base)) : createNetwork(base);
  return new Model(net, bias, {
    ...(opts.loss !== undefined ? { loss: opts.loss } : {}),
    ...(opts.classes !== undefined ? { classes: [...opts.classes] } : {}),
    ...(opts.inputScaling !== undefined ? { inputScaling: opts.inputScaling } : {}),
    ...(opts.description !== undefined ? { description: opts.description } : {}),
  });
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

/**
 * A feed-forward network with what an application needs around it. Build it with `createModel`, train it with
 * `fit`, use it with `predict` / `evaluate`, look inside with `gradient`, `compareForms`, `summary` and
 * `homogeneous()`, and store it with `serialize` / `Model.fromJSON` (or the browser and Node helpers).
 */
export class Model {
  /** The homogeneous network (for a biased model, the network of §3). */
  #net: Network;
  /** Whether the model has biases (its network is the §3 construction). */
  readonly bias: boolean;
  #meta: ModelFields;
  #optimizer: { name: OptimizerName; state: OptimizerState } | undefined;
  #epochs = 0;

  /** Use `createModel`, `Model.fromNetwork` or `Model.fromJSON`. */
  constructor(net: Network, bias: boolean, meta: ModelFields = {}) {
    if (bias) fromHomogeneous(net); // refuses a network that is not in §3 form, naming the violation
    this.#net = net;
    this.bias = bias;
    this.#meta = { ...meta };
    if (meta.inputScaling) this.#checkScaling(meta.inputScaling);
    if (meta.classes) this.#checkClasses(meta.classes);
  }

  /**
   * A model of a homogeneous network. With `bias: true` the network must be in the form of §3 (a constant-1
   * input, a last row [0, …, 0, 1] in every W_i with i < k, the identity on that formal neuron), and the model
   * is the affine network it represents; `model.homogeneous()` gives the same network back.
   */
  static fromNetwork(net: Network, opts: { bias?: boolean; loss?: LossName; classes?: readonly (string | number)[]; inputScaling?: Standardizer } = {}): Model {
    const { bias, classes, ...rest } = opts;
    return new Model(net.clone(), bias ?? false, { ...rest, ...(classes ? { classes: [...classes] } : {}) });
  }

  /** A model of an affine network ([A_i | b_i] per layer). */
  static fromAffine(net: AffineNetwork, opts: { loss?: LossName; classes?: readonly (string | number)[]; inputScaling?: Standardizer } = {}): Model {
    return Model.fromNetwork(toHomogeneous(net), { ...opts, bias: true });
  }

  /** A model from what the model-file reader returns (`parseModel`, `loadModel`). */
  static fromLoaded(loaded: LoadedModel): Model {
    const meta: ModelFields = {};
    if (loaded.meta.loss !== undefined) meta.loss = loaded.meta.loss;
    if (loaded.meta.classes !== undefined) meta.classes = [...loaded.meta.classes];
    if (loaded.meta.preprocessing?.standardize) meta.inputScaling = loaded.meta.preprocessing.standardize;
    if (loaded.meta.description !== undefined) meta.description = loaded.meta.description;
    return new Model(loaded.network, loaded.affine !== undefined, meta);
  }

  /**
   * Reads a model from its JSON text or object (the model file format, version 1; a hand-written object with just
   * `widths` and `layers` is enough). Throws `FormatError` naming the first problem by its JSON path.
   */
  static fromJSON(json: string | object, opts: { activations?: Readonly<Record<string, Activation>>; source?: string } = {}): Model {
    const text = typeof json === 'string' ? json : JSON.stringify(json);
    return Model.fromLoaded(parseModel(text, { source: opts.source ?? 'model JSON', ...(opts.activations ? { extraActivations: opts.activations } : {}) }));
  }

  /** Inputs per sample (m_0). */
  get inputs(): number {
    return this.#net.n[0]! - (this.bias ? 1 : 0);
  }

  /** Output neurons (n_k). */
  get outputs(): number {
    return this.#net.n[this.#net.k]!;
  }

  /** Widths m_0 … m_k as the user counts them (no formal neurons). */
  get widths(): number[] {
    return this.bias ? genuineWidths(this.#net.n) : [...this.#net.n];
  }

  /** Number of layers k. */
  get depth(): number {
    return this.#net.k;
  }

  /** Precision of the weights. */
  get dtype(): DType {
    return this.#net.dtype;
  }

  /** The loss (undefined until given or chosen by the first `fit`). */
  get loss(): LossName | undefined {
    return this.#meta.loss;
  }

  /** Class labels, output neuron j standing for classes[j] (undefined for regression or before the first `fit`). */
  get classes(): readonly (string | number)[] | undefined {
    return this.#meta.classes;
  }

  /** The input scaling x ↦ (x − mean) / std, when the model has one. */
  get inputScaling(): Standardizer | undefined {
    return this.#meta.inputScaling;
  }

  /** Free text stored with the model. */
  get description(): string | undefined {
    return this.#meta.description;
  }

  /** Epochs trained so far. */
  get epochs(): number {
    return this.#epochs;
  }

  /** Trainable parameters (weights and biases; §3's fixed formal rows are not counted). */
  get parameterCount(): number {
    const m = this.widths;
    let p = 0;
    for (let i = 1; i < m.length; i++) p += m[i]! * (m[i - 1]! + (this.bias ? 1 : 0));
    return p;
  }

  /** Layer i (1 … k) as the model stores it. */
  layer(i: number): LayerInfo {
    if (!Number.isInteger(i) || i < 1 || i > this.depth) throw new OptionError(`layer(${i}): expected a layer number from 1 to ${this.depth}`);
    const W = this.bias ? fromHomogeneous(this.#net).W.get(i) : this.#net.W.get(i).clone();
    const units = this.widths[i]!;
    const d = this.#net.sigma.get(i).describe();
    const activation = Array.isArray(d) ? d.slice(0, units) : d;
    return { units, activation: Array.isArray(activation) && new Set(activation).size === 1 ? activation[0]! : activation, W };
  }

  /** The homogeneous network of the paper (a copy): for a biased model the network of §3. */
  homogeneous(): Network {
    return this.#net.clone();
  }

  /** The affine network (a copy) of a biased model; undefined without biases. */
  affine(): AffineNetwork | undefined {
    return this.bias ? fromHomogeneous(this.#net) : undefined;
  }

  /** An independent copy (weights, loss, classes, scaling; not the optimizer state). */
  clone(): Model {
    const m = new Model(this.#net.clone(), this.bias, structuredClone(this.#meta));
    m.#epochs = this.#epochs;
    return m;
  }

  /**
   * Trains the model on (x, y) and updates it in place. Asynchronous: yields to the event loop between batches
   * (a page stays responsive) and waits for callbacks that return promises. Trains on the fastest kernels this
   * engine has (reported in `history.kernels`). Throws `DivergenceError` when training diverges; the model then
   * keeps the last good weights.
   */
  async fit(x: Inputs, y: Targets, opts: ModelFitOptions = {}): Promise<History> {
    const plan = this.#plan(x, y, opts);
    if (opts.kernels) return this.#finish(await fitAsync(this.#net, plan.train, { ...plan.options, kernels: opts.kernels }), describeKernels(opts.kernels), plan);
    const selected = await defaultKernels();
    return exclusive(async () => this.#finish(await fitAsync(this.#net, plan.train, { ...plan.options, kernels: selected.kernels }), selected.info, plan));
  }

  /** `fit`, synchronously (for scripts and workers): the page is not yielded to and callbacks' promises are not awaited. */
  fitSync(x: Inputs, y: Targets, opts: ModelFitOptions = {}): History {
    const plan = this.#plan(x, y, opts);
    const selected: SelectedKernels = opts.kernels ? { kernels: opts.kernels, info: describeKernels(opts.kernels) } : defaultKernelsSync();
    return this.#finish(fitNetwork(this.#net, plan.train, { ...plan.options, kernels: selected.kernels }), selected.info, plan);
  }

  /**
   * The model's outputs for each sample: probabilities under a classification loss on logits (sigmoid for bce,
   * softmax for softmax-ce), the network's f otherwise. Rows in, rows out; one sample (`number[]`) gives one row.
   */
  predict(x: readonly number[]): number[];
  predict(x: Inputs): number[][];
  predict(x: Inputs | readonly number[]): number[] | number[][] {
    const single = Array.isArray(x) && (x.length === 0 || typeof x[0] === 'number');
    const out = this.#outputs(x as Inputs);
    const rows = transpose(out).toRows();
    return single ? rows[0]! : rows;
  }

  /** The predicted class label of each sample (classification models). */
  predictClasses(x: Inputs): (string | number)[] {
    const classes = this.#meta.classes;
    if (!classes) throw new OptionError('predictClasses: the model has no class labels (train it on labels, or give classes to createModel)');
    const out = this.#outputs(x);
    const labels: (string | number)[] = [];
    for (let b = 0; b < out.cols; b++) {
      if (out.rows === 1) {
        labels.push(classes[out.get(0, b) > 0.5 ? 1 : 0]!);
        continue;
      }
      let best = 0;
      for (let r = 1; r < out.rows; r++) if (out.get(r, b) > out.get(best, b)) best = r;
      labels.push(classes[best]!);
    }
    return labels;
  }

  /** Loss and metrics on (x, y): accuracy, per-class precision/recall/F1 and the confusion matrix, or MAE/RMSE. */
  evaluate(x: Inputs, y: Targets): EvaluationReport {
    const loss = this.#meta.loss;
    if (!loss) throw new OptionError('evaluate: the model has no loss yet (give loss to createModel, or fit it first)');
    const ds = this.#scaled(this.#dataset(x, y, 'x', 'y').ds);
    const { kernels } = defaultKernelsSync();
    const ev = evaluateDataset(this.#net, ds, getLoss(loss), { kernels, affine: this.bias });
    const report: EvaluationReport = { loss: ev.loss, count: ev.count };
    if (ds.task === 'classification' && ev.confusion && this.#meta.classes) {
      report.classification = classificationReport(ev.confusion, this.#meta.classes);
      report.accuracy = report.classification.accuracy;
    } else if (ds.targets) {
      const out = this.#outputs(x);
      report.regression = regressionReport(transpose(out).data, ds.targets);
    }
    return report;
  }

  /**
   * ∇_W f at x with any form of the paper (default the recursion of Remark 3), on the homogeneous network: the
   * trace (N_i, Σ_i, Σ'_i), Δ_i where the form has them, ∇_{W_i} f summed over the samples, and each layer's
   * gradient in the model's own shape. x is in the units of `predict` (scaled and given §3's 1 here).
   */
  gradient(x: Inputs | readonly number[], opts: ModelGradientOptions = {}): ModelGradient {
    const X = this.#networkInput(x as Inputs);
    const r = networkGradient(this.#net, X, { ...(opts.form ? { form: opts.form } : {}), seed: opts.seed });
    return { ...r, X, layerGrads: this.#layerShaped(r) };
  }

  /** Every form of the paper that applies, with its largest difference from the recursion. */
  compareForms(x: Inputs | readonly number[], seed?: SeedInput): FormComparison[] {
    return compareNetworkForms(this.#net, this.#networkInput(x as Inputs), seed);
  }

  /**
   * A table of the layers, their shapes and parameter counts, and the §3 homogeneous view. The library never
   * prints: the text is returned, and also handed line by line to `print` when given (Keras's `print_fn`).
   */
  summary(opts: { print?: (line: string) => void } = {}): string {
    const m = this.widths;
    const rows: string[][] = [['layer', 'units', 'activation', this.bias ? '[A_i | b_i]' : 'W_i', 'parameters']];
    for (let i = 1; i <= this.depth; i++) {
      const l = this.layer(i);
      const act = Array.isArray(l.activation) ? `per neuron: ${l.activation.join(', ')}` : l.activation;
      rows.push([String(i), String(m[i]), act, `${l.W.rows}×${l.W.cols}`, String(l.W.rows * l.W.cols)]);
    }
    const width = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
    const line = (r: string[]) => r.map((s, c) => (c === 2 ? s.padEnd(width[c]!) : s.padStart(width[c]!))).join('  ');
    const rule = '─'.repeat(width.reduce((a, b) => a + b + 2, -2));
    const n = this.#net.n;
    const lines = [
      `Model ${m.join('-')}, ${this.bias ? 'with biases' : 'homogeneous (no biases)'}, ${this.dtype}${this.loss ? `, loss ${this.loss}` : ''}${this.classes ? `, classes ${this.classes.map((c) => JSON.stringify(c)).join(' ')}` : ''}`,
      rule,
      line(rows[0]!),
      rule,
      ...rows.slice(1).map(line),
      rule,
      `parameters: ${this.parameterCount}`,
      `homogeneous network (paper §2${this.bias ? ', built by §3' : ''}): widths ${n.join('-')}, ${this.#net.W.indices().map((i) => `W_${i} ${n[i]}×${n[i - 1]}`).join(', ')}`,
    ];
    if (this.inputScaling) lines.push(`input scaling: (x − mean) / std over ${this.inputs} inputs`);
    for (const l of lines) opts.print?.(l);
    return lines.join('\n');
  }

  /** The model file's text (JSON, version 1): keys in a fixed order, every number read back exactly. */
  serialize(): string {
    const meta: Parameters<typeof serializeModel>[0]['meta'] = {};
    if (this.#meta.loss) meta.loss = this.#meta.loss;
    if (this.#meta.classes) meta.classes = this.#meta.classes as string[] | number[];
    if (this.#meta.inputScaling) meta.preprocessing = { standardize: this.#meta.inputScaling };
    if (this.#meta.description !== undefined) meta.description = this.#meta.description;
    return serializeModel(this.bias ? { affine: fromHomogeneous(this.#net), meta } : { network: this.#net, meta });
  }

  /** The model file as a JSON object (`JSON.stringify(model)` gives the file). */
  toJSON(): Record<string, unknown> {
    return JSON.parse(this.serialize()) as Record<string, unknown>;
  }

  // ——— internals ———

  #checkScaling(s: Standardizer): void {
    if (!s || !Array.isArray(s.mean) || !Array.isArray(s.std) || s.mean.length !== this.inputs || s.std.length !== this.inputs) {
      throw new OptionError(`inputScaling: expected { mean, std } with ${this.inputs} numbers each (one per input)`);
    }
    s.std.forEach((v, j) => {
      if (!(Number.isFinite(v) && v > 0)) throw new OptionError(`inputScaling.std[${j}] = ${v}; expected a finite number > 0`);
    });
    s.mean.forEach((v, j) => {
      if (!Number.isFinite(v)) throw new OptionError(`inputScaling.mean[${j}] = ${v}; expected a finite number`);
    });
  }

  #checkClasses(classes: readonly (string | number)[]): void {
    const need = this.outputs === 1 ? 2 : this.outputs;
    if (classes.length !== need) {
      throw new OptionError(`classes: ${classes.length} labels for ${this.outputs} output neuron${this.outputs > 1 ? 's' : ''}; expected ${need}${this.outputs === 1 ? ' (one output neuron stands for two classes)' : ' (one per output neuron)'}`);
    }
    if (new Set(classes).size !== classes.length) throw new OptionError('classes: the labels must be distinct');
  }

  #lastIsIdentity(): boolean {
    return this.#net.sigma.get(this.#net.k).sigmas.every((a) => a.name === 'identity');
  }

  /** Whether (x, y) is a classification task for this model, and the labels if so. */
  #task(y: Targets): { task: 'classification' | 'regression'; labels?: (string | number)[] } {
    const loss = this.#meta.loss;
    const flat = labelsOf(y);
    const classLoss = loss === 'bce' || loss === 'softmax-ce';
    if (flat) {
      const classification =
        classLoss ||
        this.#meta.classes !== undefined ||
        flat.some((v) => typeof v === 'string') ||
        (loss === undefined && (this.outputs > 1 || flat.every((v) => v === 0 || v === 1)));
      return classification ? { task: 'classification', labels: flat } : { task: 'regression' };
    }
    if (classLoss || this.#meta.classes !== undefined) {
      if (this.outputs === 1) return { task: 'classification', labels: Array.from(y as ArrayLike<ArrayLike<number>>, (r) => r[0]!) };
      const classes = this.#meta.classes ?? Array.from({ length: this.outputs }, (_, j) => j);
      return { task: 'classification', labels: argmaxLabels(y, this.outputs, classes) };
    }
    return { task: 'regression' };
  }

  /**
   * (x, y) as a data set in the model's terms, with the class labels it uses: the model's own, or (before the first
   * `fit`) those found in y, in sorted order.
   */
  #dataset(x: Inputs, y: Targets, xName: string, yName: string, known = this.#meta.classes): { ds: Dataset; classes?: (string | number)[] } {
    const { data, count } = samplesOf(x, this.inputs, this.dtype, xName);
    if (count === 0) throw new DataError(`${xName} is empty; expected at least one sample`);
    const t = this.#task(y);
    if (t.task === 'regression') return { ds: regressionSet(data, count, this.inputs, y, this.outputs, yName) };
    let classes = known ? [...known] : undefined;
    if (!classes) {
      classes = sortedClasses(t.labels!);
      if (classes.some((c) => typeof c === 'string') && classes.some((c) => typeof c === 'number')) classes = sortedClasses(classes.map(String));
      const need = this.outputs === 1 ? 2 : this.outputs;
      if (classes.length !== need) {
        throw new DataError(
          `${yName} has ${classes.length} distinct labels but the model has ${this.outputs} output neuron${this.outputs > 1 ? 's' : ''}, which stand for ${need} classes; give classes: [...] to createModel, or change the last layer's units`,
        );
      }
    }
    const labels = typeof classes[0] === 'string' ? t.labels!.map(String) : t.labels!;
    return { ds: classificationSet(data, count, this.inputs, labels, classes, yName), classes };
  }

  #scaled(ds: Dataset): Dataset {
    return this.#meta.inputScaling ? applyStandardizer(ds, this.#meta.inputScaling) : ds;
  }

  /** The network input for plain samples: scaled, one column per sample, with the constant 1 of §3 (a) when biased. */
  #networkInput(x: Inputs): Matrix {
    const { data, count } = samplesOf(x, this.inputs, this.dtype);
    const features: Dataset = this.#scaled({ name: 'x', x: data, inputs: this.inputs, count, task: 'regression', targets: new Float64Array(0), outputs: 0 });
    const X = new Matrix(this.#net.n[0]!, count, newArray(this.dtype, this.#net.n[0]! * count));
    gatherBatch(features, Int32Array.from({ length: count }, (_, j) => j), 0, count, inputView(X, this.bias));
    return X;
  }

  #outputs(x: Inputs): Matrix {
    const loss = this.#meta.loss;
    return predictOutputs(this.#net, this.#networkInput(x), loss ? getLoss(loss) : undefined, { kernels: defaultKernelsSync().kernels });
  }

  #layerShaped(r: Grads): Matrix[] {
    return this.bias ? affineGradient(r.gradW) : r.gradW.indices().map((i) => r.gradW.get(i).clone());
  }

  /** Everything a training run needs, checked before any work starts. */
  #plan(x: Inputs, y: Targets, opts: ModelFitOptions): { train: Dataset; options: FitAsyncOptions; loss: LossName; classes: (string | number)[] | undefined; scaling: Standardizer | undefined } {
    if (opts === null || typeof opts !== 'object') throw new OptionError('fit: options must be an object');
    const first = this.#dataset(x, y, 'x', 'y');
    let data = first.ds;
    const classes = first.classes;
    const loss = this.#meta.loss ?? defaultLoss(data.task, this.outputs, this.#lastIsIdentity());
    let validation: Dataset | undefined;
    if (opts.validationData) {
      if (!Array.isArray(opts.validationData) || opts.validationData.length !== 2) throw new OptionError('validationData: expected [x, y]');
      validation = this.#dataset(opts.validationData[0], opts.validationData[1], 'validationData[0]', 'validationData[1]', classes).ds;
    } else if (opts.validationSplit !== undefined) {
      if (!(typeof opts.validationSplit === 'number' && opts.validationSplit > 0 && opts.validationSplit < 1)) {
        throw new OptionError(`validationSplit = ${String(opts.validationSplit)}; expected a fraction between 0 and 1`);
      }
      const split = splitDataset(data, { fraction: opts.validationSplit, seed: (opts.seed ?? 1) + 7919 });
      data = split.train;
      validation = split.validation;
    }
    let scaling = this.#meta.inputScaling;
    if (opts.standardize && !scaling) scaling = fitStandardizer(data); // on the training part only
    if (scaling) {
      data = applyStandardizer(data, scaling);
      if (validation) validation = applyStandardizer(validation, scaling);
    }
    const optimizer = opts.optimizer ?? 'adam';
    const resume = this.#optimizer?.name === optimizer ? this.#optimizer.state : undefined;
    const options: FitAsyncOptions = {
      loss,
      optimizer,
      dtype: this.dtype,
      affine: this.bias,
      firstEpoch: this.#epochs + 1,
      ...(opts.epochs !== undefined ? { epochs: opts.epochs } : {}),
      ...(opts.batchSize !== undefined ? { batchSize: opts.batchSize } : {}),
      ...(opts.learningRate !== undefined ? { learningRate: opts.learningRate } : {}),
      ...(opts.optimizerOptions ? { optimizerOptions: opts.optimizerOptions } : {}),
      ...(opts.schedule ? { schedule: opts.schedule } : {}),
      ...(opts.clipNorm !== undefined ? { clipNorm: opts.clipNorm } : {}),
      ...(validation ? { validation } : {}),
      ...(opts.shuffle !== undefined ? { shuffle: opts.shuffle } : {}),
      ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
      ...(opts.earlyStopping
        ? { earlyStopping: { patience: opts.earlyStopping.patience, ...(opts.earlyStopping.minDelta !== undefined ? { minDelta: opts.earlyStopping.minDelta } : {}), monitor: opts.earlyStopping.monitor === 'loss' ? ('loss' as const) : ('valLoss' as const) } }
        : {}),
      ...(opts.onEpochBegin ? { onEpochBegin: opts.onEpochBegin } : {}),
      ...(opts.onEpochEnd ? { onEpochEnd: opts.onEpochEnd } : {}),
      ...(opts.onBatchBegin ? { onBatchBegin: opts.onBatchBegin } : {}),
      ...(opts.onBatchEnd ? { onBatchEnd: opts.onBatchEnd } : {}),
      ...(opts.signal ? { signal: opts.signal } : {}),
      ...(opts.sliceMs !== undefined ? { sliceMs: opts.sliceMs } : {}),
      ...(resume ? { resume } : {}),
    };
    return { train: data, options, loss, classes, scaling };
  }

  #finish(result: FitResult, kernels: KernelsInfo, plan: { loss: LossName; classes: (string | number)[] | undefined; scaling: Standardizer | undefined }): History {
    // the model it was called on is updated: weights (the best or last good ones), loss, classes, scaling
    this.#net = result.network.as(this.dtype);
    this.#meta.loss = plan.loss;
    if (plan.classes) this.#meta.classes = plan.classes;
    if (plan.scaling) this.#meta.inputScaling = plan.scaling;
    this.#optimizer = { name: result.optimizerState.name, state: result.optimizerState };
    const recs = result.history;
    if (recs.length > 0) this.#epochs = recs[recs.length - 1]!.epoch;
    if (result.divergence) throw result.divergence;
    const h: History['history'] = { loss: recs.map((r) => r.loss), learning_rate: recs.map((r) => r.learningRate), seconds: recs.map((r) => r.seconds) };
    if (recs.some((r) => r.accuracy !== undefined)) h.accuracy = recs.map((r) => r.accuracy ?? Number.NaN);
    if (recs.some((r) => r.valLoss !== undefined)) h.val_loss = recs.map((r) => r.valLoss ?? Number.NaN);
    if (recs.some((r) => r.valAccuracy !== undefined)) h.val_accuracy = recs.map((r) => r.valAccuracy ?? Number.NaN);
    const samples = recs.reduce((a, r) => a + r.samplesPerSecond * r.seconds, 0);
    const seconds = recs.reduce((a, r) => a + r.seconds, 0);
    const history: History = {
      epoch: recs.map((r) => r.epoch),
      history: h,
      stopReason: result.stopReason,
      kernels,
      samplesPerSecond: seconds > 0 ? samples / seconds : 0,
      seconds: result.seconds,
    };
    if (result.bestEpoch !== undefined) history.bestEpoch = result.bestEpoch;
    return history;
  }
}
