/**
 * The exercises as quiz questions for a course platform (Moodle Cloze in moodle.ts, QTI in qti.ts): each asked
 * matrix a grid of numeric fields, one per entry, each with its right value, the interval a platform accepts, and
 * the values of the classic mistakes (mistakes.ts, the catalogue `nabla check` uses) at that entry with feedback
 * naming the mistake. Platforms take decimals, so a value is written to QUIZ_DIGITS significant digits and accepted
 * within QUIZ_TOLERANCE · max(1, |value|).
 */
import { formatRational, type Rational, rationalToNumber } from '../exact/rational.js';
import type { Block, Inline } from './doc.js';
import { exerciseBody } from './exercise-sheet.js';
import {
  type Ask,
  answerOf,
  askShape,
  askSymbol,
  askTex,
  type Exercise,
  type ExerciseSet,
  solve,
} from './exercise-types.js';
import { mistakenVariants, mistakeTitles, type Variant } from './mistakes.js';
import { formatDecimal } from './numbers.js';
import { DECIMAL_ANSWER_TOLERANCE, decimalRegistry } from './rounded-activation.js';

/** An entry is right within QUIZ_TOLERANCE · max(1, |value|) (the tolerance of `nabla check` for decimal answers). */
export const QUIZ_TOLERANCE = DECIMAL_ANSWER_TOLERANCE;
/** Significant digits of a value that is no short decimal (1/3 → 0.3333333333). */
export const QUIZ_DIGITS = 10;

/** One variant of a class: who or which number it is, and its exercises (a `ClassVariant` fits). */
export interface QuizVariant {
  /** The student's id, or the variant's number as text. */
  id: string;
  /** The variant's number, from 1. */
  variant: number;
  /** Its exercises. */
  set: ExerciseSet;
}

/** A value a field accepts: its decimal text and the closed interval around it. */
export interface QuizValue {
  /** The exact value ("1/3"). */
  exact: string;
  /** The value as a decimal with at most QUIZ_DIGITS significant digits ("0.3333333333"). */
  text: string;
  /** The tolerance QUIZ_TOLERANCE · max(1, |value|), as a decimal ("0.001"). */
  tolerance: string;
  /** value − tolerance and value + tolerance, as numbers. */
  low: number;
  high: number;
}

/** A classic mistake's value at one entry, with the feedback naming it (several mistakes may give one value). */
export interface QuizMistake extends QuizValue {
  /** "Σ' forgotten: you computed Δ_1 = W_2ᵀ·Δ_2 without ∘ Σ'_1", one line per mistake giving this value. */
  feedback: string[];
}

/** One field: an entry of an asked matrix. */
export interface QuizEntry {
  /** Row and column, from 1. */
  row: number;
  col: number;
  /** The right value. */
  right: QuizValue;
  /** The classic mistakes' values at this entry outside the right value's interval, in catalogue order. */
  mistakes: QuizMistake[];
}

/** One asked matrix as a grid of fields. */
export interface QuizMatrix {
  /** What is asked. */
  ask: Ask;
  /** Its symbol in feedback ("Δ_2") and in TeX. */
  symbol: string;
  tex: string;
  /** Its shape. */
  rows: number;
  cols: number;
  /** Its entries, row by row. */
  entries: QuizEntry[];
}

/** One exercise of one variant as a question: the statement (sheet blocks) and the asked matrices. */
export interface QuizQuestion {
  /** The exercise. */
  exercise: Exercise;
  /** The statement as the sheet gives it: the network, W_i, X and the task. */
  body: Block[];
  /** The asked matrices, in the order asked. */
  matrices: QuizMatrix[];
}

/** A decimal text that denotes `v` exactly when it can in QUIZ_DIGITS digits, else `v` rounded. */
function decimalText(v: Rational): string {
  return formatDecimal(rationalToNumber(v), QUIZ_DIGITS);
}

function quizValue(v: Rational): QuizValue {
  const x = rationalToNumber(v);
  const tol = QUIZ_TOLERANCE * Math.max(1, Math.abs(x));
  return {
    exact: formatRational(v),
    text: decimalText(v),
    tolerance: formatDecimal(tol, 6),
    low: x - tol,
    high: x + tol,
  };
}

/**
 * "Σ' forgotten: you computed Δ_1 = W_2ᵀ·Δ_2 without ∘ Σ'_1": the catalogue's title and detail of a mistake, as the
 * feedback of one entry (the sign: "this entry has the opposite sign", not every entry).
 */
