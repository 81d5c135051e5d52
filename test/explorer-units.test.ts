// The explorer's pure parts, in Node: the URL state, reading the builder's fields, the custom activations
// (mathjs), the formula templates (pinned), and the `nabla explore` command's options. The page itself is
// driven in Chromium by test/explorer.test.ts.

import { fromRows, fitActivationSpec as parseActs } from 'nabla/paper';
import { describe, expect, it } from 'vitest';
import { main } from '../packages/cli/src/main.js';
import { compileActivation } from '../packages/explorer/src/custom-activation.js';
import { parseFeatures, toggleFeature, withFeatures } from '../packages/explorer/src/features.js';
import { exact, fmt, texNumber } from '../packages/explorer/src/format.js';
import { FrameScheduler } from '../packages/explorer/src/frames.js';
import { cannotLearn } from '../packages/explorer/src/limits.js';
import type {} from '../packages/explorer/src/main.js'; // type-checks the whole page with `npm run typecheck` (nothing runs)
import {
  adaptSamples,
  buildModel,
  parseEdits,
  parseHidden,
  parseSamples,
  parseWidths,
} from '../packages/explorer/src/model.js';
import type {} from '../packages/explorer/src/run/worker.js';
import { decodeState, defaults, encodeState } from '../packages/explorer/src/state.js';
import { deltaFormula, forwardFormula, gradFormula, texMatrix } from '../packages/explorer/src/views/formula.js';

describe('URL state', () => {
  it('writes only what differs from the defaults and reads it back', () => {
    const s = {
      ...defaults,
      widths: '2, 4, 1',
      affine: true,
      custom: ['x^3 - x', 'x > 0 ? x : 0.1*x'],
      step: 2,
      tab: 'forms' as const,
      lr: 0.1,
    };
    const hash = encodeState(s);
    expect(hash).toMatchInlineSnapshot(
      `"tab=forms&n=2,%204,%201&custom=x%5E3%20-%20x&custom=x%20%3E%200%20%3F%20x%20%3A%200.1*x&affine=1&step=2&lr=0.1"`,
    );
    expect(decodeState(`#${hash}`)).toEqual({ state: s, problems: [] });
    expect(encodeState(defaults)).toBe('');
  });

  it('keeps the default for a value that does not decode, and reports it', () => {
    const { state, problems } = decodeState('#tab=nowhere&step=-3&lr=abc&seed=12');
    expect(state.tab).toBe('forward');
    expect(state.seed).toBe(12);
    expect(problems).toEqual([
      { key: 'tab', value: 'nowhere' },
      { key: 'step', value: '-3' },
      { key: 'lr', value: 'abc' },
    ]);
  });
});

