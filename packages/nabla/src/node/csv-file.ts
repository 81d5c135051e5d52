/** Reading a CSV file from disk (Node): `parseCsv` on the file's text, errors naming the file. */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { DataError } from '../errors.js';
import { parseCsv, type CsvOptions } from '../csv/parse.js';
import type { Dataset } from '../data/dataset.js';

/** Options of `loadCsv`: those of `parseCsv` (target column, task, classes), with `source` optional. */
export interface LoadCsvOptions extends Omit<CsvOptions, 'source'> {
  /** Name for messages; default the file's base name. */
  source?: string;
}

/** Reads and parses the CSV file at `path` (UTF-8). */
export function loadCsv(path: string, opts: LoadCsvOptions): Dataset {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new DataError(`cannot read CSV file "${path}": ${(e as Error).message}`);
  }
  return parseCsv(text, { ...opts, source: opts.source ?? basename(path) });
}
