/**
 * The paper's gradient forms: the one table (id, equation, titles, TeX, when it applies, engine) that
 * `workedGradient` (worked.ts), the exact entry points (exact/forms.ts), the CLI (grad, explain, exercise, check)
 * and the explorer read. Each form is written once, over an algebra, in its own file of this folder.
 */
import { type Matrix, maxAbsDiff } from '../linalg/matrix.js';
import type { Trace } from '../net/forward.js';
import type { Network } from '../net/network.js';
import { type AlgebraEngine, floatAlgebraOf, floatNet, type Step } from './algebra.js';
import { diagonalForm } from './diagonal.js';
import { explicitForm } from './explicit.js';
import { kroneckerForm } from './kronecker.js';
import { numeric } from './numeric.js';
import { proofForm } from './proof.js';
import { recursiveForm } from './recursive.js';
import { scalarForm } from './scalar.js';
import { type GradientEngine, type Grads, requireColumnTrace } from './types.js';

/** The forms the paper writes out (each an engine over any algebra). */
export type PaperForm = 'recursive' | 'explicit' | 'kronecker' | 'diagonal' | 'scalar' | 'proof';
/** The paper's forms and the numeric reference (central finite differences, floats only). */
export type GradientForm = PaperForm | 'numeric';

/** One row of the table of forms. */
export interface FormInfo {
  /** The engine, written once over any algebra. */
  engine: AlgebraEngine;
  /** Where in the paper: "Remark 3", "(3)", … */
  equation: string;
  /** A short name, as in the derivations: "the Kronecker form". */
  title: string;
  /** One line for the CLI's listing. */
  summary: string;
  /** The general formula for ∇_{W_i} f in TeX. */
  tex: string;
  /** The formula shortened to fit a table cell, in TeX. */
  shortTex: string;
  /** Only for networks whose every width is 1 (the scalar form). */
  oneDimensional?: true;
}

/** The table of the paper's forms. */
export const paperForms: Readonly<Record<PaperForm, FormInfo>> = {
  recursive: {
    engine: recursiveForm,
    equation: 'Remark 3',
    title: 'the recursion',
    summary: "recursion Δ_i = (W_{i+1}ᵀ·Δ_{i+1}) ∘ Σ'_i, ∇_{W_i} f = Δ_i·Σ_{i−1}ᵀ",
    tex:
      "\\Delta_i = (W_{i+1}^T\\cdot\\Delta_{i+1})\\circ\\Sigma'_i,\\quad \\Delta_{k+1} = " +
      'W_{k+1}^T = 1,\\quad \\nabla_{W_i} f = \\Delta_i\\cdot\\Sigma_{i-1}^T',
    shortTex:
      "\\Delta_i = (W_{i+1}^T\\cdot\\Delta_{i+1})\\circ\\Sigma'_i,\\ \\nabla_{W_i} f = \\Delta_i\\cdot\\Sigma_{i-1}^T",
  },
  explicit: {
    engine: explicitForm,
    equation: '(3)',
    title: 'the explicit product',
    summary: 'explicit product with the inverted product •',
    tex:
      "\\nabla_{W_i} f = \\Sigma'_k\\bullet W_k^T\\circ\\Sigma'_{k-1}\\bullet " +
      "W_{k-1}^T\\circ\\cdots\\circ\\Sigma'_{i+1}\\bullet " +
      "W_{i+1}^T\\circ\\Sigma'_i\\cdot\\Sigma_{i-1}^T",
    shortTex: "\\Sigma'_k \\bullet W_k^T \\circ \\cdots \\circ \\Sigma'_i \\cdot \\Sigma_{i-1}^T",
  },
  kronecker: {
    engine: kroneckerForm,
    equation: '(4)',
    title: 'the Kronecker form',
    summary: 'Kronecker form',
    tex: "\\nabla_{W_i} f = \\Sigma_{i-1}^T\\otimes\\Sigma'_i\\circ W_{i+1}^T\\cdot\\Sigma'_{i+1}\\circ\\cdots\\circ W_k^T\\cdot\\Sigma'_k",
    shortTex: "\\Sigma_{i-1}^T \\otimes \\Sigma'_i \\circ W_{i+1}^T \\cdot \\Sigma'_{i+1} \\circ \\cdots",
  },
  diagonal: {
    engine: diagonalForm,
    equation: '(5)',
    title: 'the diagonal-matrix form',
    summary: 'diagonal-matrix form',
    tex:
      "\\nabla_{W_i} f = \\Sigma_{i-1}^T\\otimes(\\widehat{\\Sigma}'_i\\cdot " +
      "W_{i+1}^T\\cdot\\widehat{\\Sigma}'_{i+1}\\cdots W_k^T\\cdot\\widehat{\\Sigma}'_k)",
    shortTex: "\\Sigma_{i-1}^T \\otimes (\\widehat{\\Sigma}'_i \\cdot W_{i+1}^T \\cdots \\widehat{\\Sigma}'_k)",
  },
  scalar: {
    engine: scalarForm,
    equation: '(1)/(2)',
    title: 'the one-dimensional chain',
    summary: 'one-dimensional chain (all widths 1)',
    tex: "\\nabla_{w_i} f = \\sigma'_k w_k\\cdot\\sigma'_{k-1} w_{k-1}\\cdots\\sigma'_{i+1} w_{i+1}\\cdot\\sigma'_i\\,\\sigma_{i-1}",
    shortTex: "\\sigma'_k w_k \\cdots \\sigma'_{i+1} w_{i+1}\\, \\sigma'_i \\sigma_{i-1}",
    oneDimensional: true,
  },
  proof: {
    engine: proofForm,
    equation: '(6)/(7)',
    title: 'the identities of the proof',
    summary: 'identities of the proof, through ∇_{Σ_r} f',
    tex:
      "\\nabla_{W_r} f = (\\nabla_{\\Sigma_r} f)\\circ\\Sigma'_r\\cdot\\Sigma_{r-1}^T,\\quad " +
      "\\nabla_{\\Sigma_r} f = (\\nabla_{\\Sigma_{r+1}} f)\\circ\\Sigma'_{r+1}\\bullet W_{r+1}^T",
    shortTex: "\\nabla_{\\Sigma_r} f = (\\nabla_{\\Sigma_{r+1}} f) \\circ \\Sigma'_{r+1} \\bullet W_{r+1}^T",
  },
};

