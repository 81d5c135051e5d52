/**
 * `nabla explain`: a worked derivation of ∇_W f for one model and one input, in the paper's notation.
 *   nabla explain --model M --input X [--form recursive|explicit|kronecker|diagonal|scalar|proof|all]
 *                 [--format md|tex|html] [--out FILE] [--exact] [--precision 6] [--poly NAME=POLY …] [--delta v.json]
 */
import { extname } from 'node:path';
import { type Command, Option } from 'commander';
import { DataError, describeValue, OptionError } from 'nabla';
import { writeFileAtomic } from 'nabla/node';
import { exactFormNames, fromColumns, parseRational, type Rational, RMatrix } from 'nabla/paper';
import { type DocFormat, type ExplainForm, explain } from 'nabla/teach';
import { polynomialsFrom } from '../activation-options.js';
import type { CommandContext } from '../context.js';
import { vectorFrom } from '../input.js';
import { loadModelArg } from '../model-file.js';
import { InputOption, OutputOption } from '../option-rules.js';
import { collect, parseInteger } from '../options.js';
import { documentText } from '../render/document.js';

interface ExplainCliOptions {
  model: string;
  input: string;
  form: ExplainForm;
  format?: DocFormat;
  out?: string;
  exact?: boolean;
  precision: string;
  poly: string[];
  delta?: string;
}

const FORMATS: readonly DocFormat[] = ['md', 'tex', 'html'];

/** The format: --format, else the extension of --out, else Markdown. */
export function formatFrom(format: DocFormat | undefined, out: string | undefined): DocFormat {
  if (format) return format;
  const ext = out ? extname(out).slice(1).toLowerCase() : '';
  if (ext === 'tex' || ext === 'html') return ext;
  if (ext === 'htm') return 'html';
  return 'md';
}

/** Writes a file; problems are DataErrors naming the path as given. */
export async function writeOut(ctx: CommandContext, path: string, text: string): Promise<void> {
  await writeFileAtomic(ctx.resolve(path), text, path);
}

/** One sample from x.json: numbers, or (for --exact) fractions as text like "1/3". */
function sampleFrom(
  value: unknown,
  source: string,
  expected: number,
  symbol: string,
  exact: boolean,
): { numbers: number[]; exact: Rational[] | undefined } {
  const shape = `one sample [x_1, …, x_${expected}] with ${symbol} = ${expected} ${exact ? 'numbers or fractions like "1/3"' : 'numbers'}`;
  let sample: unknown = value;
  if (Array.isArray(value) && value.length > 0 && Array.isArray(value[0])) {
    if (value.length !== 1)
      throw new DataError(
        `${source}: ${value.length} samples; explain works on one sample (the paper's X is a column), expected ${shape}`,
      );
    sample = value[0];
  }
  if (!Array.isArray(sample)) throw new DataError(`${source}: expected ${shape}, found ${describeValue(sample)}`);
  if (sample.length !== expected)
    throw new DataError(`${source}: the sample has ${sample.length} numbers, expected ${symbol} = ${expected}`);
  const rationals: Rational[] = [];
  const numbers = sample.map((x: unknown, r) => {
    if (typeof x === 'number' && Number.isFinite(x)) {
      if (exact) rationals.push(parseRational(String(x))!);
      return x;
    }
    const q = exact && typeof x === 'string' ? parseRational(x) : undefined;
    if (q === undefined) {
      throw new DataError(
        `${source}: entry ${r + 1}: expected a finite number${exact ? ' or a fraction like "1/3"' : ''}, found ${describeValue(x)}`,
      );
    }
    rationals.push(q);
    return q.valueOf();
  });
  return { numbers, exact: exact ? rationals : undefined };
}

