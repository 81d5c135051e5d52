/** An ONNX graph read as a `Model`, for the main entry (`importOnnx` gives the paper's objects). */
import { Model } from '../model/model.js';
import { importOnnx, type OnnxImportOptions } from './import.js';

/** `importOnnx` as a `Model` (loss, classes, input scaling and description kept; training history is the file's). */
export function modelFromOnnx(bytes: Uint8Array, opts: OnnxImportOptions = {}): Model {
  return Model.fromLoaded(importOnnx(bytes, opts));
}
