// The comparison helper must fail when it should (a checker that never fails proves nothing).
import { describe, expect, it } from 'vitest';
import { Matrix } from '../packages/nabla/src/linalg/matrix.js';
import { compareClose, expectClose } from './helpers/close.js';

const m = (rows: number, cols: number, values: number[]) => new Matrix(rows, cols, Float64Array.from(values));

describe('expectClose', () => {
  it('accepts equal values, values within atol + rtol·|expected|, and all three input kinds', () => {
    expectClose(m(2, 2, [1, 2, 3, 4]), [
      [1, 2],
      [3, 4],
    ]);
    expectClose([[1 + 1e-10, 2]], [[1, 2]], { rtol: 1e-9 }); // 1e-10 ≤ 1e-9·1
    expectClose([[1e-13]], [[0]], { atol: 1e-12 });
    expectClose(0.1 + 0.2, 0.3, { rtol: 1e-15 }); // 5.6e-17 ≤ 3e-16
    expectClose([], []);
  });

  it('fails on shape before values, naming both shapes', () => {
    expect(() =>
      expectClose(m(2, 3, [0, 0, 0, 0, 0, 0]), m(3, 2, [0, 0, 0, 0, 0, 0]), { label: 'gradW[2]' }),
    ).toThrowErrorMatchingInlineSnapshot(`[Error: gradW[2]: shape mismatch: actual is 2×3, expected 3×2]`);
    expect(compareClose(m(1, 1, [0]), 0).ok).toBe(true); // a number is a 1×1 matrix
    expect(compareClose(m(1, 2, [0, 0]), 0).ok).toBe(false);
  });

  it('reports label, first failing (row, col), actual, expected, |diff|, allowed and max error', () => {
    const actual = [
      [1, 2],
      [3.5, 4.25],
    ];
    const expected = [
      [1, 2],
      [3, 4],
    ];
    expect(() => expectClose(actual, expected, { atol: 0.125, rtol: 0, label: 'backward: gradW[2]' })).toThrow(
      new Error(
        'backward: gradW[2]: not close at (1, 0): actual 3.5, expected 3, |diff| 0.5 > allowed 0.125 ' +
          '(atol 0.125 + rtol 0·|expected|); 2 of 4 entries fail; max |diff| over all entries 0.5 at (1, 0) [shape 2×2]',
      ),
    );
    const rep = compareClose([[0, 1e-3]], [[0, 0]], { atol: 1e-9 });
    expect(rep.ok).toBe(false);
    expect(rep.maxError).toBe(1e-3);
    expect(rep.maxRatio).toBeCloseTo(1e6, 3);
  });

  it('fails just outside the tolerance and passes just inside it', () => {
    expect(compareClose(1.001, 1, { rtol: 1e-3 * 0.99 }).ok).toBe(false);
    expect(compareClose(1.001, 1, { rtol: 1e-3 * 1.01 }).ok).toBe(true);
    expect(compareClose(-2, 2, { rtol: 0.5, atol: 1 }).ok).toBe(false); // sign matters: |diff| 4 > 2
  });

  it('NaN never equals anything (unless nanEqual), ±Infinity equals only itself', () => {
    expect(compareClose(Number.NaN, Number.NaN, { rtol: 1, atol: 1 }).ok).toBe(false);
    expect(compareClose(Number.NaN, 0, { atol: Infinity }).ok).toBe(false);
    expect(compareClose(0, Number.NaN, { atol: Infinity }).ok).toBe(false);
    expect(compareClose(Number.NaN, Number.NaN, { nanEqual: true }).ok).toBe(true);
    expect(compareClose(Infinity, Infinity).ok).toBe(true);
    expect(compareClose(-Infinity, -Infinity).ok).toBe(true);
    expect(compareClose(Infinity, -Infinity, { atol: Infinity }).ok).toBe(false);
    expect(compareClose(Infinity, 1e308, { rtol: 1 }).ok).toBe(false);
    expect(compareClose(1e308, Infinity, { rtol: 1 }).ok).toBe(false);
    expect(() => expectClose([[1, Number.NaN]], [[1, 2]], { label: 'f' })).toThrow(
      /f: not close at \(0, 1\): actual NaN, expected 2/,
    );
  });
});
