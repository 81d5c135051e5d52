/**
 * What a model keeps of its training so that `fit` can continue where it stopped, in memory and in the model file:
 * the optimizer state, the per-epoch history and the run's record. An affine file stores W̃_i without the formal
 * neuron's row (§3), so the optimizer state drops those rows on saving and restores them on loading.
 */
import type { OptimizerState as FileOptimizerState, ModelMeta } from '../io/model-meta.js';
import { withFormalRows, withoutFormalRows } from '../net/affine.js';
import type { EpochRecord } from '../train/fit-types.js';
import type { OptimizerName, OptimizerState } from '../train/optimizer.js';
import type { ScheduleOptions } from '../train/schedule.js';
import type { EpochSummary, ModelFitOptions, TrainingRecord } from './types.js';

/** The keys of the run's record that the model writes itself (the app's notes come before them). */
const MODEL_KEYS = [
  'optimizer',
  'learningRate',
  'schedule',
  'stepSize',
  'gamma',
  'batchSize',
  'seed',
  'shuffle',
  'stopReason',
];

/** What the model file keeps of an epoch: no timings, so the same run writes the same bytes. */
export function summaryOf(r: EpochRecord): EpochSummary {
  const s: EpochSummary = { epoch: r.epoch, loss: r.loss, learningRate: r.learningRate };
  if (r.accuracy !== undefined) s.accuracy = r.accuracy;
  if (r.valLoss !== undefined) s.valLoss = r.valLoss;
  if (r.valAccuracy !== undefined) s.valAccuracy = r.valAccuracy;
  return s;
}

/** The history of a model file (records with at least an epoch and a loss), in the model's terms. */
export function historyFromFile(h: ModelMeta['history']): EpochSummary[] {
  return (h ?? []).map((r, j) => {
    const s: EpochSummary = {
      epoch: r['epoch'] ?? j + 1,
      loss: r['loss'] ?? Number.NaN,
      learningRate: r['learningRate'] ?? Number.NaN,
    };
    if (r['accuracy'] !== undefined) s.accuracy = r['accuracy'];
    if (r['valLoss'] !== undefined) s.valLoss = r['valLoss'];
    if (r['valAccuracy'] !== undefined) s.valAccuracy = r['valAccuracy'];
    return s;
  });
}

/** The optimizer state in the file's shape (affine: without the formal rows). */
export function optimizerForFile(s: OptimizerState, affine: boolean): FileOptimizerState {
  const state = affine
    ? Object.fromEntries(Object.entries(s.state).map(([slot, layers]) => [slot, withoutFormalRows(layers)]))
    : s.state;
  return { name: s.name, step: s.step, options: s.options, state };
}

/** The optimizer state of a file (checked when it was read) on the network of widths `n` (affine: formal rows added). */
export function optimizerFromFile(s: FileOptimizerState, affine: boolean, n: readonly number[]): OptimizerState {
  const saved = s.state ?? {};
  const state = affine
    ? Object.fromEntries(Object.entries(saved).map(([slot, layers]) => [slot, withFormalRows(layers, n)]))
    : saved;
  return {
    name: s.name as OptimizerName,
    step: s.step,
    options: (s.options ?? {}) as Record<string, number | boolean>,
    state,
  };
}

/** The schedule of `fit`'s options as an object (undefined: none). */
export function scheduleOf(s: ModelFitOptions['schedule']): ScheduleOptions | undefined {
  return typeof s === 'string' ? { name: s } : s;
}

/**
 * The options of a `fit` that continues a run: those not given are the previous run's (optimizer, η, schedule,
 * batch size, seed, shuffle), so `fit({ epochs })` on a loaded model goes on as the saved run would have.
 */
export function continuedOptions(opts: ModelFitOptions, previous: TrainingRecord | undefined): ModelFitOptions {
  if (!previous) return opts;
  const out: ModelFitOptions = { ...opts };
  const p = previous;
  if (out.optimizer === undefined && typeof p['optimizer'] === 'string')
    out.optimizer = p['optimizer'] as OptimizerName;
  // the saved η belongs to the saved optimizer: another optimizer starts from its own default
  if (out.learningRate === undefined && typeof p['learningRate'] === 'number' && out.optimizer === p['optimizer'])
    out.learningRate = p['learningRate'];
  if (out.schedule === undefined && typeof p['schedule'] === 'string') {
    const s = { name: p['schedule'] } as ScheduleOptions;
    if (typeof p['stepSize'] === 'number') s.stepSize = p['stepSize'];
    if (typeof p['gamma'] === 'number') s.gamma = p['gamma'];
    out.schedule = s;
  }
  if (out.batchSize === undefined && typeof p['batchSize'] === 'number') out.batchSize = p['batchSize'];
  if (out.seed === undefined && typeof p['seed'] === 'number') out.seed = p['seed'];
  if (out.shuffle === undefined && typeof p['shuffle'] === 'boolean') out.shuffle = p['shuffle'];
  return out;
}

/** The run's record for the model file: the app's notes (or the previous run's), then what the model knows. */
export function trainingRecord(
  opts: ModelFitOptions,
  optimizer: OptimizerName,
  stopReason: string,
  previous: TrainingRecord | undefined,
): TrainingRecord {
  const notes =
    opts.trainingNotes ?? Object.fromEntries(Object.entries(previous ?? {}).filter(([k]) => !MODEL_KEYS.includes(k)));
  const r: TrainingRecord = { ...notes };
  const schedule = scheduleOf(opts.schedule);
  r['optimizer'] = optimizer;
  r['learningRate'] = opts.learningRate ?? (optimizer === 'sgd' ? 0.01 : 0.001);
  r['schedule'] = schedule?.name ?? 'constant';
  if (schedule?.stepSize !== undefined) r['stepSize'] = schedule.stepSize;
  if (schedule?.gamma !== undefined) r['gamma'] = schedule.gamma;
  r['batchSize'] = opts.batchSize ?? 32;
  r['seed'] = opts.seed ?? 1;
  r['shuffle'] = opts.shuffle ?? true;
  r['stopReason'] = stopReason;
  return r;
}
