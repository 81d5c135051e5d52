/**
 * Options objects are checked for names the API does not have, so that a typo or another library's spelling
 * (`lr`, `batch_size`, `callbacks`, `verbose`) is refused with the right name instead of being ignored.
 */
import { OptionError } from '../errors.js';

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
};

/** Throws `OptionError` for the first key of `opts` that is not in `known`, naming what to write instead. */
export function checkOptionKeys(opts: object, known: readonly string[], what: string): void {
  for (const key of Object.keys(opts)) {
    if (known.includes(key)) continue;
    const alias = ALIASES[key];
    const near = known.find((k) => k.toLowerCase() === key.toLowerCase().replace(/_/g, ''));
    const hint = alias ? `; use ${alias}` : near ? `; did you mean ${near}?` : `; expected one of: ${known.join(', ')}`;
    throw new OptionError(`unknown ${what} option "${key}"${hint}`);
  }
}