/** The paper's forms in the table's order. */
export const paperFormNames = Object.keys(paperForms) as PaperForm[];

/** Whether a form applies to a network of these widths (the scalar form needs every width to be 1). */
export function formAppliesTo(widths: readonly number[], form: GradientForm): boolean {
  return form === 'numeric' || !paperForms[form].oneDimensional || widths.every((w) => w === 1);
}

/** A paper form as a float engine: the algebra of the network's dtype (with a recorder, every step is recorded). */
export function floatEngine(engine: AlgebraEngine): GradientEngine {
  return (net, trace, seed, record) => {
    requireColumnTrace(trace, 'gradient');
    return engine(floatAlgebraOf(net.dtype), floatNet(net), trace, seed, record);
  };
}

/** Remark 3 on floats (with Δ_1 … Δ_{k+1}). */
export const recursive = floatEngine(recursiveForm) as (
  net: Network,
  trace: Trace,
  seed: Matrix,
  record?: (step: Step<Matrix>) => void,
) => Grads & Required<Pick<Grads, 'D'>>;
/** Eq. (3) on floats. */
export const explicit: GradientEngine = floatEngine(explicitForm);
/** Eq. (4) on floats. */
export const kronecker: GradientEngine = floatEngine(kroneckerForm);
/** Eq. (5) on floats. */
export const diagonal: GradientEngine = floatEngine(diagonalForm);
/** Eq. (1)/(2) on floats. */
export const scalarChain: GradientEngine = floatEngine(scalarForm);
/** Eq. (6)/(7) on floats (also returns ∇_{Σ_r} f). */
export const proof = floatEngine(proofForm) as (
  net: Network,
  trace: Trace,
  seed: Matrix,
  record?: (step: Step<Matrix>) => void,
) => Grads & Required<Pick<Grads, 'gradS'>>;

/** A form as the float entry points use it. */
export interface FloatFormInfo {
  /** The engine on floats in the network's dtype. */
  engine: GradientEngine;
  /** Where in the paper: "Remark 3", "(3)", …, or "finite differences". */
  equation: string;
  /** One line for the CLI's listing. */
  title: string;
}

/** The float engines by form, with the paper's equation and the CLI's one-line title. */
export const gradientForms: Readonly<Record<GradientForm, FloatFormInfo>> = {
  ...(Object.fromEntries(
    paperFormNames.map((f) => [
      f,
      { engine: floatEngine(paperForms[f].engine), equation: paperForms[f].equation, title: paperForms[f].summary },
    ]),
  ) as Record<PaperForm, FloatFormInfo>),
  numeric: { engine: numeric, equation: 'finite differences', title: 'central finite differences in float64' },
};

/** Every form's id, the paper's forms first, then `numeric`. */
export const gradientFormNames = Object.keys(gradientForms) as GradientForm[];

/** Whether `s` names a form. */
export function isGradientForm(s: string): s is GradientForm {
  return Object.hasOwn(gradientForms, s);
}

/** Whether a form applies to this network (the scalar form needs every width to be 1). */
export function formApplies(net: Network, form: GradientForm): boolean {
  return formAppliesTo(net.n, form);
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
