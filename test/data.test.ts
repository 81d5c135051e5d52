import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as nodeApi from 'nabla/node';
import * as trainApi from 'nabla/train';
import { beforeAll, describe, expect, it } from 'vitest';
import { datasetKind, loadDataset } from '../packages/cli/src/data/load.js';
import { loadMnist, MNIST_SPLIT_SEED } from '../packages/cli/src/data/mnist.js';
import {
  applyStandardizer,
  checkDataset,
  type Dataset,
  fitStandardizer,
  gatherBatch,
  gatherLabels,
  gatherSampleRows,
  gatherTargets,
  oneHot,
  splitDataset,
  subset,
} from '../packages/nabla/src/data/dataset.js';
import { DataError, OptionError, ShapeError } from '../packages/nabla/src/errors.js';
import { Matrix, zeros } from '../packages/nabla/src/linalg/matrix.js';
import { Rng } from '../packages/nabla/src/rng.js';

/** 4 samples × 3 features: sample s has features (s+1, 10(s+1), 100(s+1)); classes a, b, c. */
function small(): Dataset {
  const x = new Float64Array([1, 10, 100, 2, 20, 200, 3, 30, 300, 4, 40, 400]);
  return checkDataset({
    name: 'small',
    x,
    inputs: 3,
    count: 4,
    task: 'classification',
    labels: new Int32Array([0, 2, 1, 2]),
    classes: ['a', 'b', 'c'],
    outputs: 3,
    featureNames: ['f1', 'f2', 'f3'],
  });
}

function regression(): Dataset {
  return checkDataset({
    name: 'reg',
    x: new Float32Array([1, 2, 3, 4, 5, 6]),
    inputs: 2,
    count: 3,
    task: 'regression',
    targets: new Float64Array([0.5, -0.5, 1.5, -1.5, 2.5, -2.5]),
    outputs: 2,
  });
}

describe('gatherBatch', () => {
  it('puts sample indices[start + j] in column j (hand-checked)', () => {
    const ds = small();
    const into = zeros(3, 2);
    gatherBatch(ds, [3, 0, 2, 1], 1, 3, into);
    // Columns: sample 0 = (1, 10, 100), sample 2 = (3, 30, 300).
    expect(into.toRows()).toEqual([
      [1, 3],
      [10, 30],
      [100, 300],
    ]);
  });

  it('fills float32 matrices from float64 data and the reverse, for batches longer than 8', () => {
    const count = 21;
    const inputs = 5;
    const x = new Float32Array(count * inputs).map((_, i) => i);
    const ds = checkDataset({
      name: 'n',
      x,
      inputs,
      count,
      task: 'classification',
      labels: new Int32Array(count),
      classes: [0],
      outputs: 1,
    });
    const idx = Int32Array.from({ length: count }, (_, k) => (k * 8) % count);
    for (const dtype of ['float32', 'float64'] as const) {
      const into = zeros(inputs, 19, dtype);
      gatherBatch(ds, idx, 1, 20, into);
      for (let j = 0; j < 19; j++)
        for (let i = 0; i < inputs; i++) expect(into.get(i, j)).toBe(idx[1 + j]! * inputs + i);
    }
  });

  it('checks the shape of into, the range and the indices', () => {
    const ds = small();
    expect(() => gatherBatch(ds, [0, 1], 0, 2, zeros(3, 3))).toThrow(
      new ShapeError('gatherBatch: into is 3×3, expected inputs × batch size = 3×2'),
    );
    expect(() => gatherBatch(ds, [0, 1], 1, 3, zeros(3, 2))).toThrow(
      new ShapeError('gatherBatch: batch [1, 3) is not a range inside the 2 indices'),
    );
    expect(() => gatherBatch(ds, [0, 4], 0, 2, zeros(3, 2))).toThrow(
      new DataError('gatherBatch: indices[1] = 4 is not a sample index 0..3 of "small"'),
    );
  });
});

