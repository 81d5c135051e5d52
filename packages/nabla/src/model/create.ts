/** `createModel`: a model from plain options (the layers, biases on by default, seeded initial weights). */
import { OptionError } from '../errors.js';
import { createAffineNetwork, toHomogeneous } from '../net/affine.js';
import { createNetwork } from '../net/init.js';
import { lossNames } from '../train/loss.js';
import { Model } from './model.js';
import { checkOptionKeys } from './option-keys.js';

const MODEL_OPTION_KEYS = ['inputs', 'layers', 'bias', 'loss', 'classes', 'dtype', 'seed', 'init', 'activations', 'inputScaling', 'description'];
import type { ActivationSpec, LayerSpec, ModelOptions } from './types.js';

function activationOf(spec: LayerSpec): ActivationSpec | undefined {
  return typeof spec === 'number' ? undefined : spec.activation;
}

function unitsOf(spec: LayerSpec, j: number): number {
  const units = typeof spec === 'number' ? spec : spec?.units;
  if (!Number.isInteger(units) || units! < 1) throw new OptionError(`layers[${j}].units = ${String(units)}; expected a whole number ≥ 1`);
  return units!;
}

/** Builds a model from plain options. */
export function createModel(opts: ModelOptions): Model {
  if (opts === null || typeof opts !== 'object') throw new OptionError('createModel: expected options { inputs, layers: [{ units, activation }, …] }');
  if (!Number.isInteger(opts.inputs) || opts.inputs < 1) throw new OptionError(`inputs = ${String(opts.inputs)}; expected a whole number ≥ 1 (the features per sample)`);
  if (!Array.isArray(opts.layers) || opts.layers.length === 0) throw new OptionError('layers: expected at least one layer, e.g. [{ units: 8, activation: "tanh" }, { units: 1 }]');
  checkOptionKeys(opts, MODEL_OPTION_KEYS, 'createModel');
  if (opts.loss !== undefined && !lossNames.includes(opts.loss)) throw new OptionError(`loss = ${JSON.stringify(opts.loss)}; expected one of: ${lossNames.join(', ')}`);
  const widths = [opts.inputs, ...opts.layers.map(unitsOf)];
  const k = opts.layers.length;
  const activation = opts.layers.map((l, j) => activationOf(l) ?? (j === k - 1 ? 'identity' : 'tanh'));
  const base = {
    widths,
    activation,
    seed: opts.seed ?? 1,
    init: opts.init ?? 'glorot',
    dtype: opts.dtype ?? 'float32',
    ...(opts.activations ? { extraActivations: opts.activations } : {}),
  } as const;
  const bias = opts.bias ?? true;
  const net = bias ? toHomogeneous(createAffineNetwork(base)) : createNetwork(base);
  return new Model(net, bias, {
    ...(opts.loss !== undefined ? { loss: opts.loss } : {}),
    ...(opts.classes !== undefined ? { classes: [...opts.classes] } : {}),
    ...(opts.inputScaling !== undefined ? { inputScaling: opts.inputScaling } : {}),
    ...(opts.description !== undefined ? { description: opts.description } : {}),
  });
}

