/**
 * `Model.fit`'s options from the flags of `nabla train`. With --resume, what is not given on the command line is
 * left out, so the model continues the saved run's settings (optimizer, η, schedule, batch size, seed, shuffle).
 */
import type { ModelFitOptions } from 'nabla';
import { OptionError } from 'nabla';
import type { OptimizerOptions, ScheduleOptions } from 'nabla/train';
import { parseNumber } from '../numbers.js';
import { parseInteger } from '../options.js';
import { TRAIN_DEFAULTS, type TrainOptions } from './options.js';

export function fitOptionsFromFlags(opts: TrainOptions, epochs: number): ModelFitOptions {
  // given on the command line (or, for a new run, every flag: its default is this run's setting)
  const set = (flag: keyof TrainOptions) => !opts.resume || opts.given?.has(flag) === true;
  const f: ModelFitOptions = { epochs, trainingNotes: { data: opts.data } };
  if (opts.kernels !== 'auto') f.kernels = opts.kernels; // auto: the library's choice, which NABLA_KERNELS may force
  if (opts.loss !== undefined) f.loss = opts.loss;
  if (set('optimizer')) f.optimizer = opts.optimizer;
  if (set('batchSize')) f.batchSize = parseInteger('--batch-size', opts.batchSize, '64', { min: 1, max: 1_000_000 });
  if (set('seed')) f.seed = parseInteger('--seed', opts.seed, '1');
  if (set('shuffle')) f.shuffle = opts.shuffle;
  if (opts.lr !== undefined) f.learningRate = parseNumber('--lr', opts.lr, '0.001', { min: 0, exclusiveMin: true });
  else if (!opts.resume) f.learningRate = opts.optimizer === 'sgd' ? 0.01 : TRAIN_DEFAULTS.lr;
  const optimizerOptions: OptimizerOptions = {};
  if (opts.momentum !== undefined)
    optimizerOptions.momentum = parseNumber('--momentum', opts.momentum, '0.9', { min: 0, max: 1 });
  if (opts.nesterov) optimizerOptions.nesterov = true;
  if (opts.weightDecay !== undefined)
    optimizerOptions.weightDecay = parseNumber('--weight-decay', opts.weightDecay, '0.0001', { min: 0 });
  f.optimizerOptions = optimizerOptions;
  if (set('schedule') || opts.stepSize !== undefined || opts.gamma !== undefined) {
    const schedule: ScheduleOptions = { name: opts.schedule };
    if (opts.stepSize !== undefined)
      schedule.stepSize = parseInteger('--step-size', opts.stepSize, '2', { min: 1, max: 1_000_000 });
    if (opts.gamma !== undefined)
      schedule.gamma = parseNumber('--gamma', opts.gamma, '0.5', { min: 0, exclusiveMin: true });
    f.schedule = schedule;
  }
  if (opts.clipNorm !== undefined)
    f.clipNorm = parseNumber('--clip-norm', opts.clipNorm, '1', { min: 0, exclusiveMin: true });
  if (opts.validationSplit !== undefined) {
    f.validationSplit = parseNumber('--validation-split', opts.validationSplit, '0.1', {
      min: 0,
      max: 1,
      exclusiveMin: true,
      exclusiveMax: true,
    });
  }
  if (opts.standardize) f.standardize = true;
  if (opts.patience !== undefined) {
    if (opts.validationSplit === undefined)
      throw new OptionError('--patience needs validation data: add --validation-split 0.1');
    f.earlyStopping = { patience: parseInteger('--patience', opts.patience, '3', { min: 1, max: 1_000_000 }) };
  }
  if (opts.threads !== undefined && opts.threads !== 'auto') {
    if (!/^\d+$/.test(opts.threads) || Number(opts.threads) < 1 || Number(opts.threads) > 64) {
      throw new OptionError(
        `--threads ${JSON.stringify(opts.threads)}: expected auto or a whole number from 1 to 64 (example: --threads 1)`,
      );
    }
    f.threads = Number(opts.threads);
  }
  return f;
}
