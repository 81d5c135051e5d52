/**
 * What (x, y) means to a model: classification (labels, with the model's classes or those found in y) or
 * regression (numbers or rows), decided by the loss, the classes and the labels themselves; and the data set built
 * from it. Before the first `fit` a model has no loss: 0/1 labels or strings, or flat numbers for several outputs,
 * are classes; other numbers are regression targets (give `loss: 'mse'` to regress on 0/1).
 */
import { checkDataset, type Dataset } from '../data/dataset.js';
import { DataError, OptionError } from '../errors.js';
import type { DType } from '../linalg/matrix.js';
import type { LossName } from '../train/loss.js';
import {
  argmaxLabels,
  classificationSet,
  type Inputs,
  labelsOf,
  regressionSet,
  samplesOf,
  sortedClasses,
  type Targets,
} from './inputs.js';

/** The model facts that decide how (x, y) is read. @internal */
export interface TargetContext {
  inputs: number;
  outputs: number;
  dtype: DType;
  loss: LossName | undefined;
  classes: readonly (string | number)[] | undefined;
}

/** Whether y is a classification task for this model, and its labels if so. */
export function taskOf(
  y: Targets,
  c: TargetContext,
): { task: 'classification' | 'regression'; labels?: (string | number)[] } {
  const flat = labelsOf(y);
  const classLoss = c.loss === 'bce' || c.loss === 'softmax-ce';
  if (flat) {
    const classification =
      classLoss ||
      c.classes !== undefined ||
      flat.some((v) => typeof v === 'string') ||
      (c.loss === undefined && (c.outputs > 1 || flat.every((v) => v === 0 || v === 1)));
    return classification ? { task: 'classification', labels: flat } : { task: 'regression' };
  }
  if (classLoss || c.classes !== undefined) {
    if (c.outputs === 1)
      return { task: 'classification', labels: Array.from(y as ArrayLike<ArrayLike<number>>, (r) => r[0]!) };
    const classes = c.classes ?? Array.from({ length: c.outputs }, (_, j) => j);
    return { task: 'classification', labels: argmaxLabels(y, c.outputs, classes) };
  }
  return { task: 'regression' };
}

/** (x, y) as a data set, with the class labels it uses. Throws `DataError` naming the first problem. */
export function datasetOf(
  x: Inputs,
  y: Targets,
  c: TargetContext,
  xName: string,
  yName: string,
): { ds: Dataset; classes?: (string | number)[] } {
  const { data, count } = samplesOf(x, c.inputs, c.dtype, xName);
  if (count === 0) throw new DataError(`${xName} is empty; expected at least one sample`);
  const t = taskOf(y, c);
  if (t.task === 'regression') return { ds: regressionSet(data, count, c.inputs, y, c.outputs, yName) };
  let classes = c.classes ? [...c.classes] : undefined;
  if (!classes) {
    classes = sortedClasses(t.labels!);
    if (classes.some((v) => typeof v === 'string') && classes.some((v) => typeof v === 'number'))
      classes = sortedClasses(classes.map(String));
    const need = c.outputs === 1 ? 2 : c.outputs;
    if (classes.length !== need) {
      throw new DataError(
        `${yName} has ${classes.length} distinct labels but the model has ${c.outputs} output ` +
          `neuron${c.outputs > 1 ? 's' : ''}, which stand for ${need} classes; give classes: [...] ` +
          `to createModel, or change the last layer's units`,
      );
    }
  }
  const labels = typeof classes[0] === 'string' ? t.labels!.map(String) : t.labels!;
  return { ds: classificationSet(data, count, c.inputs, labels, classes, yName), classes };
}

/** Whether v is a `Dataset` (what `parseCsv`, `loadCsv` and `loadIdx` return) rather than samples. */
export function isDataset(v: unknown): v is Dataset {
  return (
    typeof v === 'object' &&
    v !== null &&
    !Array.isArray(v) &&
    !ArrayBuffer.isView(v) &&
    'x' in v &&
    'task' in v &&
    'count' in v
  );
}

/**
 * A `Dataset` as (x, y) in the model's terms: the samples as they are, each class index as its class label (the
 * data set's classes, which also become the model's when it has none), or the regression targets as rows.
 */
export function samplesOfDataset(
  ds: Dataset,
  c: Pick<TargetContext, 'inputs' | 'outputs' | 'classes'>,
  what: string,
): { x: Inputs; y: Targets; classes?: (string | number)[] } {
  checkDataset(ds);
  if (ds.inputs !== c.inputs) {
    throw new DataError(
      `${what}: the data set "${ds.name}" has ${ds.inputs} input${ds.inputs === 1 ? '' : 's'} per sample; the model takes ${c.inputs}`,
    );
  }
  if (ds.task === 'regression') {
    const o = ds.outputs;
    const t = ds.targets!;
    return { x: ds.x, y: Array.from({ length: ds.count }, (_, s) => t.subarray(s * o, (s + 1) * o)) };
  }
  const classes = ds.classes!;
  const need = c.outputs === 1 ? 2 : c.outputs;
  if (c.classes === undefined && classes.length !== need) {
    throw new DataError(
      `${what}: the data set "${ds.name}" has ${classes.length} classes but the model has ` +
        `${c.outputs} output neuron${c.outputs > 1 ? 's' : ''}, which stand for ${need} classes; ` +
        `change the last layer's units`,
    );
  }
  return { x: ds.x, y: Array.from(ds.labels!, (j) => classes[j]!), classes: [...classes] };
}

/**
 * `fit`'s arguments, either `(x, y, options?)` or `(dataset, options?)`, as (x, y, options) and the classes a data
 * set brings. Throws `OptionError` naming the form expected when neither fits.
 */
export function fitArguments<O extends object>(
  a: Inputs | Dataset,
  b: Targets | O | undefined,
  c: O | undefined,
  model: Pick<TargetContext, 'inputs' | 'outputs' | 'classes'>,
  what = 'fit',
): { x: Inputs; y: Targets; opts: O | undefined; classes?: (string | number)[] } {
  if (isDataset(a)) {
    if (c !== undefined || Array.isArray(b) || ArrayBuffer.isView(b)) {
      throw new OptionError(
        `${what}(dataset, options?): a data set carries its own targets; give fit(dataset, options) or fit(x, y, options)`,
      );
    }
    return { ...samplesOfDataset(a, model, `${what}(dataset)`), opts: b as O | undefined };
  }
  if (b === undefined || (!Array.isArray(b) && !ArrayBuffer.isView(b))) {
    throw new OptionError(
      `${what}: expected fit(x, y, options?) with the targets y (labels or numbers, one per ` +
        'sample), or fit(dataset, options?) with a Dataset (what parseCsv and loadCsv return); y ' +
        `is ${b === undefined ? 'missing' : typeof b}`,
    );
  }
  return { x: a as Inputs, y: b as Targets, opts: c };
}
