/**
 * What `eval` and `predict` share: reading the data a trained model is applied to, with the model's own
 * preprocessing (standardisation) and class list, and the §3 constant-1 input for affine models.
 */
import { applyStandardizer, type Dataset } from 'nabla/train';
import { DataError, type LoadedModel } from 'nabla';
import { loadDataset } from './data/load.js';

/** The genuine input width of a model (m_0 for affine, n_0 otherwise). */
export function inputWidth(model: LoadedModel): number {
  return model.affine ? model.affine.m[0]! : model.network.n[0]!;
}

/** Loads `spec` as the model's data: mnist → its 2,000 test digits; CSV with the model's classes. */
export function loadForModel(spec: string, model: LoadedModel, target: string | undefined, header?: boolean): { data: Dataset; note: string } {
  const csv = spec.toLowerCase().endsWith('.csv');
  const task = model.meta.loss === 'mse' && !model.meta.classes ? 'regression' : 'classification';
  const opts: Parameters<typeof loadDataset>[1] = {};
  if (csv) {
    opts.task = task;
    if (target !== undefined) opts.target = target;
    if (header !== undefined) opts.header = header;
    if (model.meta.classes && task === 'classification') opts.classes = model.meta.classes;
  }
  const loaded = loadDataset(spec, opts);
  let data = loaded.test ?? loaded.train;
  const note = loaded.test ? `the ${loaded.test.count.toLocaleString('en-US')} held-out test samples of ${spec}` : spec;
  if (data.inputs !== inputWidth(model)) {
    throw new DataError(`${spec}: ${data.inputs} features per sample, but the model takes ${inputWidth(model)}`);
  }
  const st = model.meta.preprocessing?.standardize;
  if (st) data = applyStandardizer(data, st);
  return { data, note };
}
