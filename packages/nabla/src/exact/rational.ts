/**
 * Rational numbers for exact arithmetic (fraction.js, BigInt numerator and denominator): reading them from
 * text ("3/4", "-0.75", "1e-3") and from float64 numbers (the shortest decimal that reads back to the same
 * double, so the weight 0.1 in a model file is the fraction 1/10 as written), and writing them as "3/4" or
 * as TeX "\frac{3}{4}".
 */
import Fraction from 'fraction.js';
import { LimitError, NonFiniteError } from '../errors.js';
import { limits } from '../limits.js';

/** An exact rational number (a fraction.js `Fraction`: BigInt numerator and denominator). */
export type Rational = InstanceType<typeof Fraction>;
export { Fraction };

/** Exponents beyond this are refused when reading text (they would make huge integers for no reason). */
const MAX_EXPONENT = 400;

const INTEGER = /^[+-]?\d+$/;
const FRACTION = /^([+-]?\d+)\s*\/\s*(\d+)$/;
const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/**
 * Reads an integer ("-2"), a fraction of integers ("3/4", "-3/4") or a decimal ("0.75", "-1.5e-3") exactly.
 * Returns undefined for anything else (the caller names the place in its message).
 */
export function parseRational(text: string): Rational | undefined {
  const s = text.trim();
  if (s === '') return undefined;
  if (INTEGER.test(s)) return new Fraction(BigInt(s));
  const f = FRACTION.exec(s);
  if (f) {
    const d = BigInt(f[2]!);
    if (d === 0n) return undefined;
    return new Fraction(BigInt(f[1]!), d);
  }
  const m = DECIMAL.exec(s);
  if (!m) return undefined;
  const whole = m[2] ?? '';
  const frac = m[3] ?? '';
  if (whole === '' && frac === '') return undefined;
  const exp = m[4] === undefined ? 0 : Number(m[4]);
  if (!Number.isSafeInteger(exp) || Math.abs(exp) > MAX_EXPONENT) return undefined;
  let n = BigInt((whole + frac).replace(/^0+(?=\d)/, '') || '0');
  let d = 10n ** BigInt(frac.length);
  if (exp > 0) n *= 10n ** BigInt(exp);
  else if (exp < 0) d *= 10n ** BigInt(-exp);
  if (m[1] === '-') n = -n;
  return new Fraction(n, d);
}

/**
 * A float64 number as the rational its shortest decimal text denotes (0.1 → 1/10, 1e-7 → 1/10000000): the
 * number as a person wrote it in a model or input file, not the binary double nearest to it.
 */
export function rationalFromNumber(x: number, where = 'value'): Rational {
  if (!Number.isFinite(x)) throw new NonFiniteError(`${where} is ${x}; exact arithmetic needs a finite number`);
  const r = parseRational(String(x));
  if (r === undefined) throw new NonFiniteError(`${where}: cannot read ${String(x)} as a rational number`);
  return r;
}

/** "3/4", "-3/4", "2", "0". */
export function formatRational(r: Rational): string {
  const sign = r.s < 0n && r.n !== 0n ? '-' : '';
  return r.d === 1n ? `${sign}${r.n}` : `${sign}${r.n}/${r.d}`;
}

/** TeX: "2", "-2", "\frac{3}{4}", "-\frac{3}{4}". */
export function texRational(r: Rational): string {
  const sign = r.s < 0n && r.n !== 0n ? '-' : '';
  return r.d === 1n ? `${sign}${r.n}` : `${sign}\\frac{${r.n}}{${r.d}}`;
}

/** The nearest float64 (correctly rounded for the small fractions of teaching examples). */
export function rationalToNumber(r: Rational): number {
  return r.valueOf();
}

export const ZERO: Rational = /* @__PURE__ */ new Fraction(0);
export const ONE: Rational = /* @__PURE__ */ new Fraction(1);

const DIGIT_BOUND = 10n ** BigInt(limits.exactDigits);

/**
 * Throws a `LimitError` when the numerator or denominator of `r` has more than `limits.exactDigits` decimal digits
 * (`where` names the quantity): exact arithmetic through many polynomial layers grows the digits geometrically.
 */
export function checkDigits(r: Rational, where: string): void {
  const n = r.n < 0n ? -r.n : r.n;
  if (n < DIGIT_BOUND && r.d < DIGIT_BOUND) return;
  throw new LimitError(
    `exact arithmetic: ${where} is a fraction of more than ${limits.exactDigits.toLocaleString('en-US')} digits (limits.exactDigits); ` +
      'each polynomial layer multiplies the digits (square doubles them); use fewer layers, or decimals instead of exact fractions',
  );
}
