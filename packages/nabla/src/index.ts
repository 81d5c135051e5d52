/**
 * nabla: feed-forward networks and their gradients in the matrix notation of N. M. Mishachev,
 * "Backpropagation in matrix notation". The public API, browser-safe (nothing here touches the file system).
 *
 * Subpaths: `nabla/node` (files), `nabla/paper` (every engine of the paper), `nabla/train` (the training
 * machinery on networks), `nabla/io` (the model format), `nabla/kernels` (the WebAssembly kernels),
 * `nabla/teach` (derivations, exercises, grading), `nabla/csv` (CSV text).
 *
 * @packageDocumentation
 */
export { NablaError, ShapeError, FormatError, DataError, OptionError, NonFiniteError, UnsupportedError, LimitError } from './errors.js';
export { limits } from './limits.js';
export type { LimitName } from './limits.js';
export type { NablaErrorCode } from './errors.js';
export { Matrix, zeros, fromRows, fromColumns } from './linalg/matrix.js';
export type { FloatArray, DType } from './kernels/types.js';
export { activations, activationNames, defineActivation, checkActivationDerivative } from './net/activation.js';
export type { Activation, ActivationDefinition, DerivativeCheck } from './net/activation.js';
export { Network } from './net/network.js';
export type { ColumnSpec } from './net/network.js';
export { Column } from './net/column.js';
export type { ActivationRun } from './net/column.js';
export { Layers } from './net/layers.js';
export { createNetwork } from './net/init.js';
export type { CreateNetworkOptions, InitScheme } from './net/init.js';
export { AffineNetwork } from './net/affine.js';
export type { Trace } from './net/forward.js';
export type { Grads, SeedInput, GradientEngine } from './grad/types.js';
export type { Step } from './grad/algebra.js';
export { gradientForms, gradientFormNames } from './grad/forms.js';
export type { GradientForm, PaperForm, FloatFormInfo } from './grad/forms.js';
export type { WorkedRecords } from './grad/worked.js';
export { Rng } from './rng.js';
export type { Kernels, KernelRegion } from './kernels/types.js';
export { refKernels } from './kernels/ref.js';
export { Model } from './model/model.js';
export { createModel } from './model/create.js';
export type { ModelFields } from './model/types.js';
export type {
  ModelOptions, LayerSpec, ActivationSpec, ModelFitOptions, History, EvaluationReport, LayerInfo, ModelGradient,
  ModelGradientForm, ModelGradientOptions,
} from './model/types.js';
export type { Inputs, Targets } from './model/inputs.js';
export type { KernelSetName, KernelsInfo } from './model/kernels.js';
export type { ClassificationReport, ClassMetrics, RegressionReport } from './model/metrics.js';
export { modelBlob, downloadModel, loadModelBlob, saveToLocalStorage, loadFromLocalStorage, saveToIndexedDB, loadFromIndexedDB } from './model/storage.js';
export type { BlobLike, LoadOptions } from './model/storage.js';
export { defaultLoss, lossNames } from './train/loss.js';
export type { LossName } from './train/loss.js';
export type { OptimizerName, OptimizerOptions } from './train/optimizer.js';
export type { ScheduleOptions, ScheduleName } from './train/schedule.js';
export type { BatchInfo, EpochInfo, EpochRecord, CallbackResult } from './train/fit.js';
export { DivergenceError } from './train/divergence.js';
export type { DivergenceDetails } from './train/divergence.js';
export type { Standardizer, Dataset } from './data/dataset.js';
export type { LoadedModel, ParseModelOptions, SaveableModel } from './io/model-json.js';
export type { ModelMeta, Preprocessing, OptimizerState as ModelFileOptimizerState, LayerMatrices } from './io/model-format.js';
