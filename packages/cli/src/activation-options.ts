/** Activation options shared by commands: --activation (init, train) and --poly (explain, exercise, export). */
import { OptionError } from 'nabla';
import {
  activationSpecFromJson,
  type ExactActivation,
  type LayerActivations,
  parseActivationSpec,
  polynomialActivation,
} from 'nabla/paper';
import type { CommandContext } from './context.js';

/** --activation for widths w_0 … w_k (genuine widths for an affine network): the library's reader, or @file.json. */
export async function parseActivationOption(
  text: string,
  widths: readonly number[],
  ctx: Pick<CommandContext, 'readJson'>,
): Promise<LayerActivations> {
  if (!text.startsWith('@')) return parseActivationSpec(text, widths, { name: '--activation' });
  const file = text.slice(1);
  return activationSpecFromJson(await ctx.readJson(file), widths, file);
}

/** `--poly NAME=POLY` values as exact activations (their float64 twins go to the model loader). */
export function polynomialsFrom(specs: readonly string[]): Record<string, ExactActivation> {
  const out: Record<string, ExactActivation> = {};
  for (const spec of specs) {
    const eq = spec.indexOf('=');
    if (eq <= 0)
      throw new OptionError(
        `--poly ${JSON.stringify(spec)}: expected NAME=POLYNOMIAL (example: --poly cubic="x^3 - x")`,
      );
    const name = spec.slice(0, eq).trim();
    if (Object.hasOwn(out, name))
      throw new OptionError(`--poly ${JSON.stringify(spec)}: ${name} is defined twice; give each --poly name once`);
    try {
      out[name] = polynomialActivation(name, spec.slice(eq + 1));
    } catch (e) {
      if (e instanceof OptionError) throw new OptionError(`--poly ${JSON.stringify(spec)}: ${e.message}`);
      throw e;
    }
  }
  return out;
}
