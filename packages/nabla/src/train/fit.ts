/**
 * The fit loop: epochs of shuffled mini-batches of the training step (step.ts), validation, early stopping, the
 * learning-rate schedule and callbacks. The run's memory is allocated once (workspace.ts), so a step allocates no
 * arrays. Everything random flows from `seed`; progress goes to callbacks, never printed. `fit` runs
 * synchronously; `fitAsync` yields to the event loop between batches.
 */
import { checkDataset, type Dataset, splitDataset } from '../data/dataset.js';
import { DataError, describeValue, OptionError } from '../errors.js';
import { refKernels } from '../kernels/ref.js';
import type { Network } from '../net/network.js';
import { Rng } from '../rng.js';
import { DivergenceError, GROWTH_EPOCHS, GROWTH_FACTOR, grew } from './divergence.js';
import type { CallbackResult, EpochRecord, FitOptions, FitResult } from './fit-types.js';
import { checkLossFits, getLoss, type Loss } from './loss.js';
import { evaluateDataset, predictedClass } from './metrics.js';
import { createOptimizer, type Optimizer } from './optimizer.js';
import { checkRegularization } from './regularization.js';
import { learningRateAt } from './schedule.js';
import { TrainingStep } from './step.js';
import { targetView } from './targets.js';
import { copyWeights, trainingMemory, type Workspace, workspace, workspaceFloats } from './workspace.js';

export type { BatchInfo, CallbackResult, EpochInfo, EpochRecord, FitOptions, FitResult } from './fit-types.js';

function positiveInt(v: number, name: string): number {
  if (!Number.isInteger(v) || v < 1)
    throw new OptionError(`${name} = ${describeValue(v)}; expected a whole number ≥ 1`);
  return v;
}

/** A value the training loop hands to its driver after a batch or epoch: a callback's promise, or nothing. */
type Pause = Promise<void> | undefined;

