/** The types the worked derivation (derivation.ts) shares with its part files: the problem, its options, σ's TeX. */

import type { Algebra, AlgebraNet } from '../exact/algebra.js';
import type { ExactForm } from '../exact/forms.js';
import type { Matrix } from '../linalg/matrix.js';
import type { Network } from '../net/network.js';

/** The form a derivation works: one of the paper's forms, or `'all'` (each in turn, then their agreement). */
export type ExplainForm = ExactForm | 'all';

/** One σ_ij as the document describes it. */
export interface ColumnInfo {
  name: string;
  /** TeX definition of σ, e.g. "\sigma(x) = \max(0, x)". */
  tex: string;
  /** TeX definition of σ', when known. */
  dtex?: string;
  /** relu-like: σ' jumps at 0. */
  kink: boolean;
}

/** Everything the derivation needs, over one algebra (rationals or float64). */
export interface DerivationProblem<M> {
  alg: Algebra<M>;
  net: AlgebraNet<M>;
  /** One sample, n_0 × 1 (with `affine`, the genuine inputs: n_0 − 1 rows). */
  X: M;
  /** An affine model's homogeneous network (§3): the worked gradient appends the constant 1 to X. */
  affine?: boolean;
  /** Δ_{k+1}: the paper's 1, or v (n_k × 1). */
  seed: M;
  /** σ_ij: columns[i − 1][j − 1]. */
  columns: readonly (readonly ColumnInfo[])[];
  /** A matrix as TeX (a bmatrix). */
  tex(m: M): string;
  /** The same problem in float64, for finite differences. */
  float: { net: Network; X: Matrix; seed: Matrix };
}

export interface DerivationOptions {
  form: ExplainForm;
  /** Stated in the introduction: exact fractions, or decimals with this many significant digits. */
  exact: boolean;
  precision: number;
  /** File names for the introduction. */
  model?: string;
  input?: string;
  /** For an affine model file: its genuine widths m_0 … m_k (the derivation is of the homogeneous network of §3). */
  affineWidths?: readonly number[];
}
