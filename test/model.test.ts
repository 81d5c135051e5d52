// The model API as a TypeScript developer meets it (the main entry `nabla`): plain arrays in and out, biases by
// default, the fastest kernels by default, Keras-like History, metrics, JSON, and the paper one call away.
// Numbers are checked against hand-worked values and against finite differences of a forward pass written here.

import { createModel, DataError, DivergenceError, type Inputs, Model, OptionError } from 'nabla';
import { describe, expect, it } from 'vitest';
import { classificationReport, regressionReport } from '../packages/nabla/src/model/metrics.js';
import { expectCentralDifferences } from './helpers/differences.js';
import { DEFAULT_KERNELS, NATIVE } from './helpers/native.js';

const xorX = [
  [0, 0],
  [0, 1],
  [1, 0],
  [1, 1],
];
const xorY = [0, 1, 1, 0];

describe('createModel + fit: three lines that learn', () => {
  it('a 2-8-1 model with the defaults learns XOR (biases on, bce on logits, the fastest kernels: native where built, else WASM)', async () => {
    const model = createModel({ inputs: 2, layers: [{ units: 8 }, { units: 1 }] });
    const h = await model.fit(xorX, xorY, { epochs: 500, batchSize: 4, learningRate: 0.05 });
    expect(h.history.loss).toHaveLength(500);
    expect(h.history.loss.at(-1)).toBeLessThan(0.01);
    expect(h.kernels.name).toMatch(DEFAULT_KERNELS);
    if (!NATIVE) expect(h.kernels.note).toContain('native kernels unavailable');
    expect(model.loss).toBe('bce');
    expect(model.classes).toEqual([0, 1]);
    expect(model.predictClasses(xorX)).toEqual(xorY);
    const p = model.predict(xorX);
    expect(p.map((r) => r[0]! > 0.5)).toEqual([false, true, true, false]);
    expect(model.predict([1, 0])).toHaveLength(1); // one sample in, one row out
    expect(model.epochs).toBe(500);
  });

  it('without biases, the same network cannot learn XOR (f(0,0) is stuck at σ(0) = 0.5): the §3 biases matter', async () => {
    const model = createModel({ inputs: 2, layers: [{ units: 8 }, { units: 1 }], bias: false });
    await model.fit(xorX, xorY, { epochs: 300, batchSize: 4, learningRate: 0.05 });
    expect(model.predict([0, 0])[0]).toBeCloseTo(0.5, 6); // every N is W·0 = 0 without a bias
  });

  it('fitSync trains the same weights as fit (same seed; one thread vs two, bit-identical kernels)', async () => {
    const a = createModel({ inputs: 2, layers: [4, 1], seed: 3 });
    const b = createModel({ inputs: 2, layers: [4, 1], seed: 3 });
    await a.fit(xorX, xorY, { epochs: 20, batchSize: 2, kernels: 'wasm' });
    const h = b.fitSync(xorX, xorY, { epochs: 20, batchSize: 2, kernels: 'wasm' });
    expect(h.kernels.threads).toBe(1);
    expect(b.serialize()).toBe(a.serialize());
  });

  it.skipIf(!NATIVE)(
    'the native kernels train the same weights as WebAssembly, bit for bit (the same FMA order), and say so in history.kernels',
    async () => {
      const x = Array.from({ length: 300 }, (_, s) =>
        Array.from({ length: 40 }, (_, j) => Math.sin(s * 0.37 + j * 1.3)),
      );
      const y = x.map((r) => (r[0]! + r[3]! > 0 ? 1 : 0));
      const train = (kernels: 'native' | 'wasm', sync: boolean) => {
        const m = createModel({
          inputs: 40,
          layers: [{ units: 96, activation: 'tanh' }, { units: 33, activation: 'relu' }, 1],
          seed: 5,
        });
        const opts = { epochs: 3, batchSize: 37, kernels };
        return sync ? { m, h: m.fitSync(x, y, opts) } : m.fit(x, y, opts).then((h) => ({ m, h }));
      };
      const wasm = await train('wasm', false);
      const native = await train('native', false);
      const nativeSync = await train('native', true);
      expect(native.h.kernels.name).toMatch(/^native-(avx512|avx2)$/);
      expect(nativeSync.h.kernels.threads).toBe(native.h.kernels.threads);
      expect(native.m.serialize()).toBe(wasm.m.serialize());
      expect(nativeSync.m.serialize()).toBe(wasm.m.serialize());
    },
  );

  it(
    "a fit started inside another fit's callback, or beside it, runs and finishes (no queue " +
      'to deadlock on), on every set, with the weights of a fit run alone',
    async () => {
      const x = Array.from({ length: 64 }, (_, s) => [Math.sin(s), Math.cos(2 * s)]);
      const y = x.map((r) => (r[0]! * r[1]! > 0 ? 1 : 0));
      for (const kernels of ['auto', 'wasm', 'ref'] as const) {
        const alone = createModel({ inputs: 2, layers: [6, 1], seed: 9 });
        await alone.fit(x, y, { epochs: 2, batchSize: 16, kernels });
        const outer = createModel({ inputs: 2, layers: [3, 1], seed: 4 });
        const inner = createModel({ inputs: 2, layers: [6, 1], seed: 9 });
        let innerKernels = '';
        await outer.fit(x, y, {
          epochs: 2,
          batchSize: 16,
          kernels,
          onEpochEnd: async ({ epoch }) => {
            if (epoch === 1) innerKernels = (await inner.fit(x, y, { epochs: 2, batchSize: 16, kernels })).kernels.name;
          },
        });
        expect(innerKernels, kernels).not.toBe('');
        expect(inner.serialize(), `${kernels}: nested`).toBe(alone.serialize());
        const side = [
          createModel({ inputs: 2, layers: [6, 1], seed: 9 }),
          createModel({ inputs: 2, layers: [6, 1], seed: 9 }),
        ];
        await Promise.all(side.map((m) => m.fit(x, y, { epochs: 2, batchSize: 16, kernels })));
        for (const m of side) expect(m.serialize(), `${kernels}: side by side`).toBe(alone.serialize());
      }
    },
  );

  it('a float64 model trains on the reference kernels and history.kernels says so; forcing a float32 set for it is refused', async () => {
    const m = createModel({ inputs: 2, layers: [3, 1], dtype: 'float64' });
    const h = await m.fit(xorX, xorY, { epochs: 2 });
    expect(h.kernels).toMatchObject({ name: 'ref', threads: 1 });
    expect(h.kernels.note).toMatch(/float64 model runs on the reference kernels/);
    expect(m.fitSync(xorX, xorY, { epochs: 1 }).kernels.name).toBe('ref');
    expect(() => m.fitSync(xorX, xorY, { epochs: 1, kernels: 'wasm' })).toThrow(
      /kernels: 'wasm': these kernels compute in float32, the model is float64/,
    );
    const saved = process.env.NABLA_KERNELS;
    try {
      process.env.NABLA_KERNELS = 'wasm';
      expect(() => m.fitSync(xorX, xorY, { epochs: 1 })).toThrow(
        /NABLA_KERNELS=wasm: these kernels compute in float32/,
      );
    } finally {
      if (saved === undefined) delete process.env.NABLA_KERNELS;
      else process.env.NABLA_KERNELS = saved;
    }
  });

  it('predict of no samples gives no rows', () => {
    const m = createModel({ inputs: 2, layers: [1] });
    expect(m.predict([])).toEqual([]);
  });

  it('a kernel set forced by name that is not one is refused, naming the sets', async () => {
    const m = createModel({ inputs: 2, layers: [1] });
    await expect(m.fit(xorX, xorY, { kernels: 'gpu' as 'wasm' })).rejects.toThrow(
      /kernels: expected 'native', 'wasm', 'ref', 'auto' or a Kernels object, got "gpu"/,
    );
    expect(() => m.fitSync(xorX, xorY, { kernels: 'ref', epochs: 1 })).not.toThrow();
  });

  it('yields to the event loop between batches, waits for async callbacks, and stops on an AbortSignal', async () => {
    const model = createModel({ inputs: 2, layers: [16, 1] });
    const x = Array.from({ length: 2000 }, (_, s) => [Math.sin(s), Math.cos(3 * s)]);
    const y = x.map(([a, b]) => (a! * b! > 0 ? 1 : 0));
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    const order: string[] = [];
    const ctl = new AbortController();
    const h = await model.fit(x, y, {
      epochs: 50,
      batchSize: 8,
      sliceMs: 2,
      onEpochBegin: ({ epoch }) => void order.push(`begin ${epoch}`),
      onEpochEnd: async ({ epoch }) => {
        await new Promise((r) => setTimeout(r, 5));
        order.push(`end ${epoch}`);
        if (epoch === 3) ctl.abort();
      },
      signal: ctl.signal,
    });
    clearInterval(timer);
    expect(ticks).toBeGreaterThan(3);
    expect(h.stopReason).toBe('aborted');
    expect(h.epoch.length).toBeLessThanOrEqual(4);
    expect(order.slice(0, 6)).toEqual(['begin 1', 'end 1', 'begin 2', 'end 2', 'begin 3', 'end 3']);
  });

  it('a schedule by name, and an AbortSignal aborted before the first batch trains nothing', async () => {
    const m = createModel({ inputs: 2, layers: [4, 1] });
    const h = m.fitSync(xorX, xorY, { epochs: 4, learningRate: 0.1, schedule: 'cosine' });
    expect(h.history.learning_rate).toEqual(
      [0.1, (0.1 * (1 + Math.SQRT1_2)) / 2, 0.05, (0.1 * (1 - Math.SQRT1_2)) / 2].map((v) => expect.closeTo(v, 15)),
    );
    const before = m.serialize();
    const aborted = await m.fit(xorX, xorY, { epochs: 3, signal: AbortSignal.abort() });
    expect(aborted.stopReason).toBe('aborted');
    expect(m.serialize()).toBe(before);
  });

  it('History has one array per metric (Keras style), with validation, early stopping and the best epoch', async () => {
    const model = createModel({ inputs: 2, layers: [8, 1], seed: 2 });
    const x = Array.from({ length: 200 }, (_, s) => [Math.sin(s), Math.cos(s)]);
    const y = x.map(([a]) => (a! > 0 ? 1 : 0));
    const h = await model.fit(x, y, {
      epochs: 200,
      validationSplit: 0.25,
      earlyStopping: { patience: 3, minDelta: 1e-3 },
      learningRate: 0.05,
    });
    expect(h.history.val_loss).toHaveLength(h.epoch.length);
    expect(h.history.accuracy).toHaveLength(h.epoch.length);
    expect(h.history.val_accuracy).toHaveLength(h.epoch.length);
    expect(h.stopReason).toBe('early-stopping');
    expect(h.bestEpoch).toBe(h.epoch[h.history.val_loss!.indexOf(Math.min(...h.history.val_loss!))]);
  });

  it('string labels, several classes, input scaling fitted on the training data, float64', async () => {
    const x = Array.from({ length: 90 }, (_, s) => [
      1000 + 10 * Math.cos((2 * Math.PI * s) / 3) + (s % 7) * 0.1,
      50 * Math.sin((2 * Math.PI * s) / 3),
    ]);
    const y = x.map((_, s) => ['red', 'green', 'blue'][s % 3]!);
    const model = createModel({ inputs: 2, layers: [8, 3], dtype: 'float64' });
    const h = await model.fit(x, y, { epochs: 100, standardize: true, learningRate: 0.05 });
    expect(model.loss).toBe('softmax-ce');
    expect(model.classes).toEqual(['blue', 'green', 'red']);
    expect(model.inputScaling!.mean[0]).toBeCloseTo(1000.3, 0);
    expect(h.history.accuracy!.at(-1)).toBe(1);
    expect(model.predictClasses(x.slice(0, 3))).toEqual(['red', 'green', 'blue']);
    const rows = model.predict(x.slice(0, 1))[0]!;
    expect(rows.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12); // softmax probabilities
  });

  it('takes flat typed arrays and rows of typed arrays, converted to the model dtype', async () => {
    const model = createModel({ inputs: 2, layers: [4, 1], seed: 5 });
    const flat = new Float64Array(xorX.flat());
    const rows: Inputs = xorX.map((r) => Float32Array.from(r));
    expect(model.predict(flat)).toEqual(model.predict(xorX));
    expect(model.predict(rows)).toEqual(model.predict(xorX));
  });
});

