/** A command that works on a trained model: `--model <file>` (a model file or an .onnx file) is required and read as a `Model` before `run`. */
import type { Command } from 'commander';
import type { DType, Model } from 'nabla';
import { loadModelFile } from 'nabla/node';
import type { CommandContext } from './context.js';
import { InputOption } from './option-rules.js';

export function modelCommand<O extends { model: string }>(
  program: Command,
  ctx: CommandContext,
  spec: { name: string; summary: string; options: (c: Command) => Command; dtype?: DType },
  run: (model: Model, opts: O) => Promise<void>,
): Command {
  const c = program
    .command(spec.name)
    .summary(spec.summary)
    .addOption(new InputOption('--model <file>', 'a trained model file (or an .onnx file)').makeOptionMandatory());
  const load = (path: string) =>
    loadModelFile(ctx.resolve(path), { source: path, ...(spec.dtype ? { dtype: spec.dtype } : {}) });
  return spec.options(c).action(async (opts: O) => run(await load(opts.model), opts));
}
