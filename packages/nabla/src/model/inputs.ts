/**
 * Plain JavaScript data in, the paper's layout out. Users hand over samples as rows (`number[][]`, one row per
 * sample, as every JS library takes them), rows of typed arrays, or one flat row-major typed array; targets as
 * labels, numbers, or rows. Everything is checked here, with the position of the first bad value named, and
 * converted to the model's dtype.
 */
import type { Dataset } from '../data/dataset.js';
import { DataError } from '../errors.js';
import { type DType, type FloatArray, newArray, nonFiniteIndex } from '../linalg/matrix.js';

/**
 * Samples: one row per sample (`number[][]`, or an array of typed arrays), or one flat row-major typed array of
 * count × inputs numbers. A single sample may be given as one `number[]`.
 */
export type Inputs = readonly (readonly number[])[] | readonly ArrayLike<number>[] | Float32Array | Float64Array;

/**
 * Targets: class labels (`(string | number)[]`, or a typed array such as the `Int32Array` of a CSV reader, one per
 * sample) for classification; numbers (one per sample) or rows (`number[][]`, one per sample) for regression;
 * one-hot rows are read as labels under a classification loss.
 */
export type Targets =
  | readonly (string | number)[]
  | readonly (readonly number[])[]
  | readonly ArrayLike<number>[]
  | Float32Array
  | Float64Array
  | Int8Array
  | Uint8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array;

function describe(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 20 ? `${v.slice(0, 20)}…` : v);
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (v === null) return 'null';
  return typeof v === 'number' ? String(v) : typeof v;
}

function isRowLike(v: unknown): v is ArrayLike<number> {
  return Array.isArray(v) || ArrayBuffer.isView(v);
}

/** A typed array of numbers (not a DataView, not BigInt64Array). */
function isNumberArray(v: unknown): v is ArrayLike<number> {
  return (
    ArrayBuffer.isView(v) && !(v instanceof DataView) && !(v instanceof BigInt64Array) && !(v instanceof BigUint64Array)
  );
}

/**
 * Like `samplesOf`, but a flat typed array already in `dtype` is checked and returned as it is, not copied (for
 * reading only: predictions gather from it straight into the kernels' memory).
 */
export function sampleView(x: Inputs, inputs: number, dtype: DType): { data: FloatArray; count: number } {
  const same = dtype === 'float32' ? x instanceof Float32Array : x instanceof Float64Array;
  if (!same) return samplesOf(x, inputs, dtype);
  const flat = x as Float32Array | Float64Array;
  if (flat.length % inputs !== 0) return samplesOf(x, inputs, dtype); // its message
  const bad = nonFiniteIndex(flat);
  if (bad >= 0) throw new DataError(`x[${bad}] is ${flat[bad]}; expected finite numbers`);
  return { data: flat, count: flat.length / inputs };
}

/** Samples as a flat sample-major array (count × inputs) in `dtype`; throws `DataError` naming the first problem. */
export function samplesOf(
  x: Inputs,
  inputs: number,
  dtype: DType,
  what = 'x',
  unit = 'input',
): { data: FloatArray; count: number } {
  const per = `${inputs} ${unit}${inputs === 1 ? '' : 's'}`;
  const nums = (n: number) => `${n} number${n === 1 ? '' : 's'}`;
  if (x instanceof Float32Array || x instanceof Float64Array) {
    if (x.length % inputs !== 0) {
      throw new DataError(`${what}: a flat array of ${nums(x.length)} is not a whole number of samples of ${per} each`);
    }
    const bad = nonFiniteIndex(x);
    if (bad >= 0) throw new DataError(`${what}[${bad}] is ${x[bad]}; expected finite numbers`);
    const data = newArray(dtype, x.length);
    data.set(x);
    const far = dtype === 'float32' ? nonFiniteIndex(data) : -1; // a finite float64 beyond float32's range
    if (far >= 0) throw new DataError(`${what}[${far}] is ${x[far]}, beyond the float32 range (±3.4e38) of the model`);
    return { data, count: x.length / inputs };
  }
  if (!Array.isArray(x))
    throw new DataError(`${what}: expected an array of samples (number[][], one row per sample), found ${describe(x)}`);
  if (x.length > 0 && !isRowLike(x[0])) {
    // one sample as a flat number[]
    if (x.length !== inputs)
      throw new DataError(
        `${what}: one sample of ${nums(x.length)}, but the model takes ${per} (give rows: number[][])`,
      );
    return samplesOf([x as unknown as number[]], inputs, dtype, what, unit);
  }
  const rows = x as readonly unknown[];
  const data = newArray(dtype, rows.length * inputs);
  rows.forEach((row, s) => {
    if (!isRowLike(row)) throw new DataError(`${what}[${s}] is ${describe(row)}; expected a row of ${nums(inputs)}`);
    if (row.length !== inputs) throw new DataError(`${what}[${s}] has ${nums(row.length)}; the model has ${per}`);
    for (let c = 0; c < inputs; c++) {
      const v = row[c];
      if (typeof v !== 'number' || !Number.isFinite(v))
        throw new DataError(`${what}[${s}][${c}] is ${describe(v)}; expected a finite number`);
      data[s * inputs + c] = v;
    }
  });
  const far = dtype === 'float32' ? nonFiniteIndex(data) : -1; // a finite number beyond float32's range
  if (far >= 0) {
    const s = Math.floor(far / inputs);
    throw new DataError(
      `${what}[${s}][${far % inputs}] is ${(rows[s] as ArrayLike<number>)[far % inputs]}, beyond the float32 range (±3.4e38) of the model`,
    );
  }
  return { data, count: rows.length };
}

