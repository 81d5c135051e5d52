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
export { checkDataset, splitDataset, fitStandardizer, applyStandardizer } from './data/dataset.js';
export type { Dataset, Standardizer, SplitOptions } from './data/dataset.js';
// CSV text (csv-parse: in a browser bundle alias `csv-parse/sync` to `csv-parse/browser/esm/sync`)
export { parseCsv } from './csv/parse.js';
export type { CsvOptions } from './csv/parse.js';
export { parseCsvFeatures } from './csv/features.js';
export type { CsvFeatureOptions } from './csv/features.js';
export { makeSynthetic, syntheticNames } from './data/synthetic.js';
export type { SyntheticName, SyntheticOptions } from './data/synthetic.js';
export { makeRegressionSynthetic, isRegressionSyntheticName } from './data/synthetic-regression.js';
export type { RegressionSyntheticName, RegressionSyntheticOptions } from './data/synthetic-regression.js';
export { losses, getLoss, lossNames, defaultLoss } from './train/loss.js';
export type { Loss, LossName } from './train/loss.js';
export { createOptimizer, optimizerNames } from './train/optimizer.js';
export type { Optimizer, OptimizerName, OptimizerOptions, OptimizerState } from './train/optimizer.js';
export { learningRateAt, scheduleNames } from './train/schedule.js';
export type { ScheduleName, ScheduleOptions } from './train/schedule.js';
export type { Regularization, RegularizationKind } from './train/regularization.js';
export { fit, fitAsync } from './train/fit.js';
export type { FitOptions, FitAsyncOptions, FitResult, EpochRecord, EpochInfo, BatchInfo, CallbackResult } from './train/fit.js';
export { backpropagate, allocateGrads } from './train/backprop.js';
export type { RecursiveOptions } from './train/backprop.js';
export { evaluateDataset, predictOutputs } from './train/metrics.js';
export type { Evaluation } from './train/metrics.js';
// the kernel sets
export type { Kernels, KernelRegion, FloatArray } from './kernels/types.js';
export { refKernels } from './kernels/ref.js';
export { createWasmKernels } from './kernels/wasm/index.js';
export type { WasmKernels, WasmKernelsOptions, WasmThreadStats, WasmMemory } from './kernels/wasm/index.js';
export type { WasmArena } from './kernels/wasm/memory.js';
export { createNativeKernels, nativeUnavailableReason } from './kernels/native.js';
export type { NativeIsa, NativeKernels, NativeKernelsOptions } from './kernels/native.js';
