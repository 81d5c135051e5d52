/**
 * The network function of the paper (§2) over the rationals: widths n_0 … n_k, rational weights W_i
 * (n_i × n_{i−1}) and exact activations σ_ij, one per neuron. Converts to and from the float64 `Network`.
 */
import { fromRows, type Matrix } from '../linalg/matrix.js';
import type { Activation } from '../net/activation.js';
import { Column } from '../net/column.js';
import { checkLayerShapes } from '../net/layer-shapes.js';
import { Layers } from '../net/layers.js';
import { Network } from '../net/network.js';
import { type ExactActivation, exactActivationFor } from './activation.js';
import { type RMatrix, rmatrixFromNumbers } from './matrix.js';

/** A network with rational weights W_i and exact activations σ_ij: the exercises' and derivations' networks. */
export class ExactNetwork {
  /** The widths n_0 … n_k. */
  readonly n: readonly number[];
  /** W_1 … W_k. */
  readonly W: Layers<RMatrix>;
  /** Σ_1 … Σ_k, each the list σ_i1 … σ_in_i. */
  readonly sigma: Layers<readonly ExactActivation[]>;

  constructor(n: readonly number[], W: readonly RMatrix[], sigma: readonly (readonly ExactActivation[])[]) {
    checkLayerShapes(
      'ExactNetwork',
      n,
      W,
      sigma.map((c) => c.length),
    );
    const k = n.length - 1;
    this.n = Object.freeze([...n]);
    this.W = new Layers('W', 1, k, W);
    this.sigma = new Layers(
      'Σ',
      1,
      k,
      sigma.map((c) => Object.freeze([...c])),
    );
  }

  /** The number of layers k. */
  get k(): number {
    return this.n.length - 1;
  }

  /** The float64 network with the same weights (nearest doubles) and the activations' float64 twins. */
  toFloat(): Network {
    return new Network(
      this.n,
      this.W.indices().map((i) => fromRows(this.W.get(i).toNumbers(), `W_${i}`)),
      this.sigma.indices().map((i) => new Column(this.sigma.get(i).map((a) => a.float))),
    );
  }
}

/**
 * The exact network of a float64 network: each weight read as its shortest decimal (0.1 → 1/10), each σ_ij
 * replaced by its exact twin (see `exactActivationFor`; `extra` holds the user's polynomials). Throws
 * UnsupportedError naming the first σ_ij that is not exact; `hint` ends that message.
 */
export function toExactNetwork(
  net: Network,
  extra: Readonly<Record<string, ExactActivation>> = {},
  hint?: string,
): ExactNetwork {
  const W = net.W.indices().map((i) => rmatrixFromNumbers(net.W.get(i).toRows(), `W_${i}`));
  const sigma = net.sigma
    .indices()
    .map((i) =>
      net.sigma
        .get(i)
        .sigmas.map((a: Activation, j) =>
          exactActivationFor(a, extra, `σ_${i}${j + 1} (layer ${i}, neuron ${j + 1})`, hint),
        ),
    );
  return new ExactNetwork(net.n, W, sigma);
}

/** The rational matrix of a float64 matrix (each entry read as its shortest decimal). */
export function toExactMatrix(m: Matrix, name = 'matrix'): RMatrix {
  return rmatrixFromNumbers(m.toRows(), name);
}
