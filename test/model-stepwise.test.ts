// What a client that trains step by step (the explorer's Training worker) needs from Model: the loss it would
// choose, a hand edit of one weight between epochs, the L1/L2 penalty as a fit option; and splitIndices, which
// says which samples splitDataset puts in each part.

import { createModel, OptionError } from 'nabla';
import { makeSynthetic, splitDataset, splitIndices } from 'nabla/train';
import { describe, expect, it } from 'vitest';

describe('Model#lossFor', () => {
  it('names the loss fit would choose: on logits for an identity last layer, mse otherwise, the model’s own first', () => {
    const one = createModel({ inputs: 2, layers: [3, 1] });
    expect(one.lossFor('classification')).toBe('bce');
    expect(one.lossFor('regression')).toBe('mse');
    expect(createModel({ inputs: 2, layers: [3, 4] }).lossFor('classification')).toBe('softmax-ce');
    expect(createModel({ inputs: 2, layers: [3, { units: 1, activation: 'sigmoid' }] }).lossFor('classification')).toBe(
      'mse',
    );
    expect(createModel({ inputs: 2, layers: [3, 1], loss: 'mse' }).lossFor('classification')).toBe('mse');
    // and it is the loss fit then trains with
    one.fitSync(
      [
        [0, 0],
        [1, 1],
      ],
      [0, 1],
      { epochs: 1 },
    );
    expect(one.loss).toBe('bce');
    expect(() => one.lossFor('ranking' as 'regression')).toThrow(OptionError);
  });
});

describe('Model#setWeight', () => {
  it('sets one entry of W_i of the homogeneous network and keeps training from it', () => {
    const m = createModel({ inputs: 2, layers: [2, 1], seed: 3, dtype: 'float64' });
    m.fitSync(
      [
        [0, 1],
        [1, 0],
      ],
      [0.5, -0.5],
      { epochs: 2 },
    );
    m.setWeight(1, 1, 2, 0.25); // W_1 = [A_1 | b_1] plus the formal row: row 1, column 2 is b_1[1]
    expect(m.layer(1).W.get(1, 2)).toBe(0.25);
    expect(m.homogeneous().W.get(1).get(1, 2)).toBe(0.25);
    expect(m.epochs).toBe(2);
    m.fitSync(
      [
        [0, 1],
        [1, 0],
      ],
      [0.5, -0.5],
      { epochs: 1 },
    );
    expect(m.epochs).toBe(3);
  });

  it('refuses the formal row of §3, indices outside W_i and a value that is not finite', () => {
    const m = createModel({ inputs: 2, layers: [2, 1] });
    expect(() => m.setWeight(1, 2, 0, 1)).toThrow(
      /row 2 of W_1; expected 0 to 1 \(the last row is the formal neuron of §3\)/,
    );
    expect(() => m.setWeight(3, 0, 0, 1)).toThrow(/layer 3; expected a layer number from 1 to 2/);
    expect(() => m.setWeight(2, 0, 3, 1)).toThrow(/column 3 of W_2; expected 0 to 2/);
    expect(() => m.setWeight(2, 0, 0, Number.NaN)).toThrow(/value NaN; expected a finite number/);
    const plain = createModel({ inputs: 2, layers: [2, 1], bias: false });
    plain.setWeight(1, 1, 1, -2); // without biases every row is a weight
    expect(plain.layer(1).W.get(1, 1)).toBe(-2);
  });
});

describe('the regularization fit option', () => {
  it('L2: one full-batch SGD step moves each weight by an extra −η·rate·w, and leaves the biases alone', () => {
    const x = [
      [0.5, -1],
      [1, 0.25],
      [-0.5, 2],
    ];
    const y = [0.3, -0.2, 0.1];
    const make = () =>
      createModel({ inputs: 2, layers: [{ units: 2, activation: 'tanh' }, 1], seed: 5, dtype: 'float64', loss: 'mse' });
    const opts = { optimizer: 'sgd' as const, learningRate: 0.1, batchSize: 3, epochs: 1, shuffle: false };
    const start = make();
    const plain = make();
    plain.fitSync(x, y, opts);
    const l2 = make();
    l2.fitSync(x, y, { ...opts, regularization: { kind: 'l2', rate: 0.2 } });
    for (const i of [1, 2]) {
      const W0 = start.layer(i).W;
      const Wp = plain.layer(i).W;
      const Wr = l2.layer(i).W;
      for (let r = 0; r < W0.rows; r++) {
        for (let c = 0; c < W0.cols; c++) {
          const bias = c === W0.cols - 1;
          // w ← w − η(∇w + rate·w): the penalised step differs from the plain one by −η·rate·w_0 (0 for a bias)
          const expected = bias ? 0 : -0.1 * 0.2 * W0.get(r, c);
          expect(Wr.get(r, c) - Wp.get(r, c)).toBeCloseTo(expected, 14); // f64, one step
        }
      }
    }
  });

  it('refuses an unknown kind with the kinds it takes', () => {
    const m = createModel({ inputs: 1, layers: [1] });
    expect(() => m.fitSync([[1]], [1.5], { regularization: { kind: 'l3' as 'l1', rate: 1 } })).toThrow(
      /regularization kind "l3"; expected one of: l1, l2/,
    );
  });
});

describe('splitIndices', () => {
  it('gives the samples of each part of splitDataset, in order, every sample once', () => {
    const ds = makeSynthetic('xor', { count: 40, seed: 2 });
    const { train, validation } = splitIndices(ds, { fraction: 0.25, seed: 11 });
    const parts = splitDataset(ds, { fraction: 0.25, seed: 11 });
    expect(validation.length).toBe(10);
    expect([...train, ...validation].sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, s) => s));
    expect([...train]).toEqual([...train].sort((a, b) => a - b));
    const rows = (idx: Int32Array) => Array.from(idx, (s) => [ds.x[2 * s], ds.x[2 * s + 1]]).flat();
    expect(rows(train)).toEqual(Array.from(parts.train.x));
    expect(rows(validation)).toEqual(Array.from(parts.validation.x));
  });
});
