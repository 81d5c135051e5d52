/**
 * Activation functions σ with their derivatives σ' side by side (paper §2). Each catalog entry has scalar
 * `sigma`/`dsigma` (the definition) and a fused `map` writing Σ(N) and Σ'(N) in one pass, which must agree with
 * them. At a kink: relu'(0) = 0, leaky_relu'(0) = 0.01; elu (α = 1) has elu'(0) = 1.
 */
import { NablaError, OptionError } from '../errors.js';
import { activationMaps, geluDerivative, geluValue, logistic, softplusValue } from '../kernels/ref/activation.js';
import type { FloatArray } from '../linalg/matrix.js';

/** An activation function σ with its derivative σ' (paper §2's σ_ij), plus a fused `map` that writes Σ(N) and Σ'(N) for a range of entries. */
export interface Activation {
  /** Name used in model files and on the command line. */
  readonly name: string;
  /** σ(x). */
  sigma(x: number): number;
  /** σ'(x); `s` is σ(x), so sigmoid and tanh can reuse it. */
  dsigma(x: number, s: number): number;
  /** S[j] = σ(N[j]), dS[j] = σ'(N[j]) for start ≤ j < end. */
  map(N: FloatArray, S: FloatArray, dS: FloatArray, start: number, end: number): void;
  /** A TeX definition for documents and the explorer. */
  readonly tex: string;
  /** True when σ and σ' map rationals to rationals (exact arithmetic is possible). */
  readonly rational: boolean;
}

/** Builds the fused `map` from a scalar pair (used for user-defined activations). */
function mapFrom(sigma: (x: number) => number, dsigma: (x: number, s: number) => number) {
  return (N: FloatArray, S: FloatArray, dS: FloatArray, start: number, end: number): void => {
    for (let j = start; j < end; j++) {
      const x = N[j]!;
      const s = sigma(x);
      S[j] = s;
      dS[j] = dsigma(x, s);
    }
  };
}

/** A smooth catalog σ from its value and derivative (σ' beside σ), with the reference kernels' pass of that name. */
function smooth(name: string, tex: string, sigma: (x: number) => number, dsigma: (x: number) => number): Activation {
  return { name, tex, rational: false, sigma, dsigma, map: activationMaps[name]! };
}

export const identity: Activation = {
  name: 'identity',
  tex: '\\sigma(x) = x',
  rational: true,
  sigma: (x) => x,
  dsigma: () => 1,
  map: activationMaps['identity']!,
};

export const sigmoid: Activation = {
  name: 'sigmoid',
  tex: '\\sigma(x) = 1/(1+e^{-x})',
  rational: false,
  sigma: logistic,
  dsigma: (_x, s) => s * (1 - s),
  map: activationMaps['sigmoid']!,
};

export const tanh: Activation = {
  name: 'tanh',
  tex: '\\sigma(x) = \\tanh x',
  rational: false,
  sigma: Math.tanh,
  dsigma: (_x, s) => 1 - s * s,
  map: activationMaps['tanh']!,
};

/** σ(x) = x for x > 0 and a·x otherwise (σ'(0) = a, the left derivative): relu (a = 0) and leaky_relu. */
function piecewiseLinear(name: string, tex: string, a: number): Activation {
  return {
    name,
    tex,
    rational: true,
    sigma: (x) => (x > 0 ? x : a === 0 ? 0 : a * x), // +0, not −0, for relu
    dsigma: (x) => (x > 0 ? 1 : a),
    map: activationMaps[name]!,
  };
}

export const relu: Activation = piecewiseLinear('relu', "\\sigma(x) = \\max(0, x),\\ \\sigma'(0) = 0", 0);

export const leakyRelu: Activation = piecewiseLinear(
  'leaky_relu',
  "\\sigma(x) = \\max(0.01x, x),\\ \\sigma'(0) = 0.01",
  0.01,
);

export const elu: Activation = {
  name: 'elu',
  tex: '\\sigma(x) = x \\text{ for } x > 0,\\ e^x - 1 \\text{ otherwise}',
  rational: false,
  sigma: (x) => (x > 0 ? x : Math.expm1(x)),
  dsigma: (x) => (x > 0 ? 1 : Math.exp(x)),
  map: activationMaps['elu']!,
};

export const softplus: Activation = smooth('softplus', '\\sigma(x) = \\ln(1 + e^{x})', softplusValue, logistic);

export const silu: Activation = {
  name: 'silu',
  tex: '\\sigma(x) = x / (1 + e^{-x})',
  rational: false,
  sigma: (x) => x * logistic(x),
  dsigma: (x) => {
    const g = logistic(x);
    return g * (1 + x * (1 - g));
  },
  map: activationMaps['silu']!,
};

export const gelu: Activation = smooth(
  'gelu',
  '\\sigma(x) = \\tfrac{x}{2}\\bigl(1 + \\tanh(\\sqrt{2/\\pi}\\,(x + 0.044715x^3))\\bigr)',
  geluValue,
  geluDerivative,
);

