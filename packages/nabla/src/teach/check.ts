/**
 * Grading a student's answers against an exercise set: entry by entry (fractions and integers exactly, decimals
 * within 1e-9·max(1, |x|)), and for a wrong matrix, which classic mistake it matches (mistakes.ts).
 */
import { DataError } from '../errors.js';
import { RMatrix } from '../exact/matrix.js';
import { formatRational, type Rational, rationalToNumber } from '../exact/rational.js';
import { type AnswerSet, type GivenEntry, type GivenMatrix, where } from './answers.js';
import {
  type Ask,
  activationRegistry,
  answerOf,
  askName,
  askShape,
  askSymbol,
  askValid,
  type Exercise,
  type ExerciseSet,
  type Solution,
  solve,
} from './exercise-types.js';
import { type GivenValues, type MistakeId, mistakenVariants, mistakeTitles } from './mistakes.js';

/** Relative tolerance for decimals: |given − exact| ≤ DECIMAL_TOLERANCE · max(1, |exact|). */
export const DECIMAL_TOLERANCE = 1e-9;

/** One wrong entry of a given matrix: where it is, what was given and what was expected. */
export interface WrongEntry {
  /** The row, 1-based. */
  row: number;
  /** The column, 1-based. */
  col: number;
  /** The entry as the student wrote it. */
  given: string;
  /** The right entry, exactly (e.g. '3/4'). */
  expected: string;
  /** A decimal near the right value but outside the tolerance (rounded too early). */
  close: boolean;
}

/** A classic mistake a wrong matrix matches (e.g. Σ' left out, a transpose missing). */
export interface MistakeMatch {
  /** Which mistake. */
  id: MistakeId;
  /** The mistake's title, for the report. */
  title: string;
  /** What exactly went wrong in this matrix. */
  detail: string;
  /** The factors of the right formula that went wrong (Variant.factors). */
  factors: string[];
}

/** A graded matrix: 'right', 'wrong' (an entry or the shape), 'missing' (not given) or 'unreadable' (not numbers). */
export type MatrixStatus = 'right' | 'wrong' | 'missing' | 'unreadable';

/** The grading of one matrix: its status, the wrong entries and the mistakes it matches. */
export interface MatrixGrade {
  /** The number of the exercise it belongs to. */
  exercise: number;
  /** Which matrix was asked. */
  ask: Ask;
  /** Its symbol in messages, e.g. 'Δ_2' or '∇_{W_1} f'. */
  symbol: string;
  /** Right, wrong, missing or unreadable. */
  status: MatrixStatus;
  /** Number of entries in the right answer. */
  entries: number;
  /** The wrong entries (empty when the shape is wrong). */
  wrong: WrongEntry[];
  /** Lines naming the file, the matrix and the entry (shape, non-numbers). */
  problems: string[];
  /** The classic mistakes the given matrix matches (empty when none does). */
  mistakes: MistakeMatch[];
  /** The right answer (for the report). */
  expected: RMatrix;
}

/** The grading of one exercise: each asked matrix's grade. */
export interface ExerciseGrade {
  /** The exercise's number. */
  id: number;
  /** The exercise. */
  exercise: Exercise;
  /** One grade per asked matrix, in the order asked. */
  matrices: MatrixGrade[];
  /** Matrices given but not asked (used only to trace mistakes). */
  extra: string[];
}

/** The grading of an answer set: each exercise's matrices, right or wrong, with the classic mistakes named. */
export interface GradeReport {
  /** One grade per exercise of the set. */
  exercises: ExerciseGrade[];
  /** Answers to exercises the set does not have. */
  unknown: string[];
  /** The number of matrices right. */
  right: number;
  /** The number of matrices asked. */
  total: number;
  /** Every asked matrix is right and no answer names an unknown exercise. */
  allRight: boolean;
}

/**
 * Whether a given entry is right: fractions and integers exactly and decimals within DECIMAL_TOLERANCE, or, with
 * `tolerance` (an exercise whose answers are decimals, see rounded-activation.ts), every entry within
 * |given − exact| ≤ tolerance · max(1, |exact|).
 */
export function entryMatches(g: GivenEntry, expected: Rational, tolerance?: number): boolean {
  if (g.value === undefined) return false;
  if (!g.decimal && tolerance === undefined) return g.value.equals(expected);
  const e = rationalToNumber(expected);
  return Math.abs(rationalToNumber(g.value) - e) <= (tolerance ?? DECIMAL_TOLERANCE) * Math.max(1, Math.abs(e));
}

/** A decimal near an exact answer but outside DECIMAL_TOLERANCE (rounded too early). */
export function isClose(g: GivenEntry, expected: Rational): boolean {
  if (g.value === undefined || !g.decimal) return false;
  const e = rationalToNumber(expected);
  return Math.abs(rationalToNumber(g.value) - e) <= 1e-3 * Math.max(1, Math.abs(e));
}

/** Whether a given matrix equals a value in every entry (same shape); `tolerance` as in entryMatches. */
export function givenEquals(g: GivenMatrix, value: RMatrix, tolerance?: number): boolean {
  if (g.rows.length !== value.rows) return false;
  return g.rows.every(
    (row, r) => row.length === value.cols && row.every((e, c) => entryMatches(e, value.get(r, c), tolerance)),
  );
}

