/**
 * `Model.fit`'s options in the training loop's terms (train/fit.ts), and the loop's result as Keras's History.
 */
import type { FitAsyncOptions, FitResult } from '../train/fit.js';
import type { KernelsInfo } from './kernels.js';
import type { History, ModelFitOptions } from './types.js';

/** The loop's options: what the model fixes (`base`: loss, optimizer, dtype, §3, validation, resume; `onEpochEnd` is the model's) and the user's. */
export function fitOptionsOf(
  opts: ModelFitOptions,
  base: Pick<
    FitAsyncOptions,
    'loss' | 'optimizer' | 'dtype' | 'affine' | 'firstEpoch' | 'shuffledEpochs' | 'validation' | 'resume'
  >,
): FitAsyncOptions {
  const es = opts.earlyStopping;
  return {
    ...base,
    ...(opts.epochs !== undefined ? { epochs: opts.epochs } : {}),
    ...(opts.batchSize !== undefined ? { batchSize: opts.batchSize } : {}),
    ...(opts.learningRate !== undefined ? { learningRate: opts.learningRate } : {}),
    ...(opts.optimizerOptions ? { optimizerOptions: opts.optimizerOptions } : {}),
    ...(opts.schedule ? { schedule: typeof opts.schedule === 'string' ? { name: opts.schedule } : opts.schedule } : {}),
    ...(opts.clipNorm !== undefined ? { clipNorm: opts.clipNorm } : {}),
    ...(opts.regularization ? { regularization: opts.regularization } : {}),
    ...(opts.shuffle !== undefined ? { shuffle: opts.shuffle } : {}),
    ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
    ...(es
      ? {
          earlyStopping: {
            patience: es.patience,
            ...(es.minDelta !== undefined ? { minDelta: es.minDelta } : {}),
            monitor:
              es.monitor === 'loss'
                ? ('loss' as const)
                : es.monitor === 'val_accuracy'
                  ? ('valAccuracy' as const)
                  : ('valLoss' as const),
          },
        }
      : {}),
    ...(opts.onEpochBegin ? { onEpochBegin: opts.onEpochBegin } : {}),
    ...(opts.onBatchBegin ? { onBatchBegin: opts.onBatchBegin } : {}),
    ...(opts.onBatchEnd ? { onBatchEnd: opts.onBatchEnd } : {}),
    ...(opts.signal ? { signal: opts.signal } : {}),
    ...(opts.sliceMs !== undefined ? { sliceMs: opts.sliceMs } : {}),
  };
}

/** The loop's per-epoch records as one array per metric (Keras's `history.history`), with how the run ended. */
export function historyOf(result: FitResult, kernels: KernelsInfo): History {
  const recs = result.history;
  const h: History['history'] = {
    loss: recs.map((r) => r.loss),
    learning_rate: recs.map((r) => r.learningRate),
    seconds: recs.map((r) => r.seconds),
  };
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