describe('reading the fields', () => {
  it('widths: a message for each kind of mistake', () => {
    expect(parseWidths('2, 3, 1', false)).toEqual({ ok: true, value: [2, 3, 1] });
    expect(parseWidths('2, 0, 1', false)).toEqual({
      ok: false,
      message: 'n_1 = 0: every layer needs at least one neuron',
    });
    expect(parseWidths('2, x', true)).toEqual({ ok: false, message: 'm_1 = "x" is not a whole number' });
    expect(parseWidths('3', false)).toMatchObject({ ok: false });
    expect(parseWidths('2, 30, 1', false)).toMatchObject({
      ok: false,
      message: expect.stringContaining('at most 16 neurons'),
    });
  });

  it('activations: one per layer or per neuron, filled to the widths', () => {
    expect(parseActs('tanh;sigmoid', [2, 3, 1])).toEqual([['tanh', 'tanh', 'tanh'], ['sigmoid']]);
    expect(parseActs('tanh,relu,sin;identity', [2, 3, 1])).toEqual([['tanh', 'relu', 'sin'], ['identity']]);
    expect(parseActs('tanh;sigmoid', [2, 3, 3, 1])).toEqual([
      ['tanh', 'tanh', 'tanh'],
      ['tanh', 'tanh', 'tanh'],
      ['sigmoid'],
    ]);
    expect(parseActs('relu;tanh;identity', [2, 2, 1])).toEqual([['relu', 'relu'], ['identity']]);
    expect(parseActs('sin', [1, 2, 1])).toEqual([['sin', 'sin'], ['sin']]);
  });

  it('samples and weight edits', () => {
    expect(parseSamples('0.5, -1; 2 3', 2, 'n')).toEqual({
      ok: true,
      value: [
        [0.5, -1],
        [2, 3],
      ],
    });
    expect(parseSamples('0.5', 2, 'n')).toEqual({
      ok: false,
      message: 'sample 1 has 1 number; the network takes n_0 = 2',
    });
    expect(parseSamples('0.5, abc', 2, 'n')).toMatchObject({
      ok: false,
      message: expect.stringContaining('not a list of numbers'),
    });
    expect([...parseEdits('1.0.1=0.5;2.0.0=-1;junk')]).toEqual([
      ['1.0.1', 0.5],
      ['2.0.0', -1],
    ]);
    // a new input width: samples that fitted the old one are cut or padded; anything else is left as typed
    expect(adaptSamples('0.5, -1; 2, 3', 2, 3)).toBe('0.5, -1, 0; 2, 3, 0');
    expect(adaptSamples('0.5, -1', 2, 1)).toBe('0.5');
    expect(adaptSamples('0.5, oops', 2, 3)).toBe('0.5, oops');
  });

  it('builds the README network and its numbers (seed 7, X = [0.5, −1])', () => {
    const { model, errors } = buildModel(defaults);
    expect(errors.size).toBe(0);
    expect(model!.D.get(2).get(0, 0)).toBeCloseTo(0.245746, 6);
    expect(model!.gradW.get(1).get(0, 1)).toBeCloseTo(-0.111582, 6);
    expect(model!.forms.map((f) => f.form)).toEqual([
      'recursive',
      'explicit',
      'kronecker',
      'diagonal',
      'proof',
      'numeric',
    ]);
  });

  it('a bad field gives a message for that field and no model', () => {
    const built = buildModel({ ...defaults, x: '1, 2, 3' });
    expect(built.model).toBeUndefined();
    expect([...built.errors]).toEqual([['x', 'sample 1 has 3 numbers; the network takes n_0 = 2']]);
  });
});

describe('custom activations (mathjs)', () => {
  it('derives σ′ symbolically, also piecewise, and checks it against finite differences', () => {
    const cubic = compileActivation('custom1', 'x^3 - x');
    expect(cubic.ok && cubic.value.dtex).toBe('3\\cdot{ x}^{2}-1');
    expect(cubic.ok && cubic.value.activation.dsigma(2, 6)).toBe(11);
    const leaky = compileActivation('custom2', 'x > 0 ? x : 0.1*x');
    expect(
      leaky.ok && [leaky.value.activation.dsigma(-3, 0), leaky.value.activation.dsigma(3, 0), leaky.value.check.ok],
    ).toEqual([0.1, 1, true]);
  });

  it('says what is wrong with a formula', () => {
    expect(compileActivation('c', 'x^2 +')).toEqual({
      ok: false,
      message: 'cannot read "x^2 +": Unexpected end of expression (char 6)',
    });
    expect(compileActivation('c', 'x + y')).toEqual({
      ok: false,
      message: 'unknown symbol y: the formula may use only x (and constants such as pi, e)',
    });
    expect(compileActivation('c', '2 * (x > 0 ? x : 0)')).toMatchObject({
      ok: false,
      message: expect.stringContaining('put it outermost'),
    });
    expect(compileActivation('c', '')).toMatchObject({ ok: false });
  });
});

