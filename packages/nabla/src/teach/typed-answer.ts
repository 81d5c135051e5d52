/**
 * One matrix as a student types it, graded at once (the explorer's "your turn"): every entry right, wrong,
 * empty or not a number, and, once every entry is a number and the matrix is wrong, the classic mistakes it
 * matches (the catalogue of `nabla check`, with the factor of the formula that went wrong).
 */
import { ShapeError } from '../errors.js';
import { formatRational, rationalToNumber } from '../exact/rational.js';
import { type GivenMatrix, parseGivenEntry } from './answers.js';
import { entryMatches, isClose, type MistakeMatch, matchMistakes } from './check.js';
import { type Ask, answerOf, askShape, askSymbol, type Exercise, type Solution } from './exercise-types.js';
import type { GivenValues } from './mistakes.js';
import { formatDecimal } from './numbers.js';

/** One typed entry: 'empty', 'malformed' (not a number), 'right' or 'wrong'. */
export type TypedEntryStatus = 'empty' | 'malformed' | 'right' | 'wrong';

/** One typed entry, graded. */
export interface TypedEntry {
  /** The entry as typed. */
  text: string;
  /** Empty, malformed, right or wrong. */
  status: TypedEntryStatus;
  /** A decimal near an exact fraction but not equal to it (rounded too early: write the fraction). */
  close: boolean;
}

/** A typed matrix: 'right', 'wrong' or 'incomplete' (an entry empty or not a number). */
export type TypedStatus = 'right' | 'wrong' | 'incomplete';

/** The grading of one matrix typed entry by entry (the explorer's student mode). */
export interface TypedGrade {
  /** Which matrix was asked. */
  ask: Ask;
  /** Its symbol in messages, e.g. 'Δ_2' or '∇_{W_1} f'. */
  symbol: string;
  /** In the typed grid's shape. */
  entries: TypedEntry[][];
  /** Whether the grid has the answer's shape. */
  shapeRight: boolean;
  /** The answer's shape [rows, cols]. */
  shape: [number, number];
  /** right: every entry right; wrong: every entry a number and some wrong; incomplete: an entry empty or not a number. */
  status: TypedStatus;
  /** Entries right so far. */
  right: number;
  /** When wrong: the classic mistakes the matrix matches (empty when none does). */
  mistakes: MistakeMatch[];
}

/** Options of `gradeTyped`: a tolerance for decimal answers, the student's other answers. */
export interface TypedOptions {
  /**
   * Compare every entry within |typed − answer| ≤ tolerance · max(1, |answer|), for exercises whose answers are
   * decimals (DECIMAL_ANSWER_TOLERANCE); without it fractions and integers must be exact (decimals within
   * DECIMAL_TOLERANCE), as in `nabla check`.
   */
  tolerance?: number;
  /** The student's other answers of the exercise, exactly (for "an earlier mistake carried forward"). */
  given?: GivenValues;
}

/**
 * Grades the typed `cells` (rows of text) of the answer `ask` of an exercise. The grid may have any shape: a
 * student who takes a product in the wrong order gets a row instead of a column, and the catalogue names that;
 * entries of a grid of the wrong shape are never right.
 */
export function gradeTyped(
  ex: Exercise,
  sol: Solution,
  ask: Ask,
  cells: readonly (readonly string[])[],
  opts: TypedOptions = {},
): TypedGrade {
  const cols = cells[0]?.length ?? 0;
  if (cells.length === 0 || cols === 0 || cells.some((r) => r.length !== cols)) {
    throw new ShapeError(
      `${askSymbol(ask)}: the typed grid must be rectangular with at least one entry; found rows of ${cells.map((r) => r.length).join(', ') || 'nothing'}`,
    );
  }
  const [rows, wantCols] = askShape(ask, ex.widths);
  const shapeRight = cells.length === rows && cols === wantCols;
  const expected = answerOf(sol, ask);
  const given: GivenMatrix = {
    exercise: ex.id,
    ask,
    rows: cells.map((r) => r.map(parseGivenEntry)),
    source: 'typed',
    problems: [],
  };
  let right = 0;
  let complete = true;
  const entries = given.rows.map((row, r) =>
    row.map((g, c): TypedEntry => {
      if (g.text.trim() === '' || g.value === undefined) {
        complete = false;
        return { text: g.text, status: g.text.trim() === '' ? 'empty' : 'malformed', close: false };
      }
      if (!shapeRight) return { text: g.text, status: 'wrong', close: false };
      const x = expected.get(r, c);
      if (entryMatches(g, x, opts.tolerance)) {
        right++;
        return { text: g.text, status: 'right', close: false };
      }
      return { text: g.text, status: 'wrong', close: opts.tolerance === undefined && isClose(g, x) };
    }),
  );
  const base = { ask, symbol: askSymbol(ask), entries, right, shapeRight, shape: [rows, wantCols] as [number, number] };
  if (shapeRight && right === rows * cols) return { ...base, status: 'right', mistakes: [] };
  if (!complete) return { ...base, status: 'incomplete', mistakes: [] };
  return { ...base, status: 'wrong', mistakes: matchMistakes(sol, ask, given, opts.given, opts.tolerance) };
}

/** The answer as a student would type it: "3/4" exactly, or a decimal with `digits` significant digits. */
export function answerText(sol: Solution, ask: Ask, exact: boolean, digits = 4): string[][] {
  const m = answerOf(sol, ask);
  return m
    .toRows()
    .map((row) => row.map((x) => (exact ? formatRational(x) : formatDecimal(rationalToNumber(x), digits))));
}
