/**
 * The paper one call away: `gradient` and `compareForms` take a model (plain samples in, as for `predict`) or a
 * homogeneous network with X as columns (the paper's own objects). Both run the engines of grad/.
 */
import { compareForms as compareNetworkForms, gradient as networkGradient, type GradientResult } from '../grad/forms.js';
import type { SeedInput } from '../grad/types.js';
import type { FormComparison } from './forms-comparison.js';
import type { Matrix } from '../linalg/matrix.js';
import type { Network } from '../net/network.js';
import type { Inputs } from './inputs.js';
import { Model } from './model.js';
import type { ModelGradient, ModelGradientOptions } from './types.js';

/**
 * ∇_W f with a form of the paper (default the recursion of Remark 3). On a model, x holds plain samples; on a
 * network, X is n_0 × B with one sample per column.
 */
export function gradient(model: Model, x: Inputs | readonly number[], opts?: ModelGradientOptions): ModelGradient;
export function gradient(net: Network, X: Matrix, opts?: ModelGradientOptions): GradientResult;
export function gradient(target: Model | Network, x: Inputs | readonly number[] | Matrix, opts: ModelGradientOptions = {}): ModelGradient | GradientResult {
  if (target instanceof Model) return target.gradient(x as Inputs, opts);
  return networkGradient(target, x as Matrix, { ...(opts.form ? { form: opts.form } : {}), seed: opts.seed });
}

/** Every applicable form on the same input, with its largest difference from the recursion. */
export function compareForms(model: Model, x: Inputs | readonly number[], seed?: SeedInput): FormComparison[];
export function compareForms(net: Network, X: Matrix, seed?: SeedInput): FormComparison[];
export function compareForms(target: Model | Network, x: Inputs | readonly number[] | Matrix, seed?: SeedInput): FormComparison[] {
  if (target instanceof Model) return target.compareForms(x as Inputs, seed);
  return compareNetworkForms(target, x as Matrix, seed);
}
