/**
 * The paper's gradient forms by name, and `gradient()`, which runs the forward pass and one form.
 */
import { OptionError, UnsupportedError } from '../errors.js';
import { maxAbsDiff, type Matrix } from '../linalg/matrix.js';
import { forward, type Trace } from '../net/forward.js';
import type { Network } from '../net/network.js';
import { diagonal } from './diagonal.js';
import { explicit } from './explicit.js';
import { kronecker } from './kronecker.js';
import { numeric } from './numeric.js';
import { proof } from './proof.js';
import { recursive } from './recursive.js';
import { scalarChain } from './scalar.js';
import { seedMatrix, type GradientEngine, type Grads, type SeedInput } from './types.js';

/**
 * Name of one of the paper's ways to compute ∇_W f: the recursion (Remark 3), the explicit (3), Kronecker (4) and diagonal (5) forms,
 * the one-dimensional chain (1)/(2), the proof's identities (6)/(7), or central finite differences as a check.
 */
export type GradientForm = 'recursive' | 'explicit' | 'kronecker' | 'diagonal' | 'scalar' | 'proof' | 'numeric';

/** Every gradient form by name: its `engine`, the paper's `equation` it implements, and a one-line `title`. */
export const gradientForms: Readonly<Record<GradientForm, {
  /** Computes the form's gradients (`Grads`) from the network, a forward trace and the seed Δ_{k+1}. */ engine: GradientEngine;
  /** Where in the paper the form comes from: an equation number such as `'(3)'`, `'Remark 3'`, or `'finite differences'`. */ equation: string;
  /** Short human-readable description of the form. */ title: string }>> = {
  recursive: { engine: recursive, equation: 'Remark 3', title: 'recursion Δ_i = (W_{i+1}ᵀ·Δ_{i+1}) ∘ Σ\'_i, ∇_{W_i} f = Δ_i·Σ_{i−1}ᵀ' },
  explicit: { engine: explicit, equation: '(3)', title: 'explicit product with the inverted product •' },
  kronecker: { engine: kronecker, equation: '(4)', title: 'Kronecker form' },
  diagonal: { engine: diagonal, equation: '(5)', title: 'diagonal-matrix form' },
  scalar: { engine: scalarChain, equation: '(1)/(2)', title: 'one-dimensional chain (all widths 1)' },
  proof: { engine: proof, equation: '(6)/(7)', title: 'identities of the proof, through ∇_{Σ_r} f' },
  numeric: { engine: numeric, equation: 'finite differences', title: 'central finite differences in float64' },
};

/** The names of all gradient forms, in the order of `gradientForms` (the recursion first). */
export const gradientFormNames = Object.keys(gradientForms) as GradientForm[];

export function isGradientForm(s: string): s is GradientForm {
  return Object.hasOwn(gradientForms, s);
}

/** Whether a form applies to this network (the scalar form needs every width to be 1). */
export function formApplies(net: Network, form: GradientForm): boolean {
  return form !== 'scalar' || net.n.every((w) => w === 1);
}

/** What `gradient()` returns: the gradients of one form, plus the forward trace and the seed Δ_{k+1} they were computed from. */
export interface GradientResult extends Grads {
  /** The forward pass on X: N_i, Σ_i(N_i), Σ'_i(N_i) and f. */
  trace: Trace;
  /** The seed Δ_{k+1} used, as an n_k × B matrix (all ones when n_k = 1 and no seed was given). */
  seed: Matrix;
}

/** Runs the forward pass on X and computes ∇_W (v·f) with the named form (default: the recursion). */
export function gradient(net: Network, X: Matrix, opts: { form?: GradientForm; seed?: SeedInput } = {}): GradientResult {
  const form = opts.form ?? 'recursive';
  if (!isGradientForm(form)) throw new OptionError(`unknown gradient form "${String(form)}"; expected one of: ${gradientFormNames.join(', ')}`);
  if (!formApplies(net, form)) {
    throw new UnsupportedError(`the ${form} form ${gradientForms[form].equation} needs every width to be 1; this network has widths [${net.n.join(', ')}]`);
  }
  const trace = forward(net, X);
  const seed = seedMatrix(net, X.cols, opts.seed);
  return { ...gradientForms[form].engine(net, trace, seed), trace, seed };
}

/** Largest |∇_{W_i} f (form) − ∇_{W_i} f (reference)| over all layers and entries. */
export function maxGradDifference(a: Grads, b: Grads): number {
  let m = 0;
  for (const i of a.gradW.indices()) {
    const d = maxAbsDiff(a.gradW.get(i), b.gradW.get(i));
    if (Number.isNaN(d)) return Number.NaN;
    m = Math.max(m, d);
  }
  return m;
}

/** Every applicable form on the same network and input, with its largest difference from the recursion. */
export function compareForms(net: Network, X: Matrix, seed?: SeedInput): { form: GradientForm; maxDiff: number; grads: Grads }[] {
  const base = gradient(net, X, { seed });
  return gradientFormNames
    .filter((f) => formApplies(net, f))
    .map((form) => {
      const g = form === 'recursive' ? base : gradientForms[form].engine(net, base.trace, base.seed);
      return { form, maxDiff: maxGradDifference(g, base), grads: g };
    });
}
