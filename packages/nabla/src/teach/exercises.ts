/**
 * Writing exercises.json (format "nabla-exercises"): each exercise's network, input, what is asked and the
 * exact answers, with matrices on one line per row; and a class's class.json (format "nabla-class"), the same per
 * student. Reading them back is exercise-file.ts and class-file.ts; drawing the exercises is exercise-generate.ts
 * (class-variants.ts for a class), the sheet exercise-sheet.ts and its answer key answer-key.ts.
 */
import type { ClassSet } from './class-types.js';
import { activationRegistry, answerOf, askName, type ExerciseSet, solve } from './exercise-types.js';

export const EXERCISE_FORMAT = 'nabla-exercises';
export const EXERCISE_FORMAT_VERSION = 1;
export const CLASS_FORMAT = 'nabla-class';
export const CLASS_FORMAT_VERSION = 1;

/** JSON with arrays of plain values on one line (matrices read row by row). */
export function compactJson(value: unknown, indent = ''): string {
  const next = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.every((v) => v === null || typeof v !== 'object'))
      return `[${value.map((v) => JSON.stringify(v)).join(', ')}]`;
    if (value.every((v) => Array.isArray(v) && v.every((x) => x === null || typeof x !== 'object'))) {
      return `[${value.map((v) => compactJson(v)).join(', ')}]`;
    }
    return `[\n${value.map((v) => `${next}${compactJson(v, next)}`).join(',\n')}\n${indent}]`;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return '{}';
    return `{\n${entries.map(([k, v]) => `${next}${JSON.stringify(k)}: ${compactJson(v, next)}`).join(',\n')}\n${indent}}`;
  }
  return JSON.stringify(value);
}

/** Each exercise of a set as stored in a file: its network, input, what is asked and the exact answers. */
export function exerciseEntries(set: ExerciseSet): unknown[] {
  const registry = activationRegistry(set.polynomials);
  return set.exercises.map((ex) => {
    const sol = solve(ex, registry);
    const answers: Record<string, unknown> = {};
    for (const a of ex.asks) {
      const m = answerOf(sol, a).toStrings();
      if (a.key === 'f') answers.f = m;
      else ((answers[a.key] ??= {}) as Record<string, unknown>)[String(a.index)] = m;
    }
    return {
      id: ex.id,
      kind: ex.kind,
      form: ex.form,
      layer: ex.layer,
      widths: ex.widths,
      activations: ex.activations.map((col) => (col.every((n) => n === col[0]) ? col[0] : col)),
      W: Object.fromEntries(ex.W.map((W, j) => [String(j + 1), W.toStrings()])),
      X: ex.X.toStrings(),
      asks: ex.asks.map(askName),
      answers,
    };
  });
}

/**
 * The machine-readable exercise file: each exercise's network, input, what is asked and the exact answers
 * (format "nabla-exercises"); for a class (`classVariants`), the class file (format "nabla-class"): the course
 * seed and, per student, the id, the variant's number, seed and redraw, and its exercises.
 */
export function exercisesToJson(set: ExerciseSet | ClassSet): string {
  if ('variants' in set) return classToJson(set);
  const file = {
    format: EXERCISE_FORMAT,
    version: EXERCISE_FORMAT_VERSION,
    seed: set.seed,
    polynomials: Object.keys(set.polynomials).length > 0 ? set.polynomials : undefined,
    exercises: exerciseEntries(set),
  };
  return `${compactJson(file)}\n`;
}

function classToJson(cls: ClassSet): string {
  const polynomials = cls.variants[0]?.set.polynomials ?? {};
  const file = {
    format: CLASS_FORMAT,
    version: CLASS_FORMAT_VERSION,
    seed: cls.courseSeed,
    polynomials: Object.keys(polynomials).length > 0 ? polynomials : undefined,
    students: cls.variants.map((v) => ({
      id: v.id,
      variant: v.variant,
      seed: v.seed,
      redraw: v.redraw,
      exercises: exerciseEntries(v.set),
    })),
  };
  return `${compactJson(file)}\n`;
}
