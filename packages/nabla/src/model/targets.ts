/**
 * What (x, y) means to a model: classification (labels, with the model's classes or those found in y) or
 * regression (numbers or rows), decided by the loss, the classes and the labels themselves; and the data set built
 * from it. Before the first `fit` a model has no loss: 0/1 labels or strings, or flat numbers for several outputs,
 * are classes; other numbers are regression targets (give `loss: 'mse'` to regress on 0/1).
 */
import type { Dataset } from '../data/dataset.js';
import { DataError } from '../errors.js';
import type { DType } from '../linalg/matrix.js';
import type { LossName } from '../train/loss.js';
import { argmaxLabels, classificationSet, labelsOf, regressionSet, samplesOf, sortedClasses, type Inputs, type Targets } from './inputs.js';

/** The model facts that decide how (x, y) is read. */
export interface TargetContext {
  inputs: number;
  outputs: number;
  dtype: DType;
  loss: LossName | undefined;
  classes: readonly (string | number)[] | undefined;
}

/** Whether y is a classification task for this model, and its labels if so. */
export function taskOf(y: Targets, c: TargetContext): { task: 'classification' | 'regression'; labels?: (string | number)[] } {
  const flat = labelsOf(y);
  const classLoss = c.loss === 'bce' || c.loss === 'softmax-ce';
  if (flat) {
    const classification =
      classLoss || c.classes !== undefined || flat.some((v) => typeof v === 'string') || (c.loss === undefined && (c.outputs > 1 || flat.every((v) => v === 0 || v === 1)));
    return classification ? { task: 'classification', labels: flat } : { task: 'regression' };
  }
  if (classLoss || c.classes !== undefined) {
    if (c.outputs === 1) return { task: 'classification', labels: Array.from(y as ArrayLike<ArrayLike<number>>, (r) => r[0]!) };
    const classes = c.classes ?? Array.from({ length: c.outputs }, (_, j) => j);
    return { task: 'classification', labels: argmaxLabels(y, c.outputs, classes) };
  }
  return { task: 'regression' };
}

/** (x, y) as a data set, with the class labels it uses. Throws `DataError` naming the first problem. */
export function datasetOf(x: Inputs, y: Targets, c: TargetContext, xName: string, yName: string): { ds: Dataset; classes?: (string | number)[] } {
  const { data, count } = samplesOf(x, c.inputs, c.dtype, xName);
  if (count === 0) throw new DataError(`${xName} is empty; expected at least one sample`);
  const t = taskOf(y, c);
  if (t.task === 'regression') return { ds: regressionSet(data, count, c.inputs, y, c.outputs, yName) };
  let classes = c.classes ? [...c.classes] : undefined;
  if (!classes) {
    classes = sortedClasses(t.labels!);
    if (classes.some((v) => typeof v === 'string') && classes.some((v) => typeof v === 'number')) classes = sortedClasses(classes.map(String));
    const need = c.outputs === 1 ? 2 : c.outputs;
    if (classes.length !== need) {
      throw new DataError(
        `${yName} has ${classes.length} distinct labels but the model has ${c.outputs} output neuron${c.outputs > 1 ? 's' : ''}, which stand for ${need} classes; give classes: [...] to createModel, or change the last layer's units`,
      );
    }
  }
  const labels = typeof classes[0] === 'string' ? t.labels!.map(String) : t.labels!;
  return { ds: classificationSet(data, count, c.inputs, labels, classes, yName), classes };
}
