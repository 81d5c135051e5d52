/**
 * nabla: feed-forward networks and their gradients in the matrix notation of N. M. Mishachev, "Backpropagation in
 * matrix notation". The browser-safe entry for apps: `Model`, the model file, ONNX, browser storage, errors, limits.
 * Subpaths: `nabla/node` (files), `nabla/paper`, `nabla/train`, `nabla/teach`.
 * @packageDocumentation
 */
export {
  DataError,
  FormatError,
  LimitError,
  NablaError,
  NonFiniteError,
  OptionError,
  ShapeError,
  UnsupportedError,
} from './errors.js';
export type { GradientForm } from './grad/forms.js';
export { gradientFormNames } from './grad/forms.js';
export { describeValue, jsonErrorText, parseJson, writeFloat32, writeFloat64, writeJson } from './io/json.js';
export type { ModelMeta } from './io/model-format.js';
export type { LoadedModel, ParseModelOptions, SaveableModel } from './io/model-json.js';
// the model file (JSON text), browser storage
export { parseModel, safeParseModel, serializeModel } from './io/model-json.js';
export type { DType } from './kernels/types.js';
export { limits } from './limits.js';
export { createModel } from './model/create.js';
export type { Inputs, Targets } from './model/inputs.js';
export type { KernelsInfo } from './model/kernels.js';
export type { ClassificationReport, RegressionReport } from './model/metrics.js';
export type { ModelLoadOptions } from './model/model.js';
// the model
export { Model } from './model/model.js';
export {
  downloadModel,
  loadFromIndexedDB,
  loadFromLocalStorage,
  loadModelBlob,
  modelBlob,
  saveToIndexedDB,
  saveToLocalStorage,
} from './model/storage.js';
export type {
  ActivationSpec,
  EpochSummary,
  EvaluateOptions,
  EvaluationReport,
  History,
  LayerInfo,
  LayerSpec,
  LossOption,
  ModelEpochInfo,
  ModelFields,
  ModelFitOptions,
  ModelGradient,
  ModelGradientForm,
  ModelGradientOptions,
  ModelOptions,
  TrainBeginInfo,
  TrainingRecord,
} from './model/types.js';
export type { Activation, ActivationDefinition } from './net/activation.js';
export { activationNames, activations, checkActivationDerivative, defineActivation } from './net/activation.js';
export type { OnnxExportOptions } from './onnx/export.js';
// ONNX bytes
export { exportOnnx, ONNX_OPSET } from './onnx/export.js';
export type { OnnxImportOptions, SafeImportOnnxResult } from './onnx/import.js';
export { importOnnx, safeImportOnnx } from './onnx/import.js';
export type { LoadModelOptions } from './onnx/load.js';
export { loadModel } from './onnx/load.js';
export type { DivergenceDetails } from './train/divergence.js';
export { DivergenceError } from './train/divergence.js';
