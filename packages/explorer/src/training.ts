/**
 * What the training worker needs besides `fit`: the data set (the library's synthetic sets or a CSV file read
 * by parseCsv, split and, for CSV, standardised; synthetic points turned into the chosen features), the loss
 * that fits the network's last layer, and the maps of the output and of every neuron over a grid of the input
 * plane (one forward pass of the library).
 */
import { applyStandardizer, defaultLoss, fitStandardizer, makeRegressionSynthetic, makeSynthetic, predictOutputs, splitDataset, getLoss, isRegressionSyntheticName, type Dataset, type LossName, type Standardizer, type Kernels, parseCsv } from 'nabla/train';
import { DataError } from 'nabla';
import { Matrix, type Network, forward, newArray } from 'nabla/paper';
import { featureValue, withFeatures, type FeatureName } from './features.js';
import { subscript as sub } from './format.js';
import type { Grid, OutputMap, TrainConfig } from './protocol.js';

export interface TrainingData {
  /** Every sample as drawn on the map: the points (x₁, x₂) of a synthetic set, a CSV file's standardised rows. */
  all: Dataset;
  /** The network's inputs (the features) of the training and the test part. */
  train: Dataset;
  test: Dataset;
  isTrain: Uint8Array;
  standardizer: Standardizer | undefined;
  summary: string;
  /** The features the network sees (synthetic sets), undefined for a CSV file (its columns as they are). */
  features: FeatureName[] | undefined;
}

/** The data set of the config, split into train and test (CSV features standardised on the training part). */
export function makeData(config: TrainConfig, features: FeatureName[]): TrainingData {
  const d = config.data;
  let all: Dataset;
  if (d.kind === 'synthetic') {
    all = isRegressionSyntheticName(d.name)
      ? makeRegressionSynthetic(d.name, { count: d.count, noise: d.noise / 6, seed: d.seed })
      : makeSynthetic(d.name, { count: d.count, noise: d.noise, seed: d.seed });
  } else {
    all = parseCsv(d.text, { source: d.name, task: d.task });
    if (d.task === 'classification' && (all.classes?.length ?? 0) > 10) {
      throw new DataError(`${d.name}: the last column has ${all.classes!.length} different values, too many classes for the explorer (at most 10); switch the problem to regression for a numeric target`);
    }
  }
  // a seeded split that remembers which sample went where (for drawing train and test points)
  const { train, validation } = splitDataset(all, { fraction: 1 - config.split, seed: 11 });
  const isTrain = markTrain(all, validation);
  let standardizer: Standardizer | undefined;
  let tr = train;
  let te = validation;
  let shown = all;
  if (d.kind === 'csv') {
    standardizer = fitStandardizer(train);
    tr = applyStandardizer(train, standardizer);
    te = applyStandardizer(validation, standardizer);
    shown = applyStandardizer(all, standardizer);
  } else {
    tr = withFeatures(train, features);
    te = withFeatures(validation, features);
  }
  const what = all.task === 'classification' ? `${all.classes!.length} classes` : 'a numeric target (regression)';
  const inputs = d.kind === 'csv' ? `${all.inputs} feature${all.inputs === 1 ? '' : 's'}` : `points (x₁, x₂) as ${features.length} feature${features.length === 1 ? '' : 's'}`;
  const summary = `${all.count} samples, ${inputs}, ${what}; ${tr.count} for training, ${te.count} for testing${standardizer ? '; features standardised on the training part' : ''}`;
  return { all: shown, train: tr, test: te, isTrain, standardizer, summary, features: d.kind === 'csv' ? undefined : features };
}

/** Which samples of `all` are not in the validation part (splitDataset keeps the original order in both parts). */
function markTrain(all: Dataset, validation: Dataset): Uint8Array {
  const out = new Uint8Array(all.count).fill(1);
  const n = all.inputs;
  let v = 0;
  for (let s = 0; s < all.count && v < validation.count; s++) {
    let same = true;
    for (let j = 0; j < n; j++) if (all.x[s * n + j] !== validation.x[v * n + j]) same = false;
    if (same) {
      out[s] = 0;
      v++;
    }
  }
  return out;
}

