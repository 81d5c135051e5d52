// Keras and TensorFlow.js habits on createModel and fit: each is read as nabla's option (inputShape, Keras's loss
// names, a last layer's softmax or sigmoid) or refused with a message naming where it goes. A mapped model is
// compared with the model written in nabla's own terms (same seed): the same weights and the same predictions.

import { createModel, type ModelOptions, OptionError } from 'nabla';
import { describe, expect, it } from 'vitest';

const x = [
  [0.5, -1, 2],
  [1, 0, -0.5],
  [-2, 1, 1],
  [0, 0, 0],
];

describe('Keras habits on createModel', () => {
  it('inputShape: [n], on the options or on the first layer, is inputs: n', () => {
    expect(createModel({ inputShape: [13], layers: [{ units: 3 }] }).inputs).toBe(13);
    const tfjs = createModel({ layers: [{ units: 4, activation: 'relu', inputShape: [3] }, { units: 2 }], seed: 3 });
    const own = createModel({ inputs: 3, layers: [{ units: 4, activation: 'relu' }, { units: 2 }], seed: 3 });
    expect(tfjs.inputs).toBe(3);
    expect(tfjs.predict(x)).toEqual(own.predict(x));
    expect(() => createModel({ inputs: 4, inputShape: [3], layers: [{ units: 1 }] })).toThrow(
      new OptionError('inputShape = [3] says 3 inputs, but inputs = 4'),
    );
    expect(() => createModel({ inputShape: [28, 28] as unknown as [number], layers: [{ units: 1 }] })).toThrow(
      new OptionError(
        'inputShape = [28,28]: a sample is a flat row of numbers here; give inputs: n (or inputShape: [n]), e.g. inputs: 784 with each sample flattened',
      ),
    );
    expect(() => createModel({ layers: [{ units: 1 }] })).toThrow(
      new OptionError('inputs: missing; give inputs: n (the features per sample), or inputShape: [n]'),
    );
  });

  it("activation: 'softmax' on the last layer is an identity last layer with the loss softmax-ce: predict gives softmax(f)", () => {
    const keras = createModel({
      inputs: 3,
      layers: [
        { units: 5, activation: 'relu' },
        { units: 3, activation: 'softmax' },
      ],
      seed: 9,
    });
    expect(keras.loss).toBe('softmax-ce');
    expect(keras.layer(2).activation).toBe('identity');
    const own = createModel({
      inputs: 3,
      layers: [{ units: 5, activation: 'relu' }, { units: 3 }],
      loss: 'softmax-ce',
      seed: 9,
    });
    expect(keras.layer(1).W.data).toEqual(own.layer(1).W.data);
    expect(keras.predict(x)).toEqual(own.predict(x));
    // softmax of the logits, worked here from the layers' weights: f = A_2·relu(A_1·x + b_1) + b_2
    const W1 = keras.layer(1).W.toRows();
    const W2 = keras.layer(2).W.toRows();
    for (const [s, row] of x.entries()) {
      const h = W1.map((w) => Math.max(0, w[0]! * row[0]! + w[1]! * row[1]! + w[2]! * row[2]! + w[3]!));
      const f = W2.map((w) => h.reduce((a, v, j) => a + w[j]! * v, w[5]!));
      const e = f.map((v) => Math.exp(v - Math.max(...f)));
      const p = e.map((v) => v / e.reduce((a, b) => a + b, 0));
      keras.predict(x)[s]!.forEach((v, j) => expect(v).toBeCloseTo(p[j]!, 6));
    }
  });

  it("'softmax' elsewhere, on one unit, or against another loss is refused, saying why", () => {
    expect(() => createModel({ inputs: 3, layers: [{ units: 4, activation: 'softmax' }, { units: 2 }] })).toThrow(
      /^layers\[0\]\.activation "softmax": softmax couples the neurons of a layer.*last layer only, where it means the loss softmax-ce$/,
    );
    expect(() => createModel({ inputs: 3, layers: [{ units: 1, activation: 'softmax' }] })).toThrow(
      /^layers\[0\]: softmax over 1 unit is always 1/,
    );
    expect(() => createModel({ inputs: 3, layers: [{ units: 2, activation: 'softmax' }], loss: 'mse' })).toThrow(
      new OptionError(
        'layers[0].activation "softmax" is the softmax of the loss softmax-ce, but loss = "mse" (mse); drop one of them',
      ),
    );
  });

  it("Keras's loss names are nabla's losses", () => {
    const cases: [NonNullable<ModelOptions['loss']> | string, string, number][] = [
      ['categoricalCrossentropy', 'softmax-ce', 3],
      ['categorical_crossentropy', 'softmax-ce', 3],
      ['sparseCategoricalCrossentropy', 'softmax-ce', 3],
      ['sparse_categorical_crossentropy', 'softmax-ce', 3],
      ['binaryCrossentropy', 'bce', 1],
      ['binary_crossentropy', 'bce', 1],
      ['meanSquaredError', 'mse', 2],
      ['mean_squared_error', 'mse', 2],
      ['CrossEntropyLoss', 'softmax-ce', 3], // PyTorch's
      ['BCEWithLogitsLoss', 'bce', 1],
      ['MSELoss', 'mse', 2],
    ];
    for (const [name, nabla, units] of cases) {
      expect(createModel({ inputs: 3, layers: [{ units }], loss: name as 'mse' }).loss).toBe(nabla);
    }
    expect(() => createModel({ inputs: 3, layers: [{ units: 1 }], loss: 'meanAbsoluteError' as 'mse' })).toThrow(
      /^loss = "meanAbsoluteError"; expected one of: mse, softmax-ce, bce \(Keras's meanSquaredError, categoricalCrossentropy/,
    );
  });

  it("'sigmoid' on the last layer with binaryCrossentropy is bce on the logits: predict gives the same sigmoid", async () => {
    const keras = createModel({
      inputs: 2,
      layers: [
        { units: 8, activation: 'tanh' },
        { units: 1, activation: 'sigmoid' },
      ],
      loss: 'binaryCrossentropy',
    });
    expect(keras.loss).toBe('bce');
    expect(keras.layer(2).activation).toBe('identity');
    const xor = [
      [0, 0],
      [0, 1],
      [1, 0],
      [1, 1],
    ];
    await keras.fit(xor, [0, 1, 1, 0], { epochs: 500, batchSize: 4, learningRate: 0.05 });
    expect(keras.predictClasses(xor)).toEqual([0, 1, 1, 0]);
    const p = keras.predict(xor).map(([v]) => v!);
    p.forEach((v) => expect(v > 0 && v < 1).toBe(true));
    // without the loss a sigmoid last layer stays a sigmoid (the paper's network, trained with mse)
    expect(createModel({ inputs: 2, layers: [{ units: 1, activation: 'sigmoid' }] }).layer(1).activation).toBe(
      'sigmoid',
    );
  });

  it('loss in fit is read (Keras names too); metrics and Keras layer options are refused, naming where they go', async () => {
    const m = createModel({ inputs: 3, layers: [{ units: 2 }] });
    // loss given to fit (as Keras's compile would): the model trains with it and keeps it; Keras's names are read too
    await m.fit(x, [0, 1, 0, 1], { loss: 'categoricalCrossentropy', epochs: 1 });
    expect(m.loss).toBe('softmax-ce');
    expect(() => m.fitSync(x, [0, 1, 0, 1], { loss: 'hinge' as never })).toThrow(
      /^loss = "hinge"; expected one of: mse, softmax-ce, bce/,
    );
    // @ts-expect-error metrics
    expect(() => m.fitSync(x, [0, 1, 0, 1], { metrics: ['accuracy'] })).toThrow(
      /^unknown fit option "metrics"; use nothing: fit reports accuracy/,
    );
    // @ts-expect-error kernelInitializer
    expect(() => createModel({ inputs: 3, layers: [{ units: 2, kernelInitializer: 'glorotUniform' }] })).toThrow(
      new OptionError('unknown layers[0] option "kernelInitializer"; use init'),
    );
  });
});
