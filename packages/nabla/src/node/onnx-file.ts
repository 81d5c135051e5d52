/** ONNX files on disk (Node): `loadOnnx` reads and imports (onnx/import.ts); `saveOnnx` exports and writes atomically. */
import type { LoadedModel, SaveableModel } from '../io/model-json.js';
import type { Model } from '../model/model.js';
import { exportOnnx, type OnnxExportOptions } from '../onnx/export.js';
import { importOnnx } from '../onnx/import.js';
import { readBinaryFile } from './read-file.js';
import { writeFileAtomic } from './write-file.js';

/** Reads an .onnx file as a model (see `importOnnx`). Errors start with `opts.source` (default: the path). */
export async function loadOnnx(path: string, opts: { source?: string } = {}): Promise<LoadedModel> {
  const source = opts.source ?? path;
  return importOnnx(readBinaryFile(path, source, 'an ONNX file'), { source });
}

/** Writes the model as an .onnx file (see `exportOnnx`): a temporary file beside `path`, flushed, then renamed over it. */
export async function saveOnnx(
  path: string,
  model: Model | SaveableModel,
  opts: OnnxExportOptions & { source?: string } = {},
): Promise<void> {
  const { source, ...rest } = opts;
  const bytes = exportOnnx(model, rest); // refused before anything is written
  await writeFileAtomic(path, bytes, source ?? path);
}
