/** A decimal number option, e.g. `--lr 0.001`; mistakes name the flag, the value and an example. */
import { OptionError } from 'nabla';

export function parseNumber(
  flag: string,
  text: string,
  example: string,
  range: { min?: number; max?: number; exclusiveMin?: boolean; exclusiveMax?: boolean } = {},
): number {
  const s = text.trim();
  const v = Number(s);
  if (s === '' || !Number.isFinite(v))
    throw new OptionError(`${flag} ${JSON.stringify(text)} is not a number (example: ${flag} ${example})`);
  const { min, max, exclusiveMin, exclusiveMax } = range;
  const low = min !== undefined && (exclusiveMin ? v <= min : v < min);
  const high = max !== undefined && (exclusiveMax ? v >= max : v > max);
  if (low || high) {
    const lo = min === undefined ? '' : `${exclusiveMin ? '>' : '≥'} ${min}`;
    const hi = max === undefined ? '' : `${exclusiveMax ? '<' : '≤'} ${max}`;
    throw new OptionError(
      `${flag} ${JSON.stringify(text)}: expected a number ${[lo, hi].filter(Boolean).join(' and ')} (example: ${flag} ${example})`,
    );
  }
  return v;
}
