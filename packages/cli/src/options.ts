/**
 * Parsing option values given as text. Every mistake is an OptionError (exit status 2) that names the flag,
 * the value and what would be accepted, e.g. `--widths "3,x": "x" is not a whole number (example: --widths 3,4,1)`.
 */
import { OptionError } from 'nabla';

/** A comma-separated list of whole numbers ≥ 1, at least `min` of them. */
export function parseIntList(flag: string, text: string, example: string, min = 1): number[] {
  const items = text.split(',').map((s) => s.trim());
  const out = items.map((s) => {
    if (!/^\d+$/.test(s)) {
      throw new OptionError(
        `${flag} ${JSON.stringify(text)}: ${s === '' ? 'an empty item' : JSON.stringify(s)} is not a whole number (example: ${flag} ${example})`,
      );
    }
    return Number(s);
  });
  if (out.length < min)
    throw new OptionError(
      `${flag} ${JSON.stringify(text)}: give at least ${min} numbers (example: ${flag} ${example})`,
    );
  return out;
}

/** A whole number, optionally within [range.min, range.max]. */
export function parseInteger(
  flag: string,
  text: string,
  example: string,
  range?: { min: number; max: number },
): number {
  const s = text.trim();
  if (!/^-?\d+$/.test(s) || !Number.isSafeInteger(Number(s))) {
    throw new OptionError(`${flag} ${JSON.stringify(text)}: expected a whole number (example: ${flag} ${example})`);
  }
  const v = Number(s);
  if (range && (v < range.min || v > range.max)) {
    throw new OptionError(
      `${flag} ${JSON.stringify(text)}: expected a whole number from ${range.min} to ${range.max} (example: ${flag} ${example})`,
    );
  }
  return v;
}

/** Repeatable option values. */
export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
