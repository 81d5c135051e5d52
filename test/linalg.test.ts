// The paper's products ·, ∘, •, ⊗, transpose and diag, against loops and hand-worked examples written here.
import { describe, expect, it } from 'vitest';
import { ShapeError } from '../packages/nabla/src/errors.js';
import { firstNonFinite, fromRows, Matrix, nonFiniteIndex } from '../packages/nabla/src/linalg/matrix.js';
import {
  add,
  bullet,
  diag,
  hadamard,
  kron,
  matmul,
  matmulNT,
  matmulTN,
  outer,
  transpose,
} from '../packages/nabla/src/linalg/products.js';
import { expectClose } from './helpers/close.js';
import {
  makeRandom,
  matrixOf,
  naiveMatmul,
  naiveTranspose,
  type Rows,
  randomRows,
  rowsOf,
} from './helpers/reference.js';

const SIZES = [0, 1, 2, 3, 5, 7, 17];

/** Small integers: every product and sum is exact in float64, so results must be bit-identical. */
function intRows(rand: () => number, rows: number, cols: number): Rows {
  return Array.from({ length: rows }, () => Array.from({ length: cols }, () => Math.floor(rand() * 19) - 9));
}

/** op(A)·op(B) by the textbook triple loop, dimensions explicit so that 0-sized cases keep their shape. */
function loopMatmul(opA: Rows, opB: Rows, rows: number, inner: number, cols: number): Matrix {
  const out = new Matrix(rows, cols);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      let s = 0;
      for (let p = 0; p < inner; p++) s += opA[i]![p]! * opB[p]![j]!;
      out.data[i * cols + j] = s;
    }
  }
  return out;
}

/** The transpose of an r×c matrix given as rows, stored as a c×r Matrix (written out; keeps 0-sized shapes). */
function storedTransposed(op: Rows, r: number, c: number): Matrix {
  const out = new Matrix(c, r);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) out.data[j * r + i] = op[i]![j]!;
  return out;
}

function errorOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ShapeError);
    return `${(e as Error).name}: ${(e as Error).message}`;
  }
  throw new Error('expected a ShapeError, nothing was thrown');
}