describe('formulas', () => {
  it('the recursion and the gradient, as TeX (pinned)', () => {
    expect(deltaFormula(2, 3, false)).toMatchInlineSnapshot(
      `"\\Delta_{2} = (W_{3}^{T} \\cdot \\Delta_{3}) \\circ \\Sigma'_{2}"`,
    );
    expect(deltaFormula(3, 3, false)).toMatchInlineSnapshot(`"\\Delta_{3} = \\Delta_{4} \\circ \\Sigma'_{3}"`);
    expect(gradFormula(1, false)).toMatchInlineSnapshot(`"\\nabla_{W_{1}} f = \\Delta_{1} \\cdot X^{T}"`);
    expect(forwardFormula(2, false)).toMatchInlineSnapshot(`"N_{2} = W_{2} \\cdot \\Sigma_{1}"`);
    expect(deltaFormula(1, 2)).toMatchInlineSnapshot(
      `"\\htmlData{sym=D1}{\\Delta_{1}} = (\\htmlData{sym=W2}{W_{2}^{T}} \\cdot \\htmlData{sym=D2}{\\Delta_{2}}) \\circ \\htmlData{sym=dS1}{\\Sigma'_{1}}"`,
    );
  });

  it('matrices carry the exact values and the stored coordinates, also transposed', () => {
    const m = fromRows([
      [0.123456789, -2],
      [1e-17, 3],
    ]);
    expect(texMatrix(m, { sym: 'W2', t: true })).toBe(
      '\\begin{bmatrix}\\htmlData{sym=W2,r=0,c=0,value=0.123456789}{0.1235} & ' +
        '\\htmlData{sym=W2,r=1,c=0,value=1e-17}{1{\\cdot}10^{-17}} \\\\ ' +
        '\\htmlData{sym=W2,r=0,c=1,value=-2}{-2} & \\htmlData{sym=W2,r=1,c=1,value=3}{3}\\end{bmatrix}',
    );
    expect([fmt(0.000123456), fmt(-12345.6), fmt(1.5), texNumber(-2.5e-9), exact(0.1 + 0.2)]).toEqual([
      '1.235e-4',
      '-1.235e4',
      '1.5',
      '-2.5{\\cdot}10^{-9}',
      '0.30000000000000004',
    ]);
  });
});

describe('nabla explore', () => {
  it('refuses a bad port before building anything', async () => {
    let err = '';
    const status = await main(['explore', '--port', 'http'], {
      stdout: { write: () => true },
      stderr: { write: (s: string) => (err += s) },
    });
    expect(status).toBe(2);
    expect(err).toBe('nabla explore: --port "http": expected a whole number (example: --port 8080)\n');
  });
});

