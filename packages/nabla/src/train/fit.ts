/**
 * The fit loop: epochs of shuffled mini-batches, each step the paper's recursion seeded by the loss:
 *   forward:  N_i = W_i·Σ_{i−1}, Σ_i(N_i), Σ'_i(N_i)
 *   seed:     Δ_{k+1} = ∂L/∂Σ_k                       (loss.ts)
 *   backward: Δ_i = (W_{i+1}ᵀ·Δ_{i+1}) ∘ Σ'_i,  ∇_{W_i} L = Δ_i·Σ_{i−1}ᵀ   (grad/recursive.ts, the same engine)
 *   update:   W_i ← optimizer(W_i, ∇_{W_i} L)          (optimizer.ts)
 * The workspace (X, Y, the trace, Δ_i, ∇W_i, the seed, the optimizer state) is allocated once per batch size, in
 * the kernels' own memory when they have one, so a step copies and allocates no arrays. What remains per step is a
 * few hundred bytes of small objects (`npm run bench` measures it: no garbage collection in 500 steps).
 * Everything random (the shuffles) flows from `seed`. The library never prints: progress goes to callbacks.
 */
import { checkDataset, gatherBatch, gatherTargets, splitDataset, type Dataset } from '../data/dataset.js';
import { DataError, OptionError } from '../errors.js';
import type { Kernels } from '../kernels/types.js';
import { Matrix, newArray, type DType, type FloatArray } from '../linalg/matrix.js';
import { backpropagate, allocateGrads, type RecursiveOptions } from './backprop.js';
import { allocateTrace, forward, type ForwardOptions, type Trace } from '../net/forward.js';
import { Network } from '../net/network.js';
import type { Layers } from '../net/layers.js';
import { Rng } from '../rng.js';
import { clipGradNorm } from './clip.js';
import { diagnose, sumOf, type DivergenceError } from './divergence.js';
import { checkLossFits, getLoss, type Loss, type LossName } from './loss.js';
import { evaluateDataset, predictedClass } from './metrics.js';
import { inputView } from './input-view.js';
import { targetView } from './targets.js';
import { createOptimizer, type Optimizer, type OptimizerName, type OptimizerOptions, type OptimizerState } from './optimizer.js';
import { learningRateAt, type ScheduleOptions } from './schedule.js';

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
}

export interface FitOptions {
  loss: LossName;
  optimizer?: OptimizerName;
  optimizerOptions?: OptimizerOptions;
  /** η (default 0.01 for sgd, 0.001 for adam/adamw). */
  learningRate?: number;
  batchSize?: number;
  epochs?: number;
  /** Seed of the shuffles (default 1). */
  seed?: number;
  /** Reshuffle every epoch (default true); false keeps the data order. */
  shuffle?: boolean;
  /** Training precision (default float32). */
  dtype?: DType;
  validation?: Dataset;
  /** Fraction of the training data held out for validation (seeded), when `validation` is not given. */
  validationSplit?: number;
  schedule?: ScheduleOptions;
  /** Clip the global gradient norm to this value. */
  clipNorm?: number;
  /** Stop when the monitored loss has not improved by `minDelta` for `patience` epochs; restores the best weights. */
  earlyStopping?: { patience: number; minDelta?: number; monitor?: 'valLoss' | 'loss' };
  /** Called before each batch (epoch and batch numbers from 1). */
  onBatchBegin?: (info: { epoch: number; batch: number; batches: number }) => CallbackResult;
  onBatchEnd?: (info: BatchInfo) => CallbackResult;
  /** Called before each epoch. */
  onEpochBegin?: (info: { epoch: number; learningRate: number }) => CallbackResult;
  onEpochEnd?: (info: EpochInfo) => CallbackResult;
  /** Stops training after the current batch when aborted (stopReason 'aborted'; the weights so far are kept). */
  signal?: { readonly aborted: boolean };
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
}

/**
 * What a callback may return: nothing, or (with `fitAsync`) a promise that training waits for. `fit` (synchronous)
 * does not wait.
 */
