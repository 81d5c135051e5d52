/**
 * Options objects are checked for names the API does not have, so that a typo or another library's spelling
 * (`lr`, `batch_size`, `callbacks`, `verbose`) is refused with the right name instead of being ignored.
 */
import { OptionError } from '../errors.js';
import { type LossName, lossNames } from '../train/loss.js';

/** Other libraries' names for nabla's options (Keras, TensorFlow.js, PyTorch habits). */
const ALIASES: Readonly<Record<string, string>> = {
  lr: 'learningRate',
  learning_rate: 'learningRate',
  batch_size: 'batchSize',
  validation_split: 'validationSplit',
  validation_data: 'validationData',
  early_stopping: 'earlyStopping',
  callbacks: 'onEpochBegin, onEpochEnd, onBatchBegin, onBatchEnd',
  verbose: 'onEpochEnd (the library never prints; log from a callback)',
  units: 'layers: [{ units }]',
  inputShape: 'inputs',
  input_shape: 'inputs',
  useBias: 'bias',
  use_bias: 'bias',
  loss: 'createModel({ …, loss }) (the model keeps its loss: fit, evaluate and predict use it)',
  metrics: 'nothing: fit reports accuracy for classification (history.history.accuracy), evaluate the rest',
  kernelInitializer: 'init',
  kernel_initializer: 'init',
};

/** Keras's, TensorFlow.js's and PyTorch's names of nabla's losses, compared without case, "_", "-" or spaces. */
const LOSS_ALIASES: Readonly<Record<string, LossName>> = {
  meansquarederror: 'mse',
  mseloss: 'mse',
  categoricalcrossentropy: 'softmax-ce',
  sparsecategoricalcrossentropy: 'softmax-ce',
  crossentropyloss: 'softmax-ce',
  softmaxcrossentropy: 'softmax-ce',
  binarycrossentropy: 'bce',
  bcewithlogitsloss: 'bce',
};

/**
 * nabla's loss for a loss name: its own (`mse`, `softmax-ce`, `bce`), or Keras's / TensorFlow.js's / PyTorch's
 * (`meanSquaredError`, `categoricalCrossentropy`, `sparse_categorical_crossentropy`, `binaryCrossentropy`,
 * `CrossEntropyLoss`, …). Throws `OptionError` listing both for any other name.
 */
export function lossNameOf(name: unknown, what = 'loss'): LossName {
  if (typeof name === 'string' && (lossNames as readonly string[]).includes(name)) return name as LossName;
  const alias = typeof name === 'string' ? LOSS_ALIASES[name.toLowerCase().replace(/[-_ ]/g, '')] : undefined;
  if (alias) return alias;
  throw new OptionError(
    `${what} = ${JSON.stringify(name)}; expected one of: ${lossNames.join(', ')} (Keras's ` +
      'meanSquaredError, categoricalCrossentropy, sparseCategoricalCrossentropy and ' +
      'binaryCrossentropy are read as mse, softmax-ce, softmax-ce and bce)',
  );
}

/** The message for an option `key` that `what`'s options do not have (`known`), naming what to write instead. */
export function unknownOptionText(key: string, known: readonly string[], what: string): string {
  const alias = ALIASES[key];
  const near = known.find((k) => k.toLowerCase() === key.toLowerCase().replace(/_/g, ''));
  const hint = alias ? `; use ${alias}` : near ? `; did you mean ${near}?` : `; expected one of: ${known.join(', ')}`;
  return `unknown ${what} option "${key}"${hint}`;
}

/** Throws `OptionError` for the first key of `opts` that is not in `known`, naming what to write instead. */
export function checkOptionKeys(opts: object, known: readonly string[], what: string): void {
  for (const key of Object.keys(opts)) {
    if (!known.includes(key)) throw new OptionError(unknownOptionText(key, known, what));
  }
}