describe('matmul (A·B) against a naive triple loop, every transpose-flag combination', () => {
  const flags = [
    [false, false],
    [true, false],
    [false, true],
    [true, true],
  ] as const;

  it.each(flags)('transA = %s, transB = %s, sizes 0, 1, 2, 3, 5, 7, 17 (integers: exact)', (tA, tB) => {
    const rand = makeRandom(7);
    for (const rows of SIZES) {
      for (const inner of SIZES) {
        for (const cols of SIZES) {
          const opA = intRows(rand, rows, inner); // op(A) = rows × inner
          const opB = intRows(rand, inner, cols);
          // store A as op(A)ᵀ when transA, so that the product must transpose it back
          const A = tA ? storedTransposed(opA, rows, inner) : matrixOf(opA, inner);
          const B = tB ? storedTransposed(opB, inner, cols) : matrixOf(opB, cols);
          const got = matmul(A, B, { transA: tA, transB: tB });
          expect(got.rows).toBe(rows);
          expect(got.cols).toBe(cols);
          // integer entries below 10, at most 17 terms: exact, so tolerance 0
          expectClose(got, loopMatmul(opA, opB, rows, inner, cols), {
            label: `matmul ${rows}×${inner}·${inner}×${cols} tA=${tA} tB=${tB}`,
          });
        }
      }
    }
  });

  it.each(flags)('transA = %s, transB = %s with random reals', (tA, tB) => {
    const rand = makeRandom(11);
    for (const [rows, inner, cols] of [
      [17, 17, 17],
      [5, 7, 3],
      [1, 17, 2],
      [7, 1, 5],
    ] as const) {
      const opA = randomRows(rand, rows, inner, -1, 1);
      const opB = randomRows(rand, inner, cols, -1, 1);
      const got = matmul(matrixOf(tA ? naiveTranspose(opA) : opA), matrixOf(tB ? naiveTranspose(opB) : opB), {
        transA: tA,
        transB: tB,
      });
      // f64, summation order differs (the kernel splits dot products in two): relative error ~17·ε
      expectClose(got, naiveMatmul(opA, opB), { rtol: 1e-13, atol: 1e-14, label: `matmul reals tA=${tA} tB=${tB}` });
    }
  });

  it('matmulTN = Aᵀ·B and matmulNT = A·Bᵀ; accumulate adds to out', () => {
    const A = fromRows([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    const B = fromRows([
      [1, 0],
      [0, 1],
      [1, 1],
    ]);
    // Aᵀ·B = [[1+5, 3+5], [2+6, 4+6]] = [[6, 8], [8, 10]]
    expect(matmulTN(A, B).toRows()).toEqual([
      [6, 8],
      [8, 10],
    ]);
    // A·Bᵀ: rows of A dotted with rows of B: [[1, 2, 3], [3, 4, 7], [5, 6, 11]]
    expect(matmulNT(A, B).toRows()).toEqual([
      [1, 2, 3],
      [3, 4, 7],
      [5, 6, 11],
    ]);
    const out = fromRows([
      [100, 0],
      [0, 100],
    ]);
    matmul(A, B, { transA: true, out, accumulate: true });
    expect(out.toRows()).toEqual([
      [106, 8],
      [8, 110],
    ]);
    matmul(A, B, { transA: true, out }); // without accumulate, out is overwritten
    expect(out.toRows()).toEqual([
      [6, 8],
      [8, 10],
    ]);
  });
});

describe('Hadamard product A∘B', () => {
  it('multiplies entrywise, for every size', () => {
    const rand = makeRandom(3);
    for (const r of SIZES) {
      for (const c of [0, 1, 3, 17]) {
        const a = randomRows(rand, r, c, -2, 2);
        const b = randomRows(rand, r, c, -2, 2);
        const expected = a.map((row, i) => row.map((x, j) => x * b[i]![j]!));
        // one multiplication per entry: exactly the same rounding
        expectClose(hadamard(matrixOf(a, c), matrixOf(b, c)), matrixOf(expected, c), { label: `hadamard ${r}×${c}` });
      }
    }
  });

  it('hand example', () => {
    const A = fromRows([
      [1, -2],
      [3, 0.5],
    ]);
    const B = fromRows([
      [4, 5],
      [-1, 8],
    ]);
    expect(hadamard(A, B).toRows()).toEqual([
      [4, -10],
      [-3, 4],
    ]);
  });
});

describe('the inverted product A•B = B·A', () => {
  it('equals B·A computed by the triple loop (column A, matrix B)', () => {
    const rand = makeRandom(5);
    for (const n of SIZES) {
      for (const m of [1, 2, 7]) {
        const Bm = intRows(rand, m, n);
        const Acol = intRows(rand, n, 1);
        expectClose(bullet(matrixOf(Acol, 1), matrixOf(Bm, n)), loopMatmul(Bm, Acol, m, n, 1), {
          label: `bullet n=${n} m=${m}`,
        }); // integers: exact
      }
    }
  });

  it('hand example: [1, 2]ᵀ • [[1, 1], [0, 3], [2, -1]] = [[1, 1], [0, 3], [2, -1]]·[1, 2]ᵀ = [3, 6, 0]ᵀ', () => {
    const A = fromRows([[1], [2]]);
    const B = fromRows([
      [1, 1],
      [0, 3],
      [2, -1],
    ]);
    // row 1: 1·1 + 1·2 = 3;  row 2: 0·1 + 3·2 = 6;  row 3: 2·1 + (−1)·2 = 0
    expect(bullet(A, B).toRows()).toEqual([[3], [6], [0]]);
  });
});

describe('Kronecker product A⊗B', () => {
  it('hand-worked 2×2 ⊗ 2×2, with the block structure [[a11·B, a12·B], [a21·B, a22·B]]', () => {
    const A = fromRows([
      [1, 2],
      [3, 4],
    ]);
    const B = fromRows([
      [0, 5],
      [6, 7],
    ]);
    // A⊗B = | 1·B  2·B |   1·B = [[0, 5], [6, 7]]     2·B = [[0, 10], [12, 14]]
    //       | 3·B  4·B |   3·B = [[0, 15], [18, 21]]  4·B = [[0, 20], [24, 28]]
    expect(kron(A, B).toRows()).toEqual([
      [0, 5, 0, 10],
      [6, 7, 12, 14],
      [0, 15, 0, 20],
      [18, 21, 24, 28],
    ]);
  });

  it("hand-worked 1×3 ⊗ 2×1 (the Σ_{i−1}ᵀ ⊗ Σ'_i shape of eq. (4)) is the outer product column·row", () => {
    const rowT = fromRows([[1, -2, 3]]);
    const col = fromRows([[2], [5]]);
    // [1, −2, 3] ⊗ [2, 5]ᵀ = [[1·2, −2·2, 3·2], [1·5, −2·5, 3·5]]
    const expected = [
      [2, -4, 6],
      [5, -10, 15],
    ];
    expect(kron(rowT, col).toRows()).toEqual(expected);
    expect(outer(col, fromRows([[1], [-2], [3]])).toRows()).toEqual(expected);
  });

  it('hand-worked 2×1 ⊗ 1×2', () => {
    // [a; b] ⊗ [c, d] = [[a·c, a·d], [b·c, b·d]]
    expect(kron(fromRows([[2], [3]]), fromRows([[5, 7]])).toRows()).toEqual([
      [10, 14],
      [15, 21],
    ]);
  });

  it('entry (i·r + u, j·s + v) is a_ij·b_uv for random shapes, including empty ones', () => {
    const rand = makeRandom(9);
    for (const [p, q, r, s] of [
      [0, 2, 3, 1],
      [2, 0, 1, 1],
      [1, 1, 1, 1],
      [3, 2, 2, 5],
      [1, 7, 5, 1],
    ] as const) {
      const a = randomRows(rand, p, q, -1, 1);
      const b = randomRows(rand, r, s, -1, 1);
      const got = kron(matrixOf(a, q), matrixOf(b, s));
      expect([got.rows, got.cols]).toEqual([p * r, q * s]);
      const expected: Rows = Array.from({ length: p * r }, (_, R) =>
        Array.from({ length: q * s }, (_, C) => a[Math.floor(R / r)]![Math.floor(C / s)]! * b[R % r]![C % s]!),
      );
      expectClose(got, matrixOf(expected, q * s), { label: `kron ${p}×${q} ⊗ ${r}×${s}` }); // one product per entry: exact
    }
  });
});

describe('transpose and diag', () => {
  it('transpose swaps rows and columns, every size', () => {
    const rand = makeRandom(4);
    for (const r of SIZES) {
      for (const c of SIZES) {
        const a = randomRows(rand, r, c, -1, 1);
        const t = transpose(matrixOf(a, c));
        expect([t.rows, t.cols]).toEqual([c, r]);
        expectClose(t, storedTransposed(a, r, c), { label: `transpose ${r}×${c}` }); // a copy: exact
      }
    }
    expect(transpose(fromRows([[1, 2, 3]])).toRows()).toEqual([[1], [2], [3]]);
  });

  it("diag makes the square \\hat Σ' with the column on the diagonal", () => {
    expect(diag(fromRows([[2], [-3], [0.5]])).toRows()).toEqual([
      [2, 0, 0],
      [0, -3, 0],
      [0, 0, 0.5],
    ]);
    expect(diag(new Matrix(0, 1)).rows).toBe(0);
    expect(rowsOf(diag(fromRows([[7]])))).toEqual([[7]]);
  });
});

describe('shape errors name the operation, the symbols and both shapes', () => {
  const A23 = new Matrix(2, 3);
  const B23 = new Matrix(2, 3);
  const C41 = new Matrix(4, 1);

  it('matmul', () => {
    expect(errorOf(() => matmul(A23, B23))).toMatchInlineSnapshot(
      `"ShapeError: A · B: A is 2×3 but B is 2×3; expected B to have 3 rows"`,
    );
    expect(errorOf(() => matmul(A23, B23, { names: ['W_2', 'Σ_1'] }))).toMatchInlineSnapshot(
      `"ShapeError: W_2 · Σ_1: W_2 is 2×3 but Σ_1 is 2×3; expected Σ_1 to have 3 rows"`,
    );
    expect(errorOf(() => matmul(A23, C41, { transA: true, names: ['W_3', 'Δ_3'] }))).toMatchInlineSnapshot(
      `"ShapeError: W_3ᵀ · Δ_3: W_3ᵀ is 3×2 but Δ_3 is 4×1; expected Δ_3 to have 2 rows"`,
    );
    expect(errorOf(() => matmul(A23, new Matrix(4, 2), { transB: true, names: ['Δ_2', 'Σ_1'] }))).toMatchInlineSnapshot(
      `"ShapeError: Δ_2 · Σ_1ᵀ: Δ_2 is 2×3 but Σ_1ᵀ is 2×4; expected Σ_1ᵀ to have 3 rows"`,
    );
    expect(errorOf(() => matmul(new Matrix(4, 2), A23, { transA: true, transB: true }))).toMatchInlineSnapshot(
      `"ShapeError: Aᵀ · Bᵀ: Aᵀ is 2×4 but Bᵀ is 3×2; expected Bᵀ to have 4 rows"`,
    );
    expect(errorOf(() => matmul(A23, B23, { out: new Matrix(3, 3), transB: true }))).toMatchInlineSnapshot(
      `"ShapeError: A · Bᵀ: the output matrix is 3×3, expected 2×2"`,
    );
  });

  it('hadamard, bullet, diag, outer, add', () => {
    expect(errorOf(() => hadamard(A23, C41, { names: ['W_3ᵀ·Δ_3', "Σ'_2"] }))).toMatchInlineSnapshot(
      `"ShapeError: W_3ᵀ·Δ_3 ∘ Σ'_2: W_3ᵀ·Δ_3 is 2×3 but Σ'_2 is 4×1; expected the same shape"`,
    );
    expect(errorOf(() => hadamard(A23, B23, { out: C41 }))).toMatchInlineSnapshot(
      `"ShapeError: A ∘ B: the output matrix is 4×1, expected 2×3"`,
    );
    // regression: a wrong `out` used to be reported as an operand mismatch ("expected A to have 3 rows", which it has)
    expect(errorOf(() => bullet(new Matrix(3, 1), A23, { out: new Matrix(5, 5) }))).toMatchInlineSnapshot(
      `"ShapeError: B · A: the output matrix is 5×5, expected 2×1"`,
    );
    expect(errorOf(() => bullet(C41, A23, { names: ["Σ'_3", 'W_3ᵀ'] }))).toMatchInlineSnapshot(
      `"ShapeError: Σ'_3 • W_3ᵀ (= W_3ᵀ · Σ'_3): W_3ᵀ is 2×3 but Σ'_3 is 4×1; expected Σ'_3 to have 3 rows"`,
    );
    expect(errorOf(() => diag(A23, "Σ'_2"))).toMatchInlineSnapshot(
      `"ShapeError: diag(Σ'_2): Σ'_2 is 2×3, expected a column (n×1)"`,
    );
    expect(errorOf(() => outer(A23, C41))).toMatchInlineSnapshot(
      `"ShapeError: outer(a, b): expected two columns, found 2×3 and 4×1"`,
    );
    expect(errorOf(() => add(A23, C41, ['∇W_1', 'g']))).toMatchInlineSnapshot(
      `"ShapeError: ∇W_1 + g: ∇W_1 is 2×3 but g is 4×1; expected the same shape"`,
    );
  });
});

describe('the finiteness scan', () => {
  it('finds the first NaN or ±∞ by index, over all entries or one every stride, at every position of the unrolled loop', () => {
    for (const n of [0, 1, 3, 4, 5, 8, 9, 13]) {
      expect(nonFiniteIndex(new Float32Array(n))).toBe(-1);
      for (let at = 0; at < n; at++) {
        for (const bad of [Number.NaN, Infinity, -Infinity]) {
          const x = new Float64Array(n).fill(1.5);
          x[at] = bad;
          expect(nonFiniteIndex(x), `n ${n} at ${at}`).toBe(at);
          // a column of an n × 3 matrix: entries 0, 3, 6, …; a bad value off the column is not seen
          const m = new Float32Array(3 * n).fill(-2);
          m[3 * at + 1] = bad;
          expect(nonFiniteIndex(m, n, 3), `column, n ${n}`).toBe(-1);
          m[3 * at] = bad;
          expect(nonFiniteIndex(m, n, 3), `column, n ${n} at ${at}`).toBe(3 * at);
        }
      }
    }
    expect(firstNonFinite(new Matrix(2, 2, Float64Array.from([1, 2, 3, Number.NaN])))).toEqual({
      row: 1,
      col: 1,
      value: Number.NaN,
    });
  });
});
