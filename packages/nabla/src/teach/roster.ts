/**
 * A class roster: one student id per line, or a CSV file whose header names the column of ids (other columns
 * ignored): "id" (any case), else Moodle's identity fields "ID number", "Username", "Email address" (a participants
 * export), or the column the caller names. Ids are trimmed; empty lines are skipped; an empty id (a line of spaces,
 * "", an empty cell), a duplicate, or an id that cannot name a file is refused with one line naming the id and its
 * line.
 */
import { readCsvTable } from '../csv/table.js';
import { DataError, excerpt, listExcerpt } from '../errors.js';

/** Moodle's identity fields that may hold the roster's ids, tried in this order when no column is named. */
export const MOODLE_ID_COLUMNS = ['ID number', 'Username', 'Email address'] as const;

/**
 * The column of a header that holds the students' ids (shared by the roster and the results readers): `named` when
 * given (exactly), else one named "id" in any case (when `plainId`), else the first of MOODLE_ID_COLUMNS present;
 * undefined when there is none.
 */
export function idColumnName(columns: readonly string[], named?: string, plainId = true): string | undefined {
  if (named !== undefined) return columns.includes(named) ? named : undefined;
  return (
    (plainId ? columns.find((c) => c.toLowerCase() === 'id') : undefined) ??
    MOODLE_ID_COLUMNS.find((c) => columns.includes(c))
  );
}

/** Letters, digits and . _ - @ +, not starting with a dot: an id names the student's files (sheets/<id>.md). */
const ID_PATTERN = /^[\p{L}\p{N}_@+-][\p{L}\p{N}._@+-]*$/u;
/** At most this many characters in an id. */
export const MAX_ID_LENGTH = 100;

/** The problem with an id as a student's id (undefined when it is usable). */
export function idProblem(id: string): string | undefined {
  if (id === '') return 'the id is empty';
  if (id.length > MAX_ID_LENGTH) return `the id ${excerpt(id)} is longer than ${MAX_ID_LENGTH} characters`;
  if (!ID_PATTERN.test(id))
    return (
      `the id ${excerpt(id)} has a character an id may not have ` +
      '(letters, digits and . _ - @ + only, not starting with a dot: an id names the student’s files)'
    );
  return undefined;
}

/**
 * Throws unless every id is usable and distinct, also when letters' case is ignored (the students' files would
 * collide on some file systems); `lines` (the ids' lines in a roster) name the place in messages.
 */
export function checkIds(ids: readonly string[], source: string, lines?: readonly number[]): void {
  if (ids.length === 0) throw new DataError(`${source}: no student ids; expected one id per line or a column "id"`);
  const at = (j: number) => (lines ? `line ${lines[j]}` : `id ${j + 1}`);
  const seen = new Map<string, number>();
  ids.forEach((id, j) => {
    const problem = idProblem(id);
    if (problem) throw new DataError(`${source}: ${at(j)}: ${problem}`);
    const key = id.toLowerCase();
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      const same = ids[earlier] === id;
      throw new DataError(
        `${source}: ${at(j)}: the id ${JSON.stringify(id)} ` +
          (same
            ? `appears twice (first at ${at(earlier)})`
            : `differs from ${JSON.stringify(ids[earlier])} (${at(earlier)}) only in case; ids must differ in ` +
              "more than case (an id names the student's files, and some file systems ignore case)"),
      );
    }
    seen.set(key, j);
  });
}

/**
 * Reads a roster (see the module comment): the ids in file order. `idColumn` names the column of ids (a CSV file
 * with a header); it must be there.
 */
export function parseRoster(text: string, source: string, options: { idColumn?: string } = {}): string[] {
  if (text.trim() === '') throw new DataError(`${source}: the file is empty; expected one student id per line`);
  const table = readCsvTable(text, { source, header: false, ragged: true });
  const rows = table.rows; // empty lines are skipped; a line of spaces or "" is an empty id
  const first = rows[0]!;
  const name = idColumnName(first.fields, options.idColumn);
  if (options.idColumn !== undefined && name === undefined)
    throw new DataError(
      `${source}: line ${first.line}: no column ${excerpt(options.idColumn)} in the header ` +
        `${listExcerpt(first.fields)}; idColumn names the roster's column of ids`,
    );
  let ids: string[];
  let lines: number[];
  if (name !== undefined) {
    const idColumn = first.fields.indexOf(name);
    const body = rows.slice(1);
    ids = body.map((r) => r.fields[idColumn] ?? '');
    lines = body.map((r) => r.line);
  } else {
    const wide = rows.find((r) => r.fields.length > 1);
    if (wide)
      throw new DataError(
        `${source}: line ${wide.line} has ${wide.fields.length} columns; expected one id per line, or a header ` +
          `row with a column named id (or ${MOODLE_ID_COLUMNS.join(', ')}, or the one idColumn names)`,
      );
    ids = rows.map((r) => r.fields[0]!);
    lines = rows.map((r) => r.line);
  }
  checkIds(ids, source, lines);
  return ids;
}