describe('gatherTargets, gatherLabels, oneHot', () => {
  it('writes one-hot columns for classification', () => {
    const into = new Matrix(3, 3, new Float32Array(9).fill(7));
    gatherTargets(small(), [1, 2, 0], 0, 3, into);
    // labels of samples 1, 2, 0 are 2, 1, 0.
    expect(into.toRows()).toEqual([
      [0, 0, 1],
      [0, 1, 0],
      [1, 0, 0],
    ]);
  });

  it('copies regression targets into columns', () => {
    const into = zeros(2, 2);
    gatherTargets(regression(), [2, 0], 0, 2, into);
    expect(into.toRows()).toEqual([
      [2.5, 0.5],
      [-2.5, -0.5],
    ]);
  });

  it('gathers labels and builds one-hot matrices', () => {
    const labels = new Int32Array(2);
    gatherLabels(small(), [3, 2, 1], 1, 3, labels);
    expect(Array.from(labels)).toEqual([1, 2]);
    expect(oneHot([2, 0], 3, zeros(3, 2)).toRows()).toEqual([
      [0, 1],
      [0, 0],
      [1, 0],
    ]);
    expect(() => oneHot([3], 3, zeros(3, 1))).toThrow(
      new DataError('oneHot: label 3 at position 0 is not a class index 0..2'),
    );
    expect(() => gatherLabels(regression(), [0], 0, 1, labels)).toThrow(
      new DataError('gatherLabels: "reg" is a regression set and has no labels'),
    );
  });
});

describe('subset and splitDataset', () => {
  it('copies the chosen samples with their labels and targets', () => {
    const s = subset(small(), [2, 2, 0]);
    expect(s.count).toBe(3);
    expect(Array.from(s.x)).toEqual([3, 30, 300, 3, 30, 300, 1, 10, 100]);
    expect(Array.from(s.labels!)).toEqual([1, 1, 0]);
    expect(s.featureNames).toEqual(['f1', 'f2', 'f3']);
    const r = subset(regression(), [1]);
    expect(r.x).toBeInstanceOf(Float32Array);
    expect(Array.from(r.targets!)).toEqual([1.5, -1.5]);
    expect(() => subset(small(), [4])).toThrow(
      new DataError('subset of "small": index 4 at position 0 is not a sample index 0..3'),
    );
  });

  it('splits deterministically per seed into disjoint parts that cover the set', () => {
    const count = 100;
    const x = Float64Array.from({ length: count }, (_, i) => i);
    const ds = checkDataset({
      name: 'id',
      x,
      inputs: 1,
      count,
      task: 'classification',
      labels: new Int32Array(count),
      classes: [0],
      outputs: 1,
    });
    const a = splitDataset(ds, { fraction: 0.2, seed: 5 });
    const b = splitDataset(ds, { fraction: 0.2, seed: 5 });
    const c = splitDataset(ds, { fraction: 0.2, seed: 6 });
    expect(a.validation.count).toBe(20);
    expect(a.train.count).toBe(80);
    expect(Array.from(a.validation.x)).toEqual(Array.from(b.validation.x));
    expect(Array.from(a.validation.x)).not.toEqual(Array.from(c.validation.x));
    const all = [...a.train.x, ...a.validation.x].sort((p, q) => p - q);
    expect(all).toEqual(Array.from(x));
    expect(() => splitDataset(ds, { fraction: 1, seed: 1 })).toThrow(
      new OptionError('splitDataset: fraction 1 is not strictly between 0 and 1'),
    );
    expect(() => splitDataset(small(), { fraction: 0.1, seed: 1 })).toThrow(
      new DataError(
        'splitDataset: a validation fraction of 0.1 of 4 samples in "small" gives 0 validation and 4 training samples; both parts need at least one',
      ),
    );
  });
});

describe('standardizer', () => {
  it('matches a hand-worked example (population std, constant feature → std 1)', () => {
    // Feature 0: 1, 3, 5 → mean 3, variance (4 + 0 + 4)/3 = 8/3. Feature 1: 2, 2, 2 → mean 2, std 0 → 1.
    const ds = checkDataset({
      name: 'hand',
      x: new Float64Array([1, 2, 3, 2, 5, 2]),
      inputs: 2,
      count: 3,
      task: 'regression',
      targets: new Float64Array([0, 0, 0]),
      outputs: 1,
    });
    const st = fitStandardizer(ds);
    expect(st.mean).toEqual([3, 2]);
    expect(st.std[0]).toBeCloseTo(Math.sqrt(8 / 3), 14);
    expect(st.std[1]).toBe(1);
    const z = applyStandardizer(ds, st);
    const s = Math.sqrt(8 / 3);
    const want = [-2 / s, 0, 0, 0, 2 / s, 0];
    Array.from(z.x).forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 14));
    expect(Array.from(ds.x)).toEqual([1, 2, 3, 2, 5, 2]); // unchanged
    expect(() => applyStandardizer(ds, { mean: [0], std: [1] })).toThrow(
      new ShapeError('applyStandardizer: the standardizer has 1 means and 1 stds, expected 2 (the inputs of "hand")'),
    );
  });

  it('keeps float32 features float32', () => {
    const z = applyStandardizer(regression(), fitStandardizer(regression()));
    expect(z.x).toBeInstanceOf(Float32Array);
  });
});

