/**
 * `nabla/train`: the machinery under `Model.fit`, on the paper's objects, for custom loops, kernel writers and the
 * bench: losses, optimizers, schedules, the low-level `fit`, evaluation, data sets, and the kernel sets
 * (`refKernels`, `createWasmKernels`, `createNativeKernels` in Node). `Model.fit` picks kernels itself.
 * @packageDocumentation
 */

export type { CsvFeatureOptions } from './csv/features.js';
export { parseCsvFeatures } from './csv/features.js';
export type { CsvOptions } from './csv/parse.js';
// CSV text (csv-parse: in a browser bundle alias `csv-parse/sync` to `csv-parse/browser/esm/sync`)
export { parseCsv } from './csv/parse.js';
export type { Dataset, Standardizer } from './data/dataset.js';
export {
  applyStandardizer,
  checkDataset,
  fitStandardizer,
  splitDataset,
  splitIndices,
  subset,
} from './data/dataset.js';
export { makeSynthetic, syntheticNames } from './data/synthetic.js';
export { isRegressionSyntheticName, makeRegressionSynthetic } from './data/synthetic-regression.js';
export type { NativeKernels, NativeKernelsOptions } from './kernels/native.js';
export { createNativeKernels, nativeUnavailableReason } from './kernels/native.js';
export { refKernels } from './kernels/ref.js';
// the kernel sets
export type { Kernels } from './kernels/types.js';
export type { WasmKernels, WasmKernelsOptions } from './kernels/wasm/index.js';
export { createWasmKernels } from './kernels/wasm/index.js';
export { backpropagate } from './train/backprop.js';
export type { BatchInfo, CallbackResult, EpochInfo, EpochRecord, FitOptions } from './train/fit.js';
export { fit, fitAsync } from './train/fit.js';
export type { LossName } from './train/loss.js';
export { defaultLoss, getLoss, lossNames } from './train/loss.js';
export { evaluateDataset, predictOutputs } from './train/metrics.js';
export type { OptimizerName, OptimizerOptions, OptimizerState } from './train/optimizer.js';
export { optimizerNames } from './train/optimizer.js';
export type { ScheduleName, ScheduleOptions } from './train/schedule.js';
export { scheduleNames } from './train/schedule.js';
