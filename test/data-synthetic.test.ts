import { describe, expect, it } from 'vitest';
import { makeSynthetic, syntheticNames } from '../packages/nabla/src/data/synthetic.js';
import { makeRegressionSynthetic, regressionTarget } from '../packages/nabla/src/data/synthetic-regression.js';
import { OptionError } from '../packages/nabla/src/errors.js';

function classCounts(labels: Int32Array, k: number): number[] {
  const c = new Array<number>(k).fill(0);
  for (const l of labels) c[l]!++;
  return c;
}

describe('makeSynthetic', () => {
  it.each(syntheticNames)('%s: deterministic per seed, different across seeds, balanced, in [-6, 6]', (name) => {
    const a = makeSynthetic(name, { count: 301, noise: 0.2, seed: 7 });
    const b = makeSynthetic(name, { count: 301, noise: 0.2, seed: 7 });
    const c = makeSynthetic(name, { count: 301, noise: 0.2, seed: 8 });
    expect(a.name).toBe(`synthetic:${name}`);
    expect([a.count, a.inputs, a.outputs]).toEqual([301, 2, 2]);
    expect(a.classes).toEqual([0, 1]);
    expect(a.featureNames).toEqual(['x1', 'x2']);
    expect(Array.from(a.x)).toEqual(Array.from(b.x));
    expect(Array.from(a.x)).not.toEqual(Array.from(c.x));
    expect(classCounts(a.labels!, 2)).toEqual([151, 150]);
    const clean = makeSynthetic(name, { count: 400, seed: 3 });
    for (const v of clean.x) expect(Math.abs(v)).toBeLessThanOrEqual(5.2); // gaussians: |centre| 2 + 0.7 σ tails
  });

  it('keeps labels tied to geometry when clean', () => {
    const xor = makeSynthetic('xor', { count: 100, seed: 1 });
    for (let s = 0; s < 100; s++) expect(xor.x[2 * s]! * xor.x[2 * s + 1]! > 0 ? 0 : 1).toBe(xor.labels![s]);
    const circles = makeSynthetic('circles', { count: 100, seed: 1 });
    for (let s = 0; s < 100; s++) {
      const r = Math.hypot(circles.x[2 * s]!, circles.x[2 * s + 1]!);
      expect(r <= 2.5 ? 0 : r >= 3.5 ? 1 : -1).toBe(circles.labels![s]);
    }
  });

  it('makes more classes for spiral and gaussians', () => {
    for (const name of ['spiral', 'gaussians']) {
      const ds = makeSynthetic(name, { count: 100, classes: 4, seed: 2 });
      expect(ds.outputs).toBe(4);
      expect(ds.classes).toEqual([0, 1, 2, 3]);
      expect(classCounts(ds.labels!, 4)).toEqual([25, 25, 25, 25]);
    }
    // Gaussian blobs sit around their centres: class means near (2, 2) and (−2, −2) for k = 2.
    const g = makeSynthetic('gaussians', { count: 2000, seed: 4 });
    const mean = [0, 0, 0, 0];
    for (let s = 0; s < g.count; s++) {
      mean[2 * g.labels![s]!]! += g.x[2 * s]! / 1000;
      mean[2 * g.labels![s]! + 1]! += g.x[2 * s + 1]! / 1000;
    }
    mean.forEach((m, i) => expect(m).toBeCloseTo(i < 2 ? 2 : -2, 0));
  });

  it('uses defaults count 200, noise 0, seed 1', () => {
    const a = makeSynthetic('moons');
    const b = makeSynthetic('moons', { count: 200, noise: 0, seed: 1 });
    expect(a.count).toBe(200);
    expect(Array.from(a.x)).toEqual(Array.from(b.x));
  });

  it('rejects unknown names and bad options with OptionError', () => {
    expect(() => makeSynthetic('blobs')).toThrow(
      new OptionError('unknown synthetic data set "blobs"; expected one of: xor, circles, spiral, gaussians, moons'),
    );
    expect(() => makeSynthetic('xor', { classes: 3 })).toThrow(
      new OptionError('synthetic:xor: has exactly 2 classes, found classes 3; only spiral and gaussians take more'),
    );
    expect(() => makeSynthetic('spiral', { classes: 11 })).toThrow(
      new OptionError('synthetic:spiral: classes 11 is not an integer from 2 to 10'),
    );
    expect(() => makeSynthetic('spiral', { count: 2, classes: 3 })).toThrow(
      new OptionError('synthetic:spiral: count 2 is not an integer from 3 (one sample per class) to 1000000'),
    );
    expect(() => makeSynthetic('moons', { noise: -1 })).toThrow(
      new OptionError('synthetic:moons: noise -1 is not a finite number ≥ 0'),
    );
    expect(() => makeSynthetic('moons', { seed: Number.NaN })).toThrow(
      new OptionError('synthetic:moons: seed NaN is not a finite number'),
    );
  });
});

describe("makeRegressionSynthetic (TensorFlow Playground's regression sets)", () => {
  it('plane: points in [−6, 6]², target (x1 + x2)/10 in [−1, 1] when clean', () => {
    const ds = makeRegressionSynthetic('plane', { count: 50, seed: 4 });
    expect(ds).toMatchObject({ task: 'regression', inputs: 2, outputs: 1, count: 50 });
    for (let s = 0; s < 50; s++) {
      const [a, b] = [ds.x[2 * s]!, ds.x[2 * s + 1]!];
      expect(Math.abs(a) <= 6 && Math.abs(b) <= 6).toBe(true);
      expect(ds.targets![s]).toBeCloseTo(Math.max(-1, Math.min(1, (a + b) / 10)), 14); // clamped to [−1, 1]
    }
  });

  it('multigauss: hand-worked values at and between the bumps', () => {
    expect(regressionTarget('multigauss', -4, 2.5)).toBe(1); // the centre of a + bump
    expect(regressionTarget('multigauss', 0, 2.5)).toBe(-1);
    expect(regressionTarget('multigauss', 4, -1.5)).toBeCloseTo(-0.5, 14); // distance 1 from (4, −2.5): −(1 − 1/2)
    expect(regressionTarget('multigauss', 2, 0)).toBe(0); // ≥ 2 from every centre
    const ds = makeRegressionSynthetic('multigauss', { count: 400, seed: 2 });
    const t = Array.from(ds.targets!);
    expect(Math.max(...t)).toBeGreaterThan(0.8);
    expect(Math.min(...t)).toBeLessThan(-0.8);
  });

  it('is seeded, and noise moves only the point the target is read at', () => {
    const a = makeRegressionSynthetic('plane', { count: 30, seed: 9, noise: 0.5 });
    const b = makeRegressionSynthetic('plane', { count: 30, seed: 9, noise: 0.5 });
    expect(Array.from(a.targets!)).toEqual(Array.from(b.targets!));
    const off = Array.from(a.targets!).filter((y, s) => Math.abs(y - (a.x[2 * s]! + a.x[2 * s + 1]!) / 10) > 1e-9);
    expect(off.length).toBeGreaterThan(20);
    expect(() => makeRegressionSynthetic('hills')).toThrow(
      'unknown regression data set "hills"; expected one of: plane, multigauss',
    );
  });
});