function pause(r: CallbackResult): Pause {
  return r !== null && typeof r === 'object' && typeof (r as { then?: unknown }).then === 'function'
    ? Promise.resolve(r).then(() => undefined)
    : undefined;
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
      `the data have ${data.inputs} features per sample but the network takes ` +
        `${expectInputs}${affine ? ` (n_0 = ${start.n[0]} including the constant-1 input of §3)` : ` (n_0 = ${start.n[0]})`}`,
    );
  }
  if (data.outputs !== nk && !(data.task === 'classification' && nk === 1 && data.outputs === 2)) {
    throw new DataError(
      `the data have ${data.outputs} ${data.task === 'classification' ? 'classes' : 'target columns'} but the network has n_k = ${nk} outputs`,
    );
  }
  if (loss.name === 'softmax-ce' && data.task !== 'classification')
    throw new OptionError('loss softmax-ce needs classification data (labels), not regression targets');

  let train = targetView(data, nk);
  let validation = opts.validation;
  if (!validation && opts.validationSplit !== undefined) {
    if (!(opts.validationSplit > 0 && opts.validationSplit < 1))
      throw new OptionError(`validationSplit = ${opts.validationSplit}; expected a fraction between 0 and 1`);
    const split = splitDataset(data, { fraction: opts.validationSplit, seed: (opts.seed ?? 1) + 7919 });
    train = targetView(split.train, nk);
    validation = split.validation;
  }
  const epochs = positiveInt(opts.epochs ?? 1, 'epochs');
  const batchSize = positiveInt(opts.batchSize ?? 32, 'batchSize');
  const optimizerName = opts.optimizer ?? 'sgd';
  const baseLr = opts.learningRate ?? (optimizerName === 'sgd' ? 0.01 : 0.001);
  if (!(baseLr > 0) || !Number.isFinite(baseLr))
    throw new OptionError(`learningRate = ${baseLr}; expected a positive number`);
  if (opts.clipNorm !== undefined && !(opts.clipNorm > 0))
    throw new OptionError(`clipNorm = ${opts.clipNorm}; expected a positive number`);
  const regularization = opts.regularization ? checkRegularization(opts.regularization) : undefined;
  // With kernels that have their own memory (WebAssembly), everything a step touches lives there: no copies.
  const count0 = train.count;
  const B0 = Math.min(batchSize, Math.max(1, count0));
  const kernels = opts.kernels ?? refKernels;
  const { work, alloc, region } = trainingMemory(
    start,
    dtype,
    kernels,
    3 * start.parameterCount + workspaceFloats(start, B0) + workspaceFloats(start, Math.max(1, count0 % batchSize)),
  );
  let optimizer: Optimizer;
  try {
    optimizer = createOptimizer(
      optimizerName,
      opts.optimizerOptions,
      opts.resume ? { state: opts.resume, W: work.W } : undefined,
      { kernels, alloc },
    );
  } catch (e) {
    region?.release();
    throw e;
  }
  const rng = new Rng(opts.seed ?? 1);
  const shuffle = opts.shuffle ?? true;
  const count = train.count;
  if (count === 0) throw new DataError('the training data are empty');
  const replay = opts.shuffledEpochs ?? 0;
  if (!Number.isInteger(replay) || replay < 0)
    throw new OptionError(`shuffledEpochs = ${describeValue(replay)}; expected a whole number ≥ 0`);

  const full = workspace(work, Math.min(batchSize, count), affine, alloc, kernels);
  const remainder = count % batchSize;
  const last = remainder > 0 && count > batchSize ? workspace(work, remainder, affine, alloc, kernels) : full;
  const order = new Int32Array(count).map((_, j) => j);
  // a resumed run continues the data order of the run it resumes: the shuffles of the epochs done are replayed
  if (shuffle) for (let e = 0; e < replay; e++) rng.shuffle(order);
  const batches = Math.ceil(count / batchSize);
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

  // the weights to fall back on when the run diverges: those at the end of the epoch with the lowest loss so far
  // (before the first epoch, the starting weights), never those of the failing step, which may already be huge
  const good = work.clone();
  let goodEpoch = firstEpoch - 1;
  let lowest = Infinity;
  let growing = 0;
  let previous = Infinity;
  const step = new TrainingStep({
    net: work,
    loss,
    optimizer,
    affine,
    kernels,
    ...(opts.clipNorm !== undefined ? { clipNorm: opts.clipNorm } : {}),
    ...(regularization ? { regularization } : {}),
  });
  try {
    for (let e = 0; e < epochs; e++) {
      // aborted before this epoch began: it is not begun, and not reported as done
      if (opts.signal?.aborted) return finish('aborted');
      const epoch = firstEpoch + e;
      const te = performance.now();
      // schedules count epochs over the whole run, a resumed one included (epoch e of firstEpoch − 1 + epochs)
      const lr = learningRateAt(baseLr, firstEpoch - 1 + e, opts.schedule, firstEpoch - 1 + epochs);
      if (shuffle) rng.shuffle(order);
      if (opts.onEpochBegin) yield pause(opts.onEpochBegin({ epoch, learningRate: lr }));
      let lossSum = 0;
      let correct = 0;
      let seen = 0;
      // the last step of the epoch (plain variables: a step allocates nothing)
      let lastWs: Workspace | undefined;
      let lastL = 0;
      let lastBatch = 0;
      for (let bi = 0; bi < batches; bi++) {
        const start = bi * batchSize;
        const end = Math.min(count, start + batchSize);
        const ws = end - start === full.B ? full : last;
        if (opts.signal?.aborted) break; // aborted before this batch: no more steps
        if (opts.onBatchBegin) yield pause(opts.onBatchBegin({ epoch, batch: bi + 1, batches }));
        const L = step.run(ws, train, order, start, end, lr, epoch, bi + 1);
        if (Number.isNaN(L)) return diverged(step.divergence!);
        lastWs = ws;
        lastL = L;
        lastBatch = bi + 1;
        const out = loss.onLogits ? ws.trace.N.get(work.k) : ws.trace.f;
        const b = end - start;
        lossSum += L * b;
        seen += b;
        if (labels)
          for (let s = 0; s < b; s++) if (predictedClass(out, s, loss) === labels[order[start + s]!]) correct++;
        yield opts.onBatchEnd
          ? pause(
              opts.onBatchEnd({
                epoch,
                batch: bi + 1,
                batches,
                loss: L,
                runningLoss: lossSum / seen,
                samplesDone: seen,
                stop,
              }),
            )
          : undefined;
        if (opts.signal?.aborted) stopRequested = true;
        if (stopRequested) break;
      }
      // aborted before the epoch's first step: no work done, no record (an epoch of loss 0 would be reported)
      if (seen === 0 && opts.signal?.aborted) return finish('aborted');
      const seconds = (performance.now() - te) / 1000;
      if (lastWs && step.nonFiniteWeights(lastWs, lastL, epoch, lastBatch, lr)) return diverged(step.divergence!);
      const rec: EpochRecord = {
        epoch,
        loss: lossSum / Math.max(1, seen),
        learningRate: lr,
        seconds,
        samplesPerSecond: seen / Math.max(seconds, 1e-9),
      };
      if (labels) rec.accuracy = correct / Math.max(1, seen);
      if (validation) {
        const v = evaluateDataset(work, validation, loss, { kernels, affine });
        rec.valLoss = v.loss;
        if (v.accuracy !== undefined) rec.valAccuracy = v.accuracy;
      }
      history.push(rec);
      if (rec.loss <= lowest) {
        lowest = rec.loss;
        goodEpoch = epoch;
        copyWeights(work, good);
      }
      growing = rec.loss > previous ? growing + 1 : 0;
      previous = rec.loss;
      if (growing >= GROWTH_EPOCHS && rec.loss > GROWTH_FACTOR * lowest)
        return diverged(grew(rec.loss, lowest, goodEpoch, epoch, lr));
      if (opts.onEpochEnd)
        yield pause(
          opts.onEpochEnd({
            ...rec,
            stop,
            state: () => ({ network: work.clone(), optimizerState: optimizer.save(work.W) }),
          }),
        );
      if (opts.earlyStopping && best) {
        const monitor = opts.earlyStopping.monitor;
        const monitored =
          monitor === 'valAccuracy'
            ? -(rec.valAccuracy ?? Number.NaN) // larger is better: −accuracy falls as the loss would
            : monitor === 'loss' || rec.valLoss === undefined
              ? rec.loss
              : rec.valLoss;
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

  function finish(stopReason: FitResult['stopReason'], divergence?: DivergenceError): FitResult {
    // the result lives in ordinary memory (the kernels' region is released here)
    const r: FitResult = {
      network: region ? work.clone() : work,
      history,
      stopReason,
      optimizerState: optimizer.save(work.W),
      seconds: (performance.now() - t0) / 1000,
    };
    region?.release();
    if (bestEpoch !== undefined) r.bestEpoch = bestEpoch;
    if (divergence) r.divergence = divergence;
    return r;
  }

  function diverged(err: DivergenceError): FitResult {
    copyWeights(good, work);
    const kept =
      goodEpoch < firstEpoch
        ? firstEpoch === 1
          ? 'the starting weights'
          : 'the weights the run resumed from'
        : `the weights of epoch ${goodEpoch} (loss ${lowest.toPrecision(4)}), the lowest loss of the run,`;
    const r = finish(
      'diverged',
      new DivergenceError(`${err.message} Kept ${kept} instead.`, { ...err.details, keptEpoch: goodEpoch }),
    );
    // the optimizer's moments belong to the failing step, not to the kept weights: a resumed run starts them afresh
    r.optimizerState = { ...r.optimizerState, step: 0, state: {} };
    return r;
  }
}
