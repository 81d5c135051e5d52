/**
 * The text form of a network's activations, read in one place for the library, the CLI (`--activation`) and the
 * explorer: layers separated by ";", and inside a layer either one name for every neuron or one name per neuron
 * separated by "," — e.g. "tanh,relu,sin;identity" for widths [2, 3, 1]. One item alone means every layer.
 */
import { DataError, describeValue, type NablaError, OptionError } from '../errors.js';
import { type Activation, activationNames, getActivation } from './activation.js';

/** One activation per layer: a name for the whole layer, or one name per neuron. */
export type LayerActivations = (string | string[])[];

/** Options of `parseActivationSpec`. */
export interface ActivationSpecOptions {
  /** What the spec is called in messages (default `activation`; the CLI passes `--activation`). */
  name?: string;
  /** User-defined activations the names may refer to. */
  extraActivations?: Readonly<Record<string, Activation>>;
}

/** The spec's layers and their comma lists, trimmed ("a, b; c" → [["a", "b"], ["c"]]). */
export function splitActivationSpec(text: string): string[][] {
  return text.split(';').map((layer) => layer.split(',').map((a) => a.trim()));
}

function checkName(
  name: string,
  where: string,
  Err: new (m: string) => NablaError,
  extra?: Readonly<Record<string, Activation>>,
): string {
  try {
    return getActivation(name, extra).name;
  } catch {
    const known = [...activationNames, ...Object.keys(extra ?? {})];
    throw new Err(`${where}: unknown activation ${JSON.stringify(name)}; expected one of: ${known.join(', ')}`);
  }
}

/**
 * Reads the text form for widths w_0 … w_k (genuine widths for an affine network): k layer specs, each name
 * checked. Throws `OptionError` naming the spec, the layer and what was expected.
 */
export function parseActivationSpec(
  text: string,
  widths: readonly number[],
  opts: ActivationSpecOptions = {},
): LayerActivations {
  const k = widths.length - 1;
  const flag = opts.name ?? 'activation';
  const extra = opts.extraActivations;
  const items = splitActivationSpec(text);
  if (items.length === 1 && items[0]!.length === 1)
    return new Array<string>(k).fill(checkName(items[0]![0]!, flag, OptionError, extra));
  if (items.length !== k) {
    throw new OptionError(
      `${flag} ${JSON.stringify(text)}: ${items.length} layer${items.length === 1 ? '' : 's'} ` +
        `given for k = ${k} layers; separate layers with ";" and neurons with ","`,
    );
  }
  return items.map((names, j) => {
    if (names.length === 1) return checkName(names[0]!, `${flag} (layer ${j + 1})`, OptionError, extra);
    if (names.length !== widths[j + 1]) {
      throw new OptionError(
        `${flag} ${JSON.stringify(text)}: layer ${j + 1} lists ${names.length} activations for ${widths[j + 1]} neurons; give one, or one per neuron`,
      );
    }
    return names.map((n) => checkName(n, `${flag} (layer ${j + 1})`, OptionError, extra));
  });
}

/**
 * The same spec as JSON (an array with one entry per layer: a name, or an array of one name per neuron), as a
 * file gives it. Throws `DataError` naming `source` and the entry.
 */
export function activationSpecFromJson(
  value: unknown,
  widths: readonly number[],
  source: string,
  extra?: Readonly<Record<string, Activation>>,
): LayerActivations {
  const k = widths.length - 1;
  if (!Array.isArray(value) || value.length !== k) {
    throw new DataError(
      `${source}: expected an array with one entry per layer (k = ${k}), found ${describeValue(value)}`,
    );
  }
  return value.map((entry: unknown, j) => {
    const where = `${source}[${j}]`;
    if (typeof entry === 'string') return checkName(entry, where, DataError, extra);
    if (Array.isArray(entry) && entry.every((e) => typeof e === 'string')) {
      if (entry.length !== widths[j + 1])
        throw new DataError(
          `${where}: ${entry.length} names for ${widths[j + 1]} neurons; give one name, or one per neuron`,
        );
      return entry.map((e: string, r) => checkName(e, `${where}[${r}]`, DataError, extra));
    }
    throw new DataError(`${where}: expected an activation name or an array of names, found ${describeValue(entry)}`);
  });
}

/**
 * The spec fitted to widths that may have changed since it was written (the explorer's builder): one name per
 * neuron for each layer. One item means every layer; with fewer layers than k the last item stays the output
 * layer's and the last hidden one is repeated; a layer given one name, or a list of the wrong length, is filled
 * to its width. Names are not checked here (a page may define its own).
 */
export function fitActivationSpec(text: string, widths: readonly number[]): string[][] {
  const given = splitActivationSpec(text).map((l) => l.filter((a) => a !== ''));
  const k = widths.length - 1;
  let layers: string[][];
  if (given.length === k) layers = given;
  else if (given.length <= 1) layers = new Array<string[]>(k).fill(given[0] ?? ['tanh']);
  else {
    const hidden = given.slice(0, -1).slice(0, k - 1);
    const fill = hidden[hidden.length - 1]!;
    layers = [...Array.from({ length: k - 1 }, (_, j) => hidden[j] ?? fill), given[given.length - 1]!];
  }
  return layers.map((names, j) => {
    const w = widths[j + 1]!;
    const fallback = names[names.length - 1] ?? (j === k - 1 ? 'sigmoid' : 'tanh');
    return Array.from({ length: w }, (_, r) =>
      names.length === w ? names[r]! : names.length === 1 ? names[0]! : (names[r] ?? fallback),
    );
  });
}
