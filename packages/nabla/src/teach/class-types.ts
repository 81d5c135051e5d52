/**
 * The types of a class (a variant per student), shared by class-variants.ts, which draws them, and the files that
 * write, read and grade them.
 */
import type { ExerciseSet } from './exercise-types.js';

/** One student's variant: the id, its number in the class, the seed its exercises were drawn from, the exercises. */
export interface ClassVariant {
  /** The student's id as in the roster ("1" … "N" for numbered variants). */
  id: string;
  /** The variant's number, 1 … n, in roster order. */
  variant: number;
  /** `variantSeed(courseSeed, id, redraw)`: the seed of `generateExercises` for this student. */
  seed: number;
  /** 0, or how many times the set was redrawn because an earlier id's exercises were identical. */
  redraw: number;
  /** The student's exercises (exact answers with `solve`, the sheet with `exerciseSheet`). */
  set: ExerciseSet;
}

/** The variants of a class, in roster order, with the course seed they come from. */
export interface ClassSet {
  /** The course seed (`--seed`). */
  courseSeed: number;
  /** One variant per id, in roster order. */
  variants: ClassVariant[];
}
