// A run that diverges stops with a diagnosis for every optimizer, also when the loss explodes while staying finite
// (Adam's bounded steps with a learning rate far too high), and hands back the last good weights: finite, with a
// loss that has not exploded.

import { defineActivation } from 'nabla';
import { createNetwork } from 'nabla/paper';
import { evaluateDataset, fit, getLoss, makeSynthetic, type OptimizerName } from 'nabla/train';
import { describe, expect, it } from 'vitest';
import { firstNonFinite } from '../packages/nabla/src/linalg/matrix.js';

const ds = makeSynthetic('gaussians', { count: 200, seed: 1 });

describe('divergence is caught for every optimizer', () => {
  it.each<[OptimizerName, number]>([
    ['sgd', 1e8],
    ['adam', 1e6],
    ['adamw', 1e6],
  ])('%s with learning rate %d', (optimizer, learningRate) => {
    const net = createNetwork({ widths: [2, 16, 2], activation: ['relu', 'identity'], seed: 1, dtype: 'float32' });
    const first = evaluateDataset(net.as('float32'), ds, getLoss('softmax-ce')).loss;
    const r = fit(net, ds, { loss: 'softmax-ce', optimizer, learningRate, epochs: 5, batchSize: 16 });
    expect(r.stopReason).toBe('diverged');
    expect(r.divergence!.message).toMatch(
      /^training diverged at epoch \d+, batch \d+: .*the learning rate .* is probably too high/,
    );
    for (const i of r.network.W.indices()) expect(firstNonFinite(r.network.W.get(i))).toBeUndefined();
    // the moments of the failing steps are not handed back with the kept weights
    expect(r.optimizerState.step).toBe(0);
    expect(JSON.stringify(r.optimizerState)).not.toMatch(/null|NaN|Infinity/);
    const after = evaluateDataset(r.network, ds, getLoss('softmax-ce')).loss;
    expect(Number.isFinite(after)).toBe(true);
    expect(after).toBeLessThan(1e4 * Math.max(first, 1));
  });
});

describe('a loss that grows epoch after epoch without exploding', () => {
  // f = w·x on x = ±1 with targets 0: L = w², ∂L/∂w = 2w, so one full-batch SGD step is w ← (1 − 2η)w. With
  // η = 1.125 the factor is −1.25 and the loss grows 1.5625× per epoch: L_e = 1.5625^(e−1)·w₀², far below the
  // explosion threshold, but growing from epoch 2 on; at epoch 5 it has grown 4 epochs in a row to 5.96·w₀² > 2·w₀².
  it('stops at epoch 5 and keeps the weights at the end of epoch 1, whose loss was the lowest', () => {
    const w0 = 0.5;
    const net = createNetwork({ widths: [1, 1], activation: 'identity', seed: 1, dtype: 'float64' });
    net.W.get(1).data[0] = w0;
    const data = {
      name: 'line',
      x: Float64Array.from([1, -1]),
      inputs: 1,
      count: 2,
      task: 'regression' as const,
      targets: Float64Array.from([0, 0]),
      outputs: 1,
    };
    const r = fit(net, data, {
      loss: 'mse',
      optimizer: 'sgd',
      learningRate: 1.125,
      epochs: 20,
      batchSize: 2,
      shuffle: false,
      dtype: 'float64',
    });
    expect(r.stopReason).toBe('diverged');
    expect(r.history.map((h) => h.loss)).toEqual([0.25, 0.390625, 0.6103515625, 0.95367431640625, 1.4901161193847656]);
    expect(r.divergence!.details).toMatchObject({ epoch: 5, quantity: 'loss', keptEpoch: 1 });
    expect(r.divergence!.message).toMatch(
      new RegExp(
        /^training diverged at epoch 5: the loss has grown for 4 epochs in a row, to 1\.49, /.source +
          /more than 2× its lowest value 0\.250 \(epoch 1\).*Kept the weights of epoch 1/.source,
      ),
    );
    expect(r.network.W.get(1).data[0]).toBe(-1.25 * w0);
  });
});

