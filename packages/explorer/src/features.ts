/**
 * TensorFlow Playground's input features: the network's inputs Σ_0 = X are functions of the point (x₁, x₂),
 * chosen by clicking. One row of X per feature, one column per sample.
 */
import type { Dataset } from 'nabla/train';

export const featureNames = ['x1', 'x2', 'x1sq', 'x2sq', 'x1x2', 'sinx1', 'sinx2'] as const;
export type FeatureName = (typeof featureNames)[number];

export const featureLabels: Record<FeatureName, string> = {
  x1: 'x₁',
  x2: 'x₂',
  x1sq: 'x₁²',
  x2sq: 'x₂²',
  x1x2: 'x₁x₂',
  sinx1: 'sin x₁',
  sinx2: 'sin x₂',
};

export function featureValue(f: FeatureName, x1: number, x2: number): number {
  switch (f) {
    case 'x1':
      return x1;
    case 'x2':
      return x2;
    case 'x1sq':
      return x1 * x1;
    case 'x2sq':
      return x2 * x2;
    case 'x1x2':
      return x1 * x2;
    case 'sinx1':
      return Math.sin(x1);
    case 'sinx2':
      return Math.sin(x2);
  }
}

/** f(−x) = −f(x) for these features (the network of odd σ without biases stays odd). */
export const oddFeatures: ReadonlySet<FeatureName> = new Set(['x1', 'x2', 'sinx1', 'sinx2']);

/** The features of the state text ("x1,x2,sinx1"), in the table's order; unknown names are reported. */
export function parseFeatures(s: string): { ok: true; value: FeatureName[] } | { ok: false; message: string } {
  const parts = s
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
  const bad = parts.find((p) => !(featureNames as readonly string[]).includes(p));
  if (bad) return { ok: false, message: `unknown feature "${bad}"; expected some of: ${featureNames.join(', ')}` };
  const value = featureNames.filter((f) => parts.includes(f));
  if (value.length === 0) return { ok: false, message: 'choose at least one input feature' };
  return { ok: true, value };
}

/** Toggles feature `f` in the state text (the last one stays: a network needs an input). */
export function toggleFeature(s: string, f: FeatureName): string {
  const cur = parseFeatures(s);
  const list = cur.ok ? cur.value : ['x1', 'x2'];
  const next = list.includes(f) ? list.filter((g) => g !== f) : [...list, f];
  return next.length === 0 ? s : featureNames.filter((g) => next.includes(g)).join(',');
}

/** The data set with its two coordinates replaced by the chosen features (a 2-feature set only). */
export function withFeatures(ds: Dataset, features: readonly FeatureName[]): Dataset {
  const n = features.length;
  const x = new Float64Array(ds.count * n);
  for (let s = 0; s < ds.count; s++) {
    const x1 = ds.x[2 * s]!;
    const x2 = ds.x[2 * s + 1]!;
    for (let j = 0; j < n; j++) x[s * n + j] = featureValue(features[j]!, x1, x2);
  }
  return { ...ds, x, inputs: n, featureNames: features.map((f) => featureLabels[f]) };
}
