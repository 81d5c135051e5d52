/**
 * A student's answers, in JSON ({"exercises": [{"id", "D", "gradW", "f", …}]}) or CSV (one file per matrix, named
 * <id>.<key>_<i>.csv). Entries are fractions, integers or decimals. Problems with the file as a whole throw
 * DataError; problems inside one matrix stay with that matrix, so the rest can still be graded.
 */
import { readCsvTable } from '../csv/table.js';
import { DataError } from '../errors.js';
import { parseRational, type Rational } from '../exact/rational.js';
import { describeValue, jsonErrorText, parseJson } from '../io/json.js';
import { type AnswerKey, type Ask, answerKeys, askSymbol } from './exercise-types.js';

/** One entry of a given matrix: its text and its value. */
export interface GivenEntry {
  /** As written. */
  text: string;
  /** The value, exactly as written; undefined when the entry is not a number. */
  value: Rational | undefined;
  /** A decimal (JSON number or decimal text): compared within 1e-9·max(1, |x|); fractions and integers exactly. */
  decimal: boolean;
}

/** One matrix a student gave: which exercise and matrix it answers, and its entries. */
export interface GivenMatrix {
  /** The number of the exercise it answers. */
  exercise: number;
  /** The matrix it answers. */
  ask: Ask;
  /** The entries, row by row, as given. */
  rows: GivenEntry[][];
  /** The file it came from. */
  source: string;
  /** Lines naming the file, the matrix and the entry (non-numbers, ragged rows). */
  problems: string[];
}

/** A student's answers, read from JSON or CSV: one given matrix per exercise and ask. */
export interface AnswerSet {
  /** The matrices given, in the order read. */
  matrices: GivenMatrix[];
  /** The student's id, when the file names it (a class's answer file: {"student": "s001", …}). */
  student?: string;
  /** The variant the file says it answers, when it names one ({"variant": 3, …}). */
  variant?: number;
}

/** A place in an answer, for messages: "answers.json: exercise 2, Δ_1". */
export function where(source: string, exercise: number, ask: Ask): string {
  return `${source}: exercise ${exercise}, ${askSymbol(ask)}`;
}

function entryFrom(x: unknown): GivenEntry {
  if (typeof x === 'number') {
    if (!Number.isFinite(x)) return { text: String(x), value: undefined, decimal: true };
    return { text: String(x), value: parseRational(String(x)), decimal: !Number.isInteger(x) };
  }
  if (typeof x === 'string') {
    const t = x.trim();
    const value = parseRational(t);
    return { text: x, value, decimal: value !== undefined && !/^[+-]?\d+(\s*\/\s*\d+)?$/.test(t) };
  }
  return { text: describeValue(x), value: undefined, decimal: false };
}

/** One entry as a student types it ("3/4", "-2", "0.75"): its value exactly, and whether it is a decimal. */
export function parseGivenEntry(text: string): GivenEntry {
  return entryFrom(text);
}

/** Checks entries and row lengths, recording problems with their places. */
export function checked(m: GivenMatrix): GivenMatrix {
  const at = where(m.source, m.exercise, m.ask);
  const cols = m.rows[0]?.length ?? 0;
  m.rows.forEach((row, r) => {
    if (row.length !== cols) m.problems.push(`${at}: row ${r + 1} has ${row.length} entries but row 1 has ${cols}`);
    row.forEach((e, c) => {
      if (e.value === undefined)
        m.problems.push(
          `${at}, row ${r + 1}, column ${c + 1}: ${JSON.stringify(e.text)} is not a number (write a fraction like 3/4 or a decimal like 0.75)`,
        );
    });
  });
  if (m.rows.length === 0 || cols === 0) m.problems.push(`${at}: the matrix is empty`);
  return m;
}

function matrixFromJson(value: unknown, source: string, exercise: number, ask: Ask): GivenMatrix {
  const m: GivenMatrix = { exercise, ask, rows: [], source, problems: [] };
  const at = where(source, exercise, ask);
  if (typeof value === 'number' || typeof value === 'string') {
    m.rows = [[entryFrom(value)]];
    return checked(m);
  }
  if (!Array.isArray(value)) {
    m.problems.push(
      `${at}: expected a matrix (an array of rows like [["1/2", "3"], ["0", "-1"]]), found ${describeValue(value)}`,
    );
    return m;
  }
  if (value.every((x) => !Array.isArray(x)))
    m.rows = value.map((x) => [entryFrom(x)]); // a flat array is a column
  else if (value.every(Array.isArray)) m.rows = (value as unknown[][]).map((row) => row.map(entryFrom));
  else {
    m.problems.push(
      `${at}: mixes rows (arrays) and single numbers; write an array of rows, or a flat array for a column`,
    );
    return m;
  }
  return checked(m);
}