export type CallbackResult = unknown;

export interface FitResult {
  /** The trained network (the best one when early stopping restored it; the last good one after divergence). */
  network: Network;
  history: EpochRecord[];
  stopReason: 'completed' | 'early-stopping' | 'callback' | 'aborted' | 'diverged';
  divergence?: DivergenceError;
  bestEpoch?: number;
  optimizerState: OptimizerState;
  seconds: number;
}

interface Workspace {
  B: number;
  X: Matrix;
  /** The rows of X that the data fill (all of X, or all but the constant-1 row of §3 (a)). */
  Xdata: Matrix;
  Y: Matrix;
  trace: Trace;
  grads: ReturnType<typeof allocateGrads>;
  seed: Matrix;
  /** Made once, so that a step allocates no option objects. */
  forwardOptions: ForwardOptions;
  backwardOptions: RecursiveOptions;
}

type Alloc = (length: number) => FloatArray;

/** Floats a workspace for batch size B takes (see `workspace`). */
function workspaceFloats(net: Network, B: number): number {
  const n = net.n;
  const sum = n.slice(1).reduce((a, b) => a + b, 0);
  return B * (2 * n[0]! + 4 * sum + 2 * n[net.k]!) + net.parameterCount;
}

function workspace(net: Network, B: number, affine: boolean, alloc: Alloc, kernels: Kernels | undefined): Workspace {
  const nk = net.n[net.k]!;
  const grads = allocateGrads(net, B, alloc);
  const X = new Matrix(net.n[0]!, B, alloc(net.n[0]! * B));
  const trace = allocateTrace(net, B, alloc);
  const kern = kernels ? { kernels } : {};
  return {
    forwardOptions: { into: trace, ...kern },
    backwardOptions: { into: grads, ...kern },
    B,
    X,
    Xdata: inputView(X, affine),
    Y: new Matrix(nk, B, alloc(nk * B)),
    trace,
    grads,
    seed: grads.D.get(net.k + 1),
  };
}

function copyWeights(from: Network, to: Network): void {
  for (let i = 1; i <= from.k; i++) to.W.get(i).data.set(from.W.get(i).data);
}

/**
 * §3 (b): in the homogeneous form of an affine network the last row of every W_i with i < k is [0, …, 0, 1]
 * (the formal neuron that carries the constant 1). Training keeps it so: that row's gradient is zeroed and,
 * after the update (weight decay would otherwise shrink the 1), the row is written again.
 */
function holdFormalRows(net: Network, gradW?: Layers<Matrix>): void {
  for (let i = 1; i < net.k; i++) {
    const M = gradW ? gradW.get(i) : net.W.get(i);
    const from = (M.rows - 1) * M.cols;
    M.data.fill(0, from, from + M.cols);
    if (!gradW) M.data[from + M.cols - 1] = 1;
  }
}

function positiveInt(v: number, name: string): number {
  if (!Number.isInteger(v) || v < 1) throw new OptionError(`${name} = ${v}; expected a whole number ≥ 1`);
  return v;
}

/** A value the training loop hands to its driver after a batch or epoch: a callback's promise, or nothing. */
type Pause = Promise<void> | undefined;

function pause(r: CallbackResult): Pause {
  return r !== null && typeof r === 'object' && typeof (r as { then?: unknown }).then === 'function' ? Promise.resolve(r).then(() => undefined) : undefined;
}

/**
 * Trains `net` (not mutated: a copy in the training precision is trained and returned) on `data`, synchronously.
 * Callbacks that return promises are not waited for; use `fitAsync` for that and to keep a page responsive.
 */
