/**
 * Polynomials with rational coefficients, the user-defined activations exact arithmetic supports. Text form
 * (parsed, nothing evaluated): terms joined by + and −, e.g. "x^3 - x", "1/2x^2 + x", "0.25*x**4 - 2".
 * Coefficient lists are ascending: [0, -1, 0, 1] is x³ − x.
 */
import { OptionError } from '../errors.js';
import { type RationalInput, toRational } from './matrix.js';
import { Fraction, formatRational, parseRational, type Rational, rationalToNumber, texRational } from './rational.js';

/** Highest degree accepted (teaching examples need far less; this keeps numbers sane). */
export const MAX_DEGREE = 12;

/** A polynomial p(x) = c_0 + c_1 x + … + c_d x^d with rational coefficients. */
export class Polynomial {
  /** c_0 … c_d, ascending powers, no trailing zeros (the zero polynomial has none). */
  readonly coeffs: readonly Rational[];

  constructor(coeffs: readonly RationalInput[]) {
    const c = coeffs.map((v, p) => toRational(v, `coefficient of x^${p}`));
    while (c.length > 0 && c[c.length - 1]!.equals(0)) c.pop();
    if (c.length - 1 > MAX_DEGREE)
      throw new OptionError(`polynomial of degree ${c.length - 1}: at most degree ${MAX_DEGREE} is supported`);
    this.coeffs = Object.freeze(c);
  }

  /** The degree d (−1 for the zero polynomial). */
  get degree(): number {
    return this.coeffs.length - 1;
  }

  /** p(x), exactly (Horner). */
  at(x: Rational): Rational {
    let s = new Fraction(0);
    for (let p = this.coeffs.length - 1; p >= 0; p--) s = s.mul(x).add(this.coeffs[p]!);
    return s;
  }

  /** p(x) in float64 (Horner on the coefficients rounded to float64). */
  atNumber(x: number): number {
    let s = 0;
    for (let p = this.coeffs.length - 1; p >= 0; p--) s = s * x + rationalToNumber(this.coeffs[p]!);
    return s;
  }

  /** p'. */
  derivative(): Polynomial {
    return new Polynomial(this.coeffs.slice(1).map((c, p) => c.mul(p + 1)));
  }

  /** "x^3 - x" (the form `parsePolynomial` reads back). */
  toString(): string {
    return this.write(
      (c) => formatRational(c),
      (p) => (p === 1 ? 'x' : `x^${p}`),
      '',
    );
  }

  /** TeX, e.g. "x^{3} - x", "\frac{1}{2}x^{2} + 1". */
  toTex(): string {
    return this.write(
      (c) => texRational(c),
      (p) => (p === 1 ? 'x' : `x^{${p}}`),
      '',
    );
  }

  private write(num: (c: Rational) => string, pow: (p: number) => string, sep: string): string {
    const terms: string[] = [];
    for (let p = this.coeffs.length - 1; p >= 0; p--) {
      const c = this.coeffs[p]!;
      if (c.equals(0)) continue;
      const neg = c.s < 0n;
      const a = c.abs();
      const body = p === 0 ? num(a) : a.equals(1) ? pow(p) : `${num(a)}${sep}${pow(p)}`;
      if (terms.length === 0) terms.push(neg ? `-${body}` : body);
      else terms.push(neg ? `- ${body}` : `+ ${body}`);
    }
    return terms.length === 0 ? '0' : terms.join(' ');
  }
}

const TERM = /^([+-])?((?:\d+(?:\.\d*)?|\.\d+)(?:\/\d+)?)?(\*)?(x(?:(?:\^|\*\*)(\d+))?)?$/;

/**
 * Reads "x^3 - x", "1/2x^2 + x", "0.5*x**2 - 1", or a coefficient list "[0, -1, 0, 1]" (ascending powers).
 * Throws OptionError naming the term it could not read.
 */
export function parsePolynomial(text: string): Polynomial {
  const s = text.replace(/\s+/g, '');
  const example = 'e.g. "x^3 - x", "1/2x^2 + x" or the coefficients "[0, -1, 0, 1]" (ascending powers)';
  if (s === '') throw new OptionError(`polynomial "": empty; ${example}`);
  if (s.startsWith('[')) {
    if (!s.endsWith(']'))
      throw new OptionError(`polynomial ${JSON.stringify(text)}: a coefficient list must end with "]"; ${example}`);
    const items = s.slice(1, -1).split(',');
    return new Polynomial(
      items.map((item, p) => {
        const r = parseRational(item);
        if (r === undefined)
          throw new OptionError(
            `polynomial ${JSON.stringify(text)}: coefficient ${p} (of x^${p}) ${JSON.stringify(item)} is not a number; ${example}`,
          );
        return r;
      }),
    );
  }
  const pieces = s.split(/(?=[+-])/);
  const coeffs: Rational[] = [];
  for (const piece of pieces) {
    const m = TERM.exec(piece);
    if (
      !m ||
      (m[2] === undefined && m[4] === undefined) ||
      (m[3] !== undefined && (m[2] === undefined || m[4] === undefined))
    ) {
      throw new OptionError(
        `polynomial ${JSON.stringify(text)}: cannot read the term ${JSON.stringify(piece)}; ${example}`,
      );
    }
    let c = m[2] === undefined ? new Fraction(1) : parseRational(m[2]);
    if (c === undefined)
      throw new OptionError(
        `polynomial ${JSON.stringify(text)}: the coefficient ${JSON.stringify(m[2])} is not a number (a fraction's denominator must not be 0)`,
      );
    if (m[1] === '-') c = c.neg();
    const p = m[4] === undefined ? 0 : m[5] === undefined ? 1 : Number(m[5]);
    if (p > MAX_DEGREE)
      throw new OptionError(`polynomial ${JSON.stringify(text)}: x^${p} has degree above ${MAX_DEGREE}`);
    while (coeffs.length <= p) coeffs.push(new Fraction(0));
    coeffs[p] = coeffs[p]!.add(c);
  }
  return new Polynomial(coeffs);
}
