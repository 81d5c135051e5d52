/**
 * Affine networks as the special case of paper §3: y_i = σ_i(A_i · y_{i−1} + b_i), stored as W̃_i = [A_i | b_i].
 * `toHomogeneous` builds the homogeneous network of §3 (an input 1, a formal neuron with the identity per layer),
 * which computes the same f; the bias gradient is the last column of ∇_{W_i} f.
 */
import { FormatError, ShapeError } from '../errors.js';
import { Matrix, newArray } from '../linalg/matrix.js';
import { identity } from './activation.js';
import { Column } from './column.js';
import { type CreateNetworkOptions, createNetwork } from './init.js';
import { checkLayerShapes } from './layer-shapes.js';
import { LayeredNetwork } from './layered.js';
import type { Layers } from './layers.js';
import { Network } from './network.js';

/**
 * An affine network y_i = σ_i(A_i · y_{i−1} + b_i) with genuine widths m_0 … m_k, stored as W̃_i = [A_i | b_i];
 * `toHomogeneous` turns it into the equivalent homogeneous network of paper §3.
 */
export class AffineNetwork extends LayeredNetwork {
  /** Genuine widths m_0 … m_k (no formal neurons). */
  readonly m: readonly number[];
  constructor(m: readonly number[], W: readonly Matrix[], sigma: readonly Column[]) {
    checkLayerShapes(
      'AffineNetwork',
      m,
      W,
      sigma.map((c) => c.n),
      true,
    );
    super(W, sigma); // W̃_i = [A_i | b_i], m_i × (m_{i−1} + 1); Σ_i with m_i activations
    this.m = Object.freeze([...m]);
  }

  /** A_i (without the bias column). */
  weights(i: number): Matrix {
    const Wi = this.W.get(i);
    const out = new Matrix(Wi.rows, Wi.cols - 1, newArray(Wi.dtype, Wi.rows * (Wi.cols - 1)));
    for (let r = 0; r < Wi.rows; r++) for (let c = 0; c < Wi.cols - 1; c++) out.set(r, c, Wi.get(r, c));
    return out;
  }

  /** b_i as an m_i × 1 column. */
  bias(i: number): Matrix {
    return this.W.get(i).column(this.W.get(i).cols - 1);
  }
}

/** Options of `createAffineNetwork`: those of `createNetwork`, with `widths` the genuine widths m_0 … m_k. */
export type CreateAffineOptions = CreateNetworkOptions;

/** A seeded random affine network; biases start at zero. */
export function createAffineNetwork(opts: CreateAffineOptions): AffineNetwork {
  // the weights A_i are createNetwork's (the same seeded draws); each gets a zero bias column
  const A = createNetwork(opts);
  const W = A.W.indices().map((i) => {
    const Ai = A.W.get(i);
    const Wi = new Matrix(Ai.rows, Ai.cols + 1, newArray(Ai.dtype, Ai.rows * (Ai.cols + 1)));
    for (let r = 0; r < Ai.rows; r++) Wi.data.set(Ai.data.subarray(r * Ai.cols, (r + 1) * Ai.cols), r * Wi.cols);
    return Wi;
  });
  return new AffineNetwork(
    opts.widths,
    W,
    A.sigma.indices().map((i) => A.sigma.get(i)),
  );
}

/** The homogeneous network of §3 equivalent to `net` (widths n_0 = m_0 + 1, n_i = m_i + 1 for i < k, n_k = m_k). */
export function toHomogeneous(net: AffineNetwork): Network {
  const k = net.k;
  const m = net.m;
  const n = m.map((w, i) => (i < k ? w + 1 : w));
  const W: Matrix[] = [];
  const cols: Column[] = [];
  for (let i = 1; i <= k; i++) {
    const Wt = net.W.get(i);
    const rows = n[i]!;
    const Wi = new Matrix(rows, n[i - 1]!, newArray(net.dtype, rows * n[i - 1]!));
    // [A_i | b_i] on top; the bias sits in the last column, which multiplies the formal neuron (always 1).
    for (let r = 0; r < m[i]!; r++) for (let c = 0; c < n[i - 1]!; c++) Wi.set(r, c, Wt.get(r, c));
    const sig = [...net.sigma.get(i).sigmas];
    if (i < k) {
      Wi.set(rows - 1, n[i - 1]! - 1, 1); // (b): last row [0, …, 0, 1]
      sig.push(identity); // (c): the formal neuron's σ is the identity
    }
    W.push(Wi);
    cols.push(new Column(sig));
  }
  return new Network(n, W, cols);
}

/**
 * The affine network that a homogeneous network of §3 form represents. Refuses a network that does not meet
 * conditions (b) and (c), naming the first violation.
 */
