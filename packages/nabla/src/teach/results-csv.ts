/**
 * A class's results as one CSV file, read in place of a folder of answer files. Two formats, told apart by the
 * header: Moodle's quiz Responses report (moodle-results.ts), or nabla's own, one row per entry a student typed,
 * with exactly the columns id, variant, exercise, matrix, row, col, response (any order; any other column is
 * refused). In nabla's own, an empty response is an entry left blank; a matrix left blank everywhere is missing.
 * Every row must name a student of the class and an entry that exists in their variant (exercise, matrix, row, col).
 */
import { readCsvTable } from '../csv/table.js';
import { DataError, listExcerpt } from '../errors.js';
import { checked, type GivenMatrix, parseGivenEntry } from './answers.js';
import { classIdsText, type StudentAnswers } from './class-check.js';
import type { ClassSet } from './class-types.js';
import { MAX_EXERCISE_COUNT, MAX_EXERCISE_WIDTH } from './exercise-generate.js';
import { type Ask, askName, askShape, askValid, parseAskName } from './exercise-types.js';
import { isMoodleResponses, parseMoodleResponses } from './moodle-results.js';
import { DECIMAL_ANSWER_TOLERANCE } from './rounded-activation.js';

/** The columns of a results CSV, in the order the docs list them. */
export const RESULTS_COLUMNS = ['id', 'variant', 'exercise', 'matrix', 'row', 'col', 'response'] as const;

interface Student {
  variant: number;
  line: number;
  matrices: Map<string, { exercise: number; ask: Ask; cells: Map<string, string> }>;
}

/**
 * Reads a results CSV (see the module comment) into one answer set per student, in the order they first appear,
 * graded within DECIMAL_ANSWER_TOLERANCE (the tolerance of the Moodle and QTI questions). A Moodle Responses report
 * needs the class (its questions name the variants drawn) and takes the column holding the roster's ids
 * (`idColumn`, default the first of "ID number", "Username", "Email address"). Throws DataError naming the line for
 * a header of neither format, an unknown or missing column, a bad cell, an id not in the class, an exercise, matrix,
 * row or column the student's variant does not have, an entry given twice, or a student with two variants.
 */
