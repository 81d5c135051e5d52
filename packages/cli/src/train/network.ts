/** The model a `nabla train` run starts from when no model file is given: a new one from --layers and --activation. */

import { Model, OptionError } from 'nabla';
import { createAffineNetwork, createNetwork } from 'nabla/paper';
import type { Dataset, LossName } from 'nabla/train';
import { parseActivationOption } from '../activation-options.js';
import type { CommandContext } from '../context.js';
import { parseIntList } from '../options.js';
import { TRAIN_DEFAULTS, type TrainOptions } from './options.js';

export async function newModel(
  opts: TrainOptions,
  ctx: CommandContext,
  train: Dataset,
  loss: LossName | undefined,
  seed: number,
): Promise<Model> {
  const outputs = train.task === 'classification' && loss === 'bce' && train.outputs === 2 ? 1 : train.outputs;
  const widths = opts.layers
    ? parseIntList('--layers', opts.layers, `${train.inputs},128,${outputs}`, 2)
    : [train.inputs, ...TRAIN_DEFAULTS.hidden, outputs];
  if (widths[0] !== train.inputs)
    throw new OptionError(
      `--layers ${opts.layers}: n_0 = ${widths[0]} but the data have ${train.inputs} features per sample`,
    );
  if (widths[widths.length - 1] !== outputs) {
    throw new OptionError(
      `--layers ${opts.layers}: n_k = ${widths[widths.length - 1]} but the data need ${outputs} ` +
        `output${outputs === 1 ? '' : 's'} ` +
        `(${train.task === 'classification' ? `${train.classes?.length} classes` : 'target columns'})`,
    );
  }
  const spec = opts.activation.includes(';')
    ? opts.activation
    : `${new Array(widths.length - 2).fill(opts.activation).join(';')}${widths.length > 2 ? ';' : ''}identity`;
  const layers = await parseActivationOption(spec, widths, ctx);
  const activation = layers.length === 1 ? layers[0]! : layers;
  const common = { widths, activation, seed, init: opts.init, dtype: opts.dtype };
  return opts.affine ? Model.fromAffine(createAffineNetwork(common)) : Model.fromNetwork(createNetwork(common));
}
