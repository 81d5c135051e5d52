// An independent automatic differentiation: TensorFlow.js (CPU backend) builds the same f and differentiates it
// with tf.grads; nabla's recursion (Remark 3) must give the same ∇_{W_i} (v·f). tfjs computes in float32, so the
// tolerance is 2e-3 · max|∇W| (and 2e-6 absolute): loose enough for float32, tight enough that a real error (a
// dropped factor, a transposed W, a wrong index) fails, as test/broken-engines.test.ts shows.
import fc from 'fast-check';
import { beforeAll, describe, it } from 'vitest';
import { recursive } from '../packages/nabla/src/grad/forms.js';
import { seedMatrix } from '../packages/nabla/src/grad/types.js';
import { forward } from '../packages/nabla/src/net/forward.js';
import { expectClose } from './helpers/close.js';
import { awayFromKinks, type BuiltCase, buildCase, type NetCase, netCase } from './helpers/random-nets.js';
import { maxAbs, rowsOf } from './helpers/reference.js';
import { float32Tol, tfGradients, useTfCpu } from './helpers/tf-net.js';

beforeAll(async () => {
  await useTfCpu();
});

function compareWithTf(b: BuiltCase, c: NetCase): void {
  const trace = forward(b.net, b.X);
  const { gradW } = recursive(b.net, trace, seedMatrix(b.net, b.X.cols, b.v));
  const tfr = tfGradients(b.plain.W, c.acts, b.Xr, b.seed);
  const ours = gradW.indices().map((i) => rowsOf(gradW.get(i)));
  const tol = float32Tol(ours);
  ours.forEach((g, j) => expectClose(g, tfr.gradW[j]!, { ...tol, label: `recursive vs tfjs: ∇W_${j + 1} (${b.net})` }));
  // forward: float32 keeps ~7 significant digits; values are O(1)
  expectClose(trace.f, tfr.f, {
    rtol: 1e-4,
    atol: 1e-5 * Math.max(1, maxAbs(tfr.f)),
    label: `f: nabla vs tfjs (${b.net})`,
  });
}

describe('nabla vs tfjs autodiff', () => {
  it('the §4 hand example: tfjs reproduces 27.375, −6.84375, 4.5625', () => {
    // k = 3, w = (0.5, −2, 1.5), σ = (relu, square, identity), x = (0.75, 2, −0.5): see paper-1d.test.ts
    const r = tfGradients(
      [[[0.5]], [[-2]], [[1.5]]],
      [['relu'], ['square'], ['identity']],
      [[0.75, 2, -0.5]],
      [[1, 1, 1]],
    );
    // dyadic inputs with few bits: float32 is exact here too
    expectClose(
      r.gradW.map((g) => g[0]![0]!).map((x) => [x]),
      [[27.375], [-6.84375], [4.5625]],
      { label: 'tfjs ∇w' },
    );
    expectClose(r.f, [[0.84375, 6, 0]], { label: 'tfjs f' });
  });

  it('uniform layers, every catalog activation, n_k = 1 (seed 1)', () => {
    for (const [idx, a] of [
      'identity',
      'sigmoid',
      'tanh',
      'relu',
      'leaky_relu',
      'elu',
      'softplus',
      'silu',
      'gelu',
      'sin',
      'square',
    ].entries()) {
      const c: NetCase = {
        widths: [3, 5, 4, 1],
        acts: [new Array(5).fill(a), new Array(4).fill(a), [a]],
        B: 4,
        valueSeed: 1000 + idx,
      };
      const b = buildCase(c);
      if (!awayFromKinks(b.plain, b.Xr)) continue; // a kink within 1e-3: autodiff and σ' may pick different sides
      compareWithTf(b, c);
    }
  });

  it('random networks: depth 1–5, widths 1–9, mixed per-neuron activations, n_k > 1 with v, B = 1–4', () => {
    fc.assert(
      fc.property(netCase(), (c) => {
        const b = buildCase(c);
        fc.pre(awayFromKinks(b.plain, b.Xr));
        compareWithTf(b, c);
      }),
      { seed: 0x7f3a, numRuns: 40 },
    );
  });

  it('mixed activations in every layer and a vector v (n_k = 3), several seeds', () => {
    const acts = [
      ['tanh', 'relu', 'sin', 'gelu', 'square', 'silu'],
      ['sigmoid', 'elu', 'softplus', 'leaky_relu', 'identity'],
      ['tanh', 'gelu', 'square'],
    ];
    for (const valueSeed of [1, 2, 3, 4, 5, 6]) {
      const c: NetCase = { widths: [4, 6, 5, 3], acts, B: 3, valueSeed };
      const b = buildCase(c);
      if (!awayFromKinks(b.plain, b.Xr)) continue;
      compareWithTf(b, c);
    }
  });
});