export const sin: Activation = smooth('sin', '\\sigma(x) = \\sin x', Math.sin, Math.cos);

export const square: Activation = {
  name: 'square',
  tex: '\\sigma(x) = x^2',
  rational: true,
  sigma: (x) => x * x,
  dsigma: (x) => 2 * x,
  map: activationMaps['square']!,
};

/** The built-in activations, by name. */
export const activations: Readonly<Record<string, Activation>> = Object.freeze({
  identity,
  sigmoid,
  tanh,
  relu,
  leaky_relu: leakyRelu,
  elu,
  softplus,
  silu,
  gelu,
  sin,
  square,
});

/** The names of the built-in activations, in catalog order (identity, sigmoid, tanh, relu, …). */
export const activationNames: readonly string[] = Object.keys(activations);

/** Looks up an activation by name among the built-ins and the user's own (`extra`). */
export function getActivation(name: string, extra?: Readonly<Record<string, Activation>>): Activation {
  const found =
    (extra && Object.hasOwn(extra, name) ? extra[name] : undefined) ??
    (Object.hasOwn(activations, name) ? activations[name] : undefined);
  if (!found) {
    const known = [...activationNames, ...Object.keys(extra ?? {})].join(', ');
    throw new OptionError(`unknown activation "${name}"; expected one of: ${known}`);
  }
  return found;
}

/** What `defineActivation` needs for a user-defined activation: a name and the pair (σ, σ'), optionally TeX and rationality. */
export interface ActivationDefinition {
  /** Name used in model files and on the command line: letters, digits, `_` or `-`, not starting with a digit or `-`. */
  name: string;
  /** σ(x). */
  sigma: (x: number) => number;
  /** σ'(x); receives σ(x) as a second argument for convenience. */
  dsigma: (x: number, s: number) => number;
  /** A TeX definition; default `\sigma_{\mathrm{name}}(x)`. */
  tex?: string;
  /** True when σ and σ' map rationals to rationals (exact arithmetic is possible); default false. */
  rational?: boolean;
}

/** Makes a user-defined activation from the pair (σ, σ'). Check σ' with `checkActivationDerivative`. */
export function defineActivation(def: ActivationDefinition): Activation {
  if (typeof def.name !== 'string' || !/^[A-Za-z_][A-Za-z0-9_-]*$/.test(def.name)) {
    throw new OptionError(`defineActivation: name ${JSON.stringify(def.name)} must be letters, digits, _ or -`);
  }
  if (typeof def.sigma !== 'function' || typeof def.dsigma !== 'function') {
    throw new OptionError(`defineActivation("${def.name}"): sigma and dsigma must both be functions`);
  }
  return {
    name: def.name,
    sigma: def.sigma,
    dsigma: def.dsigma,
    map: mapFrom(def.sigma, def.dsigma),
    tex: def.tex ?? `\\sigma_{\\mathrm{${def.name}}}(x)`,
    rational: def.rational ?? false,
  };
}

/** The result of `checkActivationDerivative`: the worst disagreement between the supplied σ' and central finite differences of σ. */
export interface DerivativeCheck {
  /** True when `maxError` is at most the tolerance (default 1e-6). */
  ok: boolean;
  /** Largest |σ'(x) − (σ(x+h) − σ(x−h))/2h| relative to max(1, |σ'(x)|). */
  maxError: number;
  /** Where the largest error was found. */
  worstX: number;
  /** The supplied σ'(worstX) (NaN when σ' matched exactly at every point). */
  supplied: number;
  /** The finite-difference estimate (σ(x+h) − σ(x−h))/2h at worstX (NaN when σ' matched exactly at every point). */
  numeric: number;
}

/**
 * Checks a supplied σ' against central finite differences of σ at the given points (default: 201 points in
 * [−5, 5], shifted off 0 and the integers so kinks at simple points are avoided).
 */
export function checkActivationDerivative(
  act: Pick<Activation, 'sigma' | 'dsigma'>,
  opts: { points?: readonly number[]; tolerance?: number } = {},
): DerivativeCheck {
  const points = opts.points ?? Array.from({ length: 201 }, (_, i) => -5 + i * 0.05 + 0.0123);
  const tol = opts.tolerance ?? 1e-6;
  let worst: DerivativeCheck = { ok: true, maxError: 0, worstX: Number.NaN, supplied: Number.NaN, numeric: Number.NaN };
  for (const x of points) {
    const h = 1e-5 * Math.max(1, Math.abs(x));
    const numeric = (act.sigma(x + h) - act.sigma(x - h)) / (2 * h);
    const supplied = act.dsigma(x, act.sigma(x));
    const err = Math.abs(supplied - numeric) / Math.max(1, Math.abs(supplied));
    if (!Number.isFinite(supplied)) {
      throw new NablaError('non-finite', `σ'(${x}) is ${supplied}; expected a finite number`);
    }
    if (err > worst.maxError || Number.isNaN(err)) worst = { ok: false, maxError: err, worstX: x, supplied, numeric };
  }
  return { ...worst, ok: worst.maxError <= tol };
}
