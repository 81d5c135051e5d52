/**
 * `nabla/train`: the machinery under `Model.fit`, for custom training loops, kernel writers and the bench, on the
 * paper's objects (a `Network`, samples as the columns of X). Losses as seeds Δ_{k+1} of the recursion, optimizers
 * with PyTorch's update rules, schedules, the low-level `fit`, the fused backward pass, evaluation, in-memory and
 * synthetic data sets, and the kernel sets: `refKernels` (plain TypeScript, the definition of correct behaviour),
 * `createWasmKernels` (WebAssembly SIMD, optionally two threads) and, in Node, `createNativeKernels` (the optional
 * package nabla-native). `Model.fit` picks the fastest kernels itself; pass these only to choose.
 *
 * @packageDocumentation
 */
export { checkDataset, splitDataset, splitIndices, subset, fitStandardizer, applyStandardizer } from './data/dataset.js';
export type { Dataset, Standardizer } from './data/dataset.js';
// CSV text (csv-parse: in a browser bundle alias `csv-parse/sync` to `csv-parse/browser/esm/sync`)
export { parseCsv } from './csv/parse.js';
export type { CsvOptions } from './csv/parse.js';
export { parseCsvFeatures } from './csv/features.js';
export type { CsvFeatureOptions } from './csv/features.js';
export { makeSynthetic, syntheticNames } from './data/synthetic.js';
export { makeRegressionSynthetic, isRegressionSyntheticName } from './data/synthetic-regression.js';
export { getLoss, lossNames, defaultLoss } from './train/loss.js';
export type { LossName } from './train/loss.js';
export { optimizerNames } from './train/optimizer.js';
export type { OptimizerName, OptimizerOptions, OptimizerState } from './train/optimizer.js';
export { scheduleNames } from './train/schedule.js';
export type { ScheduleName, ScheduleOptions } from './train/schedule.js';
export { fit, fitAsync } from './train/fit.js';
export type { FitOptions, EpochRecord, EpochInfo, BatchInfo, CallbackResult } from './train/fit.js';
export { backpropagate } from './train/backprop.js';
export { evaluateDataset, predictOutputs } from './train/metrics.js';
// the kernel sets
export type { Kernels } from './kernels/types.js';
export { refKernels } from './kernels/ref.js';
export { createWasmKernels } from './kernels/wasm/index.js';
export type { WasmKernels, WasmKernelsOptions } from './kernels/wasm/index.js';
export { createNativeKernels, nativeUnavailableReason } from './kernels/native.js';
export type { NativeKernels, NativeKernelsOptions } from './kernels/native.js';
