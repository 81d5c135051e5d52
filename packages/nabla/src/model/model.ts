/**
 * The model: what a TypeScript developer builds, trains, saves and explains — the paper's homogeneous network (§2)
 * with biases as the §3 construction, its loss, input scaling and class labels. The engines of net/ and grad/
 * compute; this file converts plain arrays to the paper's layout and back and keeps the pieces together.
 */
import {
  applyStandardizer,
  copySampleRows,
  type Dataset,
  fitStandardizer,
  gatherBatch,
  type Standardizer,
  splitDataset,
} from '../data/dataset.js';
import { DataError, OptionError, UnsupportedError } from '../errors.js';
import { workedGradient } from '../grad/worked.js';
import { type LoadedModel, parseModel, serializeModel } from '../io/model-json.js';
import type { FloatArray } from '../kernels/types.js';
import { type DType, Matrix, newArray } from '../linalg/matrix.js';
import type { Activation } from '../net/activation.js';
import {
  type AffineNetwork,
  affineGradient,
  fromHomogeneous,
  genuineRows,
  genuineWidths,
  toHomogeneous,
} from '../net/affine.js';
import type { Layers } from '../net/layers.js';
import type { Network } from '../net/network.js';
import { type EpochInfo, type FitAsyncOptions, type FitResult, fitAsync, fit as fitNetwork } from '../train/fit.js';
import { inputView, setConstantColumn } from '../train/input-view.js';
import { checkLossFits, defaultLoss, getLoss, type LossName } from '../train/loss.js';
import { evaluateDataset, writeOutputs } from '../train/metrics.js';
import type { OptimizerName, OptimizerState } from '../train/optimizer.js';
import { nonFiniteLoss } from './finite.js';
import { fitOptionsOf, historyOf } from './fit-options.js';
import { type Inputs, samplesOf, sampleView, type Targets } from './inputs.js';
import {
  defaultKernels,
  defaultKernelsSync,
  describeKernels,
  float64Kernels,
  isKernelsObject,
  type KernelsInfo,
  onKernels,
  type SelectedKernels,
} from './kernels.js';
import { classificationReport, regressionReport } from './metrics.js';
import { lossNameOf } from './option-keys.js';
import { evaluateOptionsSchema, fitOptionsSchema, gradientOptionsSchema, readOptions } from './option-schemas.js';
import { forwardInChunks } from './resident.js';
import { summaryLines } from './summary.js';
import { datasetOf, fitArguments, isDataset, samplesOfDataset, type TargetContext } from './targets.js';
import {
  continuedOptions,
  historyFromFile,
  optimizerForFile,
  optimizerFromFile,
  scheduleOf,
  summaryOf,
  trainingRecord,
} from './training-state.js';
import type {
  EpochSummary,
  EvaluateOptions,
  EvaluationReport,
  History,
  LayerInfo,
  ModelFields,
  ModelFitOptions,
  ModelGradient,
  ModelGradientOptions,
  TrainBeginInfo,
  TrainingRecord,
} from './types.js';

/** Options of `Model.fromJSON` / `Model.fromLoaded` (and `loadModelFile`). */
export interface ModelLoadOptions {
  /** Keep the file's training state (optimizer state, history, run record), so `fit` continues the run (default true); false: the weights start a new run. */
  training?: boolean;
  /** The precision to hold the weights in (default the file's). */
  dtype?: DType;
}

/** A pending callback result as a promise, or undefined (fit awaits, fitSync does not). */
function awaitable(r: unknown): Promise<unknown> | undefined {
  return r !== null && typeof r === 'object' && typeof (r as { then?: unknown }).then === 'function'
    ? (r as Promise<unknown>)
    : undefined;
}

/** The arguments of `fit` / `fitSync`: (data, opts) or (x, y, opts). @internal */
type FitArgs = [Inputs | Dataset, (Targets | ModelFitOptions)?, ModelFitOptions?];

/** What `fit` and `fitSync` share: the data, options and records of one run. @internal */
interface Plan {
  train: Dataset;
  options: FitAsyncOptions;
  loss: LossName;
  classes: (string | number)[] | undefined;
  scaling: Standardizer | undefined;
  user: ModelFitOptions;
  begin: Omit<TrainBeginInfo, 'kernels'>;
}

