/**
 * The one comparison helper of the test suite (STYLE.md §1.6): shape first, then |actual − expected| ≤ atol +
 * rtol·|expected| entry by entry; NaN equals nothing (unless `nanEqual`), ±Infinity only itself. A failure names the
 * label, the first failing entry, the allowed amount and the largest |diff|.
 */
import { Matrix } from '../../packages/nabla/src/linalg/matrix.js';

export type Comparable = Matrix | readonly (readonly number[])[] | number;

export interface CloseOptions {
  rtol?: number;
  atol?: number;
  /** Names the comparison in the failure message, e.g. "recursive vs numeric: ∇W_2". */
  label?: string;
  /** Treat NaN as equal to NaN (default false). */
  nanEqual?: boolean;
}

export interface CloseReport {
  ok: boolean;
  /** Empty when ok. */
  message: string;
  /** Largest |actual − expected| over all entries (Infinity when a non-finite pair differs, NaN on shape mismatch). */
  maxError: number;
  /** Largest |actual − expected| / (atol + rtol·|expected|) over all entries: ≤ 1 means close. */
  maxRatio: number;
}

interface Grid {
  rows: number;
  cols: number;
  at(r: number, c: number): number;
}

function toGrid(x: Comparable, which: string): Grid {
  if (typeof x === 'number') return { rows: 1, cols: 1, at: () => x };
  if (x instanceof Matrix) return { rows: x.rows, cols: x.cols, at: (r, c) => x.data[r * x.cols + c]! };
  const rows = x.length;
  const cols = rows === 0 ? 0 : x[0]!.length;
  x.forEach((row, r) => {
    if (row.length !== cols)
      throw new Error(`expectClose: ${which} row ${r} has ${row.length} entries, row 0 has ${cols}`);
  });
  return { rows, cols, at: (r, c) => x[r]![c]! };
}

const fmt = (v: number) => String(v);

/** Compares without throwing (used where a test must show that a comparison FAILS). */
export function compareClose(actual: Comparable, expected: Comparable, opts: CloseOptions = {}): CloseReport {
  const rtol = opts.rtol ?? 0;
  const atol = opts.atol ?? 0;
  const label = opts.label ?? 'value';
  const a = toGrid(actual, 'actual');
  const e = toGrid(expected, 'expected');
  if (a.rows !== e.rows || a.cols !== e.cols) {
    return {
      ok: false,
      message: `${label}: shape mismatch: actual is ${a.rows}×${a.cols}, expected ${e.rows}×${e.cols}`,
      maxError: Number.NaN,
      maxRatio: Number.POSITIVE_INFINITY,
    };
  }
  let first: { r: number; c: number; av: number; ev: number; diff: number; allowed: number } | undefined;
  let maxError = 0;
  let maxAt: [number, number] | undefined;
  let maxRatio = 0;
  let failures = 0;
  for (let r = 0; r < a.rows; r++) {
    for (let c = 0; c < a.cols; c++) {
      const av = a.at(r, c);
      const ev = e.at(r, c);
      let diff: number;
      let allowed: number;
      let pass: boolean;
      if (Number.isNaN(av) || Number.isNaN(ev)) {
        pass = opts.nanEqual === true && Number.isNaN(av) && Number.isNaN(ev);
        diff = pass ? 0 : Number.POSITIVE_INFINITY;
        allowed = 0;
      } else if (!Number.isFinite(av) || !Number.isFinite(ev)) {
        pass = av === ev; // ±Infinity equals only itself
        diff = pass ? 0 : Number.POSITIVE_INFINITY;
        allowed = 0;
      } else {
        diff = Math.abs(av - ev);
        allowed = atol + rtol * Math.abs(ev);
        pass = diff <= allowed;
      }
      const ratio = diff === 0 ? 0 : allowed === 0 ? Number.POSITIVE_INFINITY : diff / allowed;
      if (ratio > maxRatio) maxRatio = ratio;
      if (maxAt === undefined || diff > maxError) {
        maxError = diff;
        maxAt = [r, c];
      }
      if (!pass) {
        failures++;
        first ??= { r, c, av, ev, diff, allowed };
      }
    }
  }
  if (!first) return { ok: true, message: '', maxError, maxRatio };
  const message =
    `${label}: not close at (${first.r}, ${first.c}): actual ${fmt(first.av)}, expected ${fmt(first.ev)}, ` +
    `|diff| ${fmt(first.diff)} > allowed ${fmt(first.allowed)} (atol ${atol} + rtol ${rtol}·|expected|); ` +
    `${failures} of ${a.rows * a.cols} entries fail; max |diff| over all entries ${fmt(maxError)}` +
    (maxAt ? ` at (${maxAt[0]}, ${maxAt[1]})` : '') +
    ` [shape ${a.rows}×${a.cols}]`;
  return { ok: false, message, maxError, maxRatio };
}

/** Throws (failing the test) unless `actual` and `expected` have the same shape and are close entry by entry. */
export function expectClose(actual: Comparable, expected: Comparable, opts: CloseOptions = {}): void {
  const rep = compareClose(actual, expected, opts);
  if (!rep.ok) throw new Error(rep.message);
}
