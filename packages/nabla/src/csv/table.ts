/**
 * The one CSV reader every command and the explorer share: text → a header and rows of fields, with each row's
 * line. Refuses ragged rows, over-long cells and malformed files with a message naming line and column. The first
 * row is a header unless told otherwise or all its fields are numbers; numbers have one syntax (`csvNumber`). Only
 * commas separate fields: a first line separated by ';' or tabs, without a comma, is refused saying so.
 */
import { parse } from 'csv-parse/sync';
import { DataError, excerpt, LimitError, listExcerpt } from '../errors.js';
import { limits } from '../limits.js';

/** How to read the first row. */
export interface CsvTableOptions {
  /** Name used in error messages, usually the file name. */
  source: string;
  /** true: the first row is the header; false: there is none (columns 1, 2, …); default: detected (see the module comment). */
  header?: boolean;
  /** Lines starting with # are comments (default false). */
  comments?: boolean;
  /** Keep rows with another number of fields than the first (for the caller to judge) instead of refusing them (default false). */
  ragged?: boolean;
  /** Characters of one cell (default limits.cellLength; a course platform's export carries question texts). */
  cellLength?: number;
}

/** One data row: its fields as written (trimmed) and its line in the file (from 1). */
export interface CsvRow {
  fields: string[];
  line: number;
}

/** A CSV file as read: the column names, whether they came from a header row, and the data rows. */
export interface CsvTable {
  /** Column names: the header's, or "1", "2", … without one. */
  columns: string[];
  /** Whether the first row was a header. */
  hasHeader: boolean;
  /** The line of the header row (0 without one). */
  headerLine: number;
  rows: CsvRow[];
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** The number written as `s` in decimal notation (optionally with an exponent), or undefined for anything else. */
export function csvNumber(s: string): number | undefined {
  if (!NUMBER.test(s)) return undefined;
  const v = Number(s);
  return Number.isFinite(v) ? v : undefined;
}

/** How a column is named in messages: `column "price"` with a header, `column 3` without. */
export function columnText(table: Pick<CsvTable, 'columns' | 'hasHeader'>, c: number): string {
  return table.hasHeader ? `column ${excerpt(table.columns[c] ?? String(c + 1))}` : `column ${c + 1}`;
}

interface Record {
  record: string[];
  info: { lines: number };
}

function parseRecords(text: string, source: string, comments: boolean): Record[] {
  try {
    return parse(text, {
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      trim: true,
      bom: true,
      record_delimiter: ['\r\n', '\n', '\r'],
      ...(comments ? { comment: '#', comment_no_infix: true } : {}),
    }) as unknown as Record[];
  } catch (e) {
    const err = e as { lines?: unknown; code?: unknown; message?: unknown };
    const line = typeof err.lines === 'number' ? ` (near line ${err.lines})` : '';
    const why = typeof err.code === 'string' ? csvProblem(err.code) : undefined;
    const detail = why ?? String(err.message ?? e).slice(0, 120);
    throw new DataError(`${source}: not valid CSV${line}: ${detail}`);
  }
}

/** csv-parse's error codes in plain words. */
function csvProblem(code: string): string | undefined {
  switch (code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'a quoted field is never closed (a " without its closing ")';
    case 'CSV_INVALID_CLOSING_QUOTE':
      return 'a closing quote is followed by more text in the same field (write "" for a quote inside a quoted field)';
    case 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE':
      return 'text follows the closing quote of a field';
    case 'CSV_QUOTE_INVALID_CHARACTER':
    case 'INVALID_OPENING_QUOTE':
      return 'a quote inside an unquoted field (quote the whole field and write "" for the quote)';
    default:
      return undefined;
  }
}

/**
 * Refuses a file whose first line is separated by ';' or tabs and has no comma (Excel saves so in many locales):
 * read with commas it would be one column of "a;b" cells, or fail on a quote, with a message that hides the cause.
 */
function checkSeparator(text: string, source: string, comments: boolean): void {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  const at = lines.findIndex((l) => l.trim() !== '' && !(comments && l.startsWith('#')));
  if (at < 0) return;
  const bare = lines[at]!.replace(/"(?:[^"]|"")*"/g, ''); // quoted fields may hold anything
  if (bare.includes(',')) return;
  const by = bare.includes(';') ? "';'" : bare.includes('\t') ? 'tabs' : undefined;
  if (by)
    throw new DataError(
      `${source}: line ${at + 1}: separated by ${by}; expected commas (save as CSV UTF-8 with commas)`,
    );
}

/** Reads CSV text into a header and rows (see the module comment for the rules). */
export function readCsvTable(text: string, opts: CsvTableOptions): CsvTable {
  const { source } = opts;
  checkSeparator(text, source, opts.comments ?? false);
  const records = parseRecords(text, source, opts.comments ?? false);
  if (records.length === 0)
    throw new DataError(
      `${source}: the file is empty; expected ${opts.header === false ? 'rows of numbers' : 'a header row and at least one data row'}`,
    );
  const first = records[0]!.record;
  if (first.length > limits.csvColumns) {
    throw new LimitError(
      `${source}: ${first.length.toLocaleString('en-US')} columns; at most ${limits.csvColumns.toLocaleString('en-US')} are supported (limits.csvColumns)`,
    );
  }
  const hasHeader = opts.header ?? !first.every((f) => csvNumber(f) !== undefined);
  const columns = hasHeader ? first : first.map((_, c) => String(c + 1));
  const table: CsvTable = { columns, hasHeader, headerLine: hasHeader ? records[0]!.info.lines : 0, rows: [] };
  for (const r of records) checkCells(r, table, source, opts.cellLength ?? limits.cellLength);
  if (hasHeader) checkHeader(table, source);
  const width = columns.length;
  for (let j = hasHeader ? 1 : 0; j < records.length; j++) {
    const { record, info } = records[j]!;
    if (record.length !== width && !opts.ragged)
      throw new DataError(`${source}: line ${info.lines} ${raggedText(record.length, table)}`);
    table.rows.push({ fields: record, line: info.lines });
  }
  return table;
}

function checkCells(r: Record, table: CsvTable, source: string, max: number): void {
  r.record.forEach((f, c) => {
    if (f.length <= max) return;
    const col = c < table.columns.length ? columnText(table, c) : `field ${c + 1}`;
    throw new LimitError(
      `${source}: line ${r.info.lines}, ${col}: a cell of ${f.length.toLocaleString('en-US')} ` +
        `characters (${excerpt(f, 20)}); at most ${max.toLocaleString('en-US')} are supported` +
        (max === limits.cellLength ? ' (limits.cellLength)' : ''),
    );
  });
}

function checkHeader(table: CsvTable, source: string): void {
  const seen = new Set<string>();
  table.columns.forEach((name, c) => {
    if (name === '')
      throw new DataError(`${source}: line ${table.headerLine}: column ${c + 1} of the header has no name`);
    if (seen.has(name))
      throw new DataError(`${source}: line ${table.headerLine}: the header names column ${excerpt(name)} twice`);
    seen.add(name);
  });
}

/** "has 3 fields, expected 4 like the header (a, b, c, y): column "y" is missing". */
function raggedText(found: number, table: CsvTable): string {
  const width = table.columns.length;
  const like = table.hasHeader ? `like the header ${listExcerpt(table.columns)}` : 'like the first row';
  const which =
    found < width ? `${columnText(table, found)} is missing` : `field ${width + 1} is beyond the last column`;
  return `has ${found} field${found === 1 ? '' : 's'}, expected ${width} ${like}: ${which}`;
}
