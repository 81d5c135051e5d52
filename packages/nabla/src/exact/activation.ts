/**
 * Activations exact on rational numbers (σ and σ' map rationals to rationals): identity, relu, leaky_relu (slope
 * 1/100), square and polynomials, each with its float64 twin from the catalog (net/activation.ts), so an exact
 * network also runs on the float64 engines. Anything else (tanh, sigmoid, …) is refused with a message saying so.
 */
import { OptionError, UnsupportedError } from '../errors.js';
import { type Activation, activations, defineActivation } from '../net/activation.js';
import type { RationalInput } from './matrix.js';
import { Polynomial, parsePolynomial } from './polynomial.js';
import { Fraction, type Rational } from './rational.js';

/** An activation σ that maps rationals to rationals (identity, relu, leaky_relu, square, polynomials), with σ'. */
export interface ExactActivation {
  /** The activation's name (its key in `exactActivations`, or the one given to `polynomialActivation`). */
  readonly name: string;
  /** σ(x), exactly. */
  sigma(x: Rational): Rational;
  /** σ'(x), exactly (at a kink: the documented one-sided value). */
  dsigma(x: Rational): Rational;
  /** TeX definition, e.g. "\sigma(x) = \max(0, x)". */
  readonly tex: string;
  /** TeX of the derivative, e.g. "\sigma'(x) = 1 \text{ for } x > 0, 0 \text{ otherwise}". */
  readonly dtex: string;
  /** The float64 twin used by the float64 engines. */
  readonly float: Activation;
  /** True when σ has a kink (relu, leaky_relu): inputs exactly at 0 are avoided in exercises. */
  readonly kink: boolean;
  /** For a user polynomial: p (σ = p, σ' = p'). */
  readonly polynomial?: Polynomial;
}

const one = new Fraction(1);
const zero = new Fraction(0);
const hundredth = new Fraction(1, 100);

export const exactActivations: Readonly<Record<string, ExactActivation>> = Object.freeze({
  identity: {
    name: 'identity',
    sigma: (x: Rational) => x,
    dsigma: () => one,
    tex: '\\sigma(x) = x',
    dtex: "\\sigma'(x) = 1",
    float: activations.identity!,
    kink: false,
  },
  relu: {
    name: 'relu',
    sigma: (x: Rational) => (x.gt(0) ? x : zero),
    dsigma: (x: Rational) => (x.gt(0) ? one : zero),
    tex: '\\sigma(x) = \\max(0, x)',
    dtex: "\\sigma'(x) = 1 \\text{ for } x > 0,\\ 0 \\text{ for } x \\le 0",
    float: activations.relu!,
    kink: true,
  },
  leaky_relu: {
    name: 'leaky_relu',
    sigma: (x: Rational) => (x.gt(0) ? x : x.mul(hundredth)),
    dsigma: (x: Rational) => (x.gt(0) ? one : hundredth),
    tex: '\\sigma(x) = \\max(\\tfrac{1}{100}x, x)',
    dtex: "\\sigma'(x) = 1 \\text{ for } x > 0,\\ \\tfrac{1}{100} \\text{ for } x \\le 0",
    float: activations.leaky_relu!,
    kink: true,
  },
  square: {
    name: 'square',
    sigma: (x: Rational) => x.mul(x),
    dsigma: (x: Rational) => x.mul(2),
    tex: '\\sigma(x) = x^2',
    dtex: "\\sigma'(x) = 2x",
    float: activations.square!,
    kink: false,
  },
});

export const exactActivationNames: readonly string[] = Object.keys(exactActivations);

/** A polynomial activation: σ = p, σ' = p', exact, with a float64 twin of the same name. */
export function polynomialActivation(name: string, p: Polynomial | string | readonly RationalInput[]): ExactActivation {
  if (typeof name !== 'string' || !/^[A-Za-z_][A-Za-z0-9_-]*$/.test(name)) {
    throw new OptionError(
      `polynomial activation name ${JSON.stringify(name)}: use letters, digits, _ or - (starting with a letter)`,
    );
  }
  if (Object.hasOwn(activations, name)) {
    throw new OptionError(
      `polynomial activation "${name}": the name is taken by a built-in activation; choose another`,
    );
  }
  const poly = p instanceof Polynomial ? p : typeof p === 'string' ? parsePolynomial(p) : new Polynomial(p);
  const dp = poly.derivative();
  const float = defineActivation({
    name,
    sigma: (x) => poly.atNumber(x),
    dsigma: (x) => dp.atNumber(x),
    tex: `\\sigma(x) = ${poly.toTex()}`,
    rational: true,
  });
  return {
    name,
    sigma: (x) => poly.at(x),
    dsigma: (x) => dp.at(x),
    tex: `\\sigma(x) = ${poly.toTex()}`,
    dtex: `\\sigma'(x) = ${dp.toTex()}`,
    float,
    kink: false,
    polynomial: poly,
  };
}

/**
 * The exact twin of a float64 activation: a catalog entry by identity (identity, relu, leaky_relu, square), or a
 * user polynomial from `extra` (matched by name and by its float64 twin). Anything else is refused, naming
 * `where` (e.g. "σ_12") and what to do instead (`hint`).
 */
export function exactActivationFor(
  act: Activation,
  extra: Readonly<Record<string, ExactActivation>> = {},
  where = 'σ',
  hint = 'compute in float64 instead (decimals)',
): ExactActivation {
  const own = Object.hasOwn(extra, act.name) ? extra[act.name] : undefined;
  if (own && own.float === act) return own;
  const builtIn = Object.hasOwn(exactActivations, act.name) ? exactActivations[act.name] : undefined;
  if (builtIn && activations[act.name] === act) return builtIn;
  const what = act.rational ? 'has no exact definition here' : 'does not map rational numbers to rational numbers';
  throw new UnsupportedError(
    `${where} = ${act.name} ${what}; exact arithmetic covers ${exactActivationNames.join(', ')} and polynomials; ${hint}`,
  );
}
