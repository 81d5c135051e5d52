/**
 * Each gradient form of the paper written out for one layer and one sample, from the steps the form's own engine
 * recorded while it computed the gradients (model.ts keeps them): lhs = formula = the matrices substituted = … =
 * value. The page computes nothing here; it typesets what the engines did.
 */
import type { Matrix, PaperForm, Step } from 'nabla/paper';
import type { WorkedNetwork } from '../model.js';
import { texMatrix } from './formula.js';

/**
 * The steps of `form` that serve ∇_{W_i} f (or ∇_{W_r} f for the proof) and work on sample b. Steps that serve no
 * one layer (the seed ∇_{Σ_k} f = 1 of the proof, the diag(Σ'_r) of (5)) come with the first block written out
 * only (`shared`), so that each step appears once on the page.
 */
export function stepsFor(m: WorkedNetwork, form: PaperForm, i: number, b: number, shared = true): Step<Matrix>[] {
  const steps = m.records.forms[form] ?? [];
  return steps.filter(
    (s) => (s.layer === undefined ? shared : s.layer === i) && (s.sample === undefined || s.sample === b),
  );
}

/** One recorded step as a line of an aligned block; the value's entries belong to layer `layer`. */
function stepLine(s: Step<Matrix>): string {
  const rhs: string[] = [];
  if (s.formula) rhs.push(s.formula);
  for (const line of s.lines)
    rhs.push(line.tex.replace(/#(\d+)/g, (_, j: string) => texMatrix(line.operands[Number(j)]!)));
  rhs.push(texMatrix(s.value, s.layer === undefined ? {} : { layer: s.layer }));
  return `${s.lhs} &= ${rhs.join(' = ')}`;
}

/** The form's steps for layer i and sample b as one aligned TeX block (`shared`: with the steps of no one layer). */
export function formSteps(m: WorkedNetwork, form: PaperForm, i: number, b: number, shared = true): string {
  const lines = stepsFor(m, form, i, b, shared).map(stepLine);
  return `\\begin{aligned}${lines.join(' \\\\[0.5em] ')}\\end{aligned}`;
}
