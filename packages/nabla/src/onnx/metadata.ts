/**
 * What an exported .onnx file carries besides the graph, in the model's metadata_props (key → text): classes, loss,
 * output, preprocessing, training, history, polynomials and nabla.format ("nabla-model 1", which the other keys
 * follow); the description is the doc_string. The optimizer state is not exported.
 */
import { create } from '@bufbuild/protobuf';
import { MODEL_FORMAT, MODEL_FORMAT_VERSION, type ModelMeta } from '../io/model-format.js';
import { type StringStringEntryProto, StringStringEntryProtoSchema } from './generated/onnx_pb.js';

/** The keys nabla writes, in the order it writes them. */
export const METADATA_KEYS = [
  'nabla.format',
  'classes',
  'loss',
  'output',
  'preprocessing',
  'training',
  'history',
  'polynomials',
] as const;

/** The metadata entries for a model's meta and its polynomial activations. */
export function metadataEntries(
  meta: ModelMeta,
  polynomials: Readonly<Record<string, string>>,
  output = 'network',
): StringStringEntryProto[] {
  const entries: [string, string][] = [['nabla.format', `${MODEL_FORMAT} ${MODEL_FORMAT_VERSION}`]];
  if (meta.classes !== undefined) entries.push(['classes', JSON.stringify(meta.classes)]);
  if (meta.loss !== undefined) entries.push(['loss', meta.loss]);
  if (output === 'probabilities') entries.push(['output', 'probabilities']);
  if (meta.preprocessing !== undefined) entries.push(['preprocessing', JSON.stringify(meta.preprocessing)]);
  if (meta.training !== undefined) entries.push(['training', JSON.stringify(meta.training)]);
  if (meta.history !== undefined) entries.push(['history', JSON.stringify(meta.history)]);
  if (Object.keys(polynomials).length > 0) entries.push(['polynomials', JSON.stringify(polynomials)]);
  return entries.map(([key, value]) => create(StringStringEntryProtoSchema, { key, value }));
}
