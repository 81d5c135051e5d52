/**
 * Evaluation: the loss and, for classification, the accuracy of a network on a data set, in batches (forward
 * passes only), and predictions (class probabilities or values).
 */
import type { Dataset } from '../data/dataset.js';
import { gatherBatch, gatherTargets } from '../data/dataset.js';
import type { Kernels } from '../kernels/types.js';
import { type FloatArray, Matrix, newArray } from '../linalg/matrix.js';
import { allocateTrace, forward, type Trace } from '../net/forward.js';
import type { Network } from '../net/network.js';
import { inputView } from './input-view.js';
import type { Loss } from './loss.js';
import { targetView } from './targets.js';

/** Index of the largest entry of column b of M (ties: the first). */
export function argmaxColumn(M: Matrix, b: number): number {
  let best = 0;
  let bv = -Infinity;
  for (let r = 0; r < M.rows; r++) {
    const v = M.data[r * M.cols + b]!;
    if (v > bv) {
      bv = v;
      best = r;
    }
  }
  return best;
}

/** The predicted class of sample b from the network's output (N_k for logit losses, f otherwise). */
export function predictedClass(out: Matrix, b: number, loss: Loss): number {
  if (out.rows === 1) return out.data[b]! > (loss.onLogits ? 0 : 0.5) ? 1 : 0;
  return argmaxColumn(out, b);
}

/** A network's loss and (classification) accuracy on a dataset. */
export interface Evaluation {
  /** Mean loss over the samples. */
  loss: number;
  /** Fraction correct (classification only). */
  accuracy?: number;
  /** confusion[true][predicted] counts (classification only). */
  confusion?: number[][];
  /** Number of samples evaluated. */
  count: number;
}

/** Loss (mean over samples, as the training loss) and accuracy on `ds`. */
export function evaluateDataset(
  net: Network,
  ds: Dataset,
  loss: Loss,
  opts: { batchSize?: number; kernels?: Kernels; affine?: boolean } = {},
): Evaluation {
  const B = Math.max(1, Math.min(opts.batchSize ?? 256, ds.count));
  const order = new Int32Array(ds.count).map((_, j) => j);
  const nk = net.n[net.k]!;
  const classification = ds.task === 'classification';
  const labels = ds.labels;
  ds = targetView(ds, nk);
  const nClasses = classification ? (ds.classes?.length ?? nk) : 0;
  const confusion = classification
    ? Array.from({ length: nClasses }, () => new Array<number>(nClasses).fill(0))
    : undefined;
  let total = 0;
  let correct = 0;
  const kern = opts.kernels ? { kernels: opts.kernels } : {};
  for (let start = 0; start < ds.count; start += B) {
    const end = Math.min(ds.count, start + B);
    const b = end - start;
    const X = new Matrix(net.n[0]!, b, newArray(net.dtype, net.n[0]! * b));
    const Y = new Matrix(nk, b, newArray(net.dtype, nk * b));
    gatherBatch(ds, order, start, end, inputView(X, opts.affine ?? false));
    gatherTargets(ds, order, start, end, Y);
    const t = forward(net, X, { into: allocateTrace(net, b), ...kern });
    const out = loss.onLogits ? t.N.get(net.k) : t.f;
    total += loss.value(out, Y) * b;
    if (classification && labels) {
      for (let s = 0; s < b; s++) {
        const truth = labels[start + s]!;
        const p = predictedClass(out, s, loss);
        if (p === truth) correct++;
        if (confusion && truth < nClasses && p < nClasses) confusion[truth]![p]!++;
      }
    }
  }
  const ev: Evaluation = { loss: total / Math.max(1, ds.count), count: ds.count };
  if (classification) {
    ev.accuracy = correct / Math.max(1, ds.count);
    if (confusion) ev.confusion = confusion;
  }
  return ev;
}

/** Outputs for every column of X: probabilities (softmax for softmax-ce, sigmoid for bce) or the values f. */
export function predictOutputs(
  net: Network,
  X: Matrix,
  loss: Loss | undefined,
  opts: { kernels?: Kernels } = {},
): Matrix {
  const t = forward(net, X, opts.kernels ? { kernels: opts.kernels } : {});
  const out = new Matrix(net.n[net.k]!, X.cols, new Float64Array(net.n[net.k]! * X.cols));
  writeOutputs(t, loss, out.data, out.cols, 1, 0);
  return out;
}

/**
 * The model's outputs for the samples of a trace: under a loss on logits the probabilities of N_k (sigmoid for
 * bce, softmax for softmax-ce), otherwise the values f. Output r of the trace's sample b goes to
 * `out[r·rowStride + (offset + b)·sampleStride]`: (out.cols, 1) for an n_k × count matrix, (1, n_k) for one row
 * per sample.
 */
export function writeOutputs(
  t: Trace,
  loss: Loss | undefined,
  out: FloatArray,
  rowStride: number,
  sampleStride: number,
  offset: number,
): void {
  const logits = loss?.onLogits === true;
  const N = logits ? t.N.get(t.N.last) : t.f;
  const rows = N.rows;
  const B = N.cols;
  const src = N.data;
  for (let b = 0; b < B; b++) {
    const o = (offset + b) * sampleStride;
    if (!logits) {
      for (let r = 0; r < rows; r++) out[o + r * rowStride] = src[r * B + b]!;
    } else if (loss!.name === 'bce') {
      for (let r = 0; r < rows; r++) out[o + r * rowStride] = 1 / (1 + Math.exp(-src[r * B + b]!));
    } else {
      let max = -Infinity;
      for (let r = 0; r < rows; r++) max = Math.max(max, src[r * B + b]!);
      let z = 0;
      for (let r = 0; r < rows; r++) z += Math.exp(src[r * B + b]! - max);
      for (let r = 0; r < rows; r++) out[o + r * rowStride] = Math.exp(src[r * B + b]! - max) / z;
    }
  }
}
