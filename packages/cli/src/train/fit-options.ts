/** The training loop's options from the flags of `nabla train` (and, with --resume, from the saved run). */
import type { Network } from 'nabla/paper';
import type { LoadedModel } from 'nabla';
import type { Dataset, FitOptions, LossName, OptimizerName } from 'nabla/train';
import { FormatError, OptionError } from 'nabla';
import { parseInteger } from '../options.js';
import { parseNumber } from '../numbers.js';
import { addFormalRows } from './history.js';
import { TRAIN_DEFAULTS, type TrainOptions } from './options.js';

export interface RunFacts {
  loss: LossName;
  batchSize: number;
  epochs: number;
  seed: number;
  affine: boolean;
  net: Network;
  validation: Dataset | undefined;
  loaded: LoadedModel | undefined;
}

export function fitOptionsFromFlags(opts: TrainOptions, run: RunFacts): FitOptions {
  const { loss, batchSize, epochs, seed, affine, net, validation, loaded } = run;
  const fitOpts: FitOptions = {
    loss,
    optimizer: opts.resume ? (loaded!.meta.optimizer!.name as OptimizerName) : opts.optimizer,
    batchSize,
    epochs,
    seed,
    shuffle: opts.shuffle,
    dtype: opts.dtype,
    affine,
    schedule: { name: opts.schedule },
  };
  if (opts.lr !== undefined) fitOpts.learningRate = parseNumber('--lr', opts.lr, '0.001', { min: 0, exclusiveMin: true });
  else if (opts.resume && loaded!.meta.training?.['learningRate'] !== undefined) fitOpts.learningRate = savedLearningRate(loaded!.meta.training['learningRate'], opts.resume);
  else fitOpts.learningRate = fitOpts.optimizer === 'sgd' ? 0.01 : TRAIN_DEFAULTS.lr;
  const optimizerOptions: NonNullable<FitOptions['optimizerOptions']> = {};
  if (opts.momentum !== undefined) optimizerOptions.momentum = parseNumber('--momentum', opts.momentum, '0.9', { min: 0, max: 1 });
  if (opts.nesterov) optimizerOptions.nesterov = true;
  if (opts.weightDecay !== undefined) optimizerOptions.weightDecay = parseNumber('--weight-decay', opts.weightDecay, '0.0001', { min: 0 });
  fitOpts.optimizerOptions = optimizerOptions;
  if (opts.stepSize !== undefined) fitOpts.schedule!.stepSize = parseInteger('--step-size', opts.stepSize, '2', { min: 1, max: 1_000_000 });
  if (opts.gamma !== undefined) fitOpts.schedule!.gamma = parseNumber('--gamma', opts.gamma, '0.5', { min: 0, exclusiveMin: true });
  if (opts.clipNorm !== undefined) fitOpts.clipNorm = parseNumber('--clip-norm', opts.clipNorm, '1', { min: 0, exclusiveMin: true });
  if (validation) fitOpts.validation = validation;
  if (opts.patience !== undefined) {
    if (opts.validationSplit === undefined) throw new OptionError('--patience needs validation data: add --validation-split 0.1');
    fitOpts.earlyStopping = { patience: parseInteger('--patience', opts.patience, '3', { min: 1, max: 1_000_000 }) };
  }
  if (opts.resume) {
    const saved = loaded!.meta.optimizer!;
    const state = { name: saved.name as OptimizerName, step: saved.step, options: (saved.options ?? {}) as Record<string, number | boolean>, state: saved.state ?? {} };
    fitOpts.resume = affine ? addFormalRows(state, net) : state;
    fitOpts.firstEpoch = (loaded!.meta.history?.length ?? 0) + 1;
  }
  return fitOpts;
}

/** The learning rate a resumed run was saved with (training.learningRate): a positive number, or the file is refused. */
function savedLearningRate(v: unknown, file: string): number {
  if (typeof v === 'number' && v > 0 && Number.isFinite(v)) return v;
  throw new FormatError(`${file}: training.learningRate: expected a positive number, found ${JSON.stringify(v)}; give the rate with --lr, or fix the file`);
}
