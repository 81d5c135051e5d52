/** A model named on the command line: a model file (nabla-model JSON), or an .onnx file imported on the fly. */
import type { LoadedModel, ParseModelOptions } from 'nabla';
import { loadNetworkFile, loadOnnx } from 'nabla/node';
import type { CommandContext } from './context.js';

/** True for a path that names an ONNX file (by its extension). */
export function isOnnxPath(path: string): boolean {
  return /\.onnx$/i.test(path);
}

/** Reads `--model` (or `--resume`): `.onnx` through the ONNX importer, anything else as a model file. */
export async function loadModelArg(
  ctx: Pick<CommandContext, 'resolve'>,
  path: string,
  opts: Omit<ParseModelOptions, 'source'> = {},
): Promise<LoadedModel> {
  if (isOnnxPath(path)) return loadOnnx(ctx.resolve(path), { source: path });
  return loadNetworkFile(ctx.resolve(path), { ...opts, source: path });
}
