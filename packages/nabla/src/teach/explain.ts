/**
 * `explain`: a worked derivation for a float64 network and one input, either in exact rationals (every σ_ij
 * must be exact: identity, relu, leaky_relu, square or a polynomial) or in float64 decimals.
 */
import { ShapeError, UnsupportedError } from '../errors.js';
import type { ExactActivation } from '../exact/activation.js';
import { exactNet, floatAlgebra, floatNet, rationalAlgebra } from '../exact/algebra.js';
import { algebraSeed, exactFormApplies, exactForms } from '../exact/forms.js';
import { type RMatrix, rcolumn } from '../exact/matrix.js';
import { type ExactNetwork, toExactMatrix, toExactNetwork } from '../exact/network.js';
import { seedMatrix } from '../grad/types.js';
import { Matrix } from '../linalg/matrix.js';
import type { Network } from '../net/network.js';
import { buildDerivation } from './derivation.js';
import type { ColumnInfo, DerivationProblem, ExplainForm } from './derivation-types.js';
import type { Doc } from './doc.js';
import { texExactMatrix, texFloatMatrix } from './numbers.js';

const KINKS = new Set(['relu', 'leaky_relu']);

/** Options of `explain`: the form, exact or decimal arithmetic, the seed v, the file names. */
export interface ExplainOptions {
  /** The form to work through, or 'all' (default 'recursive'). */
  form?: ExplainForm;
  /** Rational arithmetic (default false: float64 decimals). */
  exact?: boolean;
  /** Significant digits of decimals (default 6). */
  precision?: number;
  /** v (n_k numbers) in place of Δ_{k+1} = 1; required when n_k > 1. */
  v?: readonly number[];
  /** The user's polynomial activations (their float64 twins must be the ones in the network). */
  polynomials?: Readonly<Record<string, ExactActivation>>;
  /** The input in rationals (for exact inputs like 1/3 that no decimal holds); defaults to X read as decimals. */
  exactInput?: RMatrix;
  /** The model file's name, for the introduction. */
  model?: string;
  /** The input file's name. */
  input?: string;
  /**
   * Genuine widths of an affine model: the network given is its homogeneous form (§3), X and `exactInput` hold
   * the genuine inputs (m_0 entries), and the worked gradient appends the constant 1.
   */
  affineWidths?: readonly number[];
  /** Ends the message when a σ is not exact (e.g. "run without --exact"). */
  exactHint?: string;
}

/** The σ_ij of an exact network as the document describes them. */
export function exactColumns(net: ExactNetwork): ColumnInfo[][] {
  return net.sigma
    .indices()
    .map((i) => net.sigma.get(i).map((a) => ({ name: a.name, tex: a.tex, dtex: a.dtex, kink: a.kink })));
}

/** The σ_ij of a float64 network (the catalog's TeX). */
export function floatColumns(net: Network): ColumnInfo[][] {
  return net.sigma
    .indices()
    .map((i) => net.sigma.get(i).sigmas.map((a) => ({ name: a.name, tex: a.tex, kink: KINKS.has(a.name) })));
}

/** The derivation problem in rationals for an exact network, input and seed. */
export function exactProblem(en: ExactNetwork, X: RMatrix, v?: RMatrix, affine = false): DerivationProblem<RMatrix> {
  if (X.cols !== 1)
    throw new UnsupportedError(`a derivation is for one sample (the paper's X is a column); X has ${X.cols} columns`);
  const seed = algebraSeed(rationalAlgebra, en.n, 1, v);
  const fnet = en.toFloat();
  return {
    alg: rationalAlgebra,
    net: exactNet(en),
    X,
    seed,
    ...(affine ? { affine } : {}),
    columns: exactColumns(en),
    tex: texExactMatrix,
    float: {
      net: fnet,
      X: new Matrix(X.rows, 1, Float64Array.from(X.toNumbers().flat())),
      seed: new Matrix(seed.rows, 1, Float64Array.from(seed.toNumbers().flat())),
    },
  };
}

/** The derivation problem in float64. */
export function floatProblem(
  net: Network,
  X: Matrix,
  precision: number,
  v?: readonly number[],
  affine = false,
): DerivationProblem<Matrix> {
  if (X.cols !== 1)
    throw new UnsupportedError(`a derivation is for one sample (the paper's X is a column); X has ${X.cols} columns`);
  const n64 = net.as('float64');
  const X64 = X.as('float64');
  const seed = seedMatrix(n64, 1, v === undefined ? undefined : [...v]);
  return {
    alg: floatAlgebra,
    net: floatNet(n64),
    X: X64,
    seed,
    ...(affine ? { affine } : {}),
    columns: floatColumns(n64),
    tex: (m) => texFloatMatrix(m, precision),
    float: { net: n64, X: X64, seed },
  };
}

/** The worked derivation of ∇_W f for `net` at the single sample X (n_0 × 1). */
export function explain(net: Network, X: Matrix, opts: ExplainOptions = {}): Doc {
  const form = opts.form ?? 'recursive';
  if (form !== 'all' && !exactFormApplies(net.n, form)) {
    throw new UnsupportedError(
      `the ${form} form ${exactForms[form].equation} needs every width to be 1; this network has widths [${net.n.join(', ')}]`,
    );
  }
  const affine = opts.affineWidths !== undefined;
  if (affine && X.rows !== net.n[0]! - 1) {
    throw new ShapeError(`X has ${X.rows} entries, expected m_0 = ${net.n[0]! - 1}`);
  }
  if (!affine && X.rows !== net.n[0]) throw new ShapeError(`X has ${X.rows} entries, expected n_0 = ${net.n[0]}`);
  const precision = opts.precision ?? 6;
  const common = {
    form,
    precision,
    ...(opts.model === undefined ? {} : { model: opts.model }),
    ...(opts.input === undefined ? {} : { input: opts.input }),
    ...(opts.affineWidths === undefined ? {} : { affineWidths: opts.affineWidths }),
  };
  if (opts.exact) {
    const en = toExactNetwork(net, opts.polynomials ?? {}, opts.exactHint);
    const Xr = opts.exactInput ?? toExactMatrix(X, 'X');
    const v = opts.v === undefined ? undefined : rcolumn([...opts.v], 'v');
    return buildDerivation(exactProblem(en, Xr, v, affine), { ...common, exact: true });
  }
  return buildDerivation(floatProblem(net, X, precision, opts.v, affine), { ...common, exact: false });
}
