/**
 * `nabla import`: an ONNX file (an MLP exported by PyTorch, Keras through tf2onnx, or nabla) as a model file, ready
 * for grad, explain, train --model and the explorer.
 *
 *   nabla import --from model.onnx --out model.json
 */
import type { Command } from 'commander';
import { activationNames, serializeModel } from 'nabla';
import { loadOnnx, saveNetworkFile } from 'nabla/node';
import type { CommandContext } from '../context.js';
import { InputOption, OutputOption } from '../option-rules.js';

interface ImportOptions {
  from: string;
  out?: string;
}

export function register(program: Command, ctx: CommandContext): void {
  program
    .command('import')
    .summary('read an ONNX file (PyTorch, Keras via tf2onnx, nabla) as a model file')
    .description(
      'Read an ONNX MLP as a model file: Gemm or MatMul (+ Add) layers with their weights as initializers, the activations ' +
        'ReLU, LeakyReLU (0.01), ELU (1), Tanh, Sigmoid, Softplus, GELU (tanh), SiLU, Sin, x², and Identity, Flatten, Slice/Concat. ' +
        'Anything else is refused with the operator, the node and the reason. See docs/onnx.md for the operator table.',
    )
    .addOption(new InputOption('--from <file>', 'the .onnx file to read').makeOptionMandatory())
    .addOption(
      new OutputOption('--out <path>', 'write the model file here (default: print it)', {
        extensions: { '.json': 'model file' },
      }),
    )
    .action(async (opts: ImportOptions) => {
      const loaded = await loadOnnx(ctx.resolve(opts.from), { source: opts.from });
      if (opts.out === undefined) {
        ctx.io.stdout.write(serializeModel(loaded));
        return;
      }
      await saveNetworkFile(ctx.resolve(opts.out), loaded, { source: opts.out });
      const net = loaded.affine ?? loaded.network;
      const widths = loaded.affine
        ? `m = [${loaded.affine.m.join(', ')}] (affine)`
        : `n = [${loaded.network.n.join(', ')}] (homogeneous)`;
      const sig = net.sigma.indices().map((i) => {
        const d = net.sigma.get(i).describe();
        return `Σ_${i} = ${Array.isArray(d) ? `[${d.join(', ')}]` : d}`;
      });
      const custom = [...new Set(net.sigma.indices().flatMap((i) => net.sigma.get(i).sigmas))].filter(
        (a) => !activationNames.includes(a.name),
      );
      const note =
        custom.length > 0
          ? `; polynomial activations ${custom.map((a) => `${a.name}: ${a.tex}`).join(', ')} (give --poly NAME=POLY where ${opts.out} is read)`
          : '';
      ctx.print(`wrote ${opts.out}: ${widths}, ${sig.join(', ')}, ${net.dtype}${note}`);
    });
}