/** The loss for the network's last layer: on logits when Σ_k is the identity (bce / softmax-ce), else mse. */
export function chooseLoss(net: Network, data: Dataset): { loss: LossName; why: string } {
  const k = net.k;
  const identity = net.sigma.get(k).sigmas.every((a) => a.name === 'identity');
  const nk = net.n[k]!;
  const loss = defaultLoss(data.task, nk, identity); // the library's one policy; the page only says why
  if (data.task === 'regression') return { loss, why: 'a numeric target: mean squared error of f' };
  if (loss === 'bce') return { loss, why: `Σ${sub(k)} is the identity: binary cross-entropy on the logit N${sub(k)}` };
  if (loss === 'softmax-ce') return { loss, why: `Σ${sub(k)} is the identity: softmax cross-entropy on the logits N${sub(k)}` };
  return { loss, why: `Σ${sub(k)} is ${net.sigma.get(k).sigmas[0]!.name}: the mean squared error of f against the ${nk === 1 ? 'class (0 or 1)' : 'one-hot class'} (make Σ${sub(k)} the identity for cross-entropy)` };
}

/** The plot square: [−6, 6]² for the synthetic sets (as TensorFlow Playground), the data's range otherwise. */
export function gridFor(data: Dataset, synthetic: boolean, size = 48): Grid | undefined {
  if (data.inputs !== 2) return undefined;
  if (synthetic) return { size, x0: -6, x1: 6, y0: -6, y1: 6 };
  let x0 = Infinity;
  let x1 = -Infinity;
  let y0 = Infinity;
  let y1 = -Infinity;
  for (let s = 0; s < data.count; s++) {
    x0 = Math.min(x0, data.x[2 * s]!);
    x1 = Math.max(x1, data.x[2 * s]!);
    y0 = Math.min(y0, data.x[2 * s + 1]!);
    y1 = Math.max(y1, data.x[2 * s + 1]!);
  }
  const pad = (a: number, b: number) => Math.max(0.5, (b - a) * 0.08);
  return { size, x0: x0 - pad(x0, x1), x1: x1 + pad(x0, x1), y0: y0 - pad(y0, y1), y1: y1 + pad(y0, y1) };
}

/** The grid's points as the columns of X (row-major: y from top to bottom, x from left to right), as features. */
export function gridInputs(grid: Grid, net: Network, affine: boolean, features: readonly FeatureName[] | undefined): Matrix {
  const G = grid.size;
  const n0 = net.n[0]!;
  const X = new Matrix(n0, G * G, newArray(net.dtype, n0 * G * G));
  for (let row = 0; row < G; row++) {
    for (let c = 0; c < G; c++) {
      const b = row * G + c;
      const x1 = grid.x0 + ((c + 0.5) / G) * (grid.x1 - grid.x0);
      const x2 = grid.y1 - ((row + 0.5) / G) * (grid.y1 - grid.y0);
      if (features) features.forEach((f, j) => X.set(j, b, featureValue(f, x1, x2)));
      else {
        X.set(0, b, x1);
        X.set(1, b, x2);
      }
      if (affine) X.set(n0 - 1, b, 1);
    }
  }
  return X;
}

/** The output map and every neuron's Σ over the grid. */
export function maps(net: Network, X: Matrix, loss: LossName, classes: number, scale: number, kernels: Kernels | undefined): { output: OutputMap; neurons: Record<string, Float32Array> } {
  const opts = kernels ? { kernels } : {};
  const trace = forward(net, X, opts);
  const neurons: Record<string, Float32Array> = {};
  for (let i = 0; i <= net.k; i++) {
    const S = trace.S.get(i);
    for (let j = 0; j < S.rows; j++) neurons[`${i}:${j}`] = Float32Array.from(S.data.subarray(j * S.cols, (j + 1) * S.cols));
  }
  const P = predictOutputs(net, X, getLoss(loss), opts);
  let output: OutputMap;
  if (loss === 'mse' && classes === 0) {
    output = { kind: 'regression', f: Float32Array.from(P.data.subarray(0, P.cols)), scale };
  } else if (P.rows === 1) {
    output = { kind: 'binary', p: Float32Array.from(P.data, (v) => Math.min(1, Math.max(0, v))) };
  } else {
    const cls = new Uint8Array(P.cols);
    const conf = new Float32Array(P.cols);
    for (let b = 0; b < P.cols; b++) {
      let best = 0;
      for (let r = 1; r < P.rows; r++) if (P.get(r, b) > P.get(best, b)) best = r;
      cls[b] = best;
      conf[b] = Math.min(1, Math.max(0, P.get(best, b)));
    }
    output = classes === 2 && P.rows === 2 ? { kind: 'binary', p: Float32Array.from({ length: P.cols }, (_, b) => P.get(1, b)) } : { kind: 'classes', cls, conf, classes: P.rows };
  }
  return { output, neurons };
}

export function dataError(e: unknown): string {
  return e instanceof DataError || e instanceof Error ? e.message : String(e);
}