describe('the Training view: input features and what a network cannot learn', () => {
  it('features: the rows of Σ_0 = X computed from (x₁, x₂), hand-worked', () => {
    const ds = {
      name: 't',
      x: Float64Array.from([1, 2, -0.5, 3]),
      inputs: 2,
      count: 2,
      task: 'classification' as const,
      labels: Int32Array.from([0, 1]),
      classes: [0, 1],
      outputs: 2,
    };
    const out = withFeatures(ds, ['x1', 'x2sq', 'x1x2', 'sinx1']);
    expect(out.inputs).toBe(4);
    expect(Array.from(out.x)).toEqual([1, 4, 2, Math.sin(1), -0.5, 9, -1.5, Math.sin(-0.5)]);
    expect(out.featureNames).toEqual(['x₁', 'x₂²', 'x₁x₂', 'sin x₁']);
    expect(parseFeatures('x2,x1')).toEqual({ ok: true, value: ['x1', 'x2'] }); // in the table's order
    expect(parseFeatures('x1,x3')).toEqual({
      ok: false,
      message: 'unknown feature "x3"; expected some of: x1, x2, x1sq, x2sq, x1x2, sinx1, sinx2',
    });
    expect(toggleFeature('x1,x2', 'sinx2')).toBe('x1,x2,sinx2');
    expect(toggleFeature('x1', 'x1')).toBe('x1'); // the last feature stays
  });

  it('says why: a straight-line boundary, an odd network without biases, rays from the origin', () => {
    const base = { features: ['x1', 'x2'] as const, hidden: [12, 12], act: 'tanh', biases: true };
    expect(cannotLearn(base, 'spiral')).toEqual([]);
    expect(cannotLearn({ ...base, hidden: [] }, 'xor')[0]).toMatch(/^No hidden layer on x₁, x₂: .* straight line/);
    expect(cannotLearn({ ...base, hidden: [] }, 'gaussians')).toEqual([]); // a line separates two blobs
    expect(cannotLearn({ ...base, hidden: [], features: ['x1', 'x2', 'x1sq'] }, 'circles')).toEqual([]);
    expect(cannotLearn({ ...base, biases: false }, 'xor')[0]).toContain('f(−x) = −f(x)');
    expect(cannotLearn({ ...base, biases: false }, 'moons')).toEqual([]);
    expect(cannotLearn({ ...base, biases: false, features: ['x1', 'x2', 'x1x2'] }, 'xor')).toEqual([]); // x₁x₂ is even
    expect(cannotLearn({ ...base, biases: false, act: 'relu' }, 'circles')[0]).toContain('rays from the origin');
    expect(cannotLearn({ ...base, biases: false, act: 'relu' }, 'xor')).toEqual([]);
  });

  it('hidden widths as typed', () => {
    expect(parseHidden('8, 8')).toEqual({ ok: true, value: [8, 8] });
    expect(parseHidden('')).toEqual({ ok: true, value: [] });
    expect(parseHidden('4, 0')).toEqual({ ok: false, message: 'hidden layer 2: "0" is not a width from 1 to 16' });
    expect(parseHidden('1,1,1,1,1,1')).toEqual({ ok: false, message: 'at most 5 hidden layers here; found 6' });
  });
});

describe('the frame scheduler (packages/explorer/src/frames.ts)', () => {
  // A fake requestAnimationFrame: callbacks wait until the test runs the next frame.
  function fakeFrames() {
    let queue: FrameRequestCallback[] = [];
    const g = globalThis as { requestAnimationFrame?: ((cb: FrameRequestCallback) => number) | undefined };
    const saved = g.requestAnimationFrame;
    g.requestAnimationFrame = (cb) => queue.push(cb);
    return {
      run() {
        const now = queue;
        queue = [];
        for (const cb of now) cb(0);
      },
      pending: () => queue.length,
      restore: () => {
        g.requestAnimationFrame = saved;
      },
    };
  }

  it('draws once per frame however many results arrive, and not while hidden', () => {
    const frames = fakeFrames();
    try {
      let visible = true;
      const draws: boolean[] = [];
      const s = new FrameScheduler(
        () => visible,
        (full) => {
          draws.push(full);
          return false;
        },
      );
      for (let i = 0; i < 50; i++) s.request(); // 50 progress messages within one frame
      expect(frames.pending()).toBe(1);
      frames.run();
      expect(draws).toEqual([false]);
      visible = false;
      for (let i = 0; i < 5; i++) s.request();
      frames.run();
      expect(draws).toEqual([false]); // hidden: nothing drawn, nothing queued
      visible = true;
      s.shown();
      frames.run();
      expect(draws).toEqual([false, true]); // shown again: one full drawing
      s.invalidate();
      s.request();
      frames.run();
      expect(draws).toEqual([false, true, true]);
    } finally {
      frames.restore();
    }
  });

  it('a drawing with more to do gets the next frame, one part per frame', () => {
    const frames = fakeFrames();
    try {
      let parts = 3;
      let draws = 0;
      const s = new FrameScheduler(
        () => true,
        () => {
          draws++;
          return --parts > 0;
        },
      );
      s.request();
      for (let f = 1; f <= 5; f++) {
        frames.run();
        expect(draws).toBe(Math.min(f, 3));
      }
      expect(frames.pending()).toBe(0);
    } finally {
      frames.restore();
    }
  });
});
