/**
 * `nabla predict --model M --input FILE [--out FILE]`: predictions of a trained model for samples in JSON or CSV:
 * for classification the class and each class's probability, for regression the values f. CSV unless --out ends
 * in .json.
 */
import type { Command } from 'commander';
import { OptionError } from 'nabla';
import { writeFileAtomic } from 'nabla/node';
import { parseCsvFeatures } from 'nabla/train';
import { type CommandContext, jsonFromText } from '../context.js';
import { samplesFrom } from '../input.js';
import { modelCommand } from '../model-command.js';
import { InputOption, OutputOption } from '../option-rules.js';

interface PredictOptions {
  model: string;
  input: string;
  target?: string;
  header?: boolean;
  format?: string;
  out?: string;
}

/** Whether --input is CSV: by --format, else by its name (.csv). */
function inputIsCsv(opts: PredictOptions): boolean {
  if (opts.format === undefined) return opts.input.toLowerCase().endsWith('.csv');
  if (opts.format !== 'csv' && opts.format !== 'json')
    throw new OptionError(`--format ${JSON.stringify(opts.format)}: expected json or csv`);
  return opts.format === 'csv';
}

export function register(program: Command, ctx: CommandContext): void {
  const options = (c: Command) =>
    c
      .addOption(
        new InputOption(
          '--input <file>',
          'samples: JSON (an array of numbers, or an array of arrays) or CSV (the header row is ' +
            'detected; - reads JSON from standard input, or CSV with --format csv)',
        ).makeOptionMandatory(),
      )
      .option('--format <kind>', "the input's kind when its name does not say (json or csv)")
      .option('--target <name>', 'CSV: a target column to drop')
      .option('--header', 'CSV: the first row is a header (default: detected)')
      .option('--no-header', 'CSV: there is no header row; columns are numbered 1, 2, …')
      .addOption(
        new OutputOption('--out <file>', 'write here (.csv or .json); default: CSV on standard output', {
          extensions: { '.csv': 'csv', '.json': 'json' },
        }),
      );
  // read in float64: the outputs are printed in full, without float32 rounding (the reference kernels compute them)
  const spec = {
    name: 'predict',
    summary: 'predictions of a trained model (classes and probabilities, or values) as CSV or JSON',
    options,
    dtype: 'float64' as const,
  };
  modelCommand<PredictOptions>(program, ctx, spec, async (model, opts) => {
    if (opts.out === '-') delete opts.out; // - is standard output, the default
    // --out was checked before the command started (option-rules.ts)
    const width = model.inputs;
    const csv = inputIsCsv(opts);
    if (!csv && (opts.target !== undefined || opts.header !== undefined)) {
      throw new OptionError(
        `${opts.target !== undefined ? '--target' : opts.header ? '--header' : '--no-header'} applies to CSV input; --input ${opts.input} is read as JSON`,
      );
    }
    const text = await ctx.readText(opts.input);
    const source = opts.input === '-' ? 'standard input' : opts.input;
    const samples = csv
      ? parseCsvFeatures(text, {
          source,
          width,
          ...(opts.target !== undefined ? { drop: opts.target } : {}),
          ...(opts.header !== undefined ? { header: opts.header } : {}),
        })
      : samplesFrom(jsonFromText(text, source), source, width, model.bias ? 'm_0' : 'n_0');
    // the model is read in float64 (modelCommand's dtype), so the printed outputs carry no float32 rounding
    const outputs = samples.length === 0 ? [] : model.predict(samples);
    const classes = model.classes;
    const rows: Record<string, number | string>[] = [];
    for (const col of outputs) {
      if (classes) {
        const probs = col.length === 1 ? [1 - col[0]!, col[0]!] : col;
        const best = probs.indexOf(Math.max(...probs));
        const row: Record<string, number | string> = { class: classes[best]! };
        classes.forEach((c, j) => (row[`p_${c}`] = probs[j]!));
        rows.push(row);
      } else {
        const row: Record<string, number | string> = {};
        col.forEach((v, j) => (row[col.length === 1 ? 'f' : `f_${j + 1}`] = v));
        rows.push(row);
      }
    }
    const asJson = opts.out?.toLowerCase().endsWith('.json') ?? false;
    const keys = Object.keys(rows[0] ?? {});
    const body = asJson
      ? `${JSON.stringify(rows, null, 2)}\n`
      : `${keys.join(',')}\n${rows.map((r) => keys.map((k) => String(r[k])).join(',')).join('\n')}\n`;
    if (opts.out === undefined) ctx.io.stdout.write(body);
    else {
      await writeFileAtomic(ctx.resolve(opts.out), body, opts.out);
      ctx.print(`${rows.length} prediction${rows.length === 1 ? '' : 's'} written to ${opts.out}`);
    }
  });
}
