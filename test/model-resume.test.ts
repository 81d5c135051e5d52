// Model's training state through the model file: resume = load, then fit again, bit-identical to an uninterrupted
// run (optimizer state, the data order's shuffles and the schedule's epoch count continue); per-epoch snapshots;
// the history across runs; an .onnx file as a Model.
import { readFileSync } from 'node:fs';
import { createModel, importOnnx, loadModel, Model, type ModelFitOptions } from 'nabla';
import { loadModelFile } from 'nabla/node';
import { augment, fromColumns } from 'nabla/paper';
import { getLoss, predictOutputs } from 'nabla/train';
import { describe, expect, it } from 'vitest';

// two interleaved spirals of 120 points, labels 'a' / 'b' (a classification task where the data order matters)
const x: number[][] = [];
const y: string[] = [];
for (let j = 0; j < 120; j++) {
  const t = (j / 120) * 3 * Math.PI;
  const s = j % 2 === 0 ? 1 : -1;
  x.push([s * t * Math.cos(t) * 0.3, s * t * Math.sin(t) * 0.3]);
  y.push(s > 0 ? 'a' : 'b');
}
const fresh = () => createModel({ inputs: 2, layers: [{ units: 6, activation: 'tanh' }, { units: 2 }], seed: 4 });
const weights = (m: Model) => Array.from({ length: m.depth }, (_, j) => Array.from(m.layer(j + 1).W.data));

describe('Model: resume through the model file', () => {
  const opts: ModelFitOptions = {
    batchSize: 16,
    learningRate: 0.02,
    seed: 9,
    validationSplit: 0.25,
    standardize: true,
    kernels: 'ref',
  };

  it('fit 2 epochs, serialize, fromJSON, fit 1 more = fit 3 epochs, bit for bit (adam, shuffled, split, standardized)', async () => {
    const once = fresh();
    await once.fit(x, y, { ...opts, epochs: 3 });
    const part = fresh();
    await part.fit(x, y, { ...opts, epochs: 2 });
    const text = part.serialize();
    expect(JSON.parse(text).optimizer.step).toBe(2 * 6); // 90 training samples in batches of 16: 6 steps an epoch
    const back = Model.fromJSON(text);
    expect(back.resumable).toBe(true);
    expect(back.epochs).toBe(2);
    // only the epochs and the kernels given: the rest (optimizer, η, batch size, seed, …) is the saved run's
    const h = await back.fit(x, y, { epochs: 1, validationSplit: 0.25, kernels: 'ref' });
    expect(h.epoch).toEqual([3]);
    expect(weights(back)).toEqual(weights(once));
    expect(back.history.map((e) => e.epoch)).toEqual([1, 2, 3]);
    expect(back.history).toEqual(once.history);
    expect(back.serialize()).toBe(once.serialize());
  });

  it('the same resume without the training state (training: false) gives other weights: the test can fail', async () => {
    const once = fresh();
    await once.fit(x, y, { ...opts, epochs: 3 });
    const part = fresh();
    await part.fit(x, y, { ...opts, epochs: 2 });
    const restart = Model.fromJSON(part.serialize(), { training: false });
    expect(restart.resumable).toBe(false);
    expect(restart.epochs).toBe(0);
    await restart.fit(x, y, { ...opts, epochs: 1 });
    expect(weights(restart)).not.toEqual(weights(once));
  });

  it('a snapshot from onEpochEnd resumes a cosine-scheduled run: epoch 2 of 3, then 1 more = all 3 (default kernels)', async () => {
    const cosine: ModelFitOptions = {
      batchSize: 8,
      learningRate: 0.05,
      seed: 3,
      schedule: 'cosine',
      optimizer: 'sgd',
      optimizerOptions: { momentum: 0.9 },
    };
    const once = fresh();
    const snaps: string[] = [];
    await once.fit(x, y, { ...cosine, epochs: 3, onEpochEnd: (e) => void snaps.push(e.snapshot()) });
    expect(snaps).toHaveLength(3);
    const ck = JSON.parse(snaps[1]!);
    expect(ck.history.map((e: { epoch: number }) => e.epoch)).toEqual([1, 2]);
    expect(ck.training.stopReason).toBe('checkpoint');
    const resumed = Model.fromJSON(snaps[1]!);
    await resumed.fit(x, y, { epochs: 1 });
    expect(weights(resumed)).toEqual(weights(once));
    expect(resumed.serialize()).toBe(once.serialize());
    // the last snapshot is the final model but for how the run ended
    expect(snaps[2]!.replace('"checkpoint"', '"completed"')).toBe(once.serialize());
  });

  it('serialize({ optimizer: false }) leaves the state out; the rest of the file is the same', async () => {
    const m = fresh();
    await m.fit(x, y, { epochs: 1, kernels: 'ref' });
    const full = JSON.parse(m.serialize());
    const lean = JSON.parse(m.serialize({ optimizer: false }));
    expect(lean.optimizer).toBeUndefined();
    expect(full.optimizer.name).toBe('adam');
    delete full.optimizer;
    expect(lean).toEqual(full);
  });
});

