/**
 * What the network is trained to output. Classification with one output neuron per class uses one-hot columns;
 * two classes with a single output neuron (n_k = 1, as with bce) use the class index 0 or 1 itself as the target.
 */
import type { Dataset } from '../data/dataset.js';
import { DataError } from '../errors.js';

/** The data set as the network's targets see it (labels are kept for accuracy). */
export function targetView(ds: Dataset, outputs: number): Dataset {
  if (ds.task !== 'classification' || outputs !== 1) return ds;
  const classes = ds.classes ?? [];
  if (classes.length !== 2) {
    throw new DataError(
      `one output neuron can stand for two classes only; "${ds.name}" has ${classes.length} classes (use n_k = ${classes.length} with softmax-ce)`,
    );
  }
  return { ...ds, task: 'regression', outputs: 1, targets: Float64Array.from(ds.labels!) };
}
