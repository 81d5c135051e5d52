/**
 * Printing numbers and matrices for people: significant digits without trailing zeros, and each matrix
 * column aligned on the decimal point so a column of N_i or Δ_i (one sample) reads straight down.
 */

import type { Matrix } from 'nabla/paper';
import { formatDecimal } from 'nabla/teach';

/** `v` with `precision` significant digits, trailing zeros dropped (the same rule as the derivations use). */
export const formatNumber = formatDecimal;

/** Splits "−12.5e-3" into the part before the decimal point and the rest, for alignment. */
function split(s: string): [string, string] {
  const m = /[.e]/.exec(s);
  return m ? [s.slice(0, m.index), s.slice(m.index)] : [s, ''];
}

/**
 * A matrix as lines `[ a  b  c ]`, one per row, every column aligned on its decimal point.
 * `indent` is put in front of each line.
 */
export function formatMatrix(m: Matrix | readonly (readonly number[])[], precision: number, indent = '  '): string {
  const rows = Array.isArray(m) ? (m as readonly (readonly number[])[]) : (m as Matrix).toRows();
  if (rows.length === 0 || rows[0]!.length === 0) return `${indent}(empty)`;
  const cells = rows.map((r) => r.map((v) => split(formatNumber(v, precision))));
  const cols = cells[0]!.length;
  const left = Array.from({ length: cols }, (_, c) => Math.max(...cells.map((r) => r[c]![0].length)));
  const right = Array.from({ length: cols }, (_, c) => Math.max(...cells.map((r) => r[c]![1].length)));
  return cells
    .map((r) => `${indent}[ ${r.map(([a, b], c) => a.padStart(left[c]!) + b.padEnd(right[c]!)).join('  ')} ]`)
    .join('\n');
}

/** "3×2". */
export function shapeOf(m: Matrix): string {
  return `${m.rows}×${m.cols}`;
}