export function parseResultsCsv(
  text: string,
  source: string,
  cls: ClassSet,
  options: { idColumn?: string } = {},
): StudentAnswers[] {
  // a Moodle report carries each question's whole text in a cell
  const table = readCsvTable(text, { source, header: true, cellLength: 100_000 });
  if (isMoodleResponses(table.columns)) return parseMoodleResponses(table, source, cls, options.idColumn);
  if (options.idColumn !== undefined)
    throw new DataError(
      `${source}: idColumn ${JSON.stringify(options.idColumn)} is for a Moodle Responses report; this file's ` +
        'header is not one (it does not start with "Last name", "First name")',
    );
  const unknown = table.columns.find((c) => !(RESULTS_COLUMNS as readonly string[]).includes(c));
  if (unknown !== undefined)
    throw new DataError(
      `${source}: line ${table.headerLine}: unknown column ${JSON.stringify(unknown)} (columns ` +
        `${listExcerpt(table.columns)}); expected nabla's results columns ${RESULTS_COLUMNS.join(', ')}, or a Moodle ` +
        'Responses report (Last name, First name, …, Status, …, Question 1, Response 1, …; see docs/lecturer.md)',
    );
  const missing = RESULTS_COLUMNS.find((c) => !table.columns.includes(c));
  if (missing !== undefined)
    throw new DataError(
      `${source}: line ${table.headerLine}: no column ${JSON.stringify(missing)}; a results CSV has the columns ` +
        `${RESULTS_COLUMNS.join(', ')}`,
    );
  const at = Object.fromEntries(RESULTS_COLUMNS.map((c) => [c, table.columns.indexOf(c)])) as Record<
    (typeof RESULTS_COLUMNS)[number],
    number
  >;
  const students = new Map<string, Student>();
  const byId = new Map(cls.variants.map((v) => [v.id, v]));
  for (const { fields, line } of table.rows) {
    const where = `${source}: line ${line}`;
    const whole = (name: 'variant' | 'exercise' | 'row' | 'col', max: number) => {
      const t = fields[at[name]]!;
      const v = /^\d+$/.test(t) ? Number(t) : Number.NaN;
      if (!(v >= 1 && v <= max))
        throw new DataError(`${where}: ${name} ${JSON.stringify(t)}: expected a whole number from 1 to ${max}`);
      return v;
    };
    const id = fields[at.id]!;
    if (id === '') throw new DataError(`${where}: the id is empty`);
    const variant = whole('variant', Number.MAX_SAFE_INTEGER);
    const exercise = whole('exercise', MAX_EXERCISE_COUNT);
    const ask = parseAskName(fields[at.matrix]!);
    if (!ask)
      throw new DataError(
        `${where}: matrix ${JSON.stringify(fields[at.matrix])}: expected a name like D_2, gradW_1, N_1, S_1, dS_1 or f`,
      );
    const row = whole('row', MAX_EXERCISE_WIDTH);
    const col = whole('col', MAX_EXERCISE_WIDTH);
    const own = byId.get(id);
    if (!own)
      throw new DataError(
        `${where}: there is no student ${JSON.stringify(id)} in the class (${classIdsText(cls)}); the column id ` +
          "holds the roster's ids",
      );
    const ex = own.set.exercises.find((e) => e.id === exercise);
    if (!ex) {
      const all = own.set.exercises.map((e) => e.id);
      throw new DataError(
        `${where}: exercise ${exercise} does not exist; the class's variants have exercise` +
          `${all.length === 1 ? ` ${all[0]}` : `s ${all[0]} … ${all[all.length - 1]}`}`,
      );
    }
    const name = askName(ask);
    if (!askValid(ask, ex.widths)) {
      const k = ex.widths.length - 1;
      throw new DataError(
        `${where}: exercise ${exercise} has no ${name}; its network has k = ${k} layer${k === 1 ? '' : 's'}, so ` +
          `${ask.key}_i exists for i = 1 … ${k}`,
      );
    }
    const [rows, cols] = askShape(ask, ex.widths);
    if (row > rows || col > cols)
      throw new DataError(
        `${where}: ${name} of exercise ${exercise} is ${rows}×${cols}; ` +
          (row > rows ? `row ${row}` : `column ${col}`) +
          ' does not exist',
      );
    let student = students.get(id);
    if (!student) students.set(id, (student = { variant, line, matrices: new Map() }));
    if (student.variant !== variant)
      throw new DataError(
        `${where}: student ${id} answers variant ${variant} here but variant ${student.variant} on line ${student.line}`,
      );
    const key = `${exercise}.${name}`;
    let m = student.matrices.get(key);
    if (!m) student.matrices.set(key, (m = { exercise, ask, cells: new Map() }));
    const cell = `${row},${col}`;
    if (m.cells.has(cell))
      throw new DataError(
        `${where}: student ${id}, exercise ${exercise}, ${key}: row ${row}, col ${col} appears twice`,
      );
    m.cells.set(cell, fields[at.response]!);
  }
  return [...students].map(([id, s]) => ({
    id,
    source: `${source} (${id})`,
    tolerance: DECIMAL_ANSWER_TOLERANCE,
    answers: {
      student: id,
      variant: s.variant,
      matrices: [...s.matrices.values()]
        .filter((m) => [...m.cells.values()].some((t) => t !== ''))
        .map((m): GivenMatrix => {
          const keys = [...m.cells.keys()].map((k) => k.split(',').map(Number) as [number, number]);
          const rows = Math.max(...keys.map(([r]) => r));
          const cols = Math.max(...keys.map(([, c]) => c));
          const grid = Array.from({ length: rows }, (_, r) =>
            Array.from({ length: cols }, (_, c) => parseGivenEntry(m.cells.get(`${r + 1},${c + 1}`) ?? '')),
          );
          return checked({ exercise: m.exercise, ask: m.ask, rows: grid, source: `${source} (${id})`, problems: [] });
        }),
    },
  }));
}
