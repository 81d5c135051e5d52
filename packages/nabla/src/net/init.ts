/**
 * Seeded initialisation. Every random number comes from `Rng(seed)`, never Math.random.
 * - glorot (Xavier uniform): W ~ U(−a, a), a = √(6 / (n_{i−1} + n_i))
 * - he (Kaiming normal):     W ~ N(0, 2 / n_{i−1})
 * - uniform:                 W ~ U(−1, 1) (small networks for teaching)
 */
import { OptionError } from '../errors.js';
import { type DType, Matrix, newArray } from '../linalg/matrix.js';
import { Rng } from '../rng.js';
import type { Activation } from './activation.js';
import { type ColumnSpec, checkWidths, columnsFrom, Network } from './network.js';

/**
 * A weight initialisation: `'glorot'` (Xavier uniform, U(−a, a) with a = √(6 / (n_{i−1} + n_i))), `'he'` (Kaiming normal, N(0, 2 / n_{i−1}))
 * or `'uniform'` (U(−1, 1)).
 */
export type InitScheme = 'glorot' | 'he' | 'uniform';
/** The names of all initialisation schemes. */
export const initSchemes: readonly InitScheme[] = ['glorot', 'he', 'uniform'];

/** Fills an rows×cols matrix with `scheme`'s distribution for fan-in `fanIn` and fan-out `fanOut`. */
export function initWeights(
  rows: number,
  cols: number,
  scheme: InitScheme,
  rng: Rng,
  dtype: DType = 'float64',
  fan?: { in: number; out: number },
): Matrix {
  const fanIn = fan?.in ?? cols;
  const fanOut = fan?.out ?? rows;
  const m = new Matrix(rows, cols, newArray(dtype, rows * cols));
  const d = m.data;
  if (scheme === 'glorot') {
    const a = Math.sqrt(6 / (fanIn + fanOut));
    for (let j = 0; j < d.length; j++) d[j] = rng.uniform(-a, a);
  } else if (scheme === 'he') {
    const s = Math.sqrt(2 / fanIn);
    for (let j = 0; j < d.length; j++) d[j] = s * rng.normal();
  } else if (scheme === 'uniform') {
    for (let j = 0; j < d.length; j++) d[j] = rng.uniform(-1, 1);
  } else {
    throw new OptionError(`unknown initialisation "${String(scheme)}"; expected one of: ${initSchemes.join(', ')}`);
  }
  return m;
}

/** Options of `createNetwork`: the widths n_0 … n_k, the activations, and how to draw the random weights W_i. */
export interface CreateNetworkOptions {
  /** Widths n_0 … n_k. */
  widths: readonly number[];
  /** One activation for every layer, or one spec per layer (a name, or an array of one name per neuron). */
  activation: ColumnSpec | readonly ColumnSpec[];
  /** Seed of the random weights (default 1). */
  seed?: number;
  /** Default: 'glorot'. */
  init?: InitScheme;
  /** Default: 'float64'. */
  dtype?: DType;
  /** User-defined activations that the names may refer to. */
  extraActivations?: Readonly<Record<string, Activation>>;
}

/** A homogeneous network with seeded random weights. */
export function createNetwork(opts: CreateNetworkOptions): Network {
  checkWidths(opts.widths);
  const n = opts.widths;
  const rng = new Rng(opts.seed ?? 1);
  const scheme = opts.init ?? 'glorot';
  const W: Matrix[] = [];
  for (let i = 1; i < n.length; i++) W.push(initWeights(n[i]!, n[i - 1]!, scheme, rng, opts.dtype ?? 'float64'));
  return new Network(n, W, columnsFrom(n, opts.activation, opts.extraActivations));
}