export function fit(net: Network, data: Dataset, opts: FitOptions): FitResult {
  const steps = fitSteps(net, data, opts);
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

/** Options of `fitAsync`: those of `fit`, plus how long a slice of work runs before yielding to the event loop. */
export interface FitAsyncOptions extends FitOptions {
  /** Milliseconds of training between yields to the event loop (default 12; a frame is ~16 ms). */
  sliceMs?: number;
}

/** Yields to the event loop (a macrotask: rendering, input and timers run), without setTimeout's 4 ms clamp. */
function macrotask(): Promise<void> {
  const g = globalThis as { MessageChannel?: typeof MessageChannel; setImmediate?: (f: () => void) => unknown };
  if (typeof g.setImmediate === 'function') return new Promise((resolve) => g.setImmediate!(resolve));
  if (typeof g.MessageChannel === 'function') {
    return new Promise((resolve) => {
      const ch = new g.MessageChannel!();
      ch.port1.onmessage = () => {
        ch.port1.close();
        resolve();
      };
      ch.port2.postMessage(0);
    });
  }
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/**
 * `fit` that yields to the event loop between batches (every `sliceMs` of work), so a page never freezes, and waits
 * for callbacks that return promises. Resolves to the same result as `fit` with the same options.
 */
export async function fitAsync(net: Network, data: Dataset, opts: FitAsyncOptions): Promise<FitResult> {
  const slice = opts.sliceMs ?? 12;
  const steps = fitSteps(net, data, opts);
  let since = performance.now();
  let r = steps.next();
  while (!r.done) {
    try {
      if (r.value) await r.value;
      else if (performance.now() - since >= slice) {
        await macrotask();
        since = performance.now();
      }
    } catch (e) {
      steps.throw(e); // runs the loop's clean-up, then rethrows here
      throw e;
    }
    r = steps.next();
  }
  return r.value;
}

function* fitSteps(net: Network, data: Dataset, opts: FitOptions): Generator<Pause, FitResult, void> {
  const t0 = performance.now();
  checkDataset(data);
  const loss: Loss = getLoss(opts.loss);
  checkLossFits(loss, net);
  const dtype = opts.dtype ?? 'float32';
  const start = net.as(dtype);
  const nk = start.n[start.k]!;
  const affine = opts.affine ?? false;
  const expectInputs = start.n[0]! - (affine ? 1 : 0);
  if (data.inputs !== expectInputs) {
    throw new DataError(
      `the data have ${data.inputs} features per sample but the network takes ${expectInputs}${affine ? ` (n_0 = ${start.n[0]} including the constant-1 input of §3)` : ` (n_0 = ${start.n[0]})`}`,
    );
  }
  if (data.outputs !== nk && !(data.task === 'classification' && nk === 1 && data.outputs === 2)) {
    throw new DataError(`the data have ${data.outputs} ${data.task === 'classification' ? 'classes' : 'target columns'} but the network has n_k = ${nk} outputs`);
  }
  if (loss.name === 'softmax-ce' && data.task !== 'classification') throw new OptionError('loss softmax-ce needs classification data (labels), not regression targets');

  let train = targetView(data, nk);
  let validation = opts.validation;
  if (!validation && opts.validationSplit !== undefined) {
    if (!(opts.validationSplit > 0 && opts.validationSplit < 1)) throw new OptionError(`validationSplit = ${opts.validationSplit}; expected a fraction between 0 and 1`);
    const split = splitDataset(data, { fraction: opts.validationSplit, seed: (opts.seed ?? 1) + 7919 });
    train = targetView(split.train, nk);
    validation = split.validation;
  }
  const epochs = positiveInt(opts.epochs ?? 1, 'epochs');
  const batchSize = positiveInt(opts.batchSize ?? 32, 'batchSize');
  const optimizerName = opts.optimizer ?? 'sgd';
  const baseLr = opts.learningRate ?? (optimizerName === 'sgd' ? 0.01 : 0.001);
  if (!(baseLr > 0) || !Number.isFinite(baseLr)) throw new OptionError(`learningRate = ${baseLr}; expected a positive number`);
  if (opts.clipNorm !== undefined && !(opts.clipNorm > 0)) throw new OptionError(`clipNorm = ${opts.clipNorm}; expected a positive number`);
  // With kernels that have their own memory (WebAssembly), everything a step touches lives there: no copies.
  const count0 = train.count;
  const B0 = Math.min(batchSize, Math.max(1, count0));
  const region =
    dtype === 'float32' && opts.kernels?.region
      ? opts.kernels.region(3 * start.parameterCount + workspaceFloats(start, B0) + workspaceFloats(start, Math.max(1, count0 % batchSize)))
      : undefined;
  const alloc: Alloc = region ? (n) => region.alloc(n) : (n) => newArray(dtype, n);
  const work = region ? new Network(start.n, start.W.indices().map((i) => {
    const M = new Matrix(start.W.get(i).rows, start.W.get(i).cols, alloc(start.W.get(i).data.length));
    M.data.set(start.W.get(i).data);
    return M;
  }), start.sigma.indices().map((i) => start.sigma.get(i))) : start;
  const kern = opts.kernels ? { kernels: opts.kernels } : {};
  let optimizer: Optimizer;
  try {
    optimizer = createOptimizer(optimizerName, opts.optimizerOptions, opts.resume ? { state: opts.resume, W: work.W } : undefined, { ...kern, alloc });
  } catch (e) {
    region?.release();
    throw e;
  }
  const rng = new Rng(opts.seed ?? 1);
  const shuffle = opts.shuffle ?? true;
  const count = train.count;
  if (count === 0) throw new DataError('the training data are empty');

  const full = workspace(work, Math.min(batchSize, count), affine, alloc, opts.kernels);
  const remainder = count % batchSize;
  const last = remainder > 0 && count > batchSize ? workspace(work, remainder, affine, alloc, opts.kernels) : full;
  const order = new Int32Array(count).map((_, j) => j);
  const batches = Math.ceil(count / batchSize);
  const lastGood = work.clone();
  const best = opts.earlyStopping ? work.clone() : undefined;
  let bestValue = Infinity;
  let bestEpoch: number | undefined;
  let sinceBest = 0;
  const history: EpochRecord[] = [];
  let stopRequested = false;
  const stop = () => {
    stopRequested = true;
  };
  const firstEpoch = opts.firstEpoch ?? 1;
  const labels = train.labels;

  const fusedSeed = loss.name === 'softmax-ce' ? opts.kernels?.softmaxCrossEntropySeed : undefined;
  try {
  for (let e = 0; e < epochs; e++) {
    const epoch = firstEpoch + e;
    const te = performance.now();
    // schedules count epochs over the whole run, a resumed one included (epoch e of firstEpoch − 1 + epochs)
    const lr = learningRateAt(baseLr, firstEpoch - 1 + e, opts.schedule, firstEpoch - 1 + epochs);
    if (shuffle) rng.shuffle(order);
    if (opts.onEpochBegin) yield pause(opts.onEpochBegin({ epoch, learningRate: lr }));
    let lossSum = 0;
    let correct = 0;
    let seen = 0;
    for (let bi = 0; bi < batches; bi++) {
      const start = bi * batchSize;
      const end = Math.min(count, start + batchSize);
      const ws = end - start === full.B ? full : last;
      if (opts.onBatchBegin) yield pause(opts.onBatchBegin({ epoch, batch: bi + 1, batches }));
      gatherBatch(train, order, start, end, ws.Xdata);
      gatherTargets(train, order, start, end, ws.Y);
      forward(work, ws.X, ws.forwardOptions);
      const out = loss.onLogits ? ws.trace.N.get(work.k) : ws.trace.f;
      // Δ_{k+1} = ∂L/∂Σ_k (the fused kernel computes the same softmax cross-entropy seed in one pass; NaN: it declined)
      const fusedL = fusedSeed ? fusedSeed.call(opts.kernels, out.data, ws.Y.data, ws.seed.data, out.rows, out.cols) : Number.NaN;
      const L = Number.isNaN(fusedL) ? loss.seed(out, ws.Y, ws.seed) : fusedL;
      if (!Number.isFinite(L)) return diverged(diagnose(quantities(ws, L), epoch, bi + 1, lr, 'forward'));
      backpropagate(work, ws.trace, ws.seed, ws.backwardOptions);
      let dsum = 0;
      for (let i = 1; i <= work.k; i++) dsum += sumOf(ws.grads.D.get(i).data);
      if (!Number.isFinite(dsum)) return diverged(diagnose(quantities(ws, L), epoch, bi + 1, lr, 'backward'));
      if (affine) holdFormalRows(work, ws.grads.gradW);
      if (opts.clipNorm !== undefined) {
        const norm = clipGradNorm(ws.grads.gradW, opts.clipNorm);
        if (!Number.isFinite(norm)) return diverged(diagnose(quantities(ws, L), epoch, bi + 1, lr, 'backward'));
      }
      copyWeights(work, lastGood);
      optimizer.update(work.W, ws.grads.gradW, lr);
      if (affine) holdFormalRows(work);
      let wsum = 0;
      for (let i = 1; i <= work.k; i++) wsum += sumOf(work.W.get(i).data);
      if (!Number.isFinite(wsum)) {
        const err = diagnose(quantities(ws, L), epoch, bi + 1, lr, 'update');
        copyWeights(lastGood, work);
        return diverged(err);
      }
      const b = end - start;
      lossSum += L * b;
      seen += b;
      if (labels) for (let s = 0; s < b; s++) if (predictedClass(out, s, loss) === labels[order[start + s]!]) correct++;
      yield opts.onBatchEnd ? pause(opts.onBatchEnd({ epoch, batch: bi + 1, batches, loss: L, runningLoss: lossSum / seen, samplesDone: seen, stop })) : undefined;
      if (opts.signal?.aborted) stopRequested = true;
      if (stopRequested) break;
    }
    const seconds = (performance.now() - te) / 1000;
    const rec: EpochRecord = { epoch, loss: lossSum / Math.max(1, seen), learningRate: lr, seconds, samplesPerSecond: seen / Math.max(seconds, 1e-9) };
    if (labels) rec.accuracy = correct / Math.max(1, seen);
    if (validation) {
      const v = evaluateDataset(work, validation, loss, { ...kern, affine });
      rec.valLoss = v.loss;
      if (v.accuracy !== undefined) rec.valAccuracy = v.accuracy;
    }
    history.push(rec);
    if (opts.onEpochEnd) yield pause(opts.onEpochEnd({ ...rec, stop }));
    if (opts.earlyStopping && best) {
      const monitored = opts.earlyStopping.monitor === 'loss' || rec.valLoss === undefined ? rec.loss : rec.valLoss;
      if (monitored < bestValue - (opts.earlyStopping.minDelta ?? 0)) {
        bestValue = monitored;
        bestEpoch = epoch;
        sinceBest = 0;
        copyWeights(work, best);
      } else if (++sinceBest >= opts.earlyStopping.patience) {
        copyWeights(best, work);
        return finish('early-stopping');
      }
    }
    if (opts.signal?.aborted) return finish('aborted');
    if (stopRequested) return finish('callback');
  }
  return finish('completed');
  } finally {
    region?.release();
  }

  function quantities(ws: Workspace, L: number) {
    return { trace: ws.trace, loss: L, D: ws.grads.D, gradW: ws.grads.gradW, W: work.W, k: work.k };
  }

  function finish(stopReason: FitResult['stopReason'], divergence?: DivergenceError): FitResult {
    // the result lives in ordinary memory (the kernels' region is released here)
    const r: FitResult = { network: region ? work.clone() : work, history, stopReason, optimizerState: optimizer.save(work.W), seconds: (performance.now() - t0) / 1000 };
    region?.release();
    if (bestEpoch !== undefined) r.bestEpoch = bestEpoch;
    if (divergence) r.divergence = divergence;
    return r;
  }

  function diverged(err: DivergenceError): FitResult {
    return finish('diverged', err);
  }
}
