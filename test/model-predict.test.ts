// model.predict on the resident network (model/resident.ts): the weights live in the memory of a kernel instance
// of their own and are copied in once per network. Checked against a forward pass written here in float64 from
// the model's own layers ([A_i | b_i], relu then softmax), at batch sizes that cover one sample (the
// matrix-vector path), part of a chunk, and several chunks with a remainder; and for what a cache could get
// wrong: weights changed by fit, two models taking turns, predictions from inside a training callback.

import { createModel, DataError, Model } from 'nabla';
import { describe, expect, it } from 'vitest';
import { parseModel } from '../packages/nabla/src/io/model-json.js';
import { makeRandom } from './helpers/reference.js';

const INPUTS = 20;

/** softmax(A_2·relu(A_1·x + b_1) + b_2) per sample, in float64, from model.layer(i).W. */
function reference(model: Model, x: Float32Array): number[][] {
  const layers = [1, 2].map((i) => model.layer(i).W);
  const out: number[][] = [];
  for (let s = 0; s < x.length / INPUTS; s++) {
    let h: number[] = Array.from(x.subarray(s * INPUTS, (s + 1) * INPUTS));
    layers.forEach((W, j) => {
      const next: number[] = [];
      for (let r = 0; r < W.rows; r++) {
        let z = W.get(r, W.cols - 1); // the bias
        for (let c = 0; c < W.cols - 1; c++) z += W.get(r, c) * h[c]!;
        next.push(j === 0 ? Math.max(0, z) : z);
      }
      h = next;
    });
    const max = Math.max(...h);
    const e = h.map((v) => Math.exp(v - max));
    const z = e.reduce((a, b) => a + b, 0);
    out.push(e.map((v) => v / z));
  }
  return out;
}

function expectNear(got: number[][], want: number[][], label: string): void {
  expect(got.length, label).toBe(want.length);
  let worst = 0;
  got.forEach((row, s) => row.forEach((v, r) => (worst = Math.max(worst, Math.abs(v - want[s]![r]!)))));
  expect(worst, label).toBeLessThan(2e-6);
}

function sample(count: number, seed: number): Float32Array {
  const rand = makeRandom(seed);
  return Float32Array.from({ length: count * INPUTS }, () => rand() * 2 - 1);
}

function model(seed: number): Model {
  return createModel({
    inputs: INPUTS,
    layers: [{ units: 37, activation: 'relu' }, { units: 5 }],
    loss: 'softmax-ce',
    seed,
  });
}

