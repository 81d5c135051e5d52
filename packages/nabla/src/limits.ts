/**
 * nabla's documented limits, in one place: every reader and every engine that has a size limit takes it from
 * here, and refuses input beyond it with a `LimitError` that names the limit and the value found. They are far
 * above what a real model or data set of this tool needs; they exist so that an absurd or hostile input is
 * refused at once instead of running for minutes or exhausting memory.
 */
export const limits = {
  /** Layers k of a network (a model file, `createNetwork`, `createModel`). */
  layers: 1_000,
  /** Neurons n_i of one layer. */
  width: 1_000_000,
  /** Weights Σ n_i·n_{i−1} of a network. */
  parameters: 100_000_000,
  /** Bytes of a text input file (CSV, JSON: models, samples, exercises, answers). */
  textFileBytes: 256 * 1024 * 1024,
  /** Bytes of a binary input file: an IDX file as stored (gzipped or not) and decompressed, an ONNX file. */
  binaryFileBytes: 2 * 1024 * 1024 * 1024 - 1,
  /** Characters of one CSV cell (a number or a class label). */
  cellLength: 1_000,
  /** Columns of a CSV file. */
  csvColumns: 1_000_000,
  /** Classes of a classification data set (CSV labels, IDX labels 0 … classes − 1). */
  classes: 100_000,
  /** Decimal digits of a numerator or denominator in exact arithmetic (`--exact`, exercises, answer keys). */
  exactDigits: 1_000,
  /** Layers of an exercise (files written by `nabla exercise` and read by `nabla check`). */
  exerciseLayers: 4,
  /** Neurons per layer of an exercise. */
  exerciseWidth: 5,
  /** Exercises in one exercise set. */
  exerciseCount: 50,
  /** Students (or numbered variants) of one class (`nabla exercise --roster`, `--variants`). */
  classSize: 10_000,
} as const;

/** The names of the limits. */
export type LimitName = keyof typeof limits;