describe('a gradient that is not finite while the loss is', () => {
  // σ = cbrt has σ'(0) = ∞. Without biases a sample x = 0 gives N_1 = W_1·0 = 0 in its column, so Σ'_1 is ∞ there
  // while Σ_1 = 0 and the loss stay finite: the forward pass is fine, Δ_1 = (W_2ᵀ·Δ_2) ∘ Σ'_1 is not. The step's
  // backward check (one row of Δ_1) must stop the run before the update, naming Δ_1 and the sample's column.
  it('stops in the backward pass, names Δ_1 at that sample’s batch (before its update), and keeps the weights finite', () => {
    const cbrt = defineActivation({ name: 'cbrt', sigma: Math.cbrt, dsigma: (x) => 1 / (3 * Math.cbrt(x) ** 2) });
    for (const dtype of ['float32', 'float64'] as const) {
      const net = createNetwork({
        widths: [2, 3, 1],
        activation: ['cbrt', 'identity'],
        extraActivations: { cbrt },
        seed: 3,
        dtype,
      });
      const x = [0.5, -1, 1, 2, 0, 0, -0.5, 0.25]; // the third sample is x = 0
      const data = {
        name: 'xs',
        x: Float64Array.from(x),
        inputs: 2,
        count: 4,
        task: 'regression' as const,
        targets: Float64Array.from([1, -1, 0.5, 2]),
        outputs: 1,
      };
      const r = fit(net, data, {
        loss: 'mse',
        optimizer: 'sgd',
        learningRate: 0.01,
        epochs: 3,
        batchSize: 1,
        shuffle: false,
        dtype,
      });
      expect(r.stopReason, dtype).toBe('diverged');
      expect(r.divergence!.message, dtype).toMatch(
        /^training diverged at epoch 1, batch 3: Δ_1 is (NaN|-?Infinity) \(first at row \d, column 1\)/,
      ); // not batch 4's N_1
      for (const i of r.network.W.indices())
        expect(firstNonFinite(r.network.W.get(i)), `${dtype} W_${i}`).toBeUndefined();
    }
  });

  // the same at one neuron only: W_1's third row is [0.7, 0], so the sample x = (0, 1) gives N_1 = (0.3, 0.2, 0) and
  // Σ'_1 = ∞ in row 3 alone; and for one layer (k = 1), where Δ_1 = Δ_2 ∘ Σ'_1 spreads nothing across the column
  it.each([
    [
      'one neuron of three',
      [2, 3, 1],
      [
        [0.5, 0.3, -0.4, 0.2, 0.7, 0],
        [0.6, -0.5, 0.8],
      ],
      'row 3, column 1',
    ],
    ['one layer (k = 1)', [2, 1], [[0.5, -0.25]], 'row 1, column 1'],
  ] as const)(
    "stops before the update when only %s has σ' = ∞, with the optimizer state started afresh",
    (_, widths, weights, at) => {
      const cbrt = defineActivation({ name: 'cbrt', sigma: Math.cbrt, dsigma: (x) => 1 / (3 * Math.cbrt(x) ** 2) });
      const acts = widths.length === 2 ? ['cbrt'] : ['cbrt', 'identity'];
      const net = createNetwork({
        widths: [...widths],
        activation: acts,
        extraActivations: { cbrt },
        seed: 1,
        dtype: 'float64',
      });
      weights.forEach((w, j) => net.W.get(j + 1).data.set(w));
      // the first sample is x = (0, 1) for the first net and x = (0, 0) for the second: N_1 = 0 where the row says
      const x = widths.length === 2 ? [0, 0, 1, 2] : [0, 1, 1, 0];
      const data = {
        name: 'xs',
        x: Float64Array.from(x),
        inputs: 2,
        count: 2,
        task: 'regression' as const,
        targets: Float64Array.from([1, -1]),
        outputs: 1,
      };
      for (const optimizer of ['adam', 'sgd'] as const) {
        const r = fit(net, data, {
          loss: 'mse',
          optimizer,
          learningRate: 0.01,
          epochs: 2,
          batchSize: 1,
          shuffle: false,
          dtype: 'float64',
          ...(optimizer === 'sgd' ? { optimizerOptions: { momentum: 0.9 } } : {}),
        });
        expect(r.stopReason, optimizer).toBe('diverged');
        expect(r.divergence!.message, optimizer).toMatch(
          new RegExp(`^training diverged at epoch 1, batch 1: Δ_1 is (NaN|-?Infinity) \\(first at ${at}\\)`),
        );
        for (const i of r.network.W.indices())
          expect(firstNonFinite(r.network.W.get(i)), `${optimizer} W_${i}`).toBeUndefined();
        expect(r.optimizerState.step, optimizer).toBe(0);
        expect(JSON.stringify(r.optimizerState), optimizer).not.toMatch(/null|NaN|Infinity/); // no NaN moments to resume from
      }
    },
  );
});