describe('bad input gets a clear error in the library’s terms', () => {
  const model = createModel({ inputs: 2, layers: [3, 1] });
  it.each<[string, () => unknown, string]>([
    ['row length', () => model.predict([[1, 2, 3]]), 'x[0] has 3 numbers; the model has 2 inputs'],
    ['NaN', () => model.predict([[1, Number.NaN]]), 'x[0][1] is NaN; expected a finite number'],
    ['text cell', () => model.predict([[1, 'a' as unknown as number]]), 'x[0][1] is "a"; expected a finite number'],
    [
      'flat length',
      () => model.predict(new Float32Array(3)),
      'x: a flat array of 3 numbers is not a whole number of samples of 2 inputs each',
    ],
    ['label count', () => model.fitSync(xorX, [0, 1, 1]), 'y has 3 labels for 4 samples'],
    [
      'three labels, one output',
      () => model.fitSync(xorX, ['a', 'b', 'c', 'a']),
      'y has 3 distinct labels but the model has 1 output neuron, which stand for 2 classes; ' +
        "give classes: [...] to createModel, or change the last layer's units",
    ],
    ['empty', () => model.fitSync([], []), 'x is empty; expected at least one sample'],
    [
      'target rows of the wrong width',
      () =>
        createModel({ inputs: 2, layers: [3, 1], loss: 'mse' }).fitSync(xorX, [
          [0, 1],
          [1, 0],
          [1, 0],
          [0, 1],
        ]),
      'y[0] has 2 numbers; the model has 1 output',
    ],
  ])('%s', (_, f, message) => {
    expect(f).toThrow(new DataError(message));
  });
  it('options', () => {
    expect(() => createModel({ inputs: 0, layers: [1] })).toThrow(
      new OptionError('inputs = 0; expected a whole number ≥ 1 (the features per sample)'),
    );
    expect(() => createModel({ inputs: 2, layers: [{ units: 2.5 }] })).toThrow(
      new OptionError('layers[0].units = 2.5; expected a whole number ≥ 1'),
    );
    expect(() => createModel({ inputs: 2, layers: [1], loss: 'softmax-ce' }).fitSync(xorX, xorY)).toThrow(OptionError);
    expect(() => model.fitSync(xorX, xorY, { validationSplit: 2 })).toThrow(
      new OptionError('validationSplit = 2; expected a fraction between 0 and 1'),
    );
    // another library's option names are refused with nabla's, not ignored
    expect(() => model.fitSync(xorX, xorY, { lr: 0.5 } as object)).toThrow(
      new OptionError('unknown fit option "lr"; use learningRate'),
    );
    expect(() => model.fitSync(xorX, xorY, { verbose: 0 } as object)).toThrow(
      /unknown fit option "verbose"; use onEpochEnd/,
    );
    expect(() =>
      createModel({ inputs: 2, layers: [1], optimizer: 'sgd' } as object as Parameters<typeof createModel>[0]),
    ).toThrow(/unknown createModel option "optimizer"; expected one of: inputs, layers/);
    expect(() => model.fitSync(xorX, xorY, { shuffle: 'no' as unknown as boolean })).toThrow(
      new OptionError('shuffle = "no"; expected true or false'),
    );
    expect(() => model.fitSync(xorX, xorY, { epochs: '10' as unknown as number })).toThrow(
      new OptionError('epochs = "10"; expected a whole number ≥ 1'),
    );
    expect(() => model.fitSync(xorX, xorY, { schedule: {} as never })).toThrow(
      /schedule: expected \{ name: "constant" \| "step" \| "cosine", … \}/,
    );
  });
  it('diverging training throws a diagnosis and keeps the last good, finite weights', async () => {
    const m = createModel({ inputs: 2, layers: [8, 1], loss: 'mse' });
    const x = Array.from({ length: 64 }, (_, s) => [s, -s]);
    const y = x.map(([a]) => a! * 1e3);
    await expect(m.fit(x, y, { optimizer: 'sgd', learningRate: 10, epochs: 5 })).rejects.toBeInstanceOf(
      DivergenceError,
    );
    expect(m.predict(x).flat().every(Number.isFinite)).toBe(true);
  });
});

