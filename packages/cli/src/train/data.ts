/**
 * The data of a `nabla train` run: the training set, a held-out test set, a validation split made before
 * standardising (so the mean and std come from the training part only), and the standardizer.
 */
import { DataError } from 'nabla';
import type { LoadedModel } from 'nabla';
import { applyStandardizer, fitStandardizer, splitDataset, type Dataset, type Standardizer } from 'nabla/train';
import { loadDataset } from '../data/load.js';
import { parseNumber } from '../numbers.js';
import type { TrainOptions } from './options.js';

export interface TrainingData {
  train: Dataset;
  validation: Dataset | undefined;
  test: Dataset | undefined;
  standardizer: Standardizer | undefined;
}

export function trainingData(opts: TrainOptions, task: 'classification' | 'regression', seed: number, loaded: LoadedModel | undefined): TrainingData {
  const loadOpts = (forTest: boolean, classes?: readonly (string | number)[]) => {
    const o: Parameters<typeof loadDataset>[1] = {};
    const spec = forTest ? opts.test! : opts.data;
    if (spec.toLowerCase().endsWith('.csv')) {
      o.task = task;
      if (opts.target !== undefined) o.target = opts.target;
      if (opts.header !== undefined) o.header = opts.header;
      if (classes && task === 'classification') o.classes = classes;
    } else if (spec.startsWith('synthetic:')) {
      o.seed = forTest ? seed + 1 : seed;
    }
    return o;
  };
  const source = loadDataset(opts.data, loadOpts(false, loaded?.meta.classes));
  let train: Dataset = source.train;
  let test: Dataset | undefined = opts.test ? loadDataset(opts.test, loadOpts(true, train.classes)).train : source.test;
  if (test && test.inputs !== train.inputs) throw new DataError(`--test ${opts.test}: ${test.inputs} features per sample, but the training data have ${train.inputs}`);

  // The validation split is made here, before standardising, so the mean and std come from the training part only.
  let validation: Dataset | undefined;
  if (opts.validationSplit !== undefined) {
    const fraction = parseNumber('--validation-split', opts.validationSplit, '0.1', { min: 0, max: 1, exclusiveMin: true, exclusiveMax: true });
    ({ train, validation } = splitDataset(train, { fraction, seed: seed + 7919 }));
  }
  let standardizer: Standardizer | undefined = loaded?.meta.preprocessing?.standardize;
  if (opts.standardize && !standardizer) standardizer = fitStandardizer(train);
  if (standardizer) {
    train = applyStandardizer(train, standardizer);
    if (validation) validation = applyStandardizer(validation, standardizer);
    if (test) test = applyStandardizer(test, standardizer);
  }

  return { train, validation, test, standardizer };
}
