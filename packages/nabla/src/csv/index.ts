/**
 * `nabla/csv`: CSV text to a data set (header row, a target column, numeric features; errors name the line and
 * column). Uses csv-parse; in a browser bundle alias `csv-parse/sync` to `csv-parse/browser/esm/sync`.
 */
export { parseCsv } from './parse.js';
export type { CsvOptions } from './parse.js';
