/**
 * `nabla init`: a network with seeded random weights, written as a model file (or printed).
 *
 *   nabla init --widths 3,4,1 --activation tanh --seed 1 --out model.json
 *   nabla init --widths 2,3,1 --affine --activation "tanh,relu,sin;identity"
 */
import { type Command, Option } from 'commander';
import { OptionError, type SaveableModel, serializeModel } from 'nabla';
import { saveNetworkFile } from 'nabla/node';
import { checkWidths, createAffineNetwork, createNetwork, type InitScheme, initSchemes } from 'nabla/paper';
import { parseActivationOption } from '../activation-options.js';
import type { CommandContext } from '../context.js';
import { OutputOption } from '../option-rules.js';
import { parseInteger, parseIntList } from '../options.js';

const ACTIVATION_HELP =
  'one name for every layer (tanh), or per layer separated by ";" where each item is a name or a comma list ' +
  'with one name per neuron ("tanh,relu,sin;identity"), or @file.json holding an array with one entry per layer';

interface InitOptions {
  widths: string;
  activation: string;
  affine?: boolean;
  init: InitScheme;
  seed: string;
  dtype: 'float64' | 'float32';
  out?: string;
}

export function register(program: Command, ctx: CommandContext): void {
  program
    .command('init')
    .summary('write a network with seeded random weights')
    .description('Write a network with seeded random weights as a model file (format nabla-model, version 1).')
    .requiredOption('--widths <list>', 'widths n_0,…,n_k (with --affine: the genuine widths m_0,…,m_k)')
    .option('--activation <spec>', ACTIVATION_HELP, 'tanh')
    .option('--affine', 'an affine network: each W_i gets a bias column (paper §3)')
    .addOption(new Option('--init <scheme>', 'initialisation').choices(initSchemes).default('glorot'))
    .option('--seed <int>', 'seed of the random weights', '1')
    .addOption(
      new Option('--dtype <dtype>', 'precision of the weights').choices(['float64', 'float32']).default('float64'),
    )
    .addOption(
      new OutputOption('--out <path>', 'write the model here (default: print it)', {
        extensions: { '.json': 'model file' },
      }),
    )
    .action(async (opts: InitOptions) => {
      if (opts.out === '-') delete opts.out; // - is standard output, the default
      const widths = parseIntList('--widths', opts.widths, '3,4,1', 2);
      try {
        checkWidths(opts.affine ? widths.map((m, i) => (i < widths.length - 1 ? m + 1 : m)) : widths);
      } catch (e) {
        throw new OptionError(
          `--widths ${JSON.stringify(opts.widths)}: ${(e as Error).message.replace(/^widths:? ?/, '')}`,
        );
      }
      const seed = parseInteger('--seed', opts.seed, '1');
      const layers = await parseActivationOption(opts.activation, widths, ctx);
      // createNetwork reads a k-entry array as one spec per layer when k > 1; with k = 1 the layer's own spec is the whole spec.
      const activation = layers.length === 1 ? layers[0]! : layers;
      const common = { widths, activation, seed, init: opts.init, dtype: opts.dtype };
      const description = `random weights: nabla init --init ${opts.init} --seed ${seed}`;
      const model: SaveableModel = opts.affine
        ? { affine: createAffineNetwork(common), meta: { description } }
        : { network: createNetwork(common), meta: { description } };
      if (opts.out === undefined) {
        ctx.io.stdout.write(serializeModel(model));
        return;
      }
      await saveNetworkFile(ctx.resolve(opts.out), model, { source: opts.out });
      const net = model.affine ?? model.network!;
      const sig = net.sigma.indices().map((i) => {
        const d = net.sigma.get(i).describe();
        return `Σ_${i} = ${Array.isArray(d) ? `[${d.join(', ')}]` : d}`;
      });
      const weights = net.W.indices().reduce((s, i) => s + net.W.get(i).data.length, 0);
      const w = opts.affine ? `m = [${widths.join(', ')}] (affine)` : `n = [${widths.join(', ')}]`;
      ctx.print(`wrote ${opts.out}: ${w}, ${sig.join(', ')}; ${weights} weights (${opts.init}, seed ${seed})`);
    });
}
