/**
 * The training run's data, for the worker (worker.ts): the library's synthetic sets or a CSV file read by
 * parseCsv, split into a training and a test part (which sample went where is drawn), synthetic points turned
 * into the chosen features; the grid of the input plane the maps cover, and the maps read off the model.
 */

import { DataError, type Model } from 'nabla';
import { forward, Matrix, type Network, newArray } from 'nabla/paper';
import {
  type Dataset,
  fitStandardizer,
  isRegressionSyntheticName,
  type Kernels,
  makeRegressionSynthetic,
  makeSynthetic,
  parseCsv,
  type Standardizer,
  splitIndices,
  subset,
} from 'nabla/train';
import { type FeatureName, featureValue, withFeatures } from '../features.js';
import { subscript as sub } from '../format.js';
import type { Grid, OutputMap, TrainConfig } from './protocol.js';

export interface TrainingData {
  /** Every sample as drawn on the map: the points (x₁, x₂) of a synthetic set, a CSV file's rows. */
  all: Dataset;
  /** The network's inputs (the features) of the training and the test part, in the data's own units. */
  train: Dataset;
  test: Dataset;
  isTrain: Uint8Array;
  /** A CSV file's input scaling, fitted on the training part (the model keeps and applies it). */
  standardizer: Standardizer | undefined;
  summary: string;
  /** The features the network sees (synthetic sets), undefined for a CSV file (its columns as they are). */
  features: FeatureName[] | undefined;
}

/** The data set of the config, split into train and test (a CSV file's scaling fitted on the training part). */
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
      throw new DataError(
        `${d.name}: the last column has ${all.classes!.length} different values, too many classes ` +
          'for the explorer (at most 10); switch the problem to regression for a numeric target',
      );
    }
  }
  // a seeded split that says which sample went where (for drawing train and test points)
  const parts = splitIndices(all, { fraction: 1 - config.split, seed: 11 });
  const isTrain = new Uint8Array(all.count).fill(1);
  for (const s of parts.validation) isTrain[s] = 0;
  let tr = subset(all, parts.train);
  let te = subset(all, parts.validation);
  const standardizer = d.kind === 'csv' ? fitStandardizer(tr) : undefined;
  if (d.kind !== 'csv') {
    tr = withFeatures(tr, features);
    te = withFeatures(te, features);
  }
  const what = all.task === 'classification' ? `${all.classes!.length} classes` : 'a numeric target (regression)';
  const inputs =
    d.kind === 'csv'
      ? `${all.inputs} feature${all.inputs === 1 ? '' : 's'}`
      : `points (x₁, x₂) as ${features.length} feature${features.length === 1 ? '' : 's'}`;
  const summary =
    `${all.count} samples, ${inputs}, ${what}; ${tr.count} for training, ${te.count} for ` +
    `testing${standardizer ? '; features standardised on the training part' : ''}`;
  return {
    all,
    train: tr,
    test: te,
    isTrain,
    standardizer,
    summary,
    features: d.kind === 'csv' ? undefined : features,
  };
}

/** The points as the network sees them (for drawing): a CSV file's rows through the model's input scaling. */
export function networkUnits(x: ArrayLike<number>, inputs: number, scaling: Standardizer | undefined): Float64Array {
  const out = Float64Array.from(x);
  if (scaling)
    for (let i = 0; i < out.length; i++) out[i] = (out[i]! - scaling.mean[i % inputs]!) / scaling.std[i % inputs]!;
  return out;
}

/** Why the model trains with its loss: on logits when Σ_k is the identity (bce / softmax-ce), else mse. */
export function lossWhy(net: Network, task: Dataset['task'], loss: string): string {
  const k = net.k;
  const nk = net.n[k]!;
  if (task === 'regression') return 'a numeric target: mean squared error of f';
  if (loss === 'bce') return `Σ${sub(k)} is the identity: binary cross-entropy on the logit N${sub(k)}`;
  if (loss === 'softmax-ce') return `Σ${sub(k)} is the identity: softmax cross-entropy on the logits N${sub(k)}`;
  return (
    `Σ${sub(k)} is ${net.sigma.get(k).sigmas[0]!.name}: the mean squared error of f against ` +
    `the ${nk === 1 ? 'class (0 or 1)' : 'one-hot class'} (make Σ${sub(k)} the identity for ` +
    'cross-entropy)'
  );
}

