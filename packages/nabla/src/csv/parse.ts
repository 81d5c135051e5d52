/**
 * CSV data sets, read by the one CSV reader (table.ts). One column (by name, default the last) is the target,
 * every other a numeric feature. Nothing is changed silently: a missing or non-numeric value is an error naming
 * its line (the file's own numbering) and column.
 */

import { checkDataset, type Dataset } from '../data/dataset.js';
import { DataError, excerpt, LimitError, listExcerpt, OptionError } from '../errors.js';
import { limits } from '../limits.js';
import { columnText, readCsvTable, csvNumber as toNumber } from './table.js';

/** Options of `parseCsv`: where the text came from, which column is the target and what kind of task it is. */
export interface CsvOptions {
  /** Name used in error messages and as the data set's name, usually the file name. */
  source: string;
  /** Name of the target column; default the last column. */
  target?: string;
  /** `'classification'`: the target column holds class labels (one output neuron per class); `'regression'`: it holds one numeric target. */
  task: 'classification' | 'regression';
  /**
   * Classification: use exactly these classes, in this order (output neuron j stands for classes[j]),
   * instead of the sorted distinct labels — e.g. to read test data with the training set's classes.
   * A label not in the list is an error.
   */
  classes?: readonly (string | number)[];
  /** true: the first row is the header; false: there is none (columns are named 1, 2, …); default: detected. */
  header?: boolean;
}

/** Sorted distinct labels: ascending numbers when every label is a number, otherwise strings by code unit. */
function sortedClasses(labels: readonly string[]): (string | number)[] {
  const distinct = [...new Set(labels)];
  const numbers = distinct.map(toNumber);
  if (numbers.every((v) => v !== undefined)) return [...new Set(numbers as number[])].sort((a, b) => a - b);
  return distinct.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** The index into `classes` of the label written as `s`, or -1. Numeric classes match by value. */
function classIndex(byString: Map<string, number>, byNumber: Map<number, number>, s: string): number {
  const direct = byString.get(s);
  if (direct !== undefined) return direct;
  const v = toNumber(s);
  return v === undefined ? -1 : (byNumber.get(v) ?? -1);
}

/** A data set from CSV text (see the module comment for the rules). */
export function parseCsv(text: string, opts: CsvOptions): Dataset {
  const { source, task } = opts;
  if (task !== 'classification' && task !== 'regression') {
    throw new OptionError(`${source}: task "${String(task)}" is not "classification" or "regression"`);
  }
  if (opts.classes !== undefined && task !== 'classification') {
    throw new OptionError(`${source}: the classes option applies only to classification, not ${task}`);
  }
  const table = readCsvTable(text, opts.header === undefined ? { source } : { source, header: opts.header });
  const header = table.columns;
  const rows = table.rows;
  if (rows.length === 0) throw new DataError(`${source}: only a header row ${listExcerpt(header)}, no data rows`);
  const columns = listExcerpt(header);
  const targetName = opts.target ?? header[header.length - 1]!;
  const t = header.indexOf(targetName);
  if (t < 0)
    throw new DataError(
      `${source}: no column named ${excerpt(targetName)}; the columns are ` +
        `${columns}${table.hasHeader ? '' : ' (the file has no header row, so the columns are numbered)'}`,
    );
  if (header.length < 2)
    throw new DataError(
      `${source}: only the target ${columnText(table, t)}; expected at least one feature column besides it`,
    );

  const width = header.length;
  const inputs = width - 1;
  const count = rows.length;
  const featureNames = header.filter((_, c) => c !== t);
  const x = new Float64Array(count * inputs);
  const rawLabels: string[] = [];
  const targets = new Float64Array(task === 'regression' ? count : 0);

  for (let s = 0; s < count; s++) {
    const { fields, line } = rows[s]!;
    let i = 0;
    for (let c = 0; c < width; c++) {
      const f = fields[c]!;
      const where = `${source}: line ${line}, ${columnText(table, c)}`;
      if (f === '') throw new DataError(`${where}: the value is missing`);
      if (c === t && task === 'classification') {
        rawLabels.push(f);
        continue;
      }
      const v = toNumber(f);
      if (v === undefined)
        throw new DataError(`${where}: ${excerpt(f)} is not a number (expected decimal notation like -1.5 or 2e-3)`);
      if (c === t) targets[s] = v;
      else x[s * inputs + i++] = v;
    }
  }

  const base = { name: source, x, inputs, count, featureNames };
  if (task === 'regression') return checkDataset({ ...base, task, targets, outputs: 1 });

  const classes = opts.classes === undefined ? sortedClasses(rawLabels) : checkClasses(opts.classes, source);
  if (classes.length > limits.classes) {
    throw new LimitError(
      `${source}: ${columnText(table, t)} holds ${classes.length.toLocaleString('en-US')} ` +
        `distinct labels; at most ${limits.classes.toLocaleString('en-US')} classes are supported ` +
        '(limits.classes); for a numeric target use regression',
    );
  }
  const byString = new Map<string, number>();
  const byNumber = new Map<number, number>();
  classes.forEach((c, j) => (typeof c === 'number' ? byNumber.set(c, j) : byString.set(c, j)));
  const labels = new Int32Array(count);
  for (let s = 0; s < count; s++) {
    const j = classIndex(byString, byNumber, rawLabels[s]!);
    if (j < 0) {
      throw new DataError(
        `${source}: line ${rows[s]!.line}, ${columnText(table, t)}: class ${excerpt(rawLabels[s]!)} is not one of the given classes ${listExcerpt(classes)}`,
      );
    }
    labels[s] = j;
  }
  return checkDataset({ ...base, task, labels, classes, outputs: classes.length });
}

function checkClasses(classes: readonly (string | number)[], source: string): (string | number)[] {
  if (!Array.isArray(classes) || classes.length === 0)
    throw new OptionError(`${source}: the classes option must be a non-empty list`);
  const seen = new Set<string | number>();
  for (const c of classes) {
    if ((typeof c !== 'string' && typeof c !== 'number') || (typeof c === 'number' && !Number.isFinite(c))) {
      throw new OptionError(
        `${source}: class ${JSON.stringify(c)} in the classes option is not a string or a finite number`,
      );
    }
    if (seen.has(c)) throw new OptionError(`${source}: class ${JSON.stringify(c)} appears twice in the classes option`);
    seen.add(c);
  }
  return [...classes];
}
