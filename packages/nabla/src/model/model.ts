/**
 * The model: what a TypeScript developer builds, trains, saves and explains. It is the paper's homogeneous
 * network (§2) plus what an application needs around it: biases (on by default, held as the §3 construction:
 * a constant-1 input, a formal neuron per hidden layer, the bias as the last column of W_i), its loss, the input
 * scaling and the class labels. The network function and every gradient form are the engines of net/ and grad/;
 * this file converts plain arrays to the paper's layout and back, and keeps the pieces together.
 */
import { applyStandardizer, copySampleRows, fitStandardizer, gatherBatch, splitDataset, type Dataset, type Standardizer } from '../data/dataset.js';
import { OptionError } from '../errors.js';
import { compareForms as compareNetworkForms, gradient as networkGradient } from '../grad/forms.js';
import type { Grads, SeedInput } from '../grad/types.js';
import { parseModel, serializeModel, type LoadedModel } from '../io/model-json.js';
import { Matrix, newArray, type DType } from '../linalg/matrix.js';
import type { Activation } from '../net/activation.js';
import { affineGradient, AffineNetwork, fromHomogeneous, genuineRows, genuineWidths, toHomogeneous } from '../net/affine.js';
import type { Network } from '../net/network.js';
import { fit as fitNetwork, fitAsync, type FitAsyncOptions, type FitResult } from '../train/fit.js';
import { inputView, setConstantColumn } from '../train/input-view.js';
import { defaultLoss, getLoss, type LossName } from '../train/loss.js';
import { evaluateDataset, writeOutputs } from '../train/metrics.js';
import type { OptimizerName, OptimizerState } from '../train/optimizer.js';
import type { FormComparison } from './forms-comparison.js';
import { fitOptionsOf, historyOf } from './fit-options.js';
import { checkOptionKeys } from './option-keys.js';
import { sampleView, samplesOf, type Inputs, type Targets } from './inputs.js';
import { summaryLines } from './summary.js';
import { datasetOf } from './targets.js';
import { defaultKernels, defaultKernelsSync, describeKernels, float64Kernels, isKernelsObject, onKernels, type KernelsInfo, type SelectedKernels } from './kernels.js';
import { classificationReport, regressionReport } from './metrics.js';
import { forwardInChunks } from './resident.js';
import { nonFiniteLoss } from './finite.js';
import type { EvaluationReport, History, LayerInfo, ModelFields, ModelFitOptions, ModelGradient, ModelGradientOptions } from './types.js';