describe('checkDataset', () => {
  it('names the first disagreement', () => {
    expect(() => checkDataset({ ...small(), x: new Float64Array(11) })).toThrow(
      new DataError('dataset "small": x has 11 numbers, expected count × inputs = 4 × 3 = 12'),
    );
    expect(() => checkDataset({ ...small(), labels: new Int32Array([0, 1, 2, 3]) })).toThrow(
      new DataError('dataset "small": sample 3 has class index 3, expected 0..2'),
    );
  });
});

describe('loadMnist', () => {
  let first: { train: Dataset; test: Dataset };
  beforeAll(() => {
    first = loadMnist();
  });

  it('loads 8,000 + 2,000 float32 digits of 784 pixels in [0, 1]', () => {
    const { train, test } = first;
    expect([train.count, test.count]).toEqual([8000, 2000]);
    for (const ds of [train, test]) {
      expect(ds.name).toBe('mnist');
      expect(ds.inputs).toBe(784);
      expect(ds.outputs).toBe(10);
      expect(ds.classes).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      expect(ds.x).toBeInstanceOf(Float32Array);
      expect(ds.x.length).toBe(ds.count * 784);
      let lo = Infinity;
      let hi = -Infinity;
      for (const v of ds.x) {
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      expect(lo).toBe(0);
      expect(hi).toBeLessThanOrEqual(1);
      expect(hi).toBeGreaterThan(0.99);
    }
  });

  it('has plausible class counts that add up to the package files', () => {
    const perDigit = [1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978];
    const trainCounts = new Array<number>(10).fill(0);
    const testCounts = new Array<number>(10).fill(0);
    for (const l of first.train.labels!) trainCounts[l]!++;
    for (const l of first.test.labels!) testCounts[l]!++;
    for (let d = 0; d < 10; d++) {
      expect(trainCounts[d]! + testCounts[d]!).toBe(perDigit[d]);
      expect(trainCounts[d]! / 8000).toBeGreaterThan(0.07);
      expect(testCounts[d]! / 2000).toBeGreaterThan(0.06);
    }
  });

  it('is deterministic and keeps train and test disjoint', () => {
    const again = loadMnist();
    const bytes = (a: ArrayBufferView): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
    // Byte comparisons: toEqual on 6 million floats takes most of a minute.
    for (const part of ['train', 'test'] as const) {
      expect(bytes(again[part].x).equals(bytes(first[part].x))).toBe(true);
      expect(bytes(again[part].labels!).equals(bytes(first[part].labels!))).toBe(true);
    }
    const key = (ds: Dataset, s: number): string => Buffer.from(ds.x.buffer, s * 784 * 4, 784 * 4).toString('base64');
    const train = new Set<string>();
    for (let s = 0; s < first.train.count; s++) train.add(key(first.train, s));
    for (let s = 0; s < first.test.count; s++) expect(train.has(key(first.test, s))).toBe(false);
  });

  it('follows the documented split: (digit, index) pairs shuffled by Rng(20240611)', () => {
    const dir = join(dirname(createRequire(import.meta.url).resolve('mnist/package.json')), 'src', 'digits');
    const files = Array.from(
      { length: 10 },
      (_, d) => (JSON.parse(readFileSync(join(dir, `${d}.json`), 'utf8')) as { data: number[] }).data,
    );
    const pairs: [number, number][] = [];
    files.forEach((data, d) => {
      for (let i = 0; i < data.length / 784; i++) pairs.push([d, i]);
    });
    new Rng(MNIST_SPLIT_SEED).shuffle(pairs);
    for (const [ds, s, p] of [
      [first.train, 0, 0],
      [first.train, 7999, 7999],
      [first.test, 0, 8000],
      [first.test, 1999, 9999],
      [first.train, 1234, 1234],
    ] as const) {
      const [d, i] = pairs[p]!;
      expect(ds.labels![s]).toBe(d);
      expect(Array.from(ds.x.subarray(s * 784, (s + 1) * 784))).toEqual(
        Array.from(Float32Array.from(files[d]!.slice(i * 784, (i + 1) * 784))),
      );
    }
  });
});

describe('loadDataset', () => {
  it('recognises each kind of spec', () => {
    expect(datasetKind('mnist')).toBe('mnist');
    expect(datasetKind('data/iris.CSV')).toBe('csv');
    expect(datasetKind('x/train-images-idx3-ubyte.gz')).toBe('idx');
    expect(datasetKind('digits-images.idx3')).toBe('idx');
    expect(datasetKind('synthetic:spiral')).toBe('synthetic');
    expect(datasetKind('iris.json')).toBeUndefined();
  });

  it('loads CSV and synthetic sets and rejects what it does not know', () => {
    const iris = loadDataset('test/fixtures/data/iris-mini.csv');
    expect(iris.train.count).toBe(9);
    expect(iris.test).toBeUndefined();
    const spiral = loadDataset('synthetic:spiral', { count: 30, classes: 3, seed: 2 });
    expect(spiral.train.outputs).toBe(3);
    expect(spiral.train.count).toBe(30);
    expect(() => loadDataset('iris.json')).toThrow(
      new DataError(
        'unknown data set "iris.json": expected "mnist", a .csv file, an IDX file (*.idx*, ' +
          '*-ubyte*, optionally .gz) or synthetic:<name> with <name> one of xor, circles, spiral, ' +
          'gaussians, moons',
      ),
    );
    expect(() => loadDataset('synthetic:blobs')).toThrow(
      new OptionError('unknown synthetic data set "blobs"; expected one of: xor, circles, spiral, gaussians, moons'),
    );
    expect(() => loadDataset('mnist', { seed: 3 })).toThrow(
      new OptionError('option seed does not apply to data set "mnist" (mnist); it applies to: synthetic'),
    );
    expect(() => loadDataset('synthetic:xor', { classes: ['a'] })).toThrow(
      new OptionError('option classes for synthetic:xor is the number of classes, found ["a"]'),
    );
  });

  it('is exported from the library subpaths: files from nabla/node, in-memory sets from nabla/train', () => {
    expect(typeof trainApi.splitDataset).toBe('function');
    expect(typeof trainApi.makeSynthetic).toBe('function');
    expect(typeof nodeApi.loadIdxDataset).toBe('function');
    expect(typeof nodeApi.loadCsv).toBe('function');
  });
});

describe('gatherSampleRows: the training batch as Xᵀ, one row per sample', () => {
  for (const n of [2, 70]) {
    it(
      'copies samples indices[start..end) into rows, leaving the columns after the inputs alone ' +
        `(${n} inputs: ${n >= 64 ? 'row views' : 'number by number'})`,
      () => {
        const count = 4;
        const x = Float32Array.from({ length: count * n }, (_, i) => i + 0.5);
        const ds = { name: 'rows', x, inputs: n, count } as unknown as Parameters<typeof gatherSampleRows>[0];
        const into = new Matrix(2, n + 1, new Float32Array(2 * (n + 1)).fill(-1));
        for (let repeat = 0; repeat < 2; repeat++) {
          gatherSampleRows(ds, [3, 1, 2], 1, 3, into); // samples 1 and 2
          for (let c = 0; c < n; c++) {
            expect(into.get(0, c)).toBe(1 * n + c + 0.5);
            expect(into.get(1, c)).toBe(2 * n + c + 0.5);
          }
          expect(into.get(0, n)).toBe(-1);
          expect(into.get(1, n)).toBe(-1);
        }
        expect(() => gatherSampleRows(ds, [0, 4], 0, 2, into)).toThrow(
          /indices\[1\] = 4 is not a sample index 0\.\.3 of "rows"/,
        );
        expect(() => gatherSampleRows(ds, [0, 1, 2], 0, 3, into)).toThrow(ShapeError);
      },
    );
  }
});
