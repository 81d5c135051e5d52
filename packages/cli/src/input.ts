/**
 * Samples and vectors read from small JSON files on the command line (x.json, v.json). Problems are
 * DataErrors naming the file and the sample, e.g. `x.json: sample 0 has 2 numbers, expected n_0 = 3`.
 */
import { DataError, describeValue } from 'nabla';

/**
 * One sample (an array of `expected` numbers) or several (an array of such arrays), as a list of samples.
 * `symbol` names the expected length in messages ("n_0", "m_0").
 */
export function samplesFrom(value: unknown, source: string, expected: number, symbol: string): number[][] {
  const shape = `one sample [x_1, …, x_${expected}] or several [[…], […]] with ${symbol} = ${expected} numbers each`;
  if (!Array.isArray(value)) throw new DataError(`${source}: expected ${shape}, found ${describeValue(value)}`);
  if (value.length === 0) throw new DataError(`${source}: no samples; expected ${shape}`);
  const several = Array.isArray(value[0]);
  const samples: unknown[] = several ? value : [value];
  return samples.map((s, j) => {
    if (!Array.isArray(s)) {
      throw new DataError(
        `${source}: entry ${j} is ${describeValue(s)} but entry 0 is an array; give one sample (an array of numbers) or several (an array of arrays)`,
      );
    }
    if (s.length !== expected)
      throw new DataError(`${source}: sample ${j} has ${s.length} numbers, expected ${symbol} = ${expected}`);
    s.forEach((x: unknown, r) => {
      if (typeof x !== 'number' || !Number.isFinite(x)) {
        throw new DataError(`${source}: sample ${j}, entry ${r}: expected a finite number, found ${describeValue(x)}`);
      }
    });
    return s as number[];
  });
}

/** An array of exactly `expected` finite numbers; `what` names it in messages ("v"), `symbol` its length ("n_k"). */
export function vectorFrom(value: unknown, source: string, expected: number, what: string, symbol: string): number[] {
  if (!Array.isArray(value))
    throw new DataError(
      `${source}: expected ${what} as an array of ${symbol} = ${expected} numbers, found ${describeValue(value)}`,
    );
  if (value.length !== expected)
    throw new DataError(`${source}: ${what} has ${value.length} numbers, expected ${symbol} = ${expected}`);
  value.forEach((x: unknown, r) => {
    if (typeof x !== 'number' || !Number.isFinite(x))
      throw new DataError(`${source}: ${what}[${r}]: expected a finite number, found ${describeValue(x)}`);
  });
  return value as number[];
}
