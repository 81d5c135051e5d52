/**
 * `nabla export`: a model file as an ONNX graph (opset 17) for ONNX Runtime, PyTorch's tooling and the rest.
 *
 *   nabla export --model model.json --format onnx --out model.onnx [--probabilities] [--poly NAME=POLY …]
 */
import { type Command, Option } from 'commander';
import { activationNames, ONNX_OPSET } from 'nabla';
import { saveOnnx } from 'nabla/node';
import { polynomialsFrom } from '../activation-options.js';
import type { CommandContext } from '../context.js';
import { loadModelArg } from '../model-file.js';
import { InputOption, OutputOption } from '../option-rules.js';
import { collect } from '../options.js';

interface ExportOptions {
  model: string;
  format: 'onnx';
  out: string;
  poly: string[];
  probabilities?: boolean;
}

export function register(program: Command, ctx: CommandContext): void {
  program
    .command('export')
    .summary('write a model as an ONNX file (opset 17)')
    .description(
      `Write a model as an ONNX graph (opset ${ONNX_OPSET}): Gemm per layer, then the activation column (per-neuron columns as Slice … Concat), ` +
        'input scaling as a first Sub/Div, the class labels and loss in the metadata. The graph computes the network function f ' +
        '(a model trained on logits gives logits; --probabilities appends the Softmax or Sigmoid of its loss, so that the output is what ' +
        '`nabla predict` prints). User-defined activations are written only when they are polynomials (--poly).',
    )
    .addOption(new InputOption('--model <path>', 'model file (nabla-model JSON, or .onnx)').makeOptionMandatory())
    .addOption(new Option('--format <format>', 'the exchange format').choices(['onnx']).default('onnx'))
    .addOption(
      new OutputOption('--out <file>', 'the .onnx file to write', {
        extensions: { '.onnx': 'onnx' },
        formatOption: 'format',
      }).makeOptionMandatory(),
    )
    .option(
      '--probabilities',
      'end the graph with the Softmax (softmax-ce) or Sigmoid (bce) of the loss: the output is what predict gives',
    )
    .option(
      '--poly <name=polynomial>',
      'a polynomial activation the model uses by name, e.g. cubic="x^3 - x" (repeatable)',
      collect,
      [],
    )
    .action(async (opts: ExportOptions) => {
      const polynomials = polynomialsFrom(opts.poly);
      const extraActivations = Object.fromEntries(Object.entries(polynomials).map(([name, a]) => [name, a.float]));
      const loaded = await loadModelArg(ctx, opts.model, { extraActivations });
      const polynomialText = Object.fromEntries(
        Object.entries(polynomials).map(([name, a]) => [name, a.polynomial!.toString()]),
      );
      const output = opts.probabilities ? ('probabilities' as const) : ('network' as const);
      await saveOnnx(ctx.resolve(opts.out), loaded, { source: opts.out, polynomials: polynomialText, output });
      const net = loaded.affine ?? loaded.network;
      const widths = loaded.affine
        ? `m = [${loaded.affine.m.join(', ')}] (affine)`
        : `n = [${loaded.network.n.join(', ')}] (homogeneous)`;
      const custom = [
        ...new Set(net.sigma.indices().flatMap((i) => net.sigma.get(i).sigmas.map((a) => a.name))),
      ].filter((n) => !activationNames.includes(n));
      const meta = [
        loaded.meta.classes ? `classes ${JSON.stringify(loaded.meta.classes)}` : '',
        loaded.meta.loss ? `loss ${loaded.meta.loss}` : '',
        loaded.meta.preprocessing?.standardize ? 'input scaling (Sub/Div)' : '',
      ]
        .filter((s) => s !== '')
        .join(', ');
      ctx.print(
        `wrote ${opts.out}: ONNX opset ${ONNX_OPSET}, ${widths}, ${net.dtype}, input "x" [batch, ` +
          `${(loaded.affine?.m ?? loaded.network.n)[0]}] → output ` +
          `"y"${opts.probabilities ? ` (probabilities: ${loaded.meta.loss === 'bce' ? 'Sigmoid' : 'Softmax'})` : ''}` +
          `${custom.length > 0 ? `; polynomials ${custom.join(', ')}` : ''}${meta ? `; ${meta}` : ''}` +
          `${loaded.meta.optimizer ? '; the optimizer state is not exported' : ''}`,
      );
    });
}