/**
 * The classic mistakes a wrong matrix matches (mistakes.ts), "right for your own earlier answer" first (it says
 * the most: this matrix was computed right); `givenValues` are the student's other answers, `tolerance` as in
 * entryMatches.
 */
export function matchMistakes(
  sol: Solution,
  ask: Ask,
  given: GivenMatrix,
  givenValues?: GivenValues,
  tolerance?: number,
): MistakeMatch[] {
  return mistakenVariants(sol, ask, givenValues)
    .filter((v) => givenEquals(given, v.value, tolerance))
    .sort((a, b) => Number(b.id === 'carried') - Number(a.id === 'carried'))
    .map((v) => ({ id: v.id, title: mistakeTitles[v.id], detail: v.detail, factors: v.factors }));
}

/** The given matrix as exact values, when every entry is a number and the rows are even. */
function exactOf(g: GivenMatrix): RMatrix | undefined {
  const cols = g.rows[0]?.length ?? 0;
  if (g.problems.length > 0 || cols === 0 || g.rows.some((r) => r.length !== cols)) return undefined;
  return new RMatrix(
    g.rows.length,
    cols,
    g.rows.flat().map((e) => e.value!),
  );
}

function gradeOne(
  ex: Exercise,
  ask: Ask,
  given: GivenMatrix | undefined,
  sol: Solution,
  givenValues: Map<string, RMatrix>,
  tolerance: number | undefined,
): MatrixGrade {
  const expected = answerOf(sol, ask);
  const base = {
    exercise: ex.id,
    ask,
    symbol: askSymbol(ask),
    entries: expected.data.length,
    wrong: [] as WrongEntry[],
    problems: [] as string[],
    mistakes: [] as MistakeMatch[],
    expected,
  };
  if (!given) return { ...base, status: 'missing' };
  if (given.problems.length > 0) return { ...base, status: 'unreadable', problems: [...given.problems] };
  const [r, c] = askShape(ask, ex.widths);
  const rows = given.rows.length;
  const cols = given.rows[0]!.length;
  const mistakes = (): MistakeMatch[] => matchMistakes(sol, ask, given, givenValues, tolerance);
  if (rows !== r || cols !== c) {
    return {
      ...base,
      status: 'wrong',
      problems: [`${where(given.source, ex.id, ask)}: expected ${r}×${c}, found ${rows}×${cols}`],
      mistakes: mistakes(),
    };
  }
  const wrong: WrongEntry[] = [];
  given.rows.forEach((row, i) =>
    row.forEach((e, j) => {
      const x = expected.get(i, j);
      if (!entryMatches(e, x, tolerance))
        wrong.push({
          row: i + 1,
          col: j + 1,
          given: e.text,
          expected: formatRational(x),
          close: tolerance === undefined && isClose(e, x),
        });
    }),
  );
  if (wrong.length === 0) return { ...base, status: 'right' };
  return { ...base, status: 'wrong', wrong, mistakes: mistakes() };
}

/**
 * Grades every asked matrix of every exercise. `options.tolerance`: every entry right within
 * |given − exact| ≤ tolerance · max(1, |exact|) (answers typed into a platform's numeric fields); by default
 * fractions and integers exactly and decimals within DECIMAL_TOLERANCE.
 */
export function gradeAnswers(
  set: ExerciseSet,
  answers: AnswerSet,
  options: {
    /** The relative tolerance of every entry (default: exact, decimals within DECIMAL_TOLERANCE). */
    tolerance?: number;
  } = {},
): GradeReport {
  const registry = activationRegistry(set.polynomials);
  const ids = new Set(set.exercises.map((e) => e.id));
  // an answer may not name what does not exist: N_7 of a network of two layers is refused, not ignored
  for (const m of answers.matrices) {
    const ex = set.exercises.find((e) => e.id === m.exercise);
    if (ex && !askValid(m.ask, ex.widths)) {
      const k = ex.widths.length - 1;
      throw new DataError(
        `${m.source}: exercise ${ex.id}: ${askSymbol(m.ask)} does not exist; the network has k = ` +
          `${k} layer${k === 1 ? '' : 's'}, so ${m.ask.key}_i exists for i = 1 … ${k}`,
      );
    }
  }
  const unknown = [
    ...new Set(
      answers.matrices
        .filter((m) => !ids.has(m.exercise))
        .map(
          (m) => `${m.source}: exercise ${m.exercise}: there is no such exercise (the set has ${[...ids].join(', ')})`,
        ),
    ),
  ];
  const exercises = set.exercises.map((ex): ExerciseGrade => {
    const sol = solve(ex, registry);
    const mine = answers.matrices.filter((m) => m.exercise === ex.id);
    const byName = new Map(mine.map((m) => [askName(m.ask), m]));
    const givenValues = new Map<string, RMatrix>();
    for (const [name, m] of byName) {
      const v = exactOf(m);
      if (v) givenValues.set(name, v);
    }
    const asked = new Set(ex.asks.map(askName));
    const extra = mine.filter((m) => !asked.has(askName(m.ask))).map((m) => askSymbol(m.ask));
    const matrices = ex.asks.map((a) => gradeOne(ex, a, byName.get(askName(a)), sol, givenValues, options.tolerance));
    return { id: ex.id, exercise: ex, matrices, extra };
  });
  const all = exercises.flatMap((e) => e.matrices);
  const right = all.filter((m) => m.status === 'right').length;
  return { exercises, unknown, right, total: all.length, allRight: right === all.length && unknown.length === 0 };
}
