/**
 * A sequence indexed as in the paper: W_1 … W_k, Σ_0 … Σ_k, Δ_1 … Δ_{k+1}. Asking for an index the paper
 * does not define for that symbol throws, naming the symbol and the valid range.
 */
import { NablaError } from '../errors.js';

/**
 * A sequence of values (matrices, columns, …) indexed as in the paper from `first` to `last`, e.g. W_1 … W_k or Σ_0 … Σ_k;
 * an index outside that range, or an entry not yet set, throws a `NablaError` with code `'range'`.
 */
export class Layers<T> {
  /** The paper's symbol for the entries (e.g. `'W'`, `'Σ'`, `'Δ'`), used in error messages. */
  readonly symbol: string;
  /** The first paper index (e.g. 1 for W_1, 0 for Σ_0). */
  readonly first: number;
  /** The last paper index, inclusive (e.g. k for W_k, k + 1 for Δ_{k+1}). */
  readonly last: number;
  private readonly items: (T | undefined)[];

  constructor(symbol: string, first: number, last: number, items?: readonly T[]) {
    this.symbol = symbol;
    this.first = first;
    this.last = last;
    this.items = new Array<T | undefined>(last - first + 1).fill(undefined);
    if (items) {
      if (items.length !== last - first + 1) {
        throw new NablaError(
          'range',
          `${symbol}: expected ${last - first + 1} entries (${symbol}_${first} … ${symbol}_${last}), found ${items.length}`,
        );
      }
      items.forEach((v, j) => (this.items[j] = v));
    }
  }

  private check(i: number): number {
    if (!Number.isInteger(i) || i < this.first || i > this.last) {
      throw new NablaError(
        'range',
        `${this.symbol}_${i} is not defined here (${this.symbol}_${this.first} … ${this.symbol}_${this.last})`,
      );
    }
    return i - this.first;
  }

  /** True when i is an index of the sequence and its entry has been set. */
  has(i: number): boolean {
    return Number.isInteger(i) && i >= this.first && i <= this.last && this.items[i - this.first] !== undefined;
  }

  /** The entry with paper index i; throws when i is out of range or the entry has not been set. */
  get(i: number): T {
    const v = this.items[this.check(i)];
    if (v === undefined) throw new NablaError('range', `${this.symbol}_${i} has not been computed`);
    return v;
  }

  /** Sets the entry with paper index i; throws when i is out of range. */
  set(i: number, v: T): void {
    this.items[this.check(i)] = v;
  }

  /** The paper indices this sequence covers, in increasing order. */
  indices(): number[] {
    return Array.from({ length: this.last - this.first + 1 }, (_, j) => this.first + j);
  }

  /** A new sequence over the same indices with f(v, i) for every entry that is set (unset entries stay unset), named `symbol`. */
  map<U>(f: (v: T, i: number) => U, symbol = this.symbol): Layers<U> {
    const out = new Layers<U>(symbol, this.first, this.last);
    for (const i of this.indices()) if (this.has(i)) out.set(i, f(this.get(i), i));
    return out;
  }

  /** A plain object keyed by the paper index as a string ("0", "1", …), as in `nabla grad --json`. */
  toRecord<U>(f: (v: T) => U): Record<string, U> {
    const out: Record<string, U> = {};
    for (const i of this.indices()) if (this.has(i)) out[String(i)] = f(this.get(i));
    return out;
  }
}
