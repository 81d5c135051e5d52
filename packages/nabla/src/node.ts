/**
 * `nabla/node`: the file helpers, for Node only. Model files on disk (atomic save), ONNX files, CSV files and IDX
 * files (gzipped or not). Everything here reads or writes the file system; the main entry `nabla` never does.
 *
 * @packageDocumentation
 */

export { decodeText } from './io/text.js';
export { loadCsv } from './node/csv-file.js';
export { loadIdxDataset } from './node/idx.js';
export { loadNetworkFile, safeLoadNetworkFile, saveNetworkFile } from './node/model-file.js';
export { loadModelFile, saveModelFile } from './node/model-io.js';
export { loadOnnx, saveOnnx } from './node/onnx-file.js';
export { fileError } from './node/os-errors.js';
export { checkFileSize, readBinaryFile, readTextFile } from './node/read-file.js';
export { checkWritable, writeFileAtomic, writeFilesAtomic } from './node/write-file.js';
