/**
 * `nabla/node`: the file helpers, for Node only. Model files on disk (atomic save), ONNX files, CSV files and IDX
 * files (gzipped or not). Everything here reads or writes the file system; the main entry `nabla` never does.
 *
 * @packageDocumentation
 */
export { saveModelFile, loadModelFile } from './node/model-io.js';
export { loadNetworkFile, safeLoadNetworkFile, saveNetworkFile } from './node/model-file.js';
export { loadOnnx, saveOnnx } from './node/onnx-file.js';
export { loadCsv } from './node/csv-file.js';
export { loadIdxDataset } from './node/idx.js';
export { writeFileAtomic, writeFilesAtomic, checkWritable } from './node/write-file.js';
export { readTextFile, readBinaryFile, checkFileSize } from './node/read-file.js';
export { fileError } from './node/os-errors.js';
export { decodeText } from './io/text.js';
