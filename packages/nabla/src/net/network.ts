/**
 * The homogeneous network function of the paper (§2):
 *   f(X; W) = Σ_k(W_k · Σ_{k−1}(W_{k−1} · … Σ_1(W_1 · X)))
 * with widths n_0 … n_k, weights W_i (n_i × n_{i−1}, i = 1 … k) and activation columns Σ_i (one σ_ij per neuron).
 */
import { OptionError, ShapeError } from '../errors.js';
import type { DType, Matrix } from '../linalg/matrix.js';
import { type Activation, getActivation } from './activation.js';
import { Column } from './column.js';
import { checkLayerShapes } from './layer-shapes.js';
import { LayeredNetwork } from './layered.js';

export { checkWidths, MAX_LAYERS, MAX_PARAMETERS, MAX_WIDTH } from './layer-shapes.js';

/**
 * A homogeneous network (paper §2): f(X; W) = Σ_k(W_k · Σ_{k−1}(… Σ_1(W_1 · X))) with widths n_0 … n_k, weights
 * W_i (n_i × n_{i−1}, all in one precision) and activation columns Σ_i; affine networks are the special case of §3.
 */
export class Network extends LayeredNetwork {
  /** Widths n_0 … n_k (n[0] is the input dimension). W_i is n_i × n_{i−1}. */
  readonly n: readonly number[];

  constructor(n: readonly number[], W: readonly Matrix[], sigma: readonly Column[]) {
    checkLayerShapes(
      'Network',
      n,
      W,
      sigma.map((c) => c.n),
    );
    super(W, sigma);
    W.forEach((Wi, j) => {
      if (Wi.dtype !== W[0]!.dtype)
        throw new ShapeError(`Network: W_${j + 1} is ${Wi.dtype} but W_1 is ${W[0]!.dtype}; use one precision`);
    });
    this.n = Object.freeze([...n]);
  }

  /** The number of weights Σ n_i·n_{i−1}. */
  get parameterCount(): number {
    let s = 0;
    for (let i = 1; i <= this.k; i++) s += this.n[i]! * this.n[i - 1]!;
    return s;
  }

  /** A deep copy (weights copied, activations shared). */
  clone(): Network {
    return new Network(
      this.n,
      this.W.indices().map((i) => this.W.get(i).clone()),
      this.sigma.indices().map((i) => this.sigma.get(i)),
    );
  }

  /** The same network in another precision. */
  as(dtype: DType): Network {
    return new Network(
      this.n,
      this.W.indices().map((i) => this.W.get(i).as(dtype)),
      this.sigma.indices().map((i) => this.sigma.get(i)),
    );
  }

  /** A one-line summary: the widths and each layer's activations, e.g. `Network(n = [2, 3, 1]; Σ_1=tanh, Σ_2=identity)`. */
  override toString(): string {
    const parts = this.sigma.indices().map((i) => {
      const d = this.sigma.get(i).describe();
      return `Σ_${i}=${Array.isArray(d) ? `[${d.join(',')}]` : d}`;
    });
    return `Network(n = ${fmt(this.n)}; ${parts.join(', ')})`;
  }
}

function fmt(n: readonly number[]): string {
  return `[${n.join(', ')}]`;
}

/** One activation for a layer, or one per neuron. Names or Activation objects. */
export type ColumnSpec = string | Activation | readonly (string | Activation)[];

/** Builds the columns Σ_1 … Σ_k from a spec: one for all layers, or one per layer (each uniform or per neuron). */
export function columnsFrom(
  n: readonly number[],
  spec: ColumnSpec | readonly ColumnSpec[],
  extra?: Readonly<Record<string, Activation>>,
): Column[] {
  const k = n.length - 1;
  const resolve = (a: string | Activation) => (typeof a === 'string' ? getActivation(a, extra) : a);
  const perLayer: ColumnSpec[] =
    Array.isArray(spec) && spec.length === k // one spec per layer (for k = 1 and n_1 = 1 the per-neuron reading is the same)
      ? [...(spec as readonly ColumnSpec[])]
      : new Array<ColumnSpec>(k).fill(spec as ColumnSpec);
  return perLayer.map((s, j) => {
    const i = j + 1;
    if (Array.isArray(s)) {
      if (s.length !== n[i]) {
        throw new OptionError(
          `Σ_${i}: ${s.length} activations given for n_${i} = ${n[i]} neurons; give one, or one per neuron`,
        );
      }
      return new Column((s as readonly (string | Activation)[]).map(resolve));
    }
    return Column.uniform(resolve(s as string | Activation), n[i]!);
  });
}
