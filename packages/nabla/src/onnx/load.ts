/**
 * `loadModel`: a model from the bytes or text of a model file, whichever of the two formats it is in: the model
 * file (JSON, "nabla-model") or ONNX (an MLP graph, see onnx/import.ts). Browser-safe: bytes in, `Model` out.
 */
import { OptionError } from '../errors.js';
import { Model, type ModelLoadOptions } from '../model/model.js';
import { loadModelOptionsSchema, readOptions } from '../model/option-schemas.js';
import type { Activation } from '../net/activation.js';
import { importOnnx } from './import.js';

/** Options of `loadModel` and `loadModelFile`. */
export interface LoadModelOptions extends ModelLoadOptions {
  /** Name used at the start of error messages (e.g. the file name). */
  source?: string;
  /** User-defined activations a JSON model file may name (see `defineActivation`). */
  activations?: Readonly<Record<string, Activation>>;
}

/** Whether the bytes are JSON text (a model file) rather than an ONNX protobuf: the first non-blank byte is `{`. */
function isJsonBytes(bytes: Uint8Array): boolean {
  let i = 0;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) i = 3; // a UTF-8 byte-order mark
  while (i < bytes.length && (bytes[i] === 0x20 || bytes[i] === 0x0a || bytes[i] === 0x0d || bytes[i] === 0x09)) i++;
  return bytes[i] === 0x7b;
}

/**
 * A model from a model file's contents: JSON text (a string, or its bytes) or the bytes of an ONNX file. The
 * format is told by the contents (a JSON model file starts with `{`). A JSON file keeps its training state
 * (`training: false` leaves it out); an ONNX file brings weights, activations, and the loss, classes and scaling
 * nabla's export stores in its metadata.
 */
export function loadModel(contents: string | Uint8Array | ArrayBuffer, opts: LoadModelOptions = {}): Model {
  readOptions(loadModelOptionsSchema, opts, 'loadModel');
  const { source, activations, ...load } = opts;
  if (typeof contents === 'string') return Model.fromJSON(contents, { ...opts, source: source ?? 'model JSON' });
  if (!(contents instanceof Uint8Array || contents instanceof ArrayBuffer)) {
    throw new OptionError(
      `loadModel: expected the file's text (a string) or bytes (Uint8Array or ArrayBuffer), found ${contents === null ? 'null' : typeof contents}`,
    );
  }
  const bytes = contents instanceof Uint8Array ? contents : new Uint8Array(contents);
  if (isJsonBytes(bytes))
    return Model.fromJSON(new TextDecoder().decode(bytes), { ...opts, source: source ?? 'model JSON' });
  if (activations !== undefined)
    throw new OptionError('loadModel: activations apply to a JSON model file; an ONNX file carries its own');
  return Model.fromLoaded(importOnnx(bytes, source !== undefined ? { source } : {}), load);
}
