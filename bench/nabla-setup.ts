/**
 * The run every nabla row of `npm run bench` trains, shared by the Node child (nabla-child.ts) and the browser
 * worker (browser/worker.ts): the data sets in the one fixed order and the shared init as nabla's network.
 * Browser-safe (no Node API).
 */
import { checkDataset, type Dataset, subset } from '../packages/nabla/src/data/dataset.js';
import { Matrix } from '../packages/nabla/src/linalg/matrix.js';
import { AffineNetwork, toHomogeneous } from '../packages/nabla/src/net/affine.js';
import { columnsFrom, type Network } from '../packages/nabla/src/net/network.js';
import type { DataFiles, TaskSpec } from './common.js';

export function datasets(d: DataFiles): { train: Dataset; test: Dataset } {
  const classes = Array.from({ length: d.classes }, (_, i) => i);
  const mk = (name: string, x: Float32Array, labels: Int32Array): Dataset =>
    checkDataset({
      name,
      x,
      inputs: d.inputs,
      count: labels.length,
      task: 'classification',
      labels,
      classes,
      outputs: d.classes,
    });
  // the one fixed order: the training set pre-permuted, then trained with shuffle: false
  return { train: subset(mk('mnist-train', d.trainX, d.trainY), d.order), test: mk('mnist-test', d.testX, d.testY) };
}

/** The shared init as nabla's affine network ([A_i | b_i], b_i = 0) in the homogeneous form of §3. */
export function sharedNetwork(task: TaskSpec, init: Float32Array[]): Network {
  const m = task.widths;
  const k = m.length - 1;
  const W = init.map((A, j) => {
    const rows = m[j + 1]!;
    const cols = m[j]!;
    const Wt = new Matrix(rows, cols + 1, new Float32Array(rows * (cols + 1)));
    for (let r = 0; r < rows; r++) Wt.data.set(A.subarray(r * cols, (r + 1) * cols), r * (cols + 1));
    return Wt;
  });
  const act = m.slice(1).map((_, j) => (j < k - 1 ? 'relu' : 'identity'));
  return toHomogeneous(new AffineNetwork(m, W, columnsFrom(m, act)));
}
