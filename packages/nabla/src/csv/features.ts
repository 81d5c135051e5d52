/**
 * Samples to predict from CSV text: every column is a feature except an optional target column, which is dropped.
 * Read by the one CSV reader (table.ts), so the header, BOM, quoting and number rules are those of training data.
 */
import { DataError, excerpt, listExcerpt } from '../errors.js';
import { columnText, csvNumber, readCsvTable } from './table.js';

/** Options of `parseCsvFeatures`. */
export interface CsvFeatureOptions {
  /** Name used in error messages, usually the file name. */
  source: string;
  /** The number of features the model takes (n_0, or m_0 of an affine model). */
  width: number;
  /** A column to drop (the target of a labelled file), by name (by number without a header). */
  drop?: string;
  /** true: the first row is the header; false: there is none; default: detected (see table.ts). */
  header?: boolean;
}

/** One array of `width` numbers per data row of the CSV text. */
export function parseCsvFeatures(text: string, opts: CsvFeatureOptions): number[][] {
  const { source, width } = opts;
  const table = readCsvTable(text, opts.header === undefined ? { source } : { source, header: opts.header });
  if (table.rows.length === 0)
    throw new DataError(`${source}: only a header row ${listExcerpt(table.columns)}, no samples`);
  const drop = opts.drop === undefined ? -1 : table.columns.indexOf(opts.drop);
  if (opts.drop !== undefined && drop < 0) {
    throw new DataError(
      `${source}: no column named ${excerpt(opts.drop)}; the columns are ` +
        `${listExcerpt(table.columns)}${table.hasHeader ? '' : ' (the file has no header row, so the columns are numbered)'}`,
    );
  }
  const features = table.columns.length - (drop < 0 ? 0 : 1);
  if (features !== width) {
    throw new DataError(
      `${source}: ${features} feature column${features === 1 ? '' : 's'}, but the model takes ` +
        `${width}${drop < 0 && features === width + 1 ? ' (drop a target column with --target NAME)' : ''}`,
    );
  }
  return table.rows.map(({ fields, line }) => {
    const out: number[] = [];
    fields.forEach((f, c) => {
      if (c === drop) return;
      const v = csvNumber(f);
      if (v === undefined) {
        const what =
          f === ''
            ? 'the value is missing'
            : `${excerpt(f)} is not a number (expected decimal notation like -1.5 or 2e-3)`;
        throw new DataError(`${source}: line ${line}, ${columnText(table, c)}: ${what}`);
      }
      out.push(v);
    });
    return out;
  });
}