describe('loadModel / loadModelFile: JSON or ONNX as a Model', () => {
  const onnxPath = 'examples/models/mlp.onnx';
  const samples = [
    [0.5, -1],
    [1, 2],
    [0, 0],
    [-3, 0.25],
  ];

  it('an .onnx file gives a Model whose predict equals the imported network run directly (the old CLI path)', async () => {
    const m = await loadModelFile(onnxPath);
    const loaded = importOnnx(new Uint8Array(readFileSync(onnxPath)));
    expect(m.bias).toBe(loaded.affine !== undefined);
    const X = augment(fromColumns(samples));
    const old = predictOutputs(
      loaded.network.as('float64'),
      X,
      loaded.meta.loss ? getLoss(loaded.meta.loss) : undefined,
    );
    const fromModel = Model.fromJSON(m.serialize(), { dtype: 'float64' }).predict(samples);
    expect(fromModel).toEqual(samples.map((_, b) => Array.from({ length: old.rows }, (_, r) => old.get(r, b))));
    // the float32 model agrees to float32 rounding
    m.predict(samples).forEach((row, b) =>
      row.forEach((v, r) => expect(Math.abs(v - old.get(r, b))).toBeLessThan(1e-6)),
    );
  });

  it('loadModel takes the bytes of either format, and the JSON text', () => {
    const bytes = new Uint8Array(readFileSync(onnxPath));
    const a = loadModel(bytes);
    const b = loadModel(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    expect(b.serialize()).toBe(a.serialize());
    const text = a.serialize();
    expect(loadModel(text).serialize()).toBe(text);
    expect(loadModel(new TextEncoder().encode(`\n ${text}`)).serialize()).toBe(text);
    expect(() => loadModel(42 as unknown as string)).toThrow(
      /loadModel: expected the file's text \(a string\) or bytes/,
    );
  });

  it('evaluate on an imported model takes the loss as an option, and says so when it is missing', async () => {
    const m = await loadModelFile(onnxPath);
    expect(m.loss).toBeUndefined();
    expect(() => m.evaluate(samples, [0, 1, 1, 0])).toThrow(
      /evaluate: the model has no loss \(give \{ loss \} to evaluate/,
    );
    const r = m.evaluate(samples, [[0], [1], [1], [0]], { loss: 'mse' });
    // mse = mean of (f − y)², by hand from the network's outputs
    const f = m.predict(samples).map((row) => row[0]!);
    const want = (f[0]! ** 2 + (f[1]! - 1) ** 2 + (f[2]! - 1) ** 2 + f[3]! ** 2) / 4;
    expect(r.loss).toBeCloseTo(want, 6);
  });
});