describe('metrics', () => {
  it('per-class precision, recall and F1 from a hand-worked confusion matrix', () => {
    // rows: true class, columns: predicted. class a: tp 5, predicted 7, support 6; class b: tp 2, predicted 3, support 4
    const r = classificationReport(
      [
        [5, 1],
        [2, 2],
      ],
      ['a', 'b'],
    );
    expect(r.accuracy).toBeCloseTo(7 / 10, 15);
    expect(r.perClass[0]).toEqual({
      label: 'a',
      precision: 5 / 7,
      recall: 5 / 6,
      f1: (2 * (5 / 7) * (5 / 6)) / (5 / 7 + 5 / 6),
      support: 6,
    });
    expect(r.perClass[1]!.precision).toBeCloseTo(2 / 3, 15);
    expect(r.perClass[1]!.recall).toBeCloseTo(1 / 2, 15);
    expect(r.macro.recall).toBeCloseTo((5 / 6 + 1 / 2) / 2, 15);
    expect(
      classificationReport(
        [
          [3, 0],
          [1, 0],
        ],
        [0, 1],
      ).perClass[1],
    ).toEqual({ label: 1, precision: 0, recall: 0, f1: 0, support: 1 });
  });

  it('MAE and RMSE by hand, and evaluate on a hand-written regression model', () => {
    expect(regressionReport([1, 2, 4], [1, 3, 1])).toEqual({ mae: 4 / 3, rmse: Math.sqrt(10 / 3) });
    // f(x) = 2·x₁ − x₂ + 1, written as an affine model file by hand
    const m = Model.fromJSON({
      widths: [2, 1],
      affine: true,
      layers: [{ W: [[2, -1, 1]], activation: 'identity' }],
      loss: 'mse',
    });
    const r = m.evaluate(
      [
        [1, 1],
        [0, 0],
        [2, 1],
      ],
      [2, 3, 4],
    ); // predictions 2, 1, 4
    expect(r.regression).toEqual({ mae: 2 / 3, rmse: Math.sqrt(4 / 3) });
    expect(r.loss).toBeCloseTo(4 / 3, 12); // the training loss mse: the mean of the squared errors 0, 4, 0
  });
});