/** Whether `y` holds labels (strings, or one number per sample) rather than rows. */
export function isFlatTargets(y: Targets): boolean {
  return isNumberArray(y) || (Array.isArray(y) && (y.length === 0 || !isRowLike(y[0])));
}

/** Labels of `y` as given (strings or numbers), or undefined when `y` holds rows. */
export function labelsOf(y: Targets, what = 'y'): (string | number)[] | undefined {
  if (!isFlatTargets(y)) return undefined;
  const out = Array.from(y as ArrayLike<string | number>);
  out.forEach((v, s) => {
    if (typeof v === 'string') return;
    if (typeof v !== 'number' || !Number.isFinite(v))
      throw new DataError(`${what}[${s}] is ${describe(v)}; expected a class label or a finite number`);
  });
  return out;
}

/** Distinct labels in sorted order (numbers ascending, then strings). */
export function sortedClasses(labels: readonly (string | number)[]): (string | number)[] {
  const distinct = [...new Set(labels)];
  return distinct.sort((a, b) =>
    typeof a === 'number' && typeof b === 'number'
      ? a - b
      : typeof a === 'number'
        ? -1
        : typeof b === 'number'
          ? 1
          : a < b
            ? -1
            : a > b
              ? 1
              : 0,
  );
}

/** A classification data set: x with the class index of each label among `classes`. */
export function classificationSet(
  x: FloatArray,
  count: number,
  inputs: number,
  labels: readonly (string | number)[],
  classes: readonly (string | number)[],
  what = 'y',
): Dataset {
  if (labels.length !== count) throw new DataError(`${what} has ${labels.length} labels for ${count} samples`);
  const index = new Map(classes.map((c, j) => [c, j]));
  const idx = new Int32Array(count);
  labels.forEach((l, s) => {
    const j = index.get(l);
    if (j === undefined)
      throw new DataError(
        `${what}[${s}] is ${describe(l)}, not one of the model's classes [${classes.map((c) => JSON.stringify(c)).join(', ')}]`,
      );
    idx[s] = j;
  });
  return {
    name: what,
    x,
    inputs,
    count,
    task: 'classification',
    labels: idx,
    classes: [...classes],
    outputs: classes.length,
  };
}

/** One-hot (or probability) rows read as labels: the index of each row's largest entry. */
export function argmaxLabels(
  y: Targets,
  outputs: number,
  classes: readonly (string | number)[],
  what = 'y',
): (string | number)[] {
  const rows = Array.from(y as ArrayLike<ArrayLike<number>>);
  return rows.map((row, s) => {
    if (row.length !== outputs)
      throw new DataError(`${what}[${s}] has ${row.length} numbers; expected ${outputs} (one per class)`);
    let best = 0;
    for (let c = 1; c < outputs; c++) if (row[c]! > row[best]!) best = c;
    return classes[best]!;
  });
}

/** A regression data set: x with count × outputs targets (numbers or rows). */
export function regressionSet(
  x: FloatArray,
  count: number,
  inputs: number,
  y: Targets,
  outputs: number,
  what = 'y',
): Dataset {
  let targets: Float64Array;
  if (isFlatTargets(y)) {
    const flat = Array.from(y as ArrayLike<number | string>);
    if (flat.length !== count * outputs) {
      throw new DataError(
        `${what} has ${flat.length} numbers for ${count} samples × ${outputs} outputs${outputs > 1 ? ' (give one row of targets per sample)' : ''}`,
      );
    }
    targets = new Float64Array(flat.length);
    flat.forEach((v, j) => {
      if (typeof v !== 'number' || !Number.isFinite(v))
        throw new DataError(`${what}[${j}] is ${describe(v)}; expected a finite number (a regression target)`);
      targets[j] = v;
    });
  } else {
    const t = samplesOf(y as Inputs, outputs, 'float64', what, 'output');
    if (t.count !== count) throw new DataError(`${what} has ${t.count} rows for ${count} samples`);
    targets = t.data as Float64Array;
  }
  return { name: what, x, inputs, count, task: 'regression', targets, outputs };
}
