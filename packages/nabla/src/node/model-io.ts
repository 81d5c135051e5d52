/** Models (the `Model` of the main entry) in files: the model file format on disk, saved atomically. */
import { OptionError } from '../errors.js';
import type { Activation } from '../net/activation.js';
import { Model } from '../model/model.js';
import { loadModel } from './model-file.js';
import { writeFileAtomic } from './write-file.js';

/** Writes the model to `path` (a temporary file in the same folder, flushed, then renamed over `path`). */
export async function saveModelFile(path: string, model: Model): Promise<void> {
  if (typeof path !== 'string' || !(model instanceof Model)) {
    throw new OptionError('saveModelFile(path, model): expected a file path (a string) and a Model, in that order');
  }
  await writeFileAtomic(path, model.serialize());
}

/** Reads the model file at `path`; errors name the file and the first problem in it. */
export async function loadModelFile(path: string, opts: { activations?: Readonly<Record<string, Activation>> } = {}): Promise<Model> {
  return Model.fromLoaded(await loadModel(path, opts.activations ? { extraActivations: opts.activations } : {}));
}
