/**
 * `nabla init`: a network with seeded random weights, written as a model file (or printed).
 *
 *   nabla init --widths 3,4,1 --activation tanh --seed 1 --out model.json
 *   nabla init --widths 2,3,1 --affine --activation "tanh,relu,sin;identity"
 */
import { Option, type Command } from 'commander';
import { activationNames, createNetwork, DataError, NablaError, OptionError, type InitScheme } from 'nabla';
import { checkWidths, createAffineNetwork, getActivation, initSchemes } from 'nabla/paper';
import { describeValue, serializeModel, type SaveableModel } from 'nabla/io';
import { saveModel } from 'nabla/node';
import type { CommandContext } from '../context.js';
import { parseInteger, parseIntList } from '../options.js';

/** One activation spec per layer: a name for the whole layer, or one name per neuron. */
export type LayerActivations = (string | string[])[];

const ACTIVATION_HELP =
  'one name for every layer (tanh), or per layer separated by ";" where each item is a name or a comma list ' +
  'with one name per neuron ("tanh,relu,sin;identity"), or @file.json holding an array with one entry per layer';

/**
 * Parses --activation for widths w_0 … w_k (genuine widths for an affine network): returns k layer specs.
 * Names are checked against the built-in activations.
 */
export async function parseActivationSpec(text: string, widths: readonly number[], ctx: Pick<CommandContext, 'readJson'>): Promise<LayerActivations> {
  const k = widths.length - 1;
  const flag = '--activation';
  if (text.startsWith('@')) {
    const file = text.slice(1);
    const value = await ctx.readJson(file);
    if (!Array.isArray(value) || value.length !== k) {
      throw new DataError(`${file}: expected an array with one entry per layer (k = ${k}), found ${describeValue(value)}`);
    }
    return value.map((entry: unknown, j) => {
      const where = `${file}[${j}]`;
      if (typeof entry === 'string') return checkName(entry, where, DataError);
      if (Array.isArray(entry) && entry.every((e) => typeof e === 'string')) {
        if (entry.length !== widths[j + 1]) {
          throw new DataError(`${where}: ${entry.length} names for ${widths[j + 1]} neurons; give one name, or one per neuron`);
        }
        return entry.map((e: string, r) => checkName(e, `${where}[${r}]`, DataError));
      }
      throw new DataError(`${where}: expected an activation name or an array of names, found ${describeValue(entry)}`);
    });
  }
  const items = text.split(';').map((s) => s.trim());
  if (items.length === 1 && !items[0]!.includes(',')) return new Array<string>(k).fill(checkName(items[0]!, flag, OptionError));
  if (items.length !== k) {
    throw new OptionError(
      `${flag} ${JSON.stringify(text)}: ${items.length} layer${items.length === 1 ? '' : 's'} given for k = ${k} layers; separate layers with ";" and neurons with ","`,
    );
  }
  return items.map((item, j) => {
    const names = item.split(',').map((s) => s.trim());
    if (names.length === 1) return checkName(names[0]!, `${flag} (layer ${j + 1})`, OptionError);
    if (names.length !== widths[j + 1]) {
      throw new OptionError(`${flag} ${JSON.stringify(text)}: layer ${j + 1} lists ${names.length} activations for ${widths[j + 1]} neurons; give one, or one per neuron`);
    }
    return names.map((n) => checkName(n, `${flag} (layer ${j + 1})`, OptionError));
  });
}

function checkName(name: string, where: string, Err: new (m: string) => NablaError): string {
  try {
    return getActivation(name).name;
  } catch {
    throw new Err(`${where}: unknown activation ${JSON.stringify(name)}; expected one of: ${activationNames.join(', ')}`);
  }
}

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
    .addOption(new Option('--dtype <dtype>', 'precision of the weights').choices(['float64', 'float32']).default('float64'))
    .option('--out <path>', 'write the model here (default: print it)')
    .action(async (opts: InitOptions) => {
      const widths = parseIntList('--widths', opts.widths, '3,4,1', 2);
      try {
        checkWidths(opts.affine ? widths.map((m, i) => (i < widths.length - 1 ? m + 1 : m)) : widths);
      } catch (e) {
        throw new OptionError(`--widths ${JSON.stringify(opts.widths)}: ${(e as Error).message.replace(/^widths:? ?/, '')}`);
      }
      const seed = parseInteger('--seed', opts.seed, '1');
      const layers = await parseActivationSpec(opts.activation, widths, ctx);
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
      await saveModel(ctx.resolve(opts.out), model, { source: opts.out });
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
