/** A command that works on a trained model file: `--model <file>` is required and the file is read before `run`. */
import type { Command } from 'commander';
import type { LoadedModel } from 'nabla';
import { loadModelArg } from './model-file.js';
import type { CommandContext } from './context.js';

export function modelCommand<O extends { model: string }>(
  program: Command,
  ctx: CommandContext,
  spec: { name: string; summary: string; options: (c: Command) => Command },
  run: (model: LoadedModel, opts: O) => Promise<void>,
): Command {
  const c = program.command(spec.name).summary(spec.summary).requiredOption('--model <file>', 'a trained model file');
  return spec.options(c).action(async (opts: O) => run(await loadModelArg(ctx, opts.model), opts));
}
