/** Reading a CSV file from disk (Node): `parseCsv` on the file's text, errors naming the file. */
import { basename } from 'node:path';
import { type CsvOptions, parseCsv } from '../csv/parse.js';
import type { Dataset } from '../data/dataset.js';
import { OptionError } from '../errors.js';
import { csvOptionsSchema, readOptions } from '../model/option-schemas.js';
import { readTextFile } from './read-file.js';

/** Options of `loadCsv`: those of `parseCsv` (target column, task, classes), with `source` and `task` optional. */
export interface LoadCsvOptions extends Omit<CsvOptions, 'source' | 'task'> {
  /** Name for messages; default the file's base name. */
  source?: string;
  /** What the target column holds (default `'classification'`, class labels, as `nabla train` reads a CSV file). */
  task?: CsvOptions['task'];
}

/** Reads and parses the CSV file at `path` (UTF-8); without options, the last column holds class labels. */
export function loadCsv(path: string, opts: LoadCsvOptions = {}): Dataset {
  if (typeof path !== 'string' || path === '') throw new OptionError('loadCsv(path): expected a file path (a string)');
  readOptions(csvOptionsSchema, opts, 'loadCsv');
  const text = readTextFile(path, opts.source ?? path, 'a CSV file');
  return parseCsv(text, { ...opts, task: opts.task ?? 'classification', source: opts.source ?? basename(path) });
}
