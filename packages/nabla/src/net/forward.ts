/**
 * The forward pass (paper §2): N_1 = W_1·X, N_{i+1} = W_{i+1}·Σ_i(N_i), f = Σ_k(N_k),
 * recording N_i, Σ_i(N_i) and Σ'_i(N_i) for every layer, indexed as in the paper (Σ_0 = X).
 */
import { ShapeError } from '../errors.js';
import { refKernels } from '../kernels/ref.js';
import type { Kernels } from '../kernels/types.js';
import { type FloatArray, Matrix, newArray } from '../linalg/matrix.js';
import { type MatmulOptions, matmul } from '../linalg/products.js';
import { Layers } from './layers.js';
import type { Network } from './network.js';

/**
 * The record of one forward pass on a batch X (n_0 × B, samples as columns): N_i, Σ_i(N_i) and Σ'_i(N_i) for every layer,
 * indexed as in the paper.
 */
export interface Trace {
  /** N_1 … N_k (n_i × B). */
  N: Layers<Matrix>;
  /** Σ_0 = X, Σ_1(N_1) … Σ_k(N_k) (n_i × B); Σ_0 is held as Xᵀ (B × n_0) when `inputRows`. */
  S: Layers<Matrix>;
  /** Σ_0 holds Xᵀ, one row per sample (a forward pass with `inputRows`). */
  inputRows?: boolean;
  /** Σ'_1(N_1) … Σ'_k(N_k) (n_i × B). */
  dS: Layers<Matrix>;
  /** f(X; W) = Σ_k(N_k), n_k × B. */
  f: Matrix;
}

/** Allocates a trace for `net` and a batch of B columns (reused by training so a step allocates nothing). */
export function allocateTrace(
  net: Network,
  B: number,
  alloc: (length: number) => FloatArray = (n) => newArray(net.dtype, n),
): Trace {
  const k = net.k;
  const N = new Layers<Matrix>('N', 1, k);
  const S = new Layers<Matrix>('Σ', 0, k);
  const dS = new Layers<Matrix>("Σ'", 1, k);
  S.set(0, new Matrix(net.n[0]!, B, alloc(net.n[0]! * B)));
  for (let i = 1; i <= k; i++) {
    const len = net.n[i]! * B;
    N.set(i, new Matrix(net.n[i]!, B, alloc(len)));
    S.set(i, new Matrix(net.n[i]!, B, alloc(len)));
    dS.set(i, new Matrix(net.n[i]!, B, alloc(len)));
  }
  return { N, S, dS, f: S.get(k) };
}

/** Options of `forward`: the kernels, a trace to write into, the input layout. */
export interface ForwardOptions {
  /** Kernels to compute with; defaults to the reference kernels. */
  kernels?: Kernels;
  /** Write into this trace (from `allocateTrace`) instead of allocating; X is then used as Σ_0 directly. */
  into?: Trace;
  /**
   * X is given as Xᵀ: one row per sample (B × n_0), the layout samples have in memory, so that nobody has to
   * transpose them first. N_1 = W_1·X then reads it transposed (the kernels pack either layout at the same rate),
   * and the trace holds Xᵀ as Σ_0 (`inputRows`), which backpropagation reads as such.
   */
  inputRows?: boolean;
}

/**
 * The per-layer options of a trace's products, made once per (trace, network, kernels) so that a training step
 * that reuses its trace allocates nothing.
 */
interface ForwardPlan {
  net: Network;
  kernels: Kernels;
  inputRows: boolean;
  products: MatmulOptions[];
  symbols: string[];
}
const plans = new WeakMap<Trace, ForwardPlan>();

function planOf(net: Network, t: Trace, kernels: Kernels, inputRows: boolean): ForwardPlan {
  const cached = plans.get(t);
  if (cached && cached.net === net && cached.kernels === kernels && cached.inputRows === inputRows) return cached;
  const products: MatmulOptions[] = [];
  const symbols: string[] = [];
  for (let i = 1; i <= net.k; i++) {
    const o: MatmulOptions = {
      names: [`W_${i}`, i === 1 && inputRows ? '(Xᵀ)' : `Σ_${i - 1}`],
      out: t.N.get(i),
      kernels,
    };
    if (i === 1 && inputRows) o.transB = true;
    products[i] = o;
    symbols[i] = `Σ_${i}`;
  }
  const plan = { net, kernels, inputRows, products, symbols };
  plans.set(t, plan);
  return plan;
}

/** Runs the network on X (n_0 × B, samples as columns) and returns the trace. */
export function forward(net: Network, X: Matrix, opts: ForwardOptions = {}): Trace {
  const rows = opts.inputRows === true;
  if ((rows ? X.cols : X.rows) !== net.n[0]) {
    throw new ShapeError(
      rows
        ? `W_1 · X: W_1 is ${net.W.get(1).shape} but Xᵀ is ${X.shape}; expected Xᵀ to have n_0 = ${net.n[0]} columns (one row per sample)`
        : `W_1 · X: W_1 is ${net.W.get(1).shape} but X is ${X.shape}; expected X to have n_0 = ${net.n[0]} rows (one column per sample)`,
    );
  }
  if (X.dtype !== net.dtype)
    throw new ShapeError(`forward: X is ${X.dtype} but the network's weights are ${net.dtype}`);
  const B = rows ? X.rows : X.cols;
  const t = opts.into ?? allocateTrace(net, B);
  if (t.N.get(1).cols !== B) throw new ShapeError(`forward: the trace holds ${t.N.get(1).cols} samples but X has ${B}`);
  t.S.set(0, X);
  t.inputRows = rows;
  const kernels = opts.kernels ?? refKernels;
  const plan = planOf(net, t, kernels, rows);
  for (let i = 1; i <= net.k; i++) {
    // N_i = W_i · Σ_{i−1}
    matmul(net.W.get(i), t.S.get(i - 1), plan.products[i]);
    // Σ_i(N_i) and Σ'_i(N_i), one pass per run of neurons sharing an activation
    net.sigma.get(i).apply(t.N.get(i), t.S.get(i), t.dS.get(i), plan.symbols[i], kernels);
  }
  return t;
}

/** f(X; W) only (n_k × B). */
export function evaluate(net: Network, X: Matrix, opts: ForwardOptions = {}): Matrix {
  return forward(net, X, opts).f;
}
