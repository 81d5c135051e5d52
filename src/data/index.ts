/** Data sets for training: the Dataset type and its helpers, and loaders for MNIST, CSV, IDX and synthetic sets. */
export { checkDataset, subset, splitDataset, fitStandardizer, applyStandardizer, gatherBatch, gatherTargets, gatherLabels, oneHot } from './dataset.js';
export type { Dataset, Standardizer, SplitOptions } from './dataset.js';
export { loadMnist, mnistDigitsDir, MNIST_PIXELS, MNIST_TRAIN, MNIST_TEST, MNIST_SPLIT_SEED } from './mnist.js';
export { parseCsv, loadCsv } from './csv.js';
export type { CsvOptions, LoadCsvOptions } from './csv.js';
export { parseIdx, maybeGunzip, loadIdxDataset, labelPathCandidates } from './idx.js';
export type { IdxArray, IdxData, IdxTypeName } from './idx.js';
export { makeSynthetic, syntheticNames, isSyntheticName } from './synthetic.js';
export type { SyntheticName, SyntheticOptions } from './synthetic.js';
export { loadDataset, datasetKind, datasetSpecHelp } from './load.js';
export type { LoadOptions, LoadedData } from './load.js';