/** The plot square: [−6, 6]² for the synthetic sets (as TensorFlow Playground), the points' range otherwise. */
export function gridFor(points: ArrayLike<number>, count: number, synthetic: boolean, size = 48): Grid {
  if (synthetic) return { size, x0: -6, x1: 6, y0: -6, y1: 6 };
  let x0 = Infinity;
  let x1 = -Infinity;
  let y0 = Infinity;
  let y1 = -Infinity;
  for (let s = 0; s < count; s++) {
    x0 = Math.min(x0, points[2 * s]!);
    x1 = Math.max(x1, points[2 * s]!);
    y0 = Math.min(y0, points[2 * s + 1]!);
    y1 = Math.max(y1, points[2 * s + 1]!);
  }
  const pad = (a: number, b: number) => Math.max(0.5, (b - a) * 0.08);
  return { size, x0: x0 - pad(x0, x1), x1: x1 + pad(x0, x1), y0: y0 - pad(y0, y1), y1: y1 + pad(y0, y1) };
}

/** The grid's points (row-major: y from top to bottom, x from left to right) as the network's input features. */
function gridFeatures(grid: Grid, features: readonly FeatureName[] | undefined): { x: Float64Array; inputs: number } {
  const G = grid.size;
  const inputs = features ? features.length : 2;
  const x = new Float64Array(G * G * inputs);
  for (let row = 0; row < G; row++) {
    for (let c = 0; c < G; c++) {
      const b = row * G + c;
      const x1 = grid.x0 + ((c + 0.5) / G) * (grid.x1 - grid.x0);
      const x2 = grid.y1 - ((row + 0.5) / G) * (grid.y1 - grid.y0);
      if (features) features.forEach((f, j) => (x[b * inputs + j] = featureValue(f, x1, x2)));
      else {
        x[b * inputs] = x1;
        x[b * inputs + 1] = x2;
      }
    }
  }
  return { x, inputs };
}

/** The grid for the maps: X = Σ_0 of the homogeneous network (with §3's constant 1), and the model's samples. */
export interface GridInputs {
  X: Matrix;
  /** The same points in the data's own units, one row per point (what `model.predict` takes). */
  samples: Float64Array;
}

export function gridInputs(
  grid: Grid,
  net: Network,
  affine: boolean,
  features: readonly FeatureName[] | undefined,
  scaling: Standardizer | undefined,
): GridInputs {
  const { x, inputs } = gridFeatures(grid, features);
  const count = grid.size * grid.size;
  const n0 = net.n[0]!;
  const X = new Matrix(n0, count, newArray(net.dtype, n0 * count));
  for (let b = 0; b < count; b++) {
    for (let j = 0; j < inputs; j++) X.set(j, b, x[b * inputs + j]!);
    if (affine) X.set(n0 - 1, b, 1);
  }
  // the grid is drawn in the network's units; the model scales a CSV file's rows itself
  if (scaling) for (let i = 0; i < x.length; i++) x[i] = x[i]! * scaling.std[i % inputs]! + scaling.mean[i % inputs]!;
  return { X, samples: x };
}

/**
 * The output map (the model's predictions; regression's on the scale ±`scale`) and every neuron's Σ over the grid
 * (the paper's forward pass).
 */
export function maps(
  model: Model,
  grid: GridInputs,
  scale: number | undefined,
  kernels: Kernels | undefined,
): { output: OutputMap; neurons: Record<string, Float32Array> } {
  const net = model.homogeneous();
  const trace = forward(net, grid.X, kernels ? { kernels } : {});
  const neurons: Record<string, Float32Array> = {};
  for (let i = 0; i <= net.k; i++) {
    const S = trace.S.get(i);
    for (let j = 0; j < S.rows; j++)
      neurons[`${i}:${j}`] = Float32Array.from(S.data.subarray(j * S.cols, (j + 1) * S.cols));
  }
  const P = model.predict(grid.samples); // one row per point: probabilities, or f for regression
  const count = P.length;
  const outs = model.outputs;
  let output: OutputMap;
  if (scale !== undefined) {
    output = { kind: 'regression', f: Float32Array.from(P, (r) => r[0]!), scale };
  } else if (outs === 1) {
    output = { kind: 'binary', p: Float32Array.from(P, (r) => Math.min(1, Math.max(0, r[0]!))) };
  } else if (outs === 2) {
    output = { kind: 'binary', p: Float32Array.from(P, (r) => r[1]!) };
  } else {
    const cls = new Uint8Array(count);
    const conf = new Float32Array(count);
    P.forEach((r, b) => {
      let best = 0;
      for (let j = 1; j < outs; j++) if (r[j]! > r[best]!) best = j;
      cls[b] = best;
      conf[b] = Math.min(1, Math.max(0, r[best]!));
    });
    output = { kind: 'classes', cls, conf, classes: outs };
  }
  return { output, neurons };
}

export function dataError(e: unknown): string {
  return e instanceof DataError || e instanceof Error ? e.message : String(e);
}
