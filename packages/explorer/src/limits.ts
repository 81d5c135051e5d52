/**
 * Why a training network cannot learn a data set, said next to the Train button, from the network's form alone:
 * no hidden layer (or one of width 1) gives a straight boundary; no biases with an odd σ on odd features gives x and
 * −x opposite classes; no biases with a positively homogeneous σ gives a boundary of rays from the origin.
 */
import { type FeatureName, oddFeatures } from './features.js';
import type { DatasetName } from './state.js';

const ODD = new Set(['tanh', 'sin', 'identity']);
const RAYS = new Set(['relu', 'leaky_relu', 'identity']);
/** Data sets whose classes put x and −x in the same class (so an odd network cannot separate them). */
const SYMMETRIC = new Set<DatasetName>(['xor', 'circles']);
/** Data sets that no straight line separates. */
const CURVED = new Set<DatasetName>(['xor', 'circles', 'spiral', 'moons']);

export interface NetworkForm {
  features: readonly FeatureName[];
  hidden: readonly number[];
  /** σ of the hidden layers. */
  act: string;
  biases: boolean;
}

/** Sentences saying why this network cannot learn `data` (empty: nothing rules it out). */
export function cannotLearn(net: NetworkForm, data: DatasetName): string[] {
  const out: string[] = [];
  const plain = net.features.every((f) => f === 'x1' || f === 'x2');
  const narrow = net.hidden.length === 0 || Math.min(...net.hidden) === 1;
  if (plain && narrow && CURVED.has(data)) {
    out.push(
      `${net.hidden.length === 0 ? 'No hidden layer' : 'A hidden layer of one neuron'} on x₁, ` +
        'x₂: f depends on x only through one linear function of it, so the boundary is a straight ' +
        `line, and no line separates ${data}. Add neurons or layers (or features such as x₁²).`,
    );
  }
  if (!net.biases) {
    const oddNet = ODD.has(net.act) && net.features.every((f) => oddFeatures.has(f));
    if (oddNet && SYMMETRIC.has(data)) {
      out.push(
        `No biases (§2) and an odd σ (${net.act}) on odd features: f(−x) = −f(x), so x and −x ` +
          `always get opposite classes, while ${data} puts them in the same class. Switch on biases (§3).`,
      );
    } else if (RAYS.has(net.act) && plain && data === 'circles') {
      out.push(
        `No biases (§2) and σ = ${net.act}: f(t·x) = t·f(x) for t > 0, so the boundary is made of ` +
          'rays from the origin and cannot close around the inner circle. Switch on biases (§3).',
      );
    }
  }
  return out;
}