/**
 * A feed-forward network with what an application needs around it. Build it with `createModel`, train it with
 * `fit`, use it with `predict` / `evaluate`, look inside with `gradient` (every form of the paper), `summary` and
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
  /** Every epoch trained so far, across calls of `fit` and across the model file. */
  #history: EpochSummary[] = [];
  /** The last run's record (the file's "training"). */
  #training: TrainingRecord | undefined;
  /** Whether a `fit` or `fitSync` of this model is running (one started from its own callback is refused). */
  #running = false;

  /** Use `createModel`, `Model.fromNetwork` or `Model.fromJSON`. The model takes `net` as its own: change it through the model only. */
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
  static fromNetwork(
    net: Network,
    opts: { bias?: boolean; loss?: LossName; classes?: readonly (string | number)[]; inputScaling?: Standardizer } = {},
  ): Model {
    const { bias, classes, ...rest } = opts;
    return new Model(net.clone(), bias ?? false, { ...rest, ...(classes ? { classes: [...classes] } : {}) });
  }

  /** A model of an affine network ([A_i | b_i] per layer). */
  static fromAffine(
    net: AffineNetwork,
    opts: { loss?: LossName; classes?: readonly (string | number)[]; inputScaling?: Standardizer } = {},
  ): Model {
    return Model.fromNetwork(toHomogeneous(net), { ...opts, bias: true });
  }

  /**
   * A model from what the model-file reader returns (`parseModel`, `loadModel`, `importOnnx`), with the file's
   * training state (optimizer state, history, run record) unless `training: false`.
   */
  static fromLoaded(loaded: LoadedModel, opts: ModelLoadOptions = {}): Model {
    const meta: ModelFields = {};
    if (loaded.meta.loss !== undefined) meta.loss = loaded.meta.loss;
    if (loaded.meta.classes !== undefined) meta.classes = [...loaded.meta.classes];
    if (loaded.meta.preprocessing?.standardize) meta.inputScaling = loaded.meta.preprocessing.standardize;
    if (loaded.meta.description !== undefined) meta.description = loaded.meta.description;
    if (opts.dtype !== undefined && opts.dtype !== 'float32' && opts.dtype !== 'float64') {
      throw new OptionError(`dtype = ${JSON.stringify(opts.dtype)}; expected 'float32' or 'float64'`);
    }
    const net =
      opts.dtype !== undefined && opts.dtype !== loaded.network.dtype
        ? loaded.network.as(opts.dtype)
        : loaded.network.clone();
    const m = new Model(net, loaded.affine !== undefined, meta); // the caller keeps `loaded`
    if (opts.training === false) return m;
    m.#history = historyFromFile(loaded.meta.history);
    m.#epochs = m.#history.length > 0 ? m.#history[m.#history.length - 1]!.epoch : 0;
    if (loaded.meta.training) m.#training = { ...loaded.meta.training };
    const o = loaded.meta.optimizer;
    if (o) m.#optimizer = { name: o.name as OptimizerName, state: optimizerFromFile(o, m.bias, net.n) };
    return m;
  }

  /**
   * Reads a model from its JSON text or object (the model file format, version 1; a hand-written object with just
   * `widths` and `layers` is enough). Throws `FormatError` naming the first problem by its JSON path.
   */
  static fromJSON(
    json: string | object,
    opts: { activations?: Readonly<Record<string, Activation>>; source?: string } & ModelLoadOptions = {},
  ): Model {
    const text = typeof json === 'string' ? json : JSON.stringify(json);
    const { activations, source, ...load } = opts;
    return Model.fromLoaded(
      parseModel(text, { source: source ?? 'model JSON', ...(activations ? { extraActivations: activations } : {}) }),
      load,
    );
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

  /** Every epoch trained so far (loss, η, accuracies), across calls of `fit` and across saving and loading. */
  get history(): EpochSummary[] {
    return this.#history.map((h) => ({ ...h }));
  }

  /** The last run's record (optimizer, η, schedule, batch size, seed, shuffle, how it ended, the app's notes). */
  get training(): TrainingRecord | undefined {
    return this.#training ? { ...this.#training } : undefined;
  }

  /** Whether the model carries an optimizer state: `fit` then continues the run (same optimizer, epochs numbered on). */
  get resumable(): boolean {
    return this.#optimizer !== undefined;
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
    if (!Number.isInteger(i) || i < 1 || i > this.depth)
      throw new OptionError(`layer(${i}): expected a layer number from 1 to ${this.depth}`);
    const W = this.bias ? genuineRows(this.#net.W.get(i), i, this.depth) : this.#net.W.get(i).clone();
    const units = this.widths[i]!;
    const d = this.#net.sigma.get(i).describe();
    const activation = Array.isArray(d) ? d.slice(0, units) : d;
    return {
      units,
      activation: Array.isArray(activation) && new Set(activation).size === 1 ? activation[0]! : activation,
      W,
    };
  }

  /** The homogeneous network of the paper (a copy): for a biased model the network of §3. */
  homogeneous(): Network {
    return this.#net.clone();
  }

  /** The affine network (a copy) of a biased model; undefined without biases. */
  affine(): AffineNetwork | undefined {
    return this.bias ? fromHomogeneous(this.#net) : undefined;
  }

  /** An independent copy (weights, loss, classes, scaling, history; not the optimizer state). */
  clone(): Model {
    const m = new Model(this.#net.clone(), this.bias, structuredClone(this.#meta));
    m.#epochs = this.#epochs;
    m.#history = this.history;
    m.#training = this.training;
    return m;
  }

  /**
   * Trains the model on (x, y) and updates it in place. Asynchronous: yields to the event loop between batches
   * (a page stays responsive) and waits for callbacks that return promises. Trains on the fastest kernels this
   * engine has (reported in `history.kernels`). Throws `DivergenceError` when training diverges; the model then
   * keeps the last good weights.
   */
  async fit(data: Dataset, opts?: ModelFitOptions): Promise<History>;
  async fit(x: Inputs, y: Targets, opts?: ModelFitOptions): Promise<History>;
  async fit(...args: FitArgs): Promise<History> {
    this.#claim('fit');
    try {
      const plan = this.#plan('fit', ...args);
      const opts = plan.user;
      const run = async (k: SelectedKernels) => {
        const begin = opts.onTrainBegin?.({ ...plan.begin, kernels: k.info });
        if (awaitable(begin)) await begin;
        const result = await fitAsync(this.#net, plan.train, { ...plan.options, kernels: k.kernels });
        return this.#finish(result, k.info, plan);
      };
      if (isKernelsObject(opts.kernels))
        return await run({ kernels: opts.kernels, info: describeKernels(opts.kernels) });
      const selected =
        this.dtype === 'float64' ? float64Kernels(opts.kernels) : await defaultKernels(opts.kernels, opts.threads);
      return await onKernels(selected, run);
    } finally {
      this.#running = false;
    }
  }

  /** `fit`, synchronously (for scripts and workers): the page is not yielded to and callbacks' promises are not awaited. */
  fitSync(data: Dataset, opts?: ModelFitOptions): History;
  fitSync(x: Inputs, y: Targets, opts?: ModelFitOptions): History;
  fitSync(...args: FitArgs): History {
    this.#claim('fitSync');
    try {
      const plan = this.#plan('fitSync', ...args);
      const opts = plan.user;
      const selected: SelectedKernels = isKernelsObject(opts.kernels)
        ? { kernels: opts.kernels, info: describeKernels(opts.kernels) }
        : this.dtype === 'float64'
          ? float64Kernels(opts.kernels)
          : defaultKernelsSync(opts.kernels);
      opts.onTrainBegin?.({ ...plan.begin, kernels: selected.info });
      return this.#finish(
        fitNetwork(this.#net, plan.train, { ...plan.options, kernels: selected.kernels }),
        selected.info,
        plan,
      );
    } finally {
      this.#running = false;
    }
  }

  /**
   * The model's outputs for each sample: probabilities under a classification loss on logits (sigmoid for bce,
   * softmax for softmax-ce), the network's f otherwise. Rows in, rows out; one sample (`number[]`) gives one row.
   */
  predict(x: readonly number[]): number[];
  predict(x: Inputs): number[][];
  predict(x: Inputs | readonly number[]): number[] | number[][] {
    if (Array.isArray(x) && x.length === 0) return []; // no samples in, no rows out
    const single = Array.isArray(x) && typeof x[0] === 'number';
    const rows = this.#outputs(x as Inputs).toRows();
    return single ? rows[0]! : rows;
  }

  /** The predicted class label of each sample (classification models). */
  predictClasses(x: Inputs): (string | number)[] {
    const classes = this.#meta.classes;
    if (!classes)
      throw new OptionError(
        'predictClasses: the model has no class labels (train it on labels, or give classes to createModel)',
      );
    const out = this.#outputs(x);
    const labels: (string | number)[] = [];
    for (let b = 0; b < out.rows; b++) {
      if (out.cols === 1) {
        labels.push(classes[out.get(b, 0) > 0.5 ? 1 : 0]!);
        continue;
      }
      let best = 0;
      for (let r = 1; r < out.cols; r++) if (out.get(b, r) > out.get(b, best)) best = r;
      labels.push(classes[best]!);
    }
    return labels;
  }

  /**
   * Loss and metrics on (x, y) or a data set: accuracy, per-class precision/recall/F1 and the confusion matrix, or
   * MAE/RMSE. `loss` names the loss for a model that has none (one imported from ONNX).
   */
  evaluate(data: Dataset, opts?: EvaluateOptions): EvaluationReport;
  evaluate(x: Inputs, y: Targets, opts?: EvaluateOptions): EvaluationReport;
  evaluate(a: Inputs | Dataset, b?: Targets | EvaluateOptions, c?: EvaluateOptions): EvaluationReport {
    const given = isDataset(a);
    const opts = readOptions(evaluateOptionsSchema, given ? b : c, 'evaluate') as EvaluateOptions;
    const loss = opts.loss !== undefined ? lossNameOf(opts.loss) : this.#meta.loss;
    if (!loss)
      throw new OptionError(
        'evaluate: the model has no loss (give { loss } to evaluate or to createModel, or fit it first)',
      );
    const read = given
      ? this.#fromDataset(a, 'data')
      : this.#dataset(a, b as Targets, 'x', 'y', this.#meta.classes, loss);
    const ds = this.#scaled(read.ds);
    const { kernels } = isKernelsObject(opts.kernels)
      ? { kernels: opts.kernels }
      : this.dtype === 'float64'
        ? float64Kernels(opts.kernels)
        : defaultKernelsSync(opts.kernels);
    const ev = evaluateDataset(this.#net, ds, getLoss(loss), { kernels, affine: this.bias });
    if (!Number.isFinite(ev.loss))
      nonFiniteLoss(ev.loss, () => this.#outputs(given ? samplesOfDataset(a, this.#targetContext(), 'data').x : a)); // says which layer and sample
    const report: EvaluationReport = { loss: ev.loss, count: ev.count };
    const classes = this.#meta.classes ?? read.classes;
    if (ds.task === 'classification' && ev.confusion && classes) {
      report.classification = classificationReport(ev.confusion, classes);
      report.accuracy = report.classification.accuracy;
    } else if (ds.targets) {
      const out = this.#outputs(given ? a.x : a, loss);
      report.regression = regressionReport(out.data, ds.targets);
    }
    return report;
  }

  /**
   * The worked gradient at x (grad/worked.ts) on the homogeneous network: the trace (N_i, Σ_i, Σ'_i) from one
   * forward pass, Δ_i and ∇_{W_i} f by the recursion of Remark 3 (summed over the samples), each form in `forms`
   * run once on that trace with its difference from the recursion, every step recorded, and each gradient also in
   * the shape of the model's layers. x is in the units of `predict` (scaled and given §3's 1 here).
   *
   * @example
   * const g = model.gradient([0.5, -1], { forms: 'all' });
   * g.layerGrads[0]; // ∇ of layer 1's [A_1 | b_1]
   * g.forms.map((f) => [f.form, f.maxDiff]);
   */
  gradient(x: Inputs | readonly number[], opts: ModelGradientOptions = {}): ModelGradient {
    readOptions(gradientOptionsSchema, opts, 'gradient');
    const X = this.#networkInput(x as Inputs);
    const w = workedGradient(this.#net, X, { seed: opts.seed, ...(opts.forms ? { forms: opts.forms } : {}) });
    const forms = w.forms.map((f) => ({ ...f, layerGrads: this.#layerShaped(f.grads.gradW) }));
    return { ...w, forms, X, layerGrads: forms[0]!.layerGrads };
  }

  /**
   * A table of the layers, their shapes and parameter counts, and the §3 homogeneous view. The library never
   * prints: the text is returned, and also handed line by line to `print` when given (Keras's `print_fn`).
   */
  summary(opts: { print?: (line: string) => void } = {}): string {
    const lines = summaryLines(this);
    for (const l of lines) opts.print?.(l);
    return lines.join('\n');
  }

  /**
   * The model file's text (JSON, version 1): keys in a fixed order, every number read back exactly. A trained model
   * writes its training state too (history, run record and optimizer state: `Model.fromJSON` and `fit` continue
   * the run bit for bit); `optimizer: false` leaves the optimizer state out (a smaller file that cannot resume).
   */
  serialize(opts: { optimizer?: boolean } = {}): string {
    return this.#serialize(
      this.#net,
      this.#meta,
      this.#history,
      this.#training,
      opts.optimizer === false ? undefined : this.#optimizer?.state,
    );
  }

  /** The model file as a JSON object (`JSON.stringify(model)` gives the file). */
  toJSON(): Record<string, unknown> {
    return JSON.parse(this.serialize()) as Record<string, unknown>;
  }

  // ——— for clients that train step by step (the explorer's Training worker) ———

  /**
   * The loss `fit` trains with on data of this task: the model's own, else the library's default for the last
   * layer (`defaultLoss`: bce or softmax-ce on the logits when σ_k is the identity, mse otherwise).
   */
  lossFor(task: 'classification' | 'regression'): LossName {
    if (task !== 'classification' && task !== 'regression')
      throw new OptionError(`lossFor: task ${JSON.stringify(task)}; expected 'classification' or 'regression'`);
    return this.#meta.loss ?? defaultLoss(task, this.outputs, this.#lastIsIdentity());
  }

  /**
   * Sets entry (row, col) of W_i of the homogeneous network (i from 1, row and col from 0): a hand edit between
   * epochs, after which `fit` goes on from the new weights with the optimizer state and epoch count it had.
   * Mutates the model. The fixed rows of §3 (the formal neurons' [0, …, 0, 1]) cannot be set.
   */
  setWeight(i: number, row: number, col: number, value: number): void {
    const k = this.depth;
    if (!Number.isInteger(i) || i < 1 || i > k)
      throw new OptionError(`setWeight: layer ${i}; expected a layer number from 1 to ${k}`);
    const W = this.#net.W.get(i);
    const rows = this.bias && i < k ? W.rows - 1 : W.rows; // the last row of W_i (i < k) is §3's formal one
    if (!Number.isInteger(row) || row < 0 || row >= rows)
      throw new OptionError(
        `setWeight: row ${row} of W_${i}; expected 0 to ${rows - 1}${rows < W.rows ? ' (the last row is the formal neuron of §3)' : ''}`,
      );
    if (!Number.isInteger(col) || col < 0 || col >= W.cols)
      throw new OptionError(`setWeight: column ${col} of W_${i}; expected 0 to ${W.cols - 1}`);
    if (typeof value !== 'number' || !Number.isFinite(value))
      throw new OptionError(`setWeight: value ${String(value)}; expected a finite number`);
    const net = this.#net.clone(); // the network fit handed back stays as it was
    net.W.get(i).set(row, col, value);
    this.#net = net;
  }

  // ——— internals ———

  /**
   * Marks the model as training, refusing a second run while one is going (started from one of its callbacks, or
   * not awaited): the second would train from the weights before the first and be overwritten when the first ends.
   */
  #claim(what: 'fit' | 'fitSync'): void {
    if (this.#running) {
      throw new UnsupportedError(
        `${what}: this model is already training (a fit or fitSync of it has not returned yet, e.g. this call comes ` +
          'from one of its callbacks); train a copy (model.clone()), or call it after the running fit returns',
      );
    }
    this.#running = true;
  }

  #serialize(
    net: Network,
    fields: ModelFields,
    history: EpochSummary[],
    training: TrainingRecord | undefined,
    optimizer: OptimizerState | undefined,
  ): string {
    const meta: Parameters<typeof serializeModel>[0]['meta'] = {};
    if (fields.loss) meta.loss = fields.loss;
    if (fields.classes) meta.classes = fields.classes as string[] | number[];
    if (fields.inputScaling) meta.preprocessing = { standardize: fields.inputScaling };
    if (fields.description !== undefined) meta.description = fields.description;
    if (history.length > 0) meta.history = history.map((h) => ({ ...h }));
    if (training) meta.training = training;
    if (optimizer) meta.optimizer = optimizerForFile(optimizer, this.bias);
    return serializeModel(this.bias ? { affine: fromHomogeneous(net), meta } : { network: net, meta });
  }

  /** A data set as the model reads it: its inputs checked, its class list the model's (or, before the first `fit`, its own). */
  #fromDataset(ds: Dataset, what: string): { ds: Dataset; classes?: (string | number)[] } {
    if (ds.inputs !== this.inputs)
      throw new DataError(`${what} "${ds.name}": ${ds.inputs} features per sample, but the model takes ${this.inputs}`);
    if (ds.task !== 'classification') return { ds };
    const known = this.#meta.classes;
    const own = ds.classes ?? [];
    if (known && (known.length !== own.length || known.some((c, j) => c !== own[j]))) {
      throw new DataError(
        `${what} "${ds.name}": its classes ${JSON.stringify(own)} are not the model's ${JSON.stringify(known)} (in that order)`,
      );
    }
    return { ds, classes: [...(known ?? own)] };
  }

  #checkScaling(s: Standardizer): void {
    if (
      !s ||
      !Array.isArray(s.mean) ||
      !Array.isArray(s.std) ||
      s.mean.length !== this.inputs ||
      s.std.length !== this.inputs
    ) {
      throw new OptionError(`inputScaling: expected { mean, std } with ${this.inputs} numbers each (one per input)`);
    }
    s.std.forEach((v, j) => {
      if (!(Number.isFinite(v) && v > 0))
        throw new OptionError(`inputScaling.std[${j}] = ${v}; expected a finite number > 0`);
    });
    s.mean.forEach((v, j) => {
      if (!Number.isFinite(v)) throw new OptionError(`inputScaling.mean[${j}] = ${v}; expected a finite number`);
    });
  }

  #checkClasses(classes: readonly (string | number)[]): void {
    const need = this.outputs === 1 ? 2 : this.outputs;
    if (classes.length !== need) {
      throw new OptionError(
        `classes: ${classes.length} labels for ${this.outputs} output ` +
          `neuron${this.outputs > 1 ? 's' : ''}; expected ` +
          `${need}${this.outputs === 1 ? ' (one output neuron stands for two classes)' : ' (one per output neuron)'}`,
      );
    }
    if (new Set(classes).size !== classes.length) throw new OptionError('classes: the labels must be distinct');
  }

  #lastIsIdentity(): boolean {
    return this.#net.sigma.get(this.#net.k).sigmas.every((a) => a.name === 'identity');
  }

  /**
   * (x, y) as a data set in the model's terms, with the class labels it uses: the model's own, or (before the first
   * `fit`) those found in y, in sorted order.
   */
  #dataset(
    x: Inputs,
    y: Targets,
    xName: string,
    yName: string,
    known = this.#meta.classes,
    loss = this.#meta.loss,
    dtype = this.#inputDtype(),
  ): { ds: Dataset; classes?: (string | number)[] } {
    return datasetOf(x, y, { ...this.#targetContext(), classes: known, loss, dtype }, xName, yName);
  }

  #targetContext(): TargetContext {
    return {
      inputs: this.inputs,
      outputs: this.outputs,
      dtype: this.dtype,
      loss: this.#meta.loss,
      classes: this.#meta.classes,
    };
  }

  /**
   * The precision samples are read in: float64 while an input scaling applies (its mean and std are taken, and
   * (x − mean)/std computed, from the values as given; the training step rounds the result to the model's dtype),
   * otherwise the model's own.
   */
  #inputDtype(standardize = false): DType {
    return standardize || this.#meta.inputScaling ? 'float64' : this.dtype;
  }

  #scaled(ds: Dataset): Dataset {
    return this.#meta.inputScaling ? applyStandardizer(ds, this.#meta.inputScaling) : ds;
  }

  /** Plain samples (sample-major) as a data set without targets, in the model's input scaling. */
  #features({ data, count }: { data: FloatArray; count: number }): Dataset {
    const ds: Dataset = {
      name: 'x',
      x: data,
      inputs: this.inputs,
      count,
      task: 'regression',
      targets: new Float64Array(0),
      outputs: 0,
    };
    return this.#scaled(ds);
  }

  /** The network input for plain samples: scaled, one column per sample, with the constant 1 of §3 (a) when biased. */
  #networkInput(x: Inputs): Matrix {
    const features = this.#features(samplesOf(x, this.inputs, this.#inputDtype()));
    const count = features.count;
    const X = new Matrix(this.#net.n[0]!, count, newArray(this.dtype, this.#net.n[0]! * count));
    gatherBatch(
      features,
      Int32Array.from({ length: count }, (_, j) => j),
      0,
      count,
      inputView(X, this.bias),
    );
    return X;
  }

  /**
   * The outputs, one row per sample (count × n_k: probabilities under a loss on logits, f otherwise), computed on
   * the resident network (model/resident.ts).
   */
  #outputs(x: Inputs, lossName = this.#meta.loss): Matrix {
    const loss = lossName ? getLoss(lossName) : undefined;
    const features = this.#features(sampleView(x, this.inputs, this.#inputDtype()));
    const count = features.count;
    const nk = this.outputs;
    const out = new Matrix(count, nk, new Float64Array(count * nk));
    forwardInChunks(
      this.#net,
      count,
      (Xt, start, end) => {
        copySampleRows(features, start, end, Xt);
        setConstantColumn(Xt, this.bias);
      },
      (t, start) => writeOutputs(t, loss, out.data, 1, nk, start),
    );
    return out;
  }

  #layerShaped(gradW: Layers<Matrix>): Matrix[] {
    return this.bias ? affineGradient(gradW) : gradW.indices().map((i) => gradW.get(i).clone());
  }

  /** Everything a training run needs, checked before any work starts. */
  #plan(what: 'fit' | 'fitSync', ...[a, b, c]: FitArgs): Plan {
    const args = fitArguments<ModelFitOptions>(a, b, c, this.#targetContext(), what);
    const raw = readOptions(fitOptionsSchema, args.opts, 'fit') as ModelFitOptions;
    const given: LossName | undefined = raw.loss === undefined ? undefined : lossNameOf(raw.loss); // Keras's names too
    // a run that continues takes the previous run's settings for what is not given
    const opts = continuedOptions(raw, this.#training);
    const wide = this.#inputDtype(opts.standardize === true); // float64 until the scaling is applied
    const first = this.#dataset(
      args.x,
      args.y,
      'x',
      'y',
      this.#meta.classes ?? args.classes,
      given ?? this.#meta.loss,
      wide,
    );
    let data = first.ds;
    const classes = first.classes;
    const loss = given ?? this.#meta.loss ?? defaultLoss(data.task, this.outputs, this.#lastIsIdentity());
    checkLossFits(getLoss(loss), this.#net); // before onTrainBegin: checked first, then the work begins
    let validation: Dataset | undefined;
    if (opts.validationData && isDataset(opts.validationData)) {
      const v = samplesOfDataset(opts.validationData, this.#targetContext(), 'validationData');
      validation = this.#dataset(v.x, v.y, 'validationData.x', 'validationData.labels', classes, loss, wide).ds;
    } else if (opts.validationData) {
      if (!Array.isArray(opts.validationData) || opts.validationData.length !== 2)
        throw new OptionError('validationData: expected [x, y] or a Dataset');
      validation = this.#dataset(
        opts.validationData[0],
        opts.validationData[1],
        'validationData[0]',
        'validationData[1]',
        classes,
        loss,
        wide,
      ).ds;
    } else if (opts.validationSplit !== undefined) {
      if (!(typeof opts.validationSplit === 'number' && opts.validationSplit > 0 && opts.validationSplit < 1)) {
        throw new OptionError(`validationSplit = ${String(opts.validationSplit)}; expected a fraction between 0 and 1`);
      }
      const split = splitDataset(data, { fraction: opts.validationSplit, seed: (opts.seed ?? 1) + 7919 });
      data = split.train;
      validation = split.validation;
    }
    if (opts.earlyStopping?.monitor === 'val_accuracy' && !(validation && data.task === 'classification')) {
      throw new OptionError(
        "earlyStopping.monitor = 'val_accuracy' needs validation data (validationData or validationSplit) of " +
          `classification data; this run has ${validation ? 'regression targets' : 'no validation data'}`,
      );
    }
    let scaling = this.#meta.inputScaling;
    if (opts.standardize && !scaling) scaling = fitStandardizer(data); // on the training part only
    if (scaling) {
      data = applyStandardizer(data, scaling);
      if (validation) validation = applyStandardizer(validation, scaling);
    }
    const optimizer = opts.optimizer ?? 'adam';
    const resume = this.#optimizer?.name === optimizer ? this.#optimizer.state : undefined;
    const firstEpoch = this.#epochs + 1;
    const options = fitOptionsOf(opts, {
      loss,
      optimizer,
      dtype: this.dtype,
      affine: this.bias,
      firstEpoch,
      shuffledEpochs: this.#epochs,
      ...(validation ? { validation } : {}),
      ...(resume ? { resume } : {}),
    });
    const plan: Plan = {
      train: data,
      options,
      loss,
      classes,
      scaling,
      user: opts,
      begin: {
        loss,
        optimizer,
        resumed: resume !== undefined,
        learningRate: opts.learningRate ?? (optimizer === 'sgd' ? 0.01 : 0.001),
        schedule: scheduleOf(opts.schedule)?.name ?? 'constant',
        batchSize: opts.batchSize ?? 32,
        firstEpoch,
        epochs: opts.epochs ?? 1,
        seed: opts.seed ?? 1,
        samples: data.count,
        validationSamples: validation?.count ?? 0,
      },
    };
    const onEpochEnd = opts.onEpochEnd;
    const done: EpochSummary[] = []; // this run's epochs so far, for the snapshots
    if (onEpochEnd) {
      options.onEpochEnd = (info: EpochInfo) => {
        const { state: _state, ...rest } = info;
        done.push(summaryOf(info));
        const upTo = done.slice();
        return onEpochEnd({ ...rest, snapshot: () => this.#snapshot(plan, info, upTo) });
      };
    }
    return plan;
  }

  /** The model file as of the end of an epoch of a running `fit` (its weights, optimizer state and history so far). */
  #snapshot(plan: Plan, info: EpochInfo, done: EpochSummary[]): string {
    const { network, optimizerState } = info.state();
    const fields: ModelFields = { ...structuredClone(this.#meta), loss: plan.loss };
    if (plan.classes) fields.classes = plan.classes;
    if (plan.scaling) fields.inputScaling = plan.scaling;
    const history = [...this.#history, ...done];
    const training = trainingRecord(plan.user, optimizerState.name, 'checkpoint', this.#training);
    return this.#serialize(network, fields, history, training, optimizerState);
  }

  #finish(result: FitResult, kernels: KernelsInfo, plan: Plan): History {
    // the model it was called on is updated: weights (the best or last good ones), loss, classes, scaling
    this.#net = result.network; // fit hands back a network of its own, in the training dtype (the model's)
    this.#meta.loss = plan.loss;
    if (plan.classes) this.#meta.classes = plan.classes;
    if (plan.scaling) this.#meta.inputScaling = plan.scaling;
    this.#optimizer = { name: result.optimizerState.name, state: result.optimizerState };
    const recs = result.history;
    if (recs.length > 0) this.#epochs = recs[recs.length - 1]!.epoch;
    this.#history.push(...recs.map(summaryOf));
    // a run aborted before its first epoch ended leaves the record of the run before it
    if (recs.length > 0 || result.stopReason !== 'aborted')
      this.#training = trainingRecord(plan.user, result.optimizerState.name, result.stopReason, this.#training);
    if (result.divergence) throw result.divergence;
    return historyOf(result, kernels);
  }
}
