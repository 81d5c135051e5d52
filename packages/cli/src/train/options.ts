/** The flags of `nabla train` as commander parses them, and the defaults of the main job. */
import { OptionError } from 'nabla';
import type { InitScheme } from 'nabla/paper';
import type { LossName, OptimizerName, ScheduleName } from 'nabla/train';
import { checkCsvFlags } from '../data/load.js';

export interface TrainOptions {
  data: string;
  test?: string;
  target?: string;
  header?: boolean;
  task?: 'classification' | 'regression';
  layers?: string;
  activation: string;
  affine: boolean;
  init: InitScheme;
  model?: string;
  resume?: string;
  loss?: LossName;
  optimizer: OptimizerName;
  /** Whether --optimizer was given on the command line (not the default). */
  optimizerGiven?: boolean;
  lr?: string;
  momentum?: string;
  nesterov?: boolean;
  weightDecay?: string;
  batchSize: string;
  epochs: string;
  seed: string;
  shuffle: boolean;
  dtype: 'float32' | 'float64';
  validationSplit?: string;
  patience?: string;
  schedule: ScheduleName;
  stepSize?: string;
  gamma?: string;
  clipNorm?: string;
  standardize?: boolean;
  out: string;
  plot?: string;
  /** false with --no-save-optimizer (--save-optimizer, the default now, is kept for old scripts). */
  saveOptimizer?: boolean;
  /** Write the model after every epoch here ({epoch} in the name: one file per epoch), for --resume. */
  checkpoint?: string;
  kernels: 'auto' | 'native' | 'ref' | 'wasm';
  threads?: string;
  quiet?: boolean;
  /** The flags given on the command line (not left at their defaults). */
  given?: ReadonlySet<string>;
}

/** Defaults of `nabla train` with no arguments: the project's main job. */
export const TRAIN_DEFAULTS = {
  data: 'mnist',
  hidden: [256],
  activation: 'relu',
  optimizer: 'adam' as OptimizerName,
  lr: 0.003,
  batchSize: 64,
  epochs: 15,
  schedule: 'cosine' as ScheduleName,
  seed: 1,
  out: 'model.json',
};

/** Refuses sgd's flags for another optimizer (`optimizer`: the one this run uses). */
export function checkOptimizerFlags(opts: TrainOptions, optimizer: string): void {
  if (optimizer === 'sgd') return;
  for (const [flag, given] of [
    ['--momentum', opts.momentum !== undefined],
    ['--nesterov', opts.nesterov === true],
  ] as const) {
    if (given)
      throw new OptionError(
        `${flag} applies to --optimizer sgd; this run uses ` +
          `${opts.resume ? `the saved ${optimizer} state of --resume ${opts.resume}` : `--optimizer ${optimizer}`}`,
      );
  }
}

/**
 * Refuses flags that would not apply to this run (they would otherwise be silently ignored), before any data are
 * read: the message names the flag and what it applies to.
 */
export function checkFlagCombinations(opts: TrainOptions): void {
  // with --resume the optimizer is the saved one: checked by checkOptimizerFlags once the state is read
  if (!opts.resume) checkOptimizerFlags(opts, opts.optimizer);
  if (opts.schedule !== 'step') {
    for (const [flag, given] of [
      ['--step-size', opts.stepSize !== undefined],
      ['--gamma', opts.gamma !== undefined],
    ] as const) {
      if (given) throw new OptionError(`${flag} applies to --schedule step; this run uses --schedule ${opts.schedule}`);
    }
  }
  checkCsvFlags('--data', opts.data, opts);
}
