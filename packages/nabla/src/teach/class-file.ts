/**
 * Reading class.json back (format "nabla-class", version 1; written by `exercisesToJson` of a `ClassSet`). Every
 * problem is a DataError naming the file, the student and the field; each student's seed must be the one their id
 * derives (`variantSeed`) and their stored answers must follow from their networks, so an edited file is caught.
 */
import { DataError, LimitError } from '../errors.js';
import { describeValue, jsonErrorText, parseJson } from '../io/json.js';
import type { ClassSet, ClassVariant } from './class-types.js';
import { MAX_CLASS_SIZE, variantSeed } from './class-variants.js';
import { exerciseSetFrom } from './exercise-file.js';
import { CLASS_FORMAT, CLASS_FORMAT_VERSION } from './exercises.js';
import { checkIds } from './roster.js';

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function wholeNumber(v: unknown, min: number): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= min;
}

/** Reads and checks a class file (see the module comment): the course seed and each student's variant. */
export function parseClassFile(text: string, source: string): ClassSet {
  if (text.trim() === '')
    throw new DataError(`${source}: the file is empty; expected a class file written by nabla exercise --roster`);
  const json = parseJson(text);
  if (!json.ok)
    throw new DataError(
      `${source}: not a class file (${jsonErrorText(json)}); expected class.json written by nabla exercise ` +
        '--roster or --variants',
    );
  const v = json.value;
  if (!isObj(v) || v.format !== CLASS_FORMAT)
    throw new DataError(
      `${source}: format: expected "${CLASS_FORMAT}" (class.json written by nabla exercise --roster or --variants), ` +
        `found ${describeValue(isObj(v) ? v.format : v)}`,
    );
  if (v.version !== CLASS_FORMAT_VERSION)
    throw new DataError(`${source}: version: expected ${CLASS_FORMAT_VERSION}, found ${describeValue(v.version)}`);
  const courseSeed = v.seed;
  if (typeof courseSeed !== 'number' || !Number.isSafeInteger(courseSeed))
    throw new DataError(
      `${source}: seed: expected the course seed (a whole number), found ${describeValue(courseSeed)}`,
    );
  const students = v.students;
  if (!Array.isArray(students) || students.length === 0)
    throw new DataError(`${source}: students: expected a non-empty array, found ${describeValue(students)}`);
  if (students.length > MAX_CLASS_SIZE)
    throw new LimitError(
      `${source}: ${students.length.toLocaleString('en-US')} students; a class has at most ${MAX_CLASS_SIZE} ` +
        '(limits.classSize)',
    );
  const variants = students.map((s: unknown, j): ClassVariant => {
    const at = `${source}: students[${j}]`;
    if (!isObj(s)) throw new DataError(`${at}: expected an object {"id": …, "variant": …}, found ${describeValue(s)}`);
    if (typeof s.id !== 'string')
      throw new DataError(`${at}.id: expected the student's id, found ${describeValue(s.id)}`);
    const id = s.id;
    const where = `${source}: student ${JSON.stringify(id)}`;
    if (s.variant !== j + 1)
      throw new DataError(
        `${where}: variant: expected ${j + 1} (its place in the class), found ${describeValue(s.variant)}`,
      );
    if (!wholeNumber(s.redraw, 0))
      throw new DataError(`${where}: redraw: expected a whole number ≥ 0, found ${describeValue(s.redraw)}`);
    const seed = variantSeed(courseSeed, id, s.redraw);
    if (s.seed !== seed)
      throw new DataError(
        `${where}: seed: expected ${seed} (derived from the course seed ${courseSeed} and the id), found ` +
          `${describeValue(s.seed)} (was the file edited? write it again with nabla exercise)`,
      );
    const set = exerciseSetFrom(v.polynomials, s.exercises, seed, where);
    return { id, variant: j + 1, seed, redraw: s.redraw, set };
  });
  checkIds(
    variants.map((x) => x.id),
    source,
  );
  return { courseSeed, variants };
}