/** Reads the JSON form. */
export function parseAnswerJson(text: string, source: string): AnswerSet {
  if (text.trim() === '') throw new DataError(`${source}: the file is empty; expected {"exercises": [{"id": 1, …}]}`);
  const json = parseJson(text);
  if (!json.ok) throw new DataError(`${source}: ${jsonErrorText(json)}`);
  const v = json.value;
  const list =
    v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>).exercises : undefined;
  if (!Array.isArray(list))
    throw new DataError(
      `${source}: expected {"exercises": [{"id": 1, "D": {"2": [[…]]}, …}]}, found ${describeValue(v)}`,
    );
  const top = v as Record<string, unknown>;
  const other = Object.keys(top).find((key) => !['exercises', 'student', 'variant'].includes(key));
  if (other !== undefined)
    throw new DataError(
      `${source}: unknown key "${other}" at the top level; expected {"exercises": […]}, with "student" and ` +
        '"variant" in a class\'s answer file',
    );
  if (top.student !== undefined && typeof top.student !== 'string')
    throw new DataError(`${source}: student: expected the student's id (text), found ${describeValue(top.student)}`);
  if (
    top.variant !== undefined &&
    !(typeof top.variant === 'number' && Number.isInteger(top.variant) && top.variant >= 1)
  )
    throw new DataError(
      `${source}: variant: expected the variant's number (a whole number ≥ 1), found ${describeValue(top.variant)}`,
    );
  const matrices: GivenMatrix[] = [];
  const seen = new Set<number>();
  list.forEach((e: unknown, j) => {
    if (e === null || typeof e !== 'object' || Array.isArray(e))
      throw new DataError(`${source}: exercises[${j}]: expected an object {"id": …, …}, found ${describeValue(e)}`);
    const obj = e as Record<string, unknown>;
    const id = obj.id;
    if (typeof id !== 'number' || !Number.isInteger(id) || id < 1)
      throw new DataError(
        `${source}: exercises[${j}].id: expected the exercise number (a whole number ≥ 1), found ${describeValue(id)}`,
      );
    if (seen.has(id)) throw new DataError(`${source}: exercises[${j}]: exercise ${id} appears twice`);
    seen.add(id);
    for (const [key, value] of Object.entries(obj)) {
      if (key === 'id') continue;
      if (!answerKeys.includes(key as AnswerKey)) {
        throw new DataError(
          `${source}: exercise ${id}: unknown key "${key}"; expected ${answerKeys.join(', ')} (S is Σ, dS is Σ', D is Δ, gradW is ∇_{W_i} f)`,
        );
      }
      if (key === 'f') {
        matrices.push(matrixFromJson(value, source, id, { key: 'f' }));
        continue;
      }
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        throw new DataError(
          `${source}: exercise ${id}: ${key}: expected matrices keyed by the layer, like {"1": [[…]], "2": [[…]]}, found ${describeValue(value)}`,
        );
      }
      for (const [index, m] of Object.entries(value as Record<string, unknown>)) {
        if (!/^\d+$/.test(index))
          throw new DataError(`${source}: exercise ${id}: ${key}: "${index}" is not a layer number (1, 2, …)`);
        matrices.push(matrixFromJson(m, source, id, { key: key as AnswerKey, index: Number(index) }));
      }
    }
  });
  return {
    matrices,
    ...(top.student === undefined ? {} : { student: top.student as string }),
    ...(top.variant === undefined ? {} : { variant: top.variant as number }),
  };
}

/** The exercise and matrix a CSV file name stands for ("1.D_2.csv"), or undefined. */
export function csvAnswerName(fileName: string):
  | {
      /** The exercise's number. */
      exercise: number;
      /** The matrix. */
      ask: Ask;
    }
  | undefined {
  const m = /^(\d+)\.(f|N|S|dS|D|gradW)(?:_(\d+))?\.csv$/.exec(fileName);
  if (!m) return undefined;
  const key = m[2] as AnswerKey;
  if ((key === 'f') !== (m[3] === undefined)) return undefined;
  return { exercise: Number(m[1]), ask: key === 'f' ? { key } : { key, index: Number(m[3]) } };
}

/** Reads one CSV matrix. */
export function parseAnswerCsv(text: string, source: string, exercise: number, ask: Ask): GivenMatrix {
  // the one CSV reader (quotes, BOM, CRLF; # starts a comment line); the shape is judged by checked()
  const rows = readCsvTable(text, { source, header: false, comments: true, ragged: true }).rows.map((r) =>
    r.fields.map(entryFrom),
  );
  return checked({ exercise, ask, rows, source, problems: [] });
}
