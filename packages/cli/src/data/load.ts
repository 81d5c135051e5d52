/**
 * One entry point from a data set spec (as typed on the command line) to data: `mnist` (mnist.ts), `<file>.csv`
 * (csv.ts), IDX image files with their labels found by name, optionally gzipped (idx.ts), or `synthetic:<name>`.
 * The result is `{ train, test? }` (only `mnist` has a test set); an option that does not apply is an error.
 */
import { basename } from 'node:path';
import { DataError, OptionError } from 'nabla';
import { loadCsv, loadIdxDataset } from 'nabla/node';
import { type Dataset, makeSynthetic, syntheticNames } from 'nabla/train';
import { loadMnist } from './mnist.js';

export interface LoadOptions {
  /** CSV: classification (default) or regression. */
  task?: 'classification' | 'regression';
  /** CSV: the target column's name; default the last column. */
  target?: string;
  /** CSV: whether the first row is a header (default: detected). */
  header?: boolean;
  /** CSV: the class list to use (see CsvOptions.classes). synthetic: the number of classes. */
  classes?: number | readonly (string | number)[];
  /** IDX: the label file; default inferred from the image file's name. */
  labelsPath?: string;
  /** synthetic: number of samples. */
  count?: number;
  /** synthetic: noise standard deviation. */
  noise?: number;
  /** synthetic: seed. */
  seed?: number;
}

export interface LoadedData {
  train: Dataset;
  /** A held-out test set when the source defines one (only `mnist`). */
  test?: Dataset;
}

export const datasetSpecHelp =
  'expected "mnist", a .csv file, an IDX file (*.idx*, *-ubyte*, optionally .gz) or synthetic:<name> with <name> one of ' +
  syntheticNames.join(', ');

type Kind = 'mnist' | 'csv' | 'idx' | 'synthetic';

const optionKinds: Record<keyof LoadOptions, readonly Kind[]> = {
  task: ['csv'],
  target: ['csv'],
  header: ['csv'],
  classes: ['csv', 'synthetic'],
  labelsPath: ['idx'],
  count: ['synthetic'],
  noise: ['synthetic'],
  seed: ['synthetic'],
};

/** Which kind of source `spec` names, or undefined. */
export function datasetKind(spec: string): Kind | undefined {
  if (spec === 'mnist') return 'mnist';
  if (spec.startsWith('synthetic:')) return 'synthetic';
  const name = basename(spec).toLowerCase();
  if (name.endsWith('.csv')) return 'csv';
  if (/\.idx\d*|-ubyte/.test(name)) return 'idx';
  return undefined;
}

/** The CSV flags of a command line (train, eval), as commander parses them. */
export interface CsvFlags {
  target?: string | undefined;
  header?: boolean | undefined;
  task?: string | undefined;
}

/**
 * Refuses CSV flags given for data that are not a CSV file (they would be silently ignored): one check for every
 * command that reads data; `flag` names the option that gave `spec` (--data).
 */
export function checkCsvFlags(flag: string, spec: string, flags: CsvFlags): void {
  if (datasetKind(spec) === 'csv') return;
  if (flags.header !== undefined)
    throw new OptionError(
      `${flags.header ? '--header' : '--no-header'} applies to CSV data; ${flag} ${spec} has no header row`,
    );
  if (flags.target !== undefined)
    throw new OptionError(`--target names a column of a CSV file; ${flag} ${spec} has no columns`);
  if (flags.task !== undefined)
    throw new OptionError(`--task applies to CSV data; ${flag} ${spec} defines its own task`);
}

/** Loads the data set named by `spec` (see the module comment). */
export function loadDataset(spec: string, opts: LoadOptions = {}): LoadedData {
  const kind = datasetKind(spec);
  if (kind === undefined) throw new DataError(`unknown data set "${spec}": ${datasetSpecHelp}`);
  for (const [key, kinds] of Object.entries(optionKinds) as [keyof LoadOptions, readonly Kind[]][]) {
    if (opts[key] !== undefined && !kinds.includes(kind)) {
      throw new OptionError(
        `option ${key} does not apply to data set "${spec}" (${kind}); it applies to: ${kinds.join(', ')}`,
      );
    }
  }
  switch (kind) {
    case 'mnist':
      return loadMnist();
    case 'csv': {
      if (typeof opts.classes === 'number')
        throw new OptionError(
          `option classes for a CSV file is a list of class labels, found the number ${opts.classes}`,
        );
      const csv: Parameters<typeof loadCsv>[1] = { task: opts.task ?? 'classification' };
      if (opts.target !== undefined) csv.target = opts.target;
      if (opts.header !== undefined) csv.header = opts.header;
      if (opts.classes !== undefined) csv.classes = opts.classes;
      return { train: loadCsv(spec, csv) };
    }
    case 'idx':
      return { train: loadIdxDataset(spec, opts.labelsPath) };
    case 'synthetic': {
      if (opts.classes !== undefined && typeof opts.classes !== 'number') {
        throw new OptionError(
          `option classes for ${spec} is the number of classes, found ${JSON.stringify(opts.classes)}`,
        );
      }
      const { count, noise, seed, classes } = opts;
      return { train: makeSynthetic(spec.slice('synthetic:'.length), defined({ count, noise, seed, classes })) };
    }
  }
}

/** `o` without its undefined properties (for exactOptionalPropertyTypes). */
function defined<T extends object>(o: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
}
