/**
 * What an exported .onnx file carries besides the graph, in the model's metadata_props (key → text):
 *
 *   classes        the class labels, JSON (["setosa", "versicolor", …]); output neuron j stands for classes[j]
 *   loss           the training loss (mse, bce, softmax-ce, …): the graph computes the network's f, so a model
 *                  trained on logits gives logits (apply sigmoid / softmax as the loss says)
 *   output         "probabilities" when the graph ends with that Softmax / Sigmoid (`output: 'probabilities'`)
 *   preprocessing  the input scaling as the model file writes it, JSON, exact float64 (the graph's Sub/Div
 *                  constants are in the model's dtype)
 *   training, history   as in the model file, JSON
 *   polynomials    the polynomial activations by name, JSON ({"cubic": "x^3 - x"})
 *   nabla.format   "nabla-model 1": the model file format the other keys follow
 *
 * The description is the model's doc_string. The optimizer state is not exported (ONNX holds a model for
 * inference; fine-tuning an imported model starts a new optimizer).
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
