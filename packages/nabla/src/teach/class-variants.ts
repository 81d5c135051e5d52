/**
 * A variant per student: each id of a class gets its own exercise set, drawn from a seed derived from the course
 * seed and the id by SHA-256 (`variantSeed`), so the same id always gets the same variant and a new id never changes
 * another's. Two ids whose sets come out identical: the later one in the roster is redrawn (redraw 1, 2, …).
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { LimitError, OptionError } from '../errors.js';
import { limits } from '../limits.js';
import type { ClassSet, ClassVariant } from './class-types.js';
import { type GenerateOptions, generateExercises } from './exercise-generate.js';
import { exercisesToJson } from './exercises.js';
import { checkIds } from './roster.js';

/** At most this many students (or numbered variants) in one class. */
export const MAX_CLASS_SIZE = limits.classSize;
/** At most this many redraws of one id whose exercises equal an earlier id's. */
export const MAX_REDRAWS = 20;

/** Options of `classVariants`: the exercise options of `generateExercises` with the course seed, and the ids. */
export interface ClassOptions extends GenerateOptions {
  /** The course seed; each student's seed is `variantSeed(seed, id)`. */
  seed: number;
  /** The students' ids, in roster order (trimmed, non-empty, distinct). */
  ids: readonly string[];
}

/**
 * The seed of a student's variant: the first 4 bytes, big-endian, of SHA-256 over the UTF-8 bytes of the JSON text
 * `["nabla-variant",courseSeed,id,redraw]` (e.g. `["nabla-variant",7,"s001",0]`), an integer in 0 … 2³² − 1.
 */
export function variantSeed(courseSeed: number, id: string, redraw = 0): number {
  const bytes = sha256(new TextEncoder().encode(JSON.stringify(['nabla-variant', courseSeed, id, redraw])));
  return ((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) >>> 0;
}

/**
 * A variant per student: for each id, the exercises of `generateExercises` with `variantSeed(seed, id)`; an id
 * whose exercises equal an earlier id's is redrawn with redraw 1, 2, … (so appending ids never changes a variant).
 * Same options and ids, same variants. Throws OptionError when the exercise options allow too few distinct sets.
 */
export function classVariants(opts: ClassOptions): ClassSet {
  if (opts.ids.length > MAX_CLASS_SIZE)
    throw new LimitError(
      `${opts.ids.length.toLocaleString('en-US')} students: a class has at most ${MAX_CLASS_SIZE} (limits.classSize)`,
    );
  checkIds(opts.ids, 'the class');
  const variants: ClassVariant[] = [];
  const taken = new Map<string, string>(); // exercises (JSON without the seed) → the id that has them
  for (const id of opts.ids) {
    let found: ClassVariant | undefined;
    for (let redraw = 0; redraw <= MAX_REDRAWS && !found; redraw++) {
      const seed = variantSeed(opts.seed, id, redraw);
      const set = generateExercises({ ...opts, seed });
      const key = exercisesToJson({ ...set, seed: 0 });
      if (taken.has(key)) continue;
      taken.set(key, id);
      found = { id, variant: variants.length + 1, seed, redraw, set };
    }
    if (!found)
      throw new OptionError(
        `id ${JSON.stringify(id)}: ${MAX_REDRAWS + 1} draws all repeat an earlier student's exercises; these ` +
          `exercise options allow too few distinct variants for ${opts.ids.length} students (ask more exercises, ` +
          'wider or deeper networks)',
      );
    variants.push(found);
  }
  return { courseSeed: opts.seed, variants };
}