const FIT_OPTION_KEYS = [
  'epochs', 'batchSize', 'optimizer', 'learningRate', 'optimizerOptions', 'schedule', 'clipNorm', 'regularization', 'validationData', 'validationSplit',
  'shuffle', 'seed', 'standardize', 'earlyStopping', 'onEpochBegin', 'onEpochEnd', 'onBatchBegin', 'onBatchEnd', 'signal', 'kernels', 'sliceMs',
];

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
    return new Model(loaded.network.clone(), loaded.affine !== undefined, meta); // the caller keeps `loaded`
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
    const W = this.bias ? genuineRows(this.#net.W.get(i), i, this.depth) : this.#net.W.get(i).clone();
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
    if (isKernelsObject(opts.kernels)) return this.#finish(await fitAsync(this.#net, plan.train, { ...plan.options, kernels: opts.kernels }), describeKernels(opts.kernels), plan);
    const selected = this.dtype === 'float64' ? float64Kernels(opts.kernels) : await defaultKernels(opts.kernels);
    return onKernels(selected, async (k) => this.#finish(await fitAsync(this.#net, plan.train, { ...plan.options, kernels: k.kernels }), k.info, plan));
  }

  /** `fit`, synchronously (for scripts and workers): the page is not yielded to and callbacks' promises are not awaited. */
  fitSync(x: Inputs, y: Targets, opts: ModelFitOptions = {}): History {
    const plan = this.#plan(x, y, opts);
    const selected: SelectedKernels = isKernelsObject(opts.kernels)
      ? { kernels: opts.kernels, info: describeKernels(opts.kernels) }
      : this.dtype === 'float64' ? float64Kernels(opts.kernels) : defaultKernelsSync(opts.kernels);
    return this.#finish(fitNetwork(this.#net, plan.train, { ...plan.options, kernels: selected.kernels }), selected.info, plan);
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
    if (!classes) throw new OptionError('predictClasses: the model has no class labels (train it on labels, or give classes to createModel)');
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

  /** Loss and metrics on (x, y): accuracy, per-class precision/recall/F1 and the confusion matrix, or MAE/RMSE. */
  evaluate(x: Inputs, y: Targets): EvaluationReport {
    const loss = this.#meta.loss;
    if (!loss) throw new OptionError('evaluate: the model has no loss yet (give loss to createModel, or fit it first)');
    const ds = this.#scaled(this.#dataset(x, y, 'x', 'y').ds);
    const { kernels } = defaultKernelsSync();
    const ev = evaluateDataset(this.#net, ds, getLoss(loss), { kernels, affine: this.bias });
    if (!Number.isFinite(ev.loss)) nonFiniteLoss(ev.loss, () => this.#outputs(x)); // says which layer and sample
    const report: EvaluationReport = { loss: ev.loss, count: ev.count };
    if (ds.task === 'classification' && ev.confusion && this.#meta.classes) {
      report.classification = classificationReport(ev.confusion, this.#meta.classes);
      report.accuracy = report.classification.accuracy;
    } else if (ds.targets) {
      const out = this.#outputs(x);
      report.regression = regressionReport(out.data, ds.targets);
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
    const lines = summaryLines(this);
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

  // ——— for clients that train step by step (the explorer's Training worker) ———

  /**
   * The loss `fit` trains with on data of this task: the model's own, else the library's default for the last
   * layer (`defaultLoss`: bce or softmax-ce on the logits when σ_k is the identity, mse otherwise).
   */
  lossFor(task: 'classification' | 'regression'): LossName {
    if (task !== 'classification' && task !== 'regression') throw new OptionError(`lossFor: task ${JSON.stringify(task)}; expected 'classification' or 'regression'`);
    return this.#meta.loss ?? defaultLoss(task, this.outputs, this.#lastIsIdentity());
  }

  /**
   * Sets entry (row, col) of W_i of the homogeneous network (i from 1, row and col from 0): a hand edit between
   * epochs, after which `fit` goes on from the new weights with the optimizer state and epoch count it had.
   * Mutates the model. The fixed rows of §3 (the formal neurons' [0, …, 0, 1]) cannot be set.
   */
  setWeight(i: number, row: number, col: number, value: number): void {
    const k = this.depth;
    if (!Number.isInteger(i) || i < 1 || i > k) throw new OptionError(`setWeight: layer ${i}; expected a layer number from 1 to ${k}`);
    const W = this.#net.W.get(i);
    const rows = this.bias && i < k ? W.rows - 1 : W.rows; // the last row of W_i (i < k) is §3's formal one
    if (!Number.isInteger(row) || row < 0 || row >= rows) throw new OptionError(`setWeight: row ${row} of W_${i}; expected 0 to ${rows - 1}${rows < W.rows ? ' (the last row is the formal neuron of §3)' : ''}`);
    if (!Number.isInteger(col) || col < 0 || col >= W.cols) throw new OptionError(`setWeight: column ${col} of W_${i}; expected 0 to ${W.cols - 1}`);
    if (typeof value !== 'number' || !Number.isFinite(value)) throw new OptionError(`setWeight: value ${String(value)}; expected a finite number`);
    const net = this.#net.clone(); // the network fit handed back stays as it was
    net.W.get(i).set(row, col, value);
    this.#net = net;
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

  /**
   * (x, y) as a data set in the model's terms, with the class labels it uses: the model's own, or (before the first
   * `fit`) those found in y, in sorted order.
   */
  #dataset(x: Inputs, y: Targets, xName: string, yName: string, known = this.#meta.classes): { ds: Dataset; classes?: (string | number)[] } {
    return datasetOf(x, y, { inputs: this.inputs, outputs: this.outputs, dtype: this.dtype, loss: this.#meta.loss, classes: known }, xName, yName);
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

  /**
   * The outputs, one row per sample (count × n_k: probabilities under a loss on logits, f otherwise), computed on
   * the resident network (model/resident.ts).
   */
  #outputs(x: Inputs): Matrix {
    const loss = this.#meta.loss ? getLoss(this.#meta.loss) : undefined;
    const { data, count } = sampleView(x, this.inputs, this.dtype);
    const features = this.#scaled({ name: 'x', x: data, inputs: this.inputs, count, task: 'regression', targets: new Float64Array(0), outputs: 0 });
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

  #layerShaped(r: Grads): Matrix[] {
    return this.bias ? affineGradient(r.gradW) : r.gradW.indices().map((i) => r.gradW.get(i).clone());
  }

  /** Everything a training run needs, checked before any work starts. */
  #plan(x: Inputs, y: Targets, opts: ModelFitOptions): { train: Dataset; options: FitAsyncOptions; loss: LossName; classes: (string | number)[] | undefined; scaling: Standardizer | undefined } {
    if (opts === null || typeof opts !== 'object') throw new OptionError('fit: options must be an object');
    checkOptionKeys(opts, FIT_OPTION_KEYS, 'fit');
    if (opts.shuffle !== undefined && typeof opts.shuffle !== 'boolean') throw new OptionError(`shuffle = ${JSON.stringify(opts.shuffle)}; expected true or false`);
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
    const options = fitOptionsOf(opts, { loss, optimizer, dtype: this.dtype, affine: this.bias, firstEpoch: this.#epochs + 1, ...(validation ? { validation } : {}), ...(resume ? { resume } : {}) });
    return { train: data, options, loss, classes, scaling };
  }

  #finish(result: FitResult, kernels: KernelsInfo, plan: { loss: LossName; classes: (string | number)[] | undefined; scaling: Standardizer | undefined }): History {
    // the model it was called on is updated: weights (the best or last good ones), loss, classes, scaling
    this.#net = result.network; // fit hands back a network of its own, in the training dtype (the model's)
    this.#meta.loss = plan.loss;
    if (plan.classes) this.#meta.classes = plan.classes;
    if (plan.scaling) this.#meta.inputScaling = plan.scaling;
    this.#optimizer = { name: result.optimizerState.name, state: result.optimizerState };
    const recs = result.history;
    if (recs.length > 0) this.#epochs = recs[recs.length - 1]!.epoch;
    if (result.divergence) throw result.divergence;
    return historyOf(result, kernels);
  }
}
