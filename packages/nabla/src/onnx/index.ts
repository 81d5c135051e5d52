/**
 * `nabla/onnx`: models in and out of ONNX, browser-safe (bytes in, bytes out). `exportOnnx` writes a model as
 * an ONNX graph (opset 17) that ONNX Runtime, PyTorch's tooling and others read; `importOnnx` reads the MLP
 * graphs PyTorch exports for nn.Sequential stacks and tf2onnx for Keras Dense stacks, so they can be explained
 * in the paper's notation. `operatorTable` lists what the importer reads. Files on disk: `nabla/node`.
 *
 * @packageDocumentation
 */
import { Model } from '../model/model.js';
import { importOnnx, type OnnxImportOptions } from './import.js';

export { exportOnnx, ONNX_OPSET, ONNX_IR_VERSION } from './export.js';
export type { OnnxExportOptions } from './export.js';
export { importOnnx, safeImportOnnx, ONNX_IR_VERSIONS, ONNX_OPSETS } from './import.js';
export type { OnnxImportOptions, SafeImportOnnxResult } from './import.js';
export { operatorTable, refusedOperators, probePoints } from './operators.js';
export type { OperatorEntry } from './operators.js';
export { METADATA_KEYS } from './metadata.js';

/** `importOnnx` as a `Model` (loss, classes, input scaling and description kept; training history is the file's). */
export function modelFromOnnx(bytes: Uint8Array, opts: OnnxImportOptions = {}): Model {
  return Model.fromLoaded(importOnnx(bytes, opts));
}
