/**
 * The matrix type: a row-major typed array plus its shape. Samples are columns, as in the paper, so a
 * batch X of B samples is n_0 × B, and row j of N_i holds neuron j's values for every sample, contiguous.
 */
import { DataError, ShapeError } from '../errors.js';
import type { DType, FloatArray } from '../kernels/types.js';

// the storage types are the kernels' (the layer below); re-exported so that linalg's importers keep their path
export type { DType, FloatArray } from '../kernels/types.js';

/**
 * A dense row-major matrix (rows × cols) over a Float32Array or Float64Array; the paper's W_i, N_i, Σ_i, Δ_i are Matrices,
 * with samples as columns. The constructor uses `data` as given (no copy); without it the matrix is a float64 zero matrix.
 */
export class Matrix {
  /** Number of rows. */
  readonly rows: number;
  /** Number of columns. */
  readonly cols: number;
  /** The rows × cols entries, row-major: entry (r, c) is data[r·cols + c]. */
  readonly data: FloatArray;

  constructor(rows: number, cols: number, data?: FloatArray) {
    if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols < 0) {
      throw new ShapeError(`Matrix: shape ${rows}×${cols} is not a pair of non-negative integers`);
    }
    const d = data ?? new Float64Array(rows * cols);
    if (d.length !== rows * cols) {
      throw new ShapeError(`Matrix: ${rows}×${cols} needs ${rows * cols} numbers, found ${d.length}`);
    }
    this.rows = rows;
    this.cols = cols;
    this.data = d;
  }

  /** The precision of `data`: `'float32'` for a Float32Array, otherwise `'float64'`. */
  get dtype(): DType {
    return this.data instanceof Float32Array ? 'float32' : 'float64';
  }

  /** The shape as text, `rows×cols` (e.g. `"3×2"`), for messages. */
  get shape(): string {
    return `${this.rows}×${this.cols}`;
  }

  /** Entry (r, c), 0-based; the indices are not checked. */
  get(r: number, c: number): number {
    return this.data[r * this.cols + c]!;
  }

  /** Sets entry (r, c), 0-based, to v; the indices are not checked. */
  set(r: number, c: number, v: number): void {
    this.data[r * this.cols + c] = v;
  }

  /** The matrix as an array of rows (a plain, JSON-ready copy). */
  toRows(): number[][] {
    const out: number[][] = [];
    for (let r = 0; r < this.rows; r++) out.push(Array.from(this.data.subarray(r * this.cols, (r + 1) * this.cols)));
    return out;
  }

  /** Column c as an n×1 matrix (a copy). */
  column(c: number): Matrix {
    const out = new Matrix(this.rows, 1, newArray(this.dtype, this.rows));
    for (let r = 0; r < this.rows; r++) out.data[r] = this.data[r * this.cols + c]!;
    return out;
  }

  /** A copy with the same shape, precision and entries. */
  clone(): Matrix {
    return new Matrix(this.rows, this.cols, this.data.slice());
  }

  /** A copy in the given precision. */
  as(dtype: DType): Matrix {
    if (dtype === this.dtype) return this.clone();
    return new Matrix(
      this.rows,
      this.cols,
      dtype === 'float32' ? Float32Array.from(this.data) : Float64Array.from(this.data),
    );
  }

  /** The entries as text, one line per row, each entry to 6 significant digits, separated by two spaces. */
  toString(): string {
    return this.toRows()
      .map((row) => row.map((v) => v.toPrecision(6)).join('  '))
      .join('\n');
  }
}

/** A zero-filled array of `length` numbers in the given precision. */
export function newArray(dtype: DType, length: number): FloatArray {
  return dtype === 'float32' ? new Float32Array(length) : new Float64Array(length);
}

/** The rows × cols zero matrix in the given precision (default float64). */
export function zeros(rows: number, cols: number, dtype: DType = 'float64'): Matrix {
  return new Matrix(rows, cols, newArray(dtype, rows * cols));
}

/**
 * A matrix from arrays of equal length that are its rows, or (`byColumns`) its columns; every entry must be a
 * finite number. Errors name the matrix, the array and the entry.
 */
