/**
 * TensorFlow Playground's two regression sets, on its scale (points in [−6, 6]², a target in [−1, 1]): plane,
 * y = (x1 + x2) / 10, and multigauss, six signed bumps. The noise moves the point the target is computed at, not the
 * point itself. Every random number comes from `new Rng(seed)`.
 */
import { OptionError } from '../errors.js';
import { Rng } from '../rng.js';
import { checkDataset, type Dataset } from './dataset.js';

export const regressionSyntheticNames = ['plane', 'multigauss'] as const;
export type RegressionSyntheticName = (typeof regressionSyntheticNames)[number];

/** Options of `makeRegressionSynthetic`: the sample count, the noise and the seed. */
export interface RegressionSyntheticOptions {
  /** Number of samples; default 200. */
  count?: number;
  /** Fraction of the half-width 6 by which the target's point is moved (uniformly); default 0. */
  noise?: number;
  /** Seed of the `Rng`; default 1. */
  seed?: number;
}

const BUMPS: readonly [number, number, number][] = [
  [-4, 2.5, 1],
  [0, 2.5, -1],
  [4, 2.5, 1],
  [-4, -2.5, -1],
  [0, -2.5, 1],
  [4, -2.5, -1],
];

/** The target of `name` at (x1, x2), without noise. */
export function regressionTarget(name: RegressionSyntheticName, x1: number, x2: number): number {
  if (name === 'plane') return Math.max(-1, Math.min(1, (x1 + x2) / 10));
  let y = 0;
  for (const [cx, cy, sign] of BUMPS) {
    const v = sign * Math.max(0, 1 - Math.hypot(x1 - cx, x2 - cy) / 2);
    if (Math.abs(v) > Math.abs(y)) y = v;
  }
  return y;
}

/** Whether a name is one of the synthetic regression sets of `makeRegressionSynthetic`. */
export function isRegressionSyntheticName(name: string): name is RegressionSyntheticName {
  return (regressionSyntheticNames as readonly string[]).includes(name);
}

/** One of the regression sets (see the module comment): inputs 2, one numeric target. */
export function makeRegressionSynthetic(name: string, opts: RegressionSyntheticOptions = {}): Dataset {
  if (!isRegressionSyntheticName(name))
    throw new OptionError(
      `unknown regression data set "${name}"; expected one of: ${regressionSyntheticNames.join(', ')}`,
    );
  const { count = 200, noise = 0, seed = 1 } = opts;
  if (!Number.isInteger(count) || count < 1 || count > 1_000_000)
    throw new OptionError(`synthetic:${name}: count ${count} is not an integer from 1 to 1000000`);
  if (typeof noise !== 'number' || !Number.isFinite(noise) || noise < 0)
    throw new OptionError(`synthetic:${name}: noise ${String(noise)} is not a finite number ≥ 0`);
  if (typeof seed !== 'number' || !Number.isFinite(seed))
    throw new OptionError(`synthetic:${name}: seed ${String(seed)} is not a finite number`);
  const rng = new Rng(seed);
  const x = new Float64Array(2 * count);
  const targets = new Float64Array(count);
  for (let s = 0; s < count; s++) {
    const a = rng.uniform(-6, 6);
    const b = rng.uniform(-6, 6);
    const da = noise === 0 ? 0 : rng.uniform(-6, 6) * noise;
    const db = noise === 0 ? 0 : rng.uniform(-6, 6) * noise;
    x[2 * s] = a;
    x[2 * s + 1] = b;
    targets[s] = regressionTarget(name, a + da, b + db);
  }
  return checkDataset({
    name: `synthetic:${name}`,
    x,
    inputs: 2,
    count,
    task: 'regression',
    targets,
    outputs: 1,
    featureNames: ['x1', 'x2'],
  });
}
