/**
 * `nabla/csv`: CSV text to a data set or to samples, through one reader (header detection, BOM, CRLF, quotes, one
 * number syntax; errors name the line and column). Uses csv-parse; in a browser bundle alias `csv-parse/sync` to
 * `csv-parse/browser/esm/sync`.
 */
export { parseCsv } from './parse.js';
export type { CsvOptions } from './parse.js';
export { parseCsvFeatures } from './features.js';
export type { CsvFeatureOptions } from './features.js';
export { readCsvTable, csvNumber } from './table.js';
export type { CsvTable, CsvTableOptions, CsvRow } from './table.js';
