// What the library reads, the library takes: a Dataset from loadCsv / parseCsv goes straight into model.fit, and its
// Int32Array labels (or any typed array of labels) do too. Each new path is checked against the path that was
// already accepted (plain arrays of labels): same seed, bit-identical weights. The `@ts-expect-error` lines are
// checked by `tsc --noEmit` (npm test's type check): what the types refuse must stay refused.

import { createModel, DataError, OptionError } from 'nabla';
import { loadCsv } from 'nabla/node';
import { type Dataset, parseCsv } from 'nabla/train';
import { describe, expect, it } from 'vitest';

const wine = loadCsv('examples/data/wine.csv', { task: 'classification' });
const opts = { epochs: 3, batchSize: 16, seed: 5, standardize: true } as const;
const wineModel = () => createModel({ inputs: 13, layers: [{ units: 8, activation: 'relu' }, { units: 3 }], seed: 2 });
const weights = (m: ReturnType<typeof wineModel>) => [1, 2].map((i) => Array.from(m.layer(i).W.data));

describe('loadCsv → model.fit', () => {
  it('fit(dataset) trains on the data set, its class names becoming the model classes', async () => {
    expect(wine.labels).toBeInstanceOf(Int32Array);
    const byDataset = wineModel();
    const h = await byDataset.fit(wine, opts);
    expect(h.history.loss).toHaveLength(3);
    expect(byDataset.classes).toEqual(['class_0', 'class_1', 'class_2']);
    // the same run on plain arrays: the class name of each sample
    const byArrays = wineModel();
    await byArrays.fit(
      wine.x,
      Array.from(wine.labels!, (j) => wine.classes![j]!),
      opts,
    );
    expect(weights(byDataset)).toEqual(weights(byArrays));
    expect(byDataset.predictClasses(wine.x.subarray(0, 13))).toEqual(byArrays.predictClasses(wine.x.subarray(0, 13)));
  });

  it('fit(x, labels) takes the Int32Array of class indices, as plain numbers would be taken', async () => {
    const typed = wineModel();
    await typed.fit(wine.x, wine.labels!, opts);
    const plain = wineModel();
    await plain.fit(wine.x, Array.from(wine.labels!), opts);
    expect(typed.classes).toEqual([0, 1, 2]);
    expect(weights(typed)).toEqual(weights(plain));
    for (const T of [Uint8Array, Int16Array, Float64Array]) {
      const m = wineModel();
      m.fitSync(wine.x, T.from(wine.labels!), opts);
      expect(weights(m)).toEqual(weights(plain));
    }
  });

  it('fitSync(dataset) and validationData as a Dataset', () => {
    const text = 'a,b,y\n0,0,no\n0,1,yes\n1,0,yes\n1,1,no\n';
    const xor = parseCsv(text, { source: 'xor.csv', task: 'classification' });
    const m = createModel({ inputs: 2, layers: [{ units: 8 }, { units: 1 }] });
    const h = m.fitSync(xor, { epochs: 400, batchSize: 4, learningRate: 0.05, validationData: xor });
    expect(m.classes).toEqual(['no', 'yes']);
    expect(m.loss).toBe('bce');
    expect(h.history.val_loss).toHaveLength(400);
    expect(h.history.val_loss!.at(-1)).toBeCloseTo(h.history.loss.at(-1)!, 1);
    expect(
      m.predictClasses([
        [0, 0],
        [0, 1],
        [1, 0],
        [1, 1],
      ]),
    ).toEqual(['no', 'yes', 'yes', 'no']);
  });

  it('a regression data set trains as regression, its targets as rows', () => {
    const text = 'x,y\n0,1\n1,3\n2,5\n3,7\n';
    const line = parseCsv(text, { source: 'line.csv', task: 'regression' });
    const m = createModel({ inputs: 1, layers: [{ units: 1 }], dtype: 'float64' });
    m.fitSync(line, { epochs: 2000, batchSize: 4, learningRate: 0.05 });
    expect(m.loss).toBe('mse');
    expect(m.predict([[4]])[0]![0]).toBeCloseTo(9, 3); // y = 2x + 1
  });

  it('refuses what does not fit, naming it', async () => {
    const small = createModel({ inputs: 12, layers: [{ units: 3 }] });
    await expect(small.fit(wine)).rejects.toThrow(
      new DataError('fit(dataset): the data set "wine.csv" has 13 inputs per sample; the model takes 12'),
    );
    const two = createModel({ inputs: 13, layers: [{ units: 2 }] });
    expect(() => two.fitSync(wine)).toThrow(
      /fitSync\(dataset\): the data set "wine.csv" has 3 classes but the model has 2 output neurons, which stand for 2 classes/,
    );
    const m = wineModel();
    // @ts-expect-error a data set carries its own targets
    await expect(m.fit(wine, wine.labels!)).rejects.toThrow(OptionError);
    // @ts-expect-error y is missing
    await expect(m.fit(wine.x)).rejects.toThrow(
      /^fit: expected fit\(x, y, options\?\) .*or fit\(dataset, options\?\).*; y is missing$/,
    );
    // @ts-expect-error options where y goes
    expect(() => m.fitSync(wine.x, { epochs: 1 })).toThrow(/; y is object$/);
    const broken: Dataset = { ...wine, labels: wine.labels!.subarray(1) };
    await expect(m.fit(broken)).rejects.toThrow(/dataset "wine.csv": 177 labels for 178 samples/);
    // @ts-expect-error BigInt labels are not numbers
    expect(() => m.fitSync(wine.x, new BigInt64Array(178))).toThrow(DataError);
  });
});
