/**
 * `nabla/node`: the file helpers, for Node only. Model files on disk (atomic save), ONNX files, CSV files and IDX
 * files (gzipped or not). Everything here reads or writes the file system; the main entry `nabla` never does.
 *
 * @packageDocumentation
 */
export { loadModel, safeLoadModel, saveModel } from './node/model-file.js';
export type { SafeLoadModelResult } from './node/model-file.js';
export { loadCsv } from './node/csv-file.js';
export type { LoadCsvOptions } from './node/csv-file.js';
export { parseCsv } from './csv/parse.js';
export type { CsvOptions } from './csv/parse.js';
export { parseIdx, maybeGunzip, loadIdxDataset, idxDataset, labelPathCandidates } from './node/idx.js';
export type { IdxArray, IdxData, IdxTypeName } from './node/idx.js';
export { saveModelFile, loadModelFile } from './node/model-io.js';
export { writeFileAtomic, writeFilesAtomic, checkWritable } from './node/write-file.js';
export { readTextFile, readBinaryFile, checkFileSize } from './node/read-file.js';
export { loadOnnx, saveOnnx } from './node/onnx-file.js';
export { fileError } from './node/os-errors.js';