export function register(program: Command, ctx: CommandContext): void {
  program
    .command('explain')
    .summary('write a worked derivation of ∇_W f (Markdown, LaTeX or HTML), exact with --exact')
    .description(
      'Write a worked derivation of the gradient for one model and one input, in the notation of the paper: the network, ' +
        "the forward pass (N_i, Σ_i, Σ'_i), the recursion Δ_k … Δ_1 and each ∇_{W_i} f (formula, matrices, result), or " +
        'another form of the paper, or all of them with a closing table against finite differences. --exact computes in ' +
        'fractions (identity, relu, leaky_relu, square and --poly polynomials only); otherwise decimals to --precision digits.',
    )
    .addOption(new InputOption('--model <path>', 'model file (nabla-model JSON)').makeOptionMandatory())
    .addOption(
      new InputOption(
        '--input <path>',
        'x.json: one sample [x_1, …, x_n0] (with --exact, entries may be fractions like "1/3")',
      ).makeOptionMandatory(),
    )
    .addOption(
      new Option('--form <name>', 'which form of the gradient to work through; "all" works through every one')
        .choices([...exactFormNames, 'all'])
        .default('recursive'),
    )
    .addOption(
      new Option(
        '--format <format>',
        'md (Markdown with TeX math), tex (LaTeX for pdflatex) or html (self-contained, KaTeX); default: from --out, else md',
      ).choices([...FORMATS]),
    )
    .addOption(
      new OutputOption('--out <file>', 'write to this file instead of standard output', {
        extensions: { '.md': 'md', '.tex': 'tex', '.html': 'html', '.htm': 'html' },
        formatOption: 'format',
      }),
    )
    .option('--exact', 'compute in exact fractions (prints \\frac{a}{b})')
    .option('--precision <digits>', 'significant digits of decimals without --exact (1–17)', '6')
    .option(
      '--poly <name=polynomial>',
      'a polynomial activation the model uses by name, e.g. cubic="x^3 - x" (repeatable)',
      collect,
      [],
    )
    .addOption(
      new InputOption(
        '--delta <path>',
        'v.json: a vector v of n_k numbers in place of Δ_{k+1} = 1 (required when n_k > 1)',
      ),
    )
    .action(async (opts: ExplainCliOptions) => {
      if (opts.out === '-') delete opts.out; // - is standard output, the default
      const precision = parseInteger('--precision', opts.precision, '6', { min: 1, max: 17 });
      const polynomials = polynomialsFrom(opts.poly);
      const extraActivations = Object.fromEntries(Object.entries(polynomials).map(([name, a]) => [name, a.float]));
      const { network: net, affine } = await loadModelArg(ctx, opts.model, { extraActivations });
      const exact = opts.exact === true;
      const m0 = affine ? affine.m[0]! : net.n[0]!;
      const sample = sampleFrom(await ctx.readJson(opts.input), opts.input, m0, affine ? 'm_0' : 'n_0', exact);
      const X = fromColumns([sample.numbers], 'X'); // the genuine inputs: §3's constant 1 is the library's to append
      const exactInput = sample.exact ? new RMatrix(sample.exact.length, 1, sample.exact) : undefined;
      const nk = net.n[net.k]!;
      let v: number[] | undefined;
      if (opts.delta !== undefined) v = vectorFrom(await ctx.readJson(opts.delta), opts.delta, nk, 'v', 'n_k');
      else if (nk > 1)
        throw new OptionError(
          `--delta is required: n_k = ${nk} > 1, so a vector v of ${nk} numbers (--delta v.json) takes the place of Δ_${net.k + 1} = 1`,
        );
      if (opts.form === 'scalar' && net.n.some((w) => w !== 1)) {
        throw new OptionError(
          `--form scalar: the one-dimensional form (1)/(2) needs every width to be 1; ${opts.model} has widths [${net.n.join(', ')}]`,
        );
      }
      const doc = explain(net, X, {
        form: opts.form,
        exact,
        precision,
        polynomials,
        model: opts.model,
        input: opts.input,
        exactHint: 'run without --exact to get decimals (--precision digits)',
        ...(v === undefined ? {} : { v }),
        ...(exactInput === undefined ? {} : { exactInput }),
        ...(affine ? { affineWidths: affine.m } : {}),
      });
      const format = formatFrom(opts.format, opts.out);
      const text = await documentText(doc, format);
      if (opts.out === undefined) ctx.io.stdout.write(text);
      else {
        await writeOut(ctx, opts.out, text);
        ctx.print(`derivation written to ${opts.out} (${format})`);
      }
    });
}
