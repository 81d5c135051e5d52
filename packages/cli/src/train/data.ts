/**
 * The data of a `nabla train` run as read from the command line: the training set and a held-out test set. The
 * validation split and the standardisation are the model's (Model.fit: `validationSplit`, `standardize`).
 */
import { DataError } from 'nabla';
import type { Dataset } from 'nabla/train';
import { loadDataset } from '../data/load.js';
import type { TrainOptions } from './options.js';

export interface TrainingData {
  train: Dataset;
  test: Dataset | undefined;
}

/** `classes`: the class list of the model the run starts from, if any (a CSV's labels are read in that order). */
export function trainingData(
  opts: TrainOptions,
  task: 'classification' | 'regression',
  seed: number,
  classes: readonly (string | number)[] | undefined,
): TrainingData {
  const loadOpts = (forTest: boolean, known?: readonly (string | number)[]) => {
    const o: Parameters<typeof loadDataset>[1] = {};
    const spec = forTest ? opts.test! : opts.data;
    if (spec.toLowerCase().endsWith('.csv')) {
      o.task = task;
      if (opts.target !== undefined) o.target = opts.target;
      if (opts.header !== undefined) o.header = opts.header;
      if (known && task === 'classification') o.classes = known;
    } else if (spec.startsWith('synthetic:')) {
      o.seed = forTest ? seed + 1 : seed;
    }
    return o;
  };
  const source = loadDataset(opts.data, loadOpts(false, classes));
  const train: Dataset = source.train;
  const test: Dataset | undefined = opts.test
    ? loadDataset(opts.test, loadOpts(true, train.classes)).train
    : source.test;
  if (test && test.inputs !== train.inputs)
    throw new DataError(
      `--test ${opts.test}: ${test.inputs} features per sample, but the training data have ${train.inputs}`,
    );
  // the same columns, by name and in order (a test file with other columns is other data)
  const [a, b] = [train.featureNames, test?.featureNames];
  if (opts.test && a && b && a.some((name, j) => name !== b[j]))
    throw new DataError(
      `--test ${opts.test}: its feature columns ${JSON.stringify(b)} are not those of --data ${opts.data} ` +
        `${JSON.stringify(a)} (the same names in the same order)`,
    );
  return { train, test };
}
