/**
 * `nabla predict --model M --input FILE [--out FILE]`: predictions of a trained model, as CSV or JSON.
 * Input: a JSON file with one sample (an array of numbers) or several (an array of arrays), or a CSV file with a
 * header row whose columns are the features (a target column named by --target is dropped).
 * Output: for classification the class and the probability of each class (softmax for softmax-ce, sigmoid for
 * bce); for regression the values f. CSV unless --out ends in .json.
 */
import type { Command } from 'commander';
import { parse } from 'csv-parse/sync';
import { applyStandardizer, getLoss, predictOutputs, type Dataset } from 'nabla/train';
import { augment } from 'nabla/paper';
import { DataError, fromColumns } from 'nabla';
import type { CommandContext } from '../context.js';
import { modelCommand } from '../model-command.js';
import { samplesFrom } from '../input.js';
import { inputWidth } from '../model-data.js';
import { checkWritable, writeFileAtomic } from 'nabla/node';

interface PredictOptions {
  model: string;
  input: string;
  target?: string;
  out?: string;
}

function csvSamples(text: string, source: string, width: number, target: string | undefined): number[][] {
  const rows = parse(text, { skip_empty_lines: true, trim: true }) as string[][];
  if (rows.length < 2) throw new DataError(`${source}: expected a header row and at least one sample`);
  let header = rows[0]!;
  let drop = -1;
  if (target !== undefined) {
    drop = header.indexOf(target);
    if (drop < 0) throw new DataError(`${source}: no column named "${target}"; columns: ${header.join(', ')}`);
    header = header.filter((_, j) => j !== drop);
  }
  if (header.length !== width) throw new DataError(`${source}: ${header.length} feature columns, but the model takes ${width}${target === undefined ? ' (drop a target column with --target NAME)' : ''}`);
  return rows.slice(1).map((row, r) => {
    const vals = row.filter((_, j) => j !== drop);
    if (vals.length !== width) throw new DataError(`${source}: line ${r + 2} has ${vals.length} feature values, expected ${width}`);
    return vals.map((v, c) => {
      const x = Number(v);
      if (v === '' || !Number.isFinite(x)) throw new DataError(`${source}: line ${r + 2}, column "${header[c]}": ${JSON.stringify(v)} is not a number`);
      return x;
    });
  });
}

export function register(program: Command, ctx: CommandContext): void {
  const spec = { name: 'predict', summary: 'predictions of a trained model (classes and probabilities, or values) as CSV or JSON', options: (c: Command) => c.requiredOption('--input <file>', 'samples: JSON (an array of numbers, or an array of arrays) or CSV with a header row').option('--target <name>', 'CSV: a target column to drop').option('--out <file>', 'write here (.csv or .json); default: CSV on standard output') };
  modelCommand<PredictOptions>(program, ctx, spec, async (model, opts) => {
    if (opts.out !== undefined) await checkWritable(ctx.resolve(opts.out), opts.out);
    const width = inputWidth(model);
    const text = await ctx.readText(opts.input);
    const samples = opts.input.toLowerCase().endsWith('.csv')
      ? csvSamples(text, opts.input, width, opts.target)
      : samplesFrom(await ctx.readJson(opts.input), opts.input, width, model.affine ? 'm_0' : 'n_0');
    let X = fromColumns(samples, opts.input);
    const st = model.meta.preprocessing?.standardize;
    if (st) {
      const ds: Dataset = { name: opts.input, x: Float64Array.from(samples.flat()), inputs: width, count: samples.length, task: 'regression', targets: new Float64Array(samples.length), outputs: 1 };
      const z = applyStandardizer(ds, st);
      X = fromColumns(Array.from({ length: samples.length }, (_, s) => Array.from(z.x.subarray(s * width, (s + 1) * width))), opts.input);
    }
    if (model.affine) X = augment(X);
    const net = model.network;
    const loss = model.meta.loss ? getLoss(model.meta.loss) : undefined;
    const out = predictOutputs(net.dtype === 'float64' ? net : net.as('float64'), X, loss);
    const classes = model.meta.classes;
    const rows: Record<string, number | string>[] = [];
    for (let b = 0; b < out.cols; b++) {
      const col = Array.from({ length: out.rows }, (_, r) => out.get(r, b));
      if (classes) {
        const probs = out.rows === 1 ? [1 - col[0]!, col[0]!] : col;
        const best = probs.indexOf(Math.max(...probs));
        const row: Record<string, number | string> = { class: classes[best]! };
        classes.forEach((c, j) => (row[`p_${c}`] = probs[j]!));
        rows.push(row);
      } else {
        const row: Record<string, number | string> = {};
        col.forEach((v, j) => (row[out.rows === 1 ? 'f' : `f_${j + 1}`] = v));
        rows.push(row);
      }
    }
    const asJson = opts.out?.toLowerCase().endsWith('.json') ?? false;
    const keys = Object.keys(rows[0] ?? {});
    const body = asJson ? `${JSON.stringify(rows, null, 2)}\n` : `${keys.join(',')}\n${rows.map((r) => keys.map((k) => String(r[k])).join(',')).join('\n')}\n`;
    if (opts.out === undefined) ctx.io.stdout.write(body);
    else {
      await writeFileAtomic(ctx.resolve(opts.out), body, opts.out);
      ctx.print(`${rows.length} prediction${rows.length === 1 ? '' : 's'} written to ${opts.out}`);
    }
  });
}
