/**
 * `nabla/io`: the model file format (JSON, version 1) on the paper's objects, browser-safe (text in, text out),
 * and the JSON helpers behind it. `Model.toJSON` / `Model.fromJSON` in the main entry are built on these; files
 * on disk are in `nabla/node`.
 */
export { parseModel, safeParseModel, serializeModel } from './io/model-json.js';
export type { LoadedModel, SaveableModel, ParseModelOptions, SafeParseModelResult } from './io/model-json.js';
export { MODEL_FORMAT, MODEL_FORMAT_VERSION, lossNames as modelLossNames } from './io/model-format.js';
export type { ModelMeta, LossName, OptimizerState, Preprocessing, LayerMatrices } from './io/model-format.js';
export { parseJson, writeJson, writeFloat32, writeFloat64, jsonErrorText, formatPath, describeValue } from './io/json.js';
export type { JsonParseResult } from './io/json.js';
export { decodeText } from './io/text.js';
