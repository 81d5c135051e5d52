/**
 * Numbers and matrices as TeX: exact fractions (\frac{3}{4}) or decimals with a stated number of significant
 * digits (trailing zeros dropped, 1.5\times 10^{-7} for tiny and huge values).
 */

import type { RMatrix } from '../exact/matrix.js';
import { texRational } from '../exact/rational.js';
import type { Matrix } from '../linalg/matrix.js';

/** `v` with `precision` significant digits, trailing zeros dropped (0.500000 → 0.5, 1.50000e-7 → 1.5e-7). */
export function formatDecimal(v: number, precision: number): string {
  if (v === 0) return '0'; // also −0
  if (!Number.isFinite(v)) return String(v);
  const s = v.toPrecision(precision);
  const e = s.indexOf('e');
  const mantissa = e < 0 ? s : s.slice(0, e);
  const exponent = e < 0 ? '' : s.slice(e).replace('+', '');
  const trimmed = mantissa.includes('.') ? mantissa.replace(/0+$/, '').replace(/\.$/, '') : mantissa;
  return trimmed + exponent;
}

/** A decimal as TeX: "1.5e-7" → "1.5\times 10^{-7}". */
export function texDecimal(v: number, precision: number): string {
  if (Number.isNaN(v)) return '\\mathrm{NaN}';
  if (!Number.isFinite(v)) return v > 0 ? '\\infty' : '-\\infty';
  const s = formatDecimal(v, precision);
  const e = s.indexOf('e');
  return e < 0 ? s : `${s.slice(0, e)}\\times 10^{${Number(s.slice(e + 1))}}`;
}

/** A bmatrix; rows holding fractions get a little extra space so stacked fractions do not touch. */
function bmatrix(rows: readonly (readonly string[])[]): string {
  const tall = rows.some((r) => r.some((x) => x.includes('\\frac')));
  return `\\begin{bmatrix}${rows.map((r) => r.join(' & ')).join(tall ? ' \\\\[3pt] ' : ' \\\\ ')}\\end{bmatrix}`;
}

export function texFloatMatrix(m: Matrix, precision: number): string {
  return bmatrix(m.toRows().map((r) => r.map((v) => texDecimal(v, precision))));
}

export function texExactMatrix(m: RMatrix): string {
  return bmatrix(m.toRows().map((r) => r.map(texRational)));
}

/** A largest difference for a table: "0", or two significant digits ("3.1\times 10^{-11}"). */
export function texDifference(d: number): string {
  if (d === 0) return '0';
  return texDecimal(d, 2);
}
