/**
 * `createModel`: a model from plain options (the layers, biases on by default, seeded initial weights). Keras's and
 * TensorFlow.js's spellings are read here too: `inputShape: [n]`, Keras's loss names, and a last layer's
 * `softmax` (or `sigmoid` with a binary cross-entropy), which become an identity last layer and the loss on logits.
 */
import { OptionError } from '../errors.js';
import { createAffineNetwork, toHomogeneous } from '../net/affine.js';
import { createNetwork } from '../net/init.js';
import type { LossName } from '../train/loss.js';
import { Model } from './model.js';
import { lossNameOf } from './option-keys.js';
import { modelOptionsSchema, readOptions } from './option-schemas.js';
import type { ActivationSpec, LayerSpec, ModelOptions } from './types.js';

function activationOf(spec: LayerSpec): ActivationSpec | undefined {
  return typeof spec === 'number' ? undefined : spec.activation;
}

function unitsOf(spec: LayerSpec, j: number): number {
  const units = typeof spec === 'number' ? spec : spec?.units;
  if (!Number.isInteger(units) || units! < 1)
    throw new OptionError(`layers[${j}].units = ${String(units)}; expected a whole number ≥ 1`);
  return units!;
}

/** Keras's `inputShape: [n]` (of the model or of its first layer) as the number of inputs. */
function inputsFromShape(shape: unknown, where: string): number {
  if (Array.isArray(shape) && shape.length === 1 && Number.isInteger(shape[0]) && shape[0] >= 1)
    return shape[0] as number;
  if (Number.isInteger(shape) && (shape as number) >= 1) return shape as number;
  const flat =
    Array.isArray(shape) && shape.every((d) => Number.isInteger(d) && d >= 1)
      ? shape.reduce((a: number, d: number) => a * d, 1)
      : undefined;
  throw new OptionError(
    `${where} = ${JSON.stringify(shape)}: a sample is a flat row of numbers here; give ` +
      'inputs: n (or inputShape: ' +
      `[n])${flat ? `, e.g. inputs: ${flat} with each sample flattened` : ''}`,
  );
}

/**
 * The options with Keras's and TensorFlow.js's spellings read: `inputShape` (top level or on the first layer) as
 * `inputs`, the loss by any of its names, and a last layer's `softmax` (or `sigmoid` under bce) as an identity
 * last layer with the loss on logits: the model then predicts the same probabilities Keras's would.
 */
function readHabits(opts: ModelOptions): { options: ModelOptions; loss: LossName | undefined } {
  const o = { ...opts } as Omit<ModelOptions, 'inputShape'> & { inputShape?: unknown; input_shape?: unknown };
  const layers = Array.isArray(o.layers) ? [...o.layers] : o.layers;
  for (const key of ['inputShape', 'input_shape'] as const) {
    if (!(key in o)) continue;
    const n = inputsFromShape(o[key], key);
    if (o.inputs !== undefined && o.inputs !== n)
      throw new OptionError(`${key} = ${JSON.stringify(o[key])} says ${n} inputs, but inputs = ${String(o.inputs)}`);
    o.inputs = n;
    delete o[key];
  }
  if (Array.isArray(layers) && layers.length > 0 && typeof layers[0] === 'object' && layers[0] !== null) {
    const first = { ...layers[0] } as Record<string, unknown>;
    for (const key of ['inputShape', 'input_shape']) {
      if (!(key in first)) continue;
      const n = inputsFromShape(first[key], `layers[0].${key}`);
      if (o.inputs !== undefined && o.inputs !== n)
        throw new OptionError(
          `layers[0].${key} = ${JSON.stringify(first[key])} says ${n} inputs, but inputs = ${String(o.inputs)}`,
        );
      o.inputs = n;
      delete first[key];
    }
    layers[0] = first as LayerSpec;
  }
  let loss = o.loss === undefined ? undefined : lossNameOf(o.loss);
  if (Array.isArray(layers)) {
    layers.forEach((l, j) => {
      const a = activationOf(l);
      if (a !== 'softmax' || j === layers.length - 1) return;
      throw new OptionError(
        `layers[${j}].activation "softmax": softmax couples the neurons of a layer, and an ` +
          'activation of the paper acts on one neuron; softmax is allowed on the last layer only, ' +
          'where it means the loss softmax-ce',
      );
    });
    const j = layers.length - 1;
    const last = layers[j];
    const act = activationOf(last!);
    const units = typeof last === 'number' ? last : last?.units;
    if (act === 'softmax') {
      if (loss !== undefined && loss !== 'softmax-ce') {
        throw new OptionError(
          `layers[${j}].activation "softmax" is the softmax of the loss softmax-ce, but loss = ${JSON.stringify(o.loss)} (${loss}); drop one of them`,
        );
      }
      if (typeof units === 'number' && units < 2) {
        throw new OptionError(
          `layers[${j}]: softmax over ${units} unit is always 1; for two classes give units: 1 without softmax (bce) or units: 2 with softmax`,
        );
      }
      loss = 'softmax-ce';
      layers[j] = { ...(last as object), units: units!, activation: 'identity' };
    } else if (act === 'sigmoid' && loss === 'bce') {
      layers[j] = { ...(last as object), units: units!, activation: 'identity' };
    }
  }
  if (loss !== undefined) o.loss = loss;
  o.layers = layers;
  return { options: o as ModelOptions, loss };
}

/**
 * Builds a model from plain options. Keras's and TensorFlow.js's spellings are read as nabla's: `inputShape: [n]`
 * (on the options or the first layer) is `inputs: n`; Keras's loss names (`categoricalCrossentropy`,
 * `sparse_categorical_crossentropy`, `binaryCrossentropy`, `meanSquaredError`, …) are nabla's losses; and
 * `activation: 'softmax'` on the last layer is an identity last layer with the loss `softmax-ce` (the softmax is in
 * the loss, as in PyTorch's CrossEntropyLoss or Keras's `fromLogits: true`), `activation: 'sigmoid'` on the last
 * layer under `bce` likewise: `predict` gives the probabilities Keras's model would.
 */
export function createModel(given: ModelOptions): Model {
  if (given === null || typeof given !== 'object' || Array.isArray(given))
    throw new OptionError('createModel: expected options { inputs, layers: [{ units, activation }, …] }');
  readOptions(modelOptionsSchema, given, 'createModel'); // names and types; the checks below need several options
  const opts = readHabits(given).options;
  if (opts.inputs === undefined)
    throw new OptionError('inputs: missing; give inputs: n (the features per sample), or inputShape: [n]');
  if (!Number.isInteger(opts.inputs) || opts.inputs < 1)
    throw new OptionError(`inputs = ${String(opts.inputs)}; expected a whole number ≥ 1 (the features per sample)`);
  if (!Array.isArray(opts.layers) || opts.layers.length === 0)
    throw new OptionError('layers: expected at least one layer, e.g. [{ units: 8, activation: "tanh" }, { units: 1 }]');
  const widths = [opts.inputs!, ...opts.layers.map(unitsOf)];
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
    ...(opts.loss !== undefined ? { loss: opts.loss as LossName } : {}),
    ...(opts.classes !== undefined ? { classes: [...opts.classes] } : {}),
    ...(opts.inputScaling !== undefined ? { inputScaling: opts.inputScaling } : {}),
    ...(opts.description !== undefined ? { description: opts.description } : {}),
  });
}
