/**
 * Exercises with activations that have no exact definition (tanh, sigmoid, …): σ_ij and σ'_ij are computed in
 * float64 and read back as the rational their shortest decimal denotes (rationalFromNumber), so the exact
 * engines and the mistake catalogue run unchanged on them. The answers are then decimals, not fractions, and
 * are graded within DECIMAL_ANSWER_TOLERANCE (an answer worked by hand to three or four digits is right).
 */

import type { ExactActivation } from '../exact/activation.js';
import { rationalFromNumber, rationalToNumber } from '../exact/rational.js';
import { type Activation, activations } from '../net/activation.js';
import { activationRegistry, type Exercise } from './exercise-types.js';

/** |given − answer| ≤ DECIMAL_ANSWER_TOLERANCE · max(1, |answer|) for the answers of an exercise with decimals. */
export const DECIMAL_ANSWER_TOLERANCE = 1e-3;

/** σ' of the catalog's activations without exact values, as TeX (their σ's TeX is the catalog's). */
const DERIVATIVES: Readonly<Record<string, string>> = {
  tanh: "\\sigma'(x) = 1 - \\tanh^2 x",
  sigmoid: "\\sigma'(x) = \\sigma(x)\\,(1 - \\sigma(x))",
};

/** σ and σ' of a float64 activation, each value rounded to float64 and read back as a rational. Not exact. */
export function roundedActivation(act: Activation): ExactActivation {
  const round = (f: (x: number) => number) => (x: Parameters<ExactActivation['sigma']>[0]) =>
    rationalFromNumber(f(rationalToNumber(x)), `${act.name}(${x.toString()})`);
  return {
    name: act.name,
    sigma: round((x) => act.sigma(x)),
    dsigma: round((x) => act.dsigma(x, act.sigma(x))),
    tex: act.tex,
    dtex: DERIVATIVES[act.name] ?? `\\sigma'(x) = \\tfrac{d}{dx}\\,\\mathrm{${act.name.replace(/_/g, '\\_')}}(x)`,
    float: act,
    kink: false,
  };
}

/** The catalog activations that are not exact (tanh, sigmoid, softplus, …), by name. */
export const decimalActivationNames: readonly string[] = Object.keys(activations).filter(
  (name) => !activations[name]!.rational,
);

/** The exact activations (activationRegistry) plus the rounded twins of every catalog activation that is not exact. */
export function decimalRegistry(polynomials: Readonly<Record<string, string>>): Record<string, ExactActivation> {
  const out = activationRegistry(polynomials);
  for (const name of decimalActivationNames)
    if (!Object.hasOwn(out, name)) out[name] = roundedActivation(activations[name]!);
  return out;
}

/** Whether every activation of the exercise is exact (then every answer is an exact fraction). */
export function exerciseIsExact(ex: Exercise, polynomials: Readonly<Record<string, string>>): boolean {
  const exact = activationRegistry(polynomials);
  return ex.activations.every((col) => col.every((name) => Object.hasOwn(exact, name)));
}