function fromArrays(arrays: readonly (readonly number[])[], byColumns: boolean, name: string, dtype: DType): Matrix {
  const count = arrays.length;
  const length = count === 0 ? 0 : arrays[0]!.length;
  const what = byColumns ? 'column' : 'row';
  const out = byColumns ? zeros(length, count, dtype) : zeros(count, length, dtype);
  for (let a = 0; a < count; a++) {
    const arr = arrays[a]!;
    if (arr.length !== length)
      throw new ShapeError(`${name}: ${what} ${a} has ${arr.length} numbers, expected ${length} like ${what} 0`);
    for (let e = 0; e < length; e++) {
      const v = arr[e]!;
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        const found = typeof v === 'number' ? String(v) : JSON.stringify(v);
        throw new DataError(
          byColumns
            ? `${name}: sample ${a}, entry ${e}: expected a finite number, found ${found}`
            : `${name}[${a}][${e}]: expected a finite number, found ${found}`,
        );
      }
      out.data[byColumns ? e * count + a : a * length + e] = v;
    }
  }
  return out;
}

/** A matrix from an array of rows, each of the same length. `name` is used in error messages. */
export function fromRows(rows: readonly (readonly number[])[], name = 'matrix', dtype: DType = 'float64'): Matrix {
  return fromArrays(rows, false, name, dtype);
}

/** An n×1 column from an array of n numbers. */
export function columnOf(values: readonly number[], name = 'column', dtype: DType = 'float64'): Matrix {
  return fromRows(
    values.map((v) => [v]),
    name,
    dtype,
  );
}

/** A matrix whose columns are the given arrays (samples as columns). */
export function fromColumns(cols: readonly (readonly number[])[], name = 'matrix', dtype: DType = 'float64'): Matrix {
  return fromArrays(cols, true, name, dtype);
}

/** The n × n identity matrix in the given precision (default float64). */
export function identity(n: number, dtype: DType = 'float64'): Matrix {
  const out = zeros(n, n, dtype);
  for (let i = 0; i < n; i++) out.data[i * n + i] = 1;
  return out;
}

/** Largest |a − b| over all entries (shapes must agree). */
export function maxAbsDiff(a: Matrix, b: Matrix): number {
  if (a.rows !== b.rows || a.cols !== b.cols)
    throw new ShapeError(`maxAbsDiff: shapes ${a.shape} and ${b.shape} differ`);
  let m = 0;
  for (let i = 0; i < a.data.length; i++) {
    const d = Math.abs(a.data[i]! - b.data[i]!);
    if (d > m || Number.isNaN(d)) m = Number.isNaN(d) ? Number.NaN : d;
    if (Number.isNaN(m)) return m;
  }
  return m;
}

/** The first non-finite entry, or undefined when all are finite. */
export function firstNonFinite(m: Matrix): { row: number; col: number; value: number } | undefined {
  const i = nonFiniteIndex(m.data);
  return i < 0 ? undefined : { row: Math.floor(i / m.cols), col: i % m.cols, value: m.data[i]! };
}

/**
 * The index of the first NaN or ±∞ among n entries of x read `stride` apart (x[0], x[stride], …; all of x by
 * default), or −1: the check behind every "never a silent NaN" (inputs, a column of ∇_{W_1} L after a backward pass,
 * the weights after an epoch), so it is written for speed. v − v is 0 for a finite v and NaN otherwise; four running
 * sums keep four additions in flight (one sum would wait on each addition's latency), and only an array with a
 * non-finite value is scanned a second time for its position.
 */
export function nonFiniteIndex(x: FloatArray, n = x.length, stride = 1): number {
  let a = 0;
  let b = 0;
  let c = 0;
  let d = 0;
  const end = n * stride;
  const step = 4 * stride;
  let j = 0;
  for (; j + 3 * stride < end; j += step) {
    const v0 = x[j]!;
    const v1 = x[j + stride]!;
    const v2 = x[j + 2 * stride]!;
    const v3 = x[j + 3 * stride]!;
    a += v0 - v0;
    b += v1 - v1;
    c += v2 - v2;
    d += v3 - v3;
  }
  for (; j < end; j += stride) a += x[j]! - x[j]!;
  if (a + b + c + d === 0) return -1;
  for (j = 0; j < end; j += stride) if (x[j]! - x[j]! !== 0) return j;
  return -1;
}
