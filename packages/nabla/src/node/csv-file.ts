/** Reading a CSV file from disk (Node): `parseCsv` on the file's text, errors naming the file. */
import { basename } from 'node:path';
import { type CsvOptions, parseCsv } from '../csv/parse.js';
import type { Dataset } from '../data/dataset.js';
import { readTextFile } from './read-file.js';

/** Options of `loadCsv`: those of `parseCsv` (target column, task, classes), with `source` optional. */
export interface LoadCsvOptions extends Omit<CsvOptions, 'source'> {
  /** Name for messages; default the file's base name. */
  source?: string;
}

/** Reads and parses the CSV file at `path` (UTF-8). */
export function loadCsv(path: string, opts: LoadCsvOptions): Dataset {
  const text = readTextFile(path, opts.source ?? path, 'a CSV file');
  return parseCsv(text, { ...opts, source: opts.source ?? basename(path) });
}
