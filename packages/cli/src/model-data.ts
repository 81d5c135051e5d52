/**
 * What `eval` reads: the data a trained model is applied to, in the model's class list (the model applies its
 * own standardisation and §3 constant-1 input).
 */
import { DataError, type Model } from 'nabla';
import type { Dataset, LossName } from 'nabla/train';
import { loadDataset } from './data/load.js';

/** Loads `spec` as the model's data: mnist → its 2,000 test digits; CSV with the model's classes. */
export function loadForModel(
  spec: string,
  model: Model,
  loss: LossName,
  target: string | undefined,
  header?: boolean,
): { data: Dataset; note: string } {
  const csv = spec.toLowerCase().endsWith('.csv');
  const task = loss === 'mse' && !model.classes ? 'regression' : 'classification';
  const opts: Parameters<typeof loadDataset>[1] = {};
  if (csv) {
    opts.task = task;
    if (target !== undefined) opts.target = target;
    if (header !== undefined) opts.header = header;
    if (model.classes && task === 'classification') opts.classes = model.classes;
  }
  const loaded = loadDataset(spec, opts);
  const data = loaded.test ?? loaded.train;
  const note = loaded.test ? `the ${loaded.test.count.toLocaleString('en-US')} held-out test samples of ${spec}` : spec;
  if (data.inputs !== model.inputs)
    throw new DataError(`${spec}: ${data.inputs} features per sample, but the model takes ${model.inputs}`);
  return { data, note };
}