export function fromHomogeneous(net: Network): AffineNetwork {
  const k = net.k;
  const n = net.n;
  const m = n.map((w, i) => (i < k ? w - 1 : w));
  if (m.some((w) => w < 1)) {
    throw new FormatError(
      `fromHomogeneous: widths [${n.join(', ')}] leave no genuine neuron in some layer (each n_i, i < k, must be ≥ 2)`,
    );
  }
  const W: Matrix[] = [];
  const cols: Column[] = [];
  for (let i = 1; i <= k; i++) {
    const Wi = net.W.get(i);
    if (i < k) {
      for (let c = 0; c < n[i - 1]!; c++) {
        const want = c === n[i - 1]! - 1 ? 1 : 0;
        if (Wi.get(n[i]! - 1, c) !== want) {
          throw new FormatError(
            `fromHomogeneous: the last row of W_${i} must be [0, …, 0, 1] (paper §3 (b)); entry ${c} is ${Wi.get(n[i]! - 1, c)}`,
          );
        }
      }
      const formal = net.sigma.get(i).sigmas[n[i]! - 1]!;
      if (formal.name !== 'identity') {
        throw new FormatError(
          `fromHomogeneous: the formal neuron σ_${i},${n[i]} must be the identity (paper §3 (c)), found ${formal.name}`,
        );
      }
    }
    const Wt = new Matrix(m[i]!, n[i - 1]!, newArray(net.dtype, m[i]! * n[i - 1]!));
    for (let r = 0; r < m[i]!; r++) for (let c = 0; c < n[i - 1]!; c++) Wt.set(r, c, Wi.get(r, c));
    W.push(Wt);
    cols.push(new Column(net.sigma.get(i).sigmas.slice(0, m[i]!)));
  }
  return new AffineNetwork(m, W, cols);
}

/** Condition (a): appends the constant-1 row to X (m_0 × B → (m_0 + 1) × B). */
export function augment(X: Matrix): Matrix {
  const B = X.cols;
  const out = new Matrix(X.rows + 1, B, newArray(X.dtype, (X.rows + 1) * B));
  out.data.set(X.data);
  out.data.fill(1, X.rows * B);
  return out;
}

/** The affine network evaluated directly, y_i = σ_i(A_i·y_{i−1} + b_i), without the §3 construction. */
export function affineEvaluate(net: AffineNetwork, X: Matrix): Matrix {
  if (X.rows !== net.m[0]) throw new ShapeError(`affine network: X has ${X.rows} rows, expected m_0 = ${net.m[0]}`);
  let y = X;
  for (let i = 1; i <= net.k; i++) {
    const Wi = net.W.get(i);
    const out = new Matrix(Wi.rows, y.cols, newArray(net.dtype, Wi.rows * y.cols));
    const col = net.sigma.get(i);
    for (let r = 0; r < Wi.rows; r++) {
      const act = col.sigmas[r]!;
      for (let s = 0; s < y.cols; s++) {
        let z = Wi.get(r, Wi.cols - 1);
        for (let c = 0; c < Wi.cols - 1; c++) z += Wi.get(r, c) * y.get(c, s);
        out.set(r, s, act.sigma(z));
      }
    }
    y = out;
  }
  return y;
}

/**
 * Layer i (of k) of the §3 homogeneous form without the formal neuron's row (for i < k): a copy shaped like
 * [A_i | b_i]. For W_i it is the affine layer; for ∇_{W_i} f, the gradient of [A_i | b_i].
 */
export function genuineRows(M: Matrix, i: number, k: number): Matrix {
  const rows = i < k ? M.rows - 1 : M.rows;
  const out = new Matrix(rows, M.cols, newArray(M.dtype, rows * M.cols));
  out.data.set(M.data.subarray(0, rows * M.cols));
  return out;
}

/**
 * ∇ of the affine parameters [A_i | b_i] from ∇_{W_i} f of the homogeneous network of §3: the genuine rows of each
 * ∇_{W_i} f (every row but the formal neuron's, for i < k), with ∇_{b_i} f as the last column.
 */
export function affineGradient(gradW: Layers<Matrix>): Matrix[] {
  const k = gradW.last;
  return gradW.indices().map((i) => genuineRows(gradW.get(i), i, k));
}

/** The genuine widths m_0 … m_k of the homogeneous network of §3 with widths n (m_i = n_i − 1 for i < k, m_k = n_k). */
export function genuineWidths(n: readonly number[]): number[] {
  const k = n.length - 1;
  return n.map((w, i) => (i < k ? w - 1 : w));
}

/**
 * Per-layer matrices (as rows) shaped like the W_i of §3, e.g. an optimizer's state, without the formal neuron's
 * row of each W_i with i < k: the shape of [A_i | b_i] in an affine model file.
 */
export function withoutFormalRows(layers: readonly number[][][]): number[][][] {
  const k = layers.length;
  return layers.map((rows, j) => (j + 1 < k ? rows.slice(0, -1) : rows));
}

/** The inverse of `withoutFormalRows`: a zero row (the formal neuron's, n_{i−1} entries) appended to each layer i < k. */
export function withFormalRows(layers: readonly number[][][], n: readonly number[]): number[][][] {
  const k = n.length - 1;
  return layers.map((rows, j) => (j + 1 < k ? [...rows, new Array<number>(n[j]!).fill(0)] : rows));
}