describe('model.predict on the resident network', () => {
  it('equals a float64 forward pass for 1, 7, 512, 513 and 1,100 samples (one column, part of a chunk, whole chunks and a remainder)', () => {
    const m = model(1);
    for (const count of [1, 7, 512, 513, 1100]) {
      const x = sample(count, count);
      expectNear(m.predict(x), reference(m, x), `${count} samples`);
    }
    // one sample at a time gives the same rows as the batch (to float32 accuracy: the summation order differs)
    const x = sample(9, 3);
    const one = Array.from({ length: 9 }, (_, s) => m.predict(Array.from(x.subarray(s * INPUTS, (s + 1) * INPUTS))));
    expectNear(one, m.predict(x), 'one by one');
  });

  it('follows the weights that fit hands back, and two models taking turns each get their own', async () => {
    const a = model(2);
    const b = model(3);
    const x = sample(64, 4);
    const a0 = a.predict(x);
    expectNear(b.predict(x), reference(b, x), 'b');
    const y = Array.from({ length: 64 }, (_, s) => s % 5);
    await a.fit(x, y, { epochs: 3, batchSize: 16, learningRate: 0.05 });
    const a1 = a.predict(x);
    expect(Math.max(...a1.flat().map((v, j) => Math.abs(v - a0.flat()[j]!)))).toBeGreaterThan(1e-3); // it did change
    expectNear(a1, reference(a, x), 'a after fit');
    expectNear(b.predict(x), reference(b, x), 'b again');
    b.fitSync(x, y, { epochs: 2, batchSize: 16 });
    expectNear(b.predict(x), reference(b, x), 'b after fitSync');
    expectNear(a.predict(x), reference(a, x), 'a again');
  });

  it('a model made from a loaded file owns its network: changing the loaded object afterwards changes nothing', () => {
    const source = model(18);
    const loaded = parseModel(source.serialize());
    const m = Model.fromLoaded(loaded);
    const x = sample(5, 19);
    const first = m.predict(x);
    for (const i of loaded.network.W.indices()) loaded.network.W.get(i).data.fill(0);
    expect(m.predict(x)).toEqual(first);
    expectNear(first, reference(m, x), 'from the file');
  });

  it('predictions inside training callbacks do not disturb the run, and the run does not disturb them', async () => {
    const x = sample(128, 5);
    const y = Array.from({ length: 128 }, (_, s) => (s * 7) % 5);
    const trained = model(6);
    const twin = model(6);
    const other = model(7);
    const seen: number[][][] = [];
    const before = reference(trained, x.subarray(0, 3 * INPUTS)); // a model's weights change when fit returns
    trained.fitSync(x, y, {
      epochs: 3,
      batchSize: 32,
      onEpochEnd: () => {
        seen.push(other.predict(x), trained.predict(x.subarray(0, 3 * INPUTS)));
      },
    });
    twin.fitSync(x, y, { epochs: 3, batchSize: 32 });
    expect(trained.predict(x)).toEqual(twin.predict(x)); // the same run with and without predictions in it
    for (let e = 0; e < 3; e++) {
      expectNear(seen[2 * e]!, reference(other, x), `epoch ${e + 1}, the other model`);
      expectNear(seen[2 * e + 1]!, before, `epoch ${e + 1}, the model being trained`);
    }
    await trained.fit(x, y, { epochs: 2, batchSize: 32, onBatchEnd: () => void other.predict(x.subarray(0, INPUTS)) });
    expectNear(trained.predict(x), reference(trained, x), 'after fit with predictions in its callbacks');
  });

  it('refuses finite float64 values beyond float32 for a float32 model, in flat arrays and rows', () => {
    const m = model(14);
    const x = Float64Array.from(sample(2, 15));
    x[23] = -1e39;
    expect(() => m.predict(x)).toThrowError(
      new DataError('x[23] is -1e+39, beyond the float32 range (±3.4e38) of the model'),
    );
    const rows = [Array.from(sample(1, 16)), Array.from(sample(1, 17))];
    rows[1]![4] = 5e38;
    expect(() => m.predict(rows)).toThrowError(
      new DataError('x[1][4] is 5e+38, beyond the float32 range (±3.4e38) of the model'),
    );
  });

  it('refuses NaN and ±∞ in a flat typed array by position, float32 and float64 alike', () => {
    const m = model(8);
    for (const [at, v] of [
      [0, Number.NaN],
      [37, Infinity],
      [59, -Infinity],
    ] as const) {
      const x = sample(3, 9);
      x[at] = v;
      expect(() => m.predict(x)).toThrowError(new DataError(`x[${at}] is ${v}; expected finite numbers`));
      expect(() => m.predict(Float64Array.from(x))).toThrowError(
        new DataError(`x[${at}] is ${v}; expected finite numbers`),
      );
    }
  });

  it('without biases (no constant-1 column: each chunk is one contiguous copy), 1,100 samples', () => {
    const m = createModel({
      inputs: INPUTS,
      layers: [{ units: 37, activation: 'relu' }, { units: 5 }],
      loss: 'softmax-ce',
      seed: 12,
      bias: false,
    });
    const x = sample(1100, 13);
    const layers = [1, 2].map((i) => m.layer(i).W);
    const want: number[][] = [];
    for (let s = 0; s < 1100; s++) {
      let h: number[] = Array.from(x.subarray(s * INPUTS, (s + 1) * INPUTS));
      layers.forEach((W, j) => {
        h = Array.from({ length: W.rows }, (_, r) => {
          let z = 0;
          for (let c = 0; c < W.cols; c++) z += W.get(r, c) * h[c]!;
          return j === 0 ? Math.max(0, z) : z;
        });
      });
      const e = h.map((v) => Math.exp(v - Math.max(...h)));
      want.push(e.map((v) => v / e.reduce((a, b) => a + b, 0)));
    }
    expect(layers[0]!.cols).toBe(INPUTS); // no bias column
    expectNear(m.predict(x), want, 'no biases');
  });

  it('a float64 model predicts in float64 (no resident float32 copy)', () => {
    const m = createModel({
      inputs: INPUTS,
      layers: [{ units: 37, activation: 'relu' }, { units: 5 }],
      loss: 'softmax-ce',
      seed: 10,
      dtype: 'float64',
    });
    const x = sample(30, 11);
    const got = m.predict(Float64Array.from(x));
    const want = reference(m, x);
    let worst = 0;
    got.forEach((row, s) => row.forEach((v, r) => (worst = Math.max(worst, Math.abs(v - want[s]![r]!)))));
    expect(worst).toBeLessThan(1e-12);
  });
});
