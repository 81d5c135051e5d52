/** Models (the `Model` of the main entry) in files: the model file (JSON) or ONNX read, the model file saved atomically. */
import { OptionError } from '../errors.js';
import { Model } from '../model/model.js';
import { loadModelOptionsSchema, readOptions } from '../model/option-schemas.js';
import { type LoadModelOptions, loadModel } from '../onnx/load.js';
import { readBinaryFile, readTextFile } from './read-file.js';
import { writeFileAtomic } from './write-file.js';

/** Writes the model to `path` (a temporary file in the same folder, flushed, then renamed over `path`). */
export async function saveModelFile(path: string, model: Model): Promise<void> {
  if (typeof path !== 'string' || !(model instanceof Model)) {
    throw new OptionError('saveModelFile(path, model): expected a file path (a string) and a Model, in that order');
  }
  await writeFileAtomic(path, model.serialize());
}

/**
 * Reads a model from `path`: an ONNX file when the name ends in `.onnx`, else a model file (JSON). Errors name the
 * file and the first problem in it. A model file's training state comes with it (`training: false` leaves it out),
 * so `fit` continues the saved run.
 */
export async function loadModelFile(path: string, opts: LoadModelOptions = {}): Promise<Model> {
  if (typeof path !== 'string') throw new OptionError('loadModelFile(path): expected a file path (a string)');
  readOptions(loadModelOptionsSchema, opts, 'loadModelFile');
  const source = opts.source ?? path;
  const onnx = /\.onnx$/i.test(path);
  const contents = onnx ? readBinaryFile(path, source, 'an ONNX file') : readTextFile(path, source, 'a model file');
  return loadModel(contents, { ...opts, source });
}
