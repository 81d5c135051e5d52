/**
 * RMatrix: a matrix of rational numbers (row-major, immutable), the exact counterpart of linalg's Matrix.
 * Samples are columns, as in the paper.
 */
import { DataError, ShapeError } from '../errors.js';
import {
  Fraction,
  formatRational,
  parseRational,
  type Rational,
  rationalFromNumber,
  rationalToNumber,
} from './rational.js';

/** What an entry may be given as: a Fraction, an integer (number or bigint), a finite number (read as its decimal) or text. */
export type RationalInput = Rational | number | bigint | string;

export function toRational(v: RationalInput, where = 'value'): Rational {
  if (v instanceof Fraction) return v;
  if (typeof v === 'bigint') return new Fraction(v);
  if (typeof v === 'number') return rationalFromNumber(v, where);
  if (typeof v === 'string') {
    const r = parseRational(v);
    if (r === undefined)
      throw new DataError(
        `${where}: ${JSON.stringify(v)} is not a number (expected a fraction like 3/4 or a decimal like 0.75)`,
      );
    return r;
  }
  throw new DataError(`${where}: expected a number, found ${typeof v}`);
}

/** A matrix of exact rationals, row-major, the exact twin of `Matrix`; the products are `rmatmul`, `rhadamard`, …. */
export class RMatrix {
  /** Number of rows. */
  readonly rows: number;
  /** Number of columns. */
  readonly cols: number;
  /** The entries, row-major (frozen). */
  readonly data: readonly Rational[];

  constructor(rows: number, cols: number, data: readonly Rational[]) {
    if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols < 0) {
      throw new ShapeError(`RMatrix: shape ${rows}×${cols} is not a pair of non-negative integers`);
    }
    if (data.length !== rows * cols)
      throw new ShapeError(`RMatrix: ${rows}×${cols} needs ${rows * cols} entries, found ${data.length}`);
    this.rows = rows;
    this.cols = cols;
    this.data = Object.freeze([...data]);
  }

  /** The shape as text, e.g. '3×2'. */
  get shape(): string {
    return `${this.rows}×${this.cols}`;
  }

  /** The entry at row r, column c (from 0); throws `ShapeError` outside the matrix. */
  get(r: number, c: number): Rational {
    const v = this.data[r * this.cols + c];
    if (v === undefined || r < 0 || c < 0 || r >= this.rows || c >= this.cols) {
      throw new ShapeError(`RMatrix.get(${r}, ${c}): outside the ${this.shape} matrix`);
    }
    return v;
  }

  /** The entries as rows. */
  toRows(): Rational[][] {
    return Array.from({ length: this.rows }, (_, r) => this.data.slice(r * this.cols, (r + 1) * this.cols));
  }

  /** Entries as "3/4" text, row by row (the exercise file's form). */
  toStrings(): string[][] {
    return this.toRows().map((row) => row.map(formatRational));
  }

  /** Entries as the nearest float64 numbers. */
  toNumbers(): number[][] {
    return this.toRows().map((row) => row.map(rationalToNumber));
  }

  /** Column c as an n×1 matrix. */
  column(c: number): RMatrix {
    return new RMatrix(
      this.rows,
      1,
      Array.from({ length: this.rows }, (_, r) => this.get(r, c)),
    );
  }

  /** Whether `other` has the same shape and the same entries, exactly. */
  equals(other: RMatrix): boolean {
    return other.rows === this.rows && other.cols === this.cols && this.data.every((v, i) => v.equals(other.data[i]!));
  }

  /** The entries as '3/4' text, one line per row. */
  toString(): string {
    return this.toStrings()
      .map((row) => row.join('  '))
      .join('\n');
  }
}

/** A rational matrix from rows of entries (fractions, integers, decimals or text); `name` is used in messages. */
export function rmatrix(rows: readonly (readonly RationalInput[])[], name = 'matrix'): RMatrix {
  const r = rows.length;
  const c = r === 0 ? 0 : rows[0]!.length;
  const data: Rational[] = [];
  rows.forEach((row, i) => {
    if (!Array.isArray(row)) throw new DataError(`${name}: row ${i + 1} is not an array`);
    if (row.length !== c)
      throw new ShapeError(`${name}: row ${i + 1} has ${row.length} entries, expected ${c} like row 1`);
    row.forEach((v, j) => data.push(toRational(v, `${name}, row ${i + 1}, column ${j + 1}`)));
  });
  return new RMatrix(r, c, data);
}

/** An n×1 column. */
export function rcolumn(values: readonly RationalInput[], name = 'column'): RMatrix {
  return rmatrix(
    values.map((v) => [v]),
    name,
  );
}

export function rzeros(rows: number, cols: number): RMatrix {
  return new RMatrix(rows, cols, new Array<Rational>(rows * cols).fill(new Fraction(0)));
}

export function rones(rows: number, cols: number): RMatrix {
  return new RMatrix(rows, cols, new Array<Rational>(rows * cols).fill(new Fraction(1)));
}

/** The rational matrix of a float64 matrix given as rows (each entry read as its shortest decimal). */
export function rmatrixFromNumbers(rows: readonly (readonly number[])[], name = 'matrix'): RMatrix {
  return rmatrix(rows, name);
}