describe('the paper on the model', () => {
  it('model.gradient() gives ∇ of each layer’s [A_i | b_i] equal to central finite differences of f written here', () => {
    const m = createModel({
      inputs: 2,
      layers: [
        { units: 3, activation: 'tanh' },
        { units: 1, activation: 'sigmoid' },
      ],
      dtype: 'float64',
      seed: 4,
    });
    const L = [m.layer(1).W.toRows(), m.layer(2).W.toRows()];
    const f = (P: number[][][], x: number[]) => {
      const h = P[0]!.map((r) => Math.tanh(r[0]! * x[0]! + r[1]! * x[1]! + r[2]!));
      return (
        1 / (1 + Math.exp(-(P[1]![0]![0]! * h[0]! + P[1]![0]![1]! * h[1]! + P[1]![0]![2]! * h[2]! + P[1]![0]![3]!)))
      );
    };
    const x = [0.3, -0.7];
    const g = m.gradient(x, { forms: 'all' });
    expect(g.layerGrads.map((G) => [G.rows, G.cols])).toEqual([
      [3, 3],
      [1, 4],
    ]);
    expect(g.trace.f.get(0, 0)).toBeCloseTo(f(L, x), 14);
    expectCentralDifferences(
      L,
      (P) => f(P, x),
      (li, r, c) => g.layerGrads[li]!.get(r, c),
      9,
    );
    expect(g.forms.map((r) => r.form)).toEqual(['recursive', 'explicit', 'kronecker', 'diagonal', 'proof', 'numeric']);
    for (const { form, maxDiff } of g.forms) expect(maxDiff, form).toBeLessThan(form === 'numeric' ? 1e-8 : 1e-12);
  });

  it('the homogeneous view of §3 and back is lossless; summary counts the parameters', () => {
    const m = createModel({ inputs: 2, layers: [{ units: 8 }, { units: 1 }] });
    const net = m.homogeneous();
    expect(net.n).toEqual([3, 9, 1]); // constant-1 input, one formal neuron
    expect(net.W.get(1).toRows()[8]).toEqual([0, 0, 1]); // §3 (b)
    expect(Model.fromNetwork(net, { bias: true }).serialize()).toBe(m.serialize());
    expect(() =>
      Model.fromNetwork(createModel({ inputs: 2, layers: [8, 1], bias: false }).homogeneous(), { bias: true }),
    ).toThrow(/paper §3 \(b\)/);
    expect(m.parameterCount).toBe(8 * 3 + 1 * 9);
    const lines: string[] = [];
    const text = m.summary({ print: (l) => lines.push(l) });
    expect(text).toContain('parameters: 33');
    expect(text).toContain('widths 3-9-1');
    expect(lines.join('\n')).toBe(text);
  });
});

describe('save and load', () => {
  it('JSON text and object round trips predict the same values; the documented minimum loads', async () => {
    const m = createModel({ inputs: 2, layers: [5, 1], seed: 9 });
    await m.fit(xorX, xorY, { epochs: 30, batchSize: 4 });
    const again = Model.fromJSON(JSON.stringify(m));
    expect(again.predict(xorX)).toEqual(m.predict(xorX));
    expect(again.classes).toEqual([0, 1]);
    expect(Model.fromJSON(m.toJSON()).serialize()).toBe(m.serialize());
    const minimal = Model.fromJSON({ widths: [1, 1], layers: [{ W: [[3]], activation: 'identity' }] });
    expect(minimal.predict([[2]])).toEqual([[6]]);
  });
});
