/**
 * The "your turn" exercise a state describes, drawn and solved by the library (nabla/teach): the seed, widths
 * and activations go to generateExercises (weights and inputs small integers and halves); the exact engines
 * give every answer (rounded twins for tanh, sigmoid, …, whose answers are then decimals). Also the TeX of the
 * given matrices and of the formula each answer follows, its factors marked for the mistake hints.
 */
import { formatRational, type RMatrix, rationalToNumber, texRational } from 'nabla/paper';
import {
  type Ask,
  askName,
  DECIMAL_ANSWER_TOLERANCE,
  decimalRegistry,
  type Exercise,
  exerciseIsExact,
  formatDecimal,
  generateExercises,
  type Solution,
  solve,
} from 'nabla/teach';
import type { State } from '../state.js';
import { data, deltaFormula, forwardFormula, gradFormula, sym } from './formula.js';

export interface StudentExercise {
  ex: Exercise;
  /** The polynomials the exercise's activations may name (a class's `--poly`). */
  polynomials: Readonly<Record<string, string>>;
  sol: Solution;
  /** Every activation exact: answers are fractions, compared exactly. */
  exact: boolean;
  /** For decimal answers: the tolerance of gradeTyped. */
  tolerance: number | undefined;
  /** Every answer of the pass, in the order a student computes them. */
  asks: Ask[];
  /** The asks hidden for the student to type. */
  hidden: Ask[];
}

export type ExerciseResult =
  | { ok: true; value: StudentExercise }
  | { ok: false; field: 'exWidths' | 'exAct'; message: string };

/** The exercise of the state's exSeed, exWidths, exAct and exPass; a message for the field that cannot be read. */
export function studentExercise(s: Pick<State, 'exSeed' | 'exWidths' | 'exAct' | 'exPass' | 'exHide'>): ExerciseResult {
  const parts = s.exWidths.split(/[\s,]+/).filter((p) => p !== '');
  const bad = parts.find((p) => !/^\d+$/.test(p));
  if (bad !== undefined)
    return { ok: false, field: 'exWidths', message: `"${bad}" is not a whole number; give widths like 2, 2, 1` };
  const widths = parts.map(Number);
  const activations = s.exAct.split(';').map((a) => a.trim());
  let ex: Exercise;
  try {
    ex = generateExercises({ seed: s.exSeed, count: 1, widths, activations, kinds: [s.exPass], decimals: true })
      .exercises[0]!;
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    return { ok: false, field: /^activation/.test(message) ? 'exAct' : 'exWidths', message };
  }
  return { ok: true, value: exerciseView(ex, {}, s.exHide) };
}

/** An exercise drawn by the library, solved; `hide`: the answer names hidden ('all': every one the exercise asks). */
export function exerciseView(
  ex: Exercise,
  polynomials: Readonly<Record<string, string>>,
  hide = 'all',
): StudentExercise {
  const sol = solve(ex, decimalRegistry(polynomials));
  const exact = exerciseIsExact(ex, polynomials);
  // f = Σ_k is asked as Σ_k already
  const asks = ex.asks.filter((a) => a.key !== 'f');
  const names = hide === 'all' ? undefined : new Set(hide.split(',').map((n) => n.trim()));
  const hidden = asks.filter((a) => !names || names.has(askName(a)));
  return { ex, polynomials, sol, exact, tolerance: exact ? undefined : DECIMAL_ANSWER_TOLERANCE, asks, hidden };
}

/** The answer name as the explorer's symbol key: "dS_1" → "dS1", "sigma_2" → "sigma2". */
export function symKey(name: string): string {
  return name.replace('_', '');
}

/** One number as the page shows it: a fraction, or a decimal with four significant digits. */
export function numberTex(x: RMatrix['data'][number], exact: boolean): string {
  return exact ? texRational(x) : formatDecimal(rationalToNumber(x), 4);
}

/** A given matrix, each entry hoverable and carrying its value (data-value: "3/4", or the float64 decimal). */
export function exactMatrixTex(m: RMatrix, symbol: string, exact: boolean): string {
  const lines: string[] = [];
  for (let r = 0; r < m.rows; r++) {
    const cells: string[] = [];
    for (let c = 0; c < m.cols; c++) {
      const x = m.get(r, c);
      const value = exact ? formatRational(x) : String(rationalToNumber(x));
      cells.push(data({ sym: symbol, r, c, value }, numberTex(x, exact)));
    }
    lines.push(cells.join(' & '));
  }
  const tall = exact && m.data.some((x) => x.d !== 1n);
  return `\\begin{bmatrix}${lines.join(tall ? ' \\\\[3pt] ' : ' \\\\ ')}\\end{bmatrix}`;
}

/** σ_i, marked as the factor "sigma<i>" (σ not applied, Σ and Σ' swapped). */
function sigmaTex(i: number, prime: boolean): string {
  return `\\htmlData{factor=sigma${i}}{\\sigma${prime ? "'" : ''}_{${i}}}`;
}

/**
 * The formula an answer follows, with its factors hoverable (data-sym, the explorer's symbol keys); a factor
 * the catalogue blames is found by data-sym, or data-factor for σ_i.
 */
export function answerFormula(a: Ask, k: number): string {
  const i = a.index!;
  switch (a.key) {
    case 'N':
      return forwardFormula(i);
    case 'S':
      return `${sym('S', i)} = ${sigmaTex(i, false)}(${sym('N', i)})`;
    case 'dS':
      return `${sym('dS', i)} = ${sigmaTex(i, true)}(${sym('N', i)})`;
    case 'D':
      return deltaFormula(i, k);
    case 'gradW':
      return gradFormula(i);
    case 'f':
      return `f = ${sym('S', k)}`;
  }
}
