/**
 * fast-check arbitraries for random networks, and the conversion of a generated case into a nabla Network plus
 * the same data as plain arrays for the independent references in reference.ts.
 */
import fc from 'fast-check';
import type { Matrix } from '../../packages/nabla/src/linalg/matrix.js';
import { getActivation } from '../../packages/nabla/src/net/activation.js';
import { Column } from '../../packages/nabla/src/net/column.js';
import { Network } from '../../packages/nabla/src/net/network.js';
import { makeRandom, matrixOf, naiveForward, type PlainNet, type Rows, randomRows, seedRows } from './reference.js';

export const SMOOTH = ['identity', 'sigmoid', 'tanh', 'softplus', 'silu', 'gelu', 'sin', 'square'] as const;
/** Activations with a kink (relu, leaky_relu) or a jump in σ'' (elu) at 0: keep |N| > 1e-3 for finite differences. */
export const KINKED = ['relu', 'leaky_relu', 'elu'] as const;
export const ALL_ACTS: readonly string[] = [...SMOOTH, ...KINKED];

export interface NetCase {
  widths: number[];
  /** acts[i − 1][j]: name of σ_{i,j+1}. */
  acts: string[][];
  B: number;
  /** Seed of the weights, inputs and v (fast-check shrinks the structure; this keeps the numbers reproducible). */
  valueSeed: number;
}

export interface NetCaseOptions {
  minK?: number;
  maxK?: number;
  minWidth?: number;
  maxWidth?: number;
  /** Limits n_k (the output width). */
  maxOut?: number;
  minOut?: number;
  maxB?: number;
  pool?: readonly string[];
}

/** A column of n activations: either one for the whole layer or one per neuron (mixed). */
function layerActs(n: number, pool: readonly string[]): fc.Arbitrary<string[]> {
  return fc.oneof(
    fc.constantFrom(...pool).map((a) => new Array<string>(n).fill(a)),
    fc.array(fc.constantFrom(...pool), { minLength: n, maxLength: n }),
  );
}

export function netCase(opts: NetCaseOptions = {}): fc.Arbitrary<NetCase> {
  const pool = opts.pool ?? ALL_ACTS;
  const width = fc.integer({ min: opts.minWidth ?? 1, max: opts.maxWidth ?? 9 });
  const out = fc.integer({ min: opts.minOut ?? opts.minWidth ?? 1, max: opts.maxOut ?? opts.maxWidth ?? 9 });
  return fc.integer({ min: opts.minK ?? 1, max: opts.maxK ?? 5 }).chain((k) =>
    fc
      .tuple(fc.array(width, { minLength: k, maxLength: k }), out)
      .map(([inner, nk]) => [...inner, nk])
      .chain((widths) =>
        fc.record({
          widths: fc.constant(widths),
          acts: fc.tuple(...widths.slice(1).map((n) => layerActs(n, pool))),
          B: fc.integer({ min: 1, max: opts.maxB ?? 4 }),
          valueSeed: fc.integer({ min: 0, max: 0x7fffffff }),
        }),
      ),
  );
}

export interface BuiltCase {
  net: Network;
  plain: PlainNet;
  X: Matrix;
  Xr: Rows;
  /** v (n_k numbers), or undefined when n_k = 1 (the paper's Δ_{k+1} = 1). */
  v: number[] | undefined;
  /** The seed as plain n_k × B rows (v repeated per sample, or all ones). */
  seed: Rows;
}

/** Weights U(−1, 1)·1.2/√n_{i−1} keep every N_i of order 1 whatever the depth; X ~ U(−1.5, 1.5); v ~ U(−1, 1). */
export function buildCase(c: NetCase, forceV = false): BuiltCase {
  const rand = makeRandom(c.valueSeed);
  const n = c.widths;
  const k = n.length - 1;
  const Wr: Rows[] = [];
  for (let i = 1; i <= k; i++) {
    const s = 1.2 / Math.sqrt(n[i - 1]!);
    Wr.push(randomRows(rand, n[i]!, n[i - 1]!, -s, s));
  }
  const Xr = randomRows(rand, n[0]!, c.B, -1.5, 1.5);
  const nk = n[k]!;
  const v = nk > 1 || forceV ? Array.from({ length: nk }, () => 2 * rand() - 1) : undefined;
  const columns = c.acts.map((names) => new Column(names.map((a) => getActivation(a))));
  const net = new Network(
    n,
    Wr.map((W) => matrixOf(W)),
    columns,
  );
  const plain: PlainNet = { W: Wr.map((W) => W.map((r) => [...r])), acts: columns.map((col) => [...col.sigmas]) };
  return { net, plain, X: matrixOf(Xr), Xr, v, seed: seedRows(v ?? new Array<number>(nk).fill(1), c.B) };
}

/** True when every kinked neuron's N stays more than `margin` away from 0 (finite differences are meaningful). */
export function awayFromKinks(plain: PlainNet, Xr: Rows, margin = 1e-3): boolean {
  const { N } = naiveForward(plain, Xr);
  return plain.acts.every((acts, j) =>
    acts.every(
      (a, r) => !(KINKED as readonly string[]).includes(a.name) || N[j + 1]![r]!.every((x) => Math.abs(x) > margin),
    ),
  );
}
