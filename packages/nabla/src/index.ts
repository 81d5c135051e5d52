/**
 * nabla: feed-forward networks and their gradients in the matrix notation of N. M. Mishachev,
 * "Backpropagation in matrix notation". The entry for apps, browser-safe (nothing here touches the file system):
 * `Model` and `createModel`, the model file as text, ONNX bytes, browser storage, errors and limits.
 *
 * Subpaths: `nabla/node` (files), `nabla/paper` (every engine of the paper), `nabla/train` (the training
 * machinery and the kernel sets), `nabla/teach` (derivations, exercises, grading).
 *
 * @packageDocumentation
 */
export { NablaError, ShapeError, FormatError, DataError, OptionError, NonFiniteError, UnsupportedError, LimitError } from './errors.js';
export { DivergenceError } from './train/divergence.js';
export type { DivergenceDetails } from './train/divergence.js';
export { limits } from './limits.js';
export type { DType } from './kernels/types.js';
export { activations, activationNames, defineActivation, checkActivationDerivative } from './net/activation.js';
export type { Activation, ActivationDefinition } from './net/activation.js';
// the model
export { Model } from './model/model.js';
export { createModel } from './model/create.js';
export { loadModel } from './onnx/load.js';
export type { LoadModelOptions } from './onnx/load.js';
export type { ModelLoadOptions } from './model/model.js';
export type {
  ModelOptions, ModelFields, LayerSpec, ActivationSpec, ModelFitOptions, History, EvaluationReport, LayerInfo, ModelGradient,
  ModelGradientForm, ModelGradientOptions, LossOption, EpochSummary, ModelEpochInfo, TrainBeginInfo, EvaluateOptions, TrainingRecord,
} from './model/types.js';
export type { Inputs, Targets } from './model/inputs.js';
export { gradientFormNames } from './grad/forms.js';
export type { GradientForm } from './grad/forms.js';
export type { KernelsInfo } from './model/kernels.js';
export type { ClassificationReport, RegressionReport } from './model/metrics.js';
// the model file (JSON text), browser storage
export { parseModel, safeParseModel, serializeModel } from './io/model-json.js';
export type { LoadedModel, SaveableModel, ParseModelOptions } from './io/model-json.js';
export type { ModelMeta } from './io/model-format.js';
export { parseJson, writeJson, writeFloat32, writeFloat64, jsonErrorText, describeValue } from './io/json.js';
export { modelBlob, downloadModel, loadModelBlob, saveToLocalStorage, loadFromLocalStorage, saveToIndexedDB, loadFromIndexedDB } from './model/storage.js';
// ONNX bytes
export { exportOnnx, ONNX_OPSET } from './onnx/export.js';
export type { OnnxExportOptions } from './onnx/export.js';
export { importOnnx, safeImportOnnx } from './onnx/import.js';
export type { OnnxImportOptions, SafeImportOnnxResult } from './onnx/import.js';
