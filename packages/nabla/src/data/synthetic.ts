/**
 * Two-dimensional teaching sets in the spirit of TensorFlow Playground, on its scale (clean points in [-5, 5]²,
 * features x1, x2): xor, circles, spiral, gaussians, moons. Sample s has class s mod k; Gaussian noise of standard
 * deviation `noise` moves the point, not its label. Every random number comes from `new Rng(seed)`.
 */
import { OptionError } from '../errors.js';
import { Rng } from '../rng.js';
import { checkDataset, type Dataset } from './dataset.js';

/** The synthetic classification sets `makeSynthetic` draws. */
export const syntheticNames = ['xor', 'circles', 'spiral', 'gaussians', 'moons'] as const;
export type SyntheticName = (typeof syntheticNames)[number];

/** Options of `makeSynthetic`: the sample count, the noise, the seed and the classes. */
export interface SyntheticOptions {
  /** Number of samples; default 200. */
  count?: number;
  /** Standard deviation of the Gaussian noise added to each coordinate; default 0 (clean). */
  noise?: number;
  /** Seed of the `Rng`; default 1. */
  seed?: number;
  /** Number of classes for spiral and gaussians (2 … 10); default 2. The other sets have exactly 2. */
  classes?: number;
}

export function isSyntheticName(name: string): name is SyntheticName {
  return (syntheticNames as readonly string[]).includes(name);
}

type Draw = (rng: Rng, c: number, k: number) => [number, number];

const TWO_PI = 2 * Math.PI;

const draws: Record<SyntheticName, Draw> = {
  xor(rng, c) {
    const a = rng.uniform(0.3, 5);
    const b = rng.uniform(0.3, 5);
    const sx = rng.next() < 0.5 ? -1 : 1;
    const sy = c === 0 ? sx : -sx;
    return [sx * a, sy * b];
  },
  circles(rng, c) {
    const r = c === 0 ? rng.uniform(0, 2.5) : rng.uniform(3.5, 5);
    const t = rng.uniform(0, TWO_PI);
    return [r * Math.sin(t), r * Math.cos(t)];
  },
  spiral(rng, c, k) {
    const u = rng.next();
    const r = 5 * u;
    const t = 1.75 * TWO_PI * u + (TWO_PI * c) / k;
    return [r * Math.sin(t), r * Math.cos(t)];
  },
  gaussians(rng, c, k) {
    const a = Math.PI / 4 + (TWO_PI * c) / k;
    const R = 2 * Math.SQRT2;
    return [R * Math.cos(a) + 0.7 * rng.normal(), R * Math.sin(a) + 0.7 * rng.normal()];
  },
  moons(rng, c) {
    const t = rng.uniform(0, Math.PI);
    const [u, v] = c === 0 ? [Math.cos(t), Math.sin(t)] : [1 - Math.cos(t), 0.5 - Math.sin(t)];
    return [3 * (u - 0.5), 3 * (v - 0.25)];
  },
};

/** One of the teaching sets (see the module comment): a classification set with inputs 2 and classes 0 … k−1. */
export function makeSynthetic(name: string, opts: SyntheticOptions = {}): Dataset {
  if (!isSyntheticName(name))
    throw new OptionError(`unknown synthetic data set "${name}"; expected one of: ${syntheticNames.join(', ')}`);
  const { count = 200, noise = 0, seed = 1 } = opts;
  const multi = name === 'spiral' || name === 'gaussians';
  const k = opts.classes ?? 2;
  if (!Number.isInteger(k) || k < 2 || k > 10)
    throw new OptionError(`synthetic:${name}: classes ${k} is not an integer from 2 to 10`);
  if (!multi && k !== 2)
    throw new OptionError(
      `synthetic:${name}: has exactly 2 classes, found classes ${k}; only spiral and gaussians take more`,
    );
  if (!Number.isInteger(count) || count < k || count > 1_000_000) {
    throw new OptionError(
      `synthetic:${name}: count ${count} is not an integer from ${k} (one sample per class) to 1000000`,
    );
  }
  if (typeof noise !== 'number' || !Number.isFinite(noise) || noise < 0) {
    throw new OptionError(`synthetic:${name}: noise ${String(noise)} is not a finite number ≥ 0`);
  }
  if (typeof seed !== 'number' || !Number.isFinite(seed))
    throw new OptionError(`synthetic:${name}: seed ${String(seed)} is not a finite number`);

  const rng = new Rng(seed);
  const draw = draws[name];
  const x = new Float64Array(2 * count);
  const labels = new Int32Array(count);
  for (let s = 0; s < count; s++) {
    const c = s % k;
    const [a, b] = draw(rng, c, k);
    x[2 * s] = noise === 0 ? a : a + noise * rng.normal();
    x[2 * s + 1] = noise === 0 ? b : b + noise * rng.normal();
    labels[s] = c;
  }
  return checkDataset({
    name: `synthetic:${name}`,
    x,
    inputs: 2,
    count,
    task: 'classification',
    labels,
    classes: Array.from({ length: k }, (_, j) => j),
    outputs: k,
    featureNames: ['x1', 'x2'],
  });
}