export function mistakeFeedback(ask: Ask, v: Variant): string {
  const title = mistakeTitles[v.id];
  const detail = v.id === 'sign' ? 'this entry has the opposite sign' : v.detail;
  const computed = detail.startsWith(`${askSymbol(ask)} = `) ? `you computed ${detail}` : detail;
  return `${title[0]!.toUpperCase()}${title.slice(1)}: ${computed}`;
}

function inside(x: number, v: QuizValue): boolean {
  return x >= v.low && x <= v.high;
}

/** One field of a question: an entry of an asked matrix. */
export interface QuizField {
  /** The matrix asked. */
  ask: Ask;
  /** Row and column, from 1. */
  row: number;
  col: number;
}

/**
 * The fields of an exercise in the one order the platforms number them: the asked matrices in the order asked, each
 * row by row. Moodle numbers a Cloze question's parts in this order (moodle.ts writes them so), and the results of a
 * platform are read back in it (moodle-results.ts).
 */
export function quizFields(ex: Exercise): QuizField[] {
  return ex.asks.flatMap((ask) => {
    const [rows, cols] = askShape(ask, ex.widths);
    return Array.from({ length: rows * cols }, (_, j) => ({ ask, row: Math.floor(j / cols) + 1, col: (j % cols) + 1 }));
  });
}

/** The exercises of a set as quiz questions, each entry with its classic mistakes' values and their feedback. */
export function quizQuestions(set: ExerciseSet): QuizQuestion[] {
  // the exact activations, and the rounded ones of an exercise with decimal answers (rounded-activation.ts)
  const registry = decimalRegistry(set.polynomials);
  return set.exercises.map((ex) => {
    const sol = solve(ex, registry);
    const fields = quizFields(ex);
    const matrices = ex.asks.map((ask): QuizMatrix => {
      const right = answerOf(sol, ask);
      const [rows, cols] = askShape(ask, ex.widths);
      // a mistake of another shape (a row for a column) cannot be typed into this grid
      const variants = mistakenVariants(sol, ask).filter((v) => v.value.rows === rows && v.value.cols === cols);
      const entries: QuizEntry[] = [];
      for (const { row, col } of fields.filter((f) => f.ask === ask)) {
        const [r, c] = [row - 1, col - 1];
        const rv = quizValue(right.get(r, c));
        const mistakes: QuizMistake[] = [];
        for (const v of variants) {
          const value = v.value.get(r, c);
          const x = rationalToNumber(value);
          if (inside(x, rv)) continue; // the right value's interval wins on every platform
          const text = mistakeFeedback(ask, v);
          const same = mistakes.find((m) => m.exact === formatRational(value));
          if (same) {
            if (!same.feedback.includes(text)) same.feedback.push(text);
          } else mistakes.push({ ...quizValue(value), feedback: [text] });
        }
        entries.push({ row: r + 1, col: c + 1, right: rv, mistakes });
      }
      return { ask, symbol: askSymbol(ask), tex: askTex(ask), rows, cols, entries };
    });
    return { exercise: ex, body: exerciseBody(ex, sol), matrices };
  });
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Inline content as HTML: text escaped, math as MathJax `\( … \)`, code in <code>. */
export function inlineHtml(content: readonly Inline[]): string {
  return content
    .map((x) =>
      typeof x === 'string'
        ? escapeHtml(x)
        : 'math' in x
          ? escapeHtml(`\\(${x.math}\\)`)
          : `<code>${escapeHtml(x.code)}</code>`,
    )
    .join('');
}

/** Sheet blocks as HTML for a platform that typesets `\( … \)` with MathJax (paragraphs, lists, equations). */
export function blocksHtml(blocks: readonly Block[]): string {
  return blocks
    .map((b) => {
      switch (b.type) {
        case 'paragraph':
          return `<p>${inlineHtml(b.content)}</p>`;
        case 'heading':
          return `<p><strong>${inlineHtml(b.content)}</strong></p>`;
        case 'list':
          return `<ul>${b.items.map((i) => `<li>${inlineHtml(i)}</li>`).join('')}</ul>`;
        case 'equation':
          return `<p>${escapeHtml(`\\(${[b.lhs, ...b.rhs].join(' = ')}\\)`)}</p>`;
        case 'code':
          return `<pre>${escapeHtml(b.text)}</pre>`;
        default:
          return '';
      }
    })
    .join('\n');
}

/** The instruction shown above the fields. */
export function quizInstruction(): Inline[] {
  return [
    'Type each entry as a decimal (3/4 as 0.75, 1/3 as 0.333). An entry is right within ',
    `${QUIZ_TOLERANCE} · max(1, |value|).`,
  ];
}
