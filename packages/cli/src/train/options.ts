/** The flags of `nabla train` as commander parses them, and the defaults of the main job. */
import type { InitScheme } from 'nabla';
import type { LossName, OptimizerName, ScheduleName } from 'nabla/train';

export interface TrainOptions {
  data: string;
  test?: string;
  target?: string;
  task?: 'classification' | 'regression';
  layers?: string;
  activation: string;
  affine: boolean;
  init: InitScheme;
  model?: string;
  resume?: string;
  loss?: LossName;
  optimizer: OptimizerName;
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
  saveOptimizer?: boolean;
  kernels: 'auto' | 'ref' | 'wasm';
  threads?: string;
  quiet?: boolean;
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

