/**
 * Numbers as the page shows them: four significant digits, trailing zeros dropped, scientific notation
 * outside [1e-3, 1e4). The exact value always travels alongside in a `data-value` attribute (shortest
 * round-trip text, `String(v)`), so tests and tooltips read the full number.
 */

/** Plain text: 0.1235, -2, 1.4e-17. */
export function fmt(v: number, digits = 4): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '−∞';
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e-3 && a < 1e4) {
    const s = v.toPrecision(digits);
    return s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
  }
  const [m, e] = v.toExponential(digits - 1).split('e') as [string, string];
  const mant = m.includes('.') ? m.replace(/0+$/, '').replace(/\.$/, '') : m;
  return `${mant}e${e.replace('+', '')}`;
}

/** TeX: 0.1235, -2, 1.4\cdot10^{-17}. */
export function texNumber(v: number, digits = 4): string {
  const s = fmt(v, digits);
  if (s === '∞') return '\\infty';
  if (s === '−∞') return '-\\infty';
  if (s === 'NaN') return '\\text{NaN}';
  const m = /^(-?[\d.]+)e(-?\d+)$/.exec(s);
  return m ? `${m[1]}{\\cdot}10^{${m[2]}}` : s;
}

/** The exact value as text that reads back to the same number (−0 included). */
export function exact(v: number): string {
  return Object.is(v, -0) ? '-0' : String(v);
}

const SUBS = '₀₁₂₃₄₅₆₇₈₉';

/** A whole number in Unicode subscript digits: 12 → ₁₂. */
export function subscript(n: number): string {
  return String(n)
    .split('')
    .map((ch) => SUBS[Number(ch)] ?? ch)
    .join('');
}
