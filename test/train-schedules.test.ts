// The learning-rate schedules, gradient clipping, SGD with dampening and the validation split, against numbers
// worked by hand on the smallest network there is: f(x) = w·x (one weight, identity), one sample x = 1, y = 0, so
// the mse loss is L = w² and ∇_w L = 2w. PyTorch's rules: StepLR η·γ^⌊e/s⌋, CosineAnnealingLR
// η_min + (η − η_min)(1 + cos(π e / T))/2, clip_grad_norm_ g·c/(‖g‖ + 1e-6), SGD momentum b ← μb + (1 − τ)g.
import { describe, expect, it } from 'vitest';
import type { Dataset } from '../packages/nabla/src/data/dataset.js';
import { fromRows } from '../packages/nabla/src/linalg/matrix.js';
import { getActivation } from '../packages/nabla/src/net/activation.js';
import { Column } from '../packages/nabla/src/net/column.js';
import { Layers } from '../packages/nabla/src/net/layers.js';
import { Network } from '../packages/nabla/src/net/network.js';
import { clipGradNorm } from '../packages/nabla/src/train/clip.js';
import { type FitOptions, fit } from '../packages/nabla/src/train/fit.js';
import { learningRateAt } from '../packages/nabla/src/train/schedule.js';

const line = (w: number) => new Network([1, 1], [fromRows([[w]])], [Column.uniform(getActivation('identity'), 1)]);
const one: Dataset = {
  name: 'one',
  x: Float64Array.of(1),
  inputs: 1,
  count: 1,
  task: 'regression',
  targets: Float64Array.of(0),
  outputs: 1,
};
const base: FitOptions = { loss: 'mse', optimizer: 'sgd', dtype: 'float64', batchSize: 1, shuffle: false };
const weightAfter = (opts: Partial<FitOptions>, w0 = 1) =>
  fit(line(w0), one, { ...base, ...opts })
    .network.W.get(1)
    .get(0, 0);

describe('schedules', () => {
  it('step: η·γ^⌊e/s⌋', () => {
    const lr = [0, 1, 2, 3, 4, 5].map((e) => learningRateAt(0.1, e, { name: 'step', stepSize: 2, gamma: 0.5 }, 6));
    expect(lr).toEqual([0.1, 0.1, 0.05, 0.05, 0.025, 0.025]);
  });

  it('cosine: from η down to η_min over T epochs', () => {
    const lr = [0, 1, 2, 3, 4].map((e) => learningRateAt(1, e, { name: 'cosine' }, 4));
    const hand = [1, (1 + Math.SQRT1_2) / 2, 0.5, (1 - Math.SQRT1_2) / 2, 0];
    lr.forEach((v, e) => expect(v).toBeCloseTo(hand[e]!, 15));
    expect(learningRateAt(1, 2, { name: 'cosine', minLr: 0.2 }, 4)).toBeCloseTo(0.6, 15);
  });

  it('fit uses them epoch by epoch: w = 1 → 0.8 → 0.64 → 0.576 with step(2, ½) from η = 0.1', () => {
    const r = fit(line(1), one, {
      ...base,
      learningRate: 0.1,
      epochs: 3,
      schedule: { name: 'step', stepSize: 2, gamma: 0.5 },
    });
    expect(r.history.map((h) => h.learningRate)).toEqual([0.1, 0.1, 0.05]);
    expect(r.network.W.get(1).get(0, 0)).toBeCloseTo(0.576, 14); // 1 − 0.1·2, then ·(1 − 0.2), then ·(1 − 0.1)
    const c = fit(line(1), one, { ...base, learningRate: 0.1, epochs: 2, schedule: { name: 'cosine' } });
    expect(c.history.map((h) => h.learningRate)).toEqual([0.1, 0.05]); // cos over the 2 epochs of the run
  });
});

describe('gradient clipping by the global norm', () => {
  it('scales every ∇W_i by c / (‖g‖ + 1e-6) when ‖g‖ > c, and returns ‖g‖', () => {
    const G = new Layers('∇W', 1, 2, [fromRows([[3]]), fromRows([[4]])]);
    expect(clipGradNorm(G, 1)).toBe(5);
    expect(G.get(1).get(0, 0)).toBeCloseTo(3 / (5 + 1e-6), 15);
    expect(G.get(2).get(0, 0)).toBeCloseTo(4 / (5 + 1e-6), 15);
    const small = new Layers('∇W', 1, 1, [fromRows([[0.3]])]);
    expect(clipGradNorm(small, 1)).toBeCloseTo(0.3, 15);
    expect(small.get(1).get(0, 0)).toBe(0.3); // untouched below the limit
  });

  it('in fit: w = 10 has ∇ = 20, clipped to norm 1, so one step of η = 0.1 gives 10 − 0.1·20/(20 + 1e-6)', () => {
    expect(weightAfter({ learningRate: 0.1, epochs: 1, clipNorm: 1 }, 10)).toBeCloseTo(
      10 - (0.1 * 20) / (20 + 1e-6),
      14,
    );
  });
});

describe('SGD with momentum and dampening (PyTorch: b = g at the first step, then b ← μb + (1 − τ)g)', () => {
  it('μ = 0.9, τ = 0.5, η = 0.1: w = 1 → 0.8 → 0.54 → 0.252', () => {
    const opts = { learningRate: 0.1, optimizerOptions: { momentum: 0.9, dampening: 0.5 } };
    expect(weightAfter({ ...opts, epochs: 1 })).toBeCloseTo(0.8, 14); // b = 2
    expect(weightAfter({ ...opts, epochs: 2 })).toBeCloseTo(0.54, 14); // b = 0.9·2 + 0.5·1.6 = 2.6
    expect(weightAfter({ ...opts, epochs: 3 })).toBeCloseTo(0.252, 14); // b = 0.9·2.6 + 0.5·1.08 = 2.88
  });
});

describe('validationSplit', () => {
  it('holds out round(f·count) samples, disjoint from the training part, which together are all of them', () => {
    // f = 1·x with a vanishing step, x = 1, y = s: sample s costs (1 − s)², and all 8 cost 92 together
    const ds: Dataset = {
      name: 'ids',
      x: new Float64Array(8).fill(1),
      inputs: 1,
      count: 8,
      task: 'regression',
      targets: Float64Array.from({ length: 8 }, (_, s) => s),
      outputs: 1,
    };
    const r = fit(line(1), ds, { ...base, learningRate: 1e-300, epochs: 1, validationSplit: 0.25, seed: 3 });
    const { loss, valLoss } = r.history[0]!;
    expect(6 * loss + 2 * valLoss!).toBeCloseTo(92, 10);
    const pairs = [];
    for (let a = 0; a < 8; a++)
      for (let b = a + 1; b < 8; b++)
        if (Math.abs(((1 - a) ** 2 + (1 - b) ** 2) / 2 - valLoss!) < 1e-9) pairs.push([a, b]);
    expect(pairs.length).toBeGreaterThan(0); // the validation loss is that of exactly two of the samples
    const other = fit(line(1), ds, { ...base, learningRate: 1e-300, epochs: 1, validationSplit: 0.25, seed: 4 });
    expect(other.history[0]!.valLoss).not.toBe(valLoss); // the split follows the seed
  });
});
