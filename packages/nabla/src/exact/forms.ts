/**
 * The paper's gradient forms by name, over any algebra, and the exact entry points on an `ExactNetwork`, both the
 * worked gradient (grad/worked.ts) in rationals: `exactGradient` (one form) and `compareExactForms` (every
 * applicable form; in exact arithmetic they must agree entry for entry, not just to rounding).
 */
import { OptionError, ShapeError } from '../errors.js';
import { type FormInfo, formAppliesTo, type PaperForm, paperFormNames, paperForms } from '../grad/forms.js';
import { type WorkedGradient, workedGradient } from '../grad/worked.js';
import type { Layers } from '../net/layers.js';
import { type Algebra, type AlgebraTrace, exactNet, type FormResult, rationalAlgebra } from './algebra.js';
import { type RationalInput, RMatrix, rmatrix } from './matrix.js';
import type { ExactNetwork } from './network.js';

/** The forms that run in exact arithmetic: every form of the paper (not the numeric reference). */
export type ExactForm = PaperForm;
export type { FormInfo };

/** The table of forms (grad/forms.ts), as the exact entry points read it. */
export const exactForms: Readonly<Record<ExactForm, FormInfo>> = paperForms;

/** The names of the forms the exact engines compute, in the paper's order. */
export const exactFormNames = paperFormNames;

export function isExactForm(s: string): s is ExactForm {
  return Object.hasOwn(paperForms, s);
}

/** Whether a form applies to a network of these widths (the scalar form needs every width to be 1). */
export function exactFormApplies(widths: readonly number[], form: ExactForm): boolean {
  return formAppliesTo(widths, form);
}

/** The seed Δ_{k+1} as an n_k × B matrix over `alg`: the paper's 1 when n_k = 1 and no v is given. */
export function algebraSeed<M>(alg: Algebra<M>, widths: readonly number[], B: number, v?: M): M {
  const k = widths.length - 1;
  const nk = widths[k]!;
  if (v === undefined) {
    if (nk !== 1)
      throw new ShapeError(
        `Δ_${k + 1}: n_k = ${nk} > 1, so a vector v of ${nk} numbers must take the place of Δ_${k + 1} = 1 (it gives ∇_W (v·f))`,
      );
    return alg.ones(1, B);
  }
  if (alg.rows(v) !== nk || alg.cols(v) !== 1)
    throw new ShapeError(`Δ_${k + 1}: v is ${alg.rows(v)}×${alg.cols(v)}, expected a column of n_k = ${nk} numbers`);
  return alg.matmul(v, alg.ones(1, B), ['v', '1ᵀ']);
}

/** What `exactGradient` returns: the form's Δ_i and ∇_{W_i} f in rationals, the trace and the seed. */
export interface ExactGradientResult extends FormResult<RMatrix> {
  /** The forward pass: N_i, Σ_i and Σ'_i in rationals. */
  trace: AlgebraTrace<RMatrix>;
  /** The seed Δ_{k+1} (n_k × B) the form started from. */
  seed: RMatrix;
}

/** Options of `exactGradient`: the form, and the seed v. */
export interface ExactGradientOptions {
  /** The form to compute with (default 'recursive'). */
  form?: ExactForm;
  /** v (n_k numbers) in place of Δ_{k+1} = 1; required when n_k > 1. */
  seed?: RMatrix | readonly RationalInput[];
}

function seedOf(net: ExactNetwork, B: number, v: ExactGradientOptions['seed']): RMatrix {
  if (v === undefined) return algebraSeed(rationalAlgebra, net.n, B);
  const col =
    v instanceof RMatrix
      ? v
      : rmatrix(
          v.map((x) => [x]),
          'v',
        );
  return algebraSeed(rationalAlgebra, net.n, B, col);
}

/** The worked gradient in rationals of X (n_0 × B) with the named form (default: the recursion). */
export function exactGradient(net: ExactNetwork, X: RMatrix, opts: ExactGradientOptions = {}): ExactGradientResult {
  const form = opts.form ?? 'recursive';
  if (!isExactForm(form))
    throw new OptionError(`unknown gradient form "${String(form)}"; expected one of: ${exactFormNames.join(', ')}`);
  const w = worked(net, X, opts.seed, [form]);
  return { ...w.forms.find((f) => f.form === form)!.grads, trace: w.trace, seed: w.seed };
}

function worked(
  net: ExactNetwork,
  X: RMatrix,
  seed: ExactGradientOptions['seed'],
  forms: readonly ExactForm[] | 'all',
): WorkedGradient<RMatrix> {
  const problem = { alg: rationalAlgebra, net: exactNet(net), X, seed: seedOf(net, X.cols, seed) };
  return workedGradient(problem, { forms });
}

/** Whether two sets of gradients are equal entry for entry (exactly). */
export function exactGradsEqual(a: Layers<RMatrix>, b: Layers<RMatrix>): boolean {
  return a.indices().every((i) => a.get(i).equals(b.get(i)));
}

/** Every applicable form on the same network and input (one worked gradient), each equal to the recursion or not. */
export function compareExactForms(
  net: ExactNetwork,
  X: RMatrix,
  seed?: ExactGradientOptions['seed'],
): {
  /** The form. */
  form: ExactForm;
  /** Whether its ∇_{W_i} f equal the recursion's, entry for entry. */
  equal: boolean;
  /** What the form computed. */
  grads: FormResult<RMatrix>;
}[] {
  const w = worked(net, X, seed, 'all');
  const equal = (g: FormResult<RMatrix>) => exactGradsEqual(g.gradW, w.gradW);
  return w.forms.map(({ form, grads }) => ({ form: form as ExactForm, equal: equal(grads), grads }));
}
