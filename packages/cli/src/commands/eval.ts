/**
 * `nabla eval --model M --data D`: loss and, for classification, accuracy and the confusion matrix of a trained
 * model on a data set (for `mnist`, the 2,000 held-out digits).
 */
import { type Command, Option } from 'commander';
import { DataError, OptionError } from 'nabla';
import { type LossName, lossNames } from 'nabla/train';
import type { CommandContext } from '../context.js';
import { checkCsvFlags } from '../data/load.js';
import { modelCommand } from '../model-command.js';
import { loadForModel } from '../model-data.js';
import { InputOption } from '../option-rules.js';

interface EvalOptions {
  model: string;
  data: string;
  target?: string;
  header?: boolean;
  json?: boolean;
  loss?: LossName;
  kernels: 'auto' | 'native' | 'wasm' | 'ref';
}

export function register(program: Command, ctx: CommandContext): void {
  const options = (c: Command) =>
    c
      .addOption(
        new InputOption(
          '--data <spec>',
          'mnist (its 2,000 test digits), FILE.csv, FILE.idx[.gz] or synthetic:NAME',
        ).makeOptionMandatory(),
      )
      .option('--target <name>', 'CSV: the target column (default: the last column)')
      .option('--header', 'CSV: the first row is a header (default: detected)')
      .option('--no-header', 'CSV: there is no header row; columns are numbered 1, 2, …')
      .addOption(
        new Option('--loss <loss>', "the loss to report (default: the model's; an .onnx model names none)").choices(
          lossNames,
        ),
      )
      .addOption(
        new Option('--kernels <which>', 'matrix kernels: auto (NABLA_KERNELS may name one), native, wasm or ref')
          .choices(['auto', 'native', 'wasm', 'ref'])
          .default('auto'),
      )
      .option('--json', 'print one JSON object');
  const spec = {
    name: 'eval',
    summary: 'loss, accuracy and confusion matrix of a trained model on a data set',
    options,
  };
  modelCommand<EvalOptions>(program, ctx, spec, async (model, opts) => {
    checkCsvFlags('--data', opts.data, opts);
    const lossName = opts.loss ?? model.loss;
    if (!lossName)
      throw new OptionError(`${opts.model}: the model names no loss; give it with --loss ${lossNames.join(' | ')}`);
    const { data, note } = loadForModel(opts.data, model, lossName, opts.target, opts.header);
    // --kernels auto: the library's choice, which NABLA_KERNELS may force
    const ev = model.evaluate(data, { loss: lossName, ...(opts.kernels !== 'auto' ? { kernels: opts.kernels } : {}) });
    if (!Number.isFinite(ev.loss)) {
      throw new DataError(
        `${opts.model}: the loss on ${opts.data} is ${ev.loss}; the model's outputs are not ` +
          'finite there (a diverged model, or inputs far outside what it was trained on)',
      );
    }
    const confusion = ev.classification?.confusion;
    if (opts.json) {
      ctx.print(
        JSON.stringify({
          loss: ev.loss,
          accuracy: ev.accuracy,
          confusion,
          classes: model.classes ?? data.classes,
          count: ev.count,
        }),
      );
      return;
    }
    ctx.print(`${opts.model} on ${note}: ${ev.count.toLocaleString('en-US')} samples`);
    ctx.print(`loss (${lossName}): ${ev.loss.toFixed(6)}`);
    if (ev.accuracy !== undefined) ctx.print(`accuracy: ${(100 * ev.accuracy).toFixed(2)}%`);
    if (confusion) {
      const classes = (model.classes ?? data.classes ?? confusion.map((_, j) => j)).map(String);
      const w = Math.max(5, ...classes.map((c) => c.length), ...confusion.flat().map((v) => String(v).length)) + 1;
      ctx.print('confusion matrix (rows: true class, columns: predicted class)');
      ctx.print(`${''.padStart(w)} ${classes.map((c) => c.padStart(w)).join('')}`);
      confusion.forEach((row, j) =>
        ctx.print(`${classes[j]!.padStart(w)} ${row.map((v) => String(v).padStart(w)).join('')}`),
      );
    }
  });
}
