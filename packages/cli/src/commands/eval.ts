/**
 * `nabla eval --model M --data D`: loss and, for classification, accuracy and the confusion matrix of a trained
 * model on a data set (for `mnist`, the 2,000 held-out digits).
 */
import type { Command } from 'commander';
import { evaluateDataset, getLoss } from 'nabla/train';
import { DataError, OptionError } from 'nabla';
import type { CommandContext } from '../context.js';
import { modelCommand } from '../model-command.js';
import { loadForModel } from '../model-data.js';

interface EvalOptions {
  model: string;
  data: string;
  target?: string;
  header?: boolean;
  json?: boolean;
}

export function register(program: Command, ctx: CommandContext): void {
  const spec = { name: 'eval', summary: 'loss, accuracy and confusion matrix of a trained model on a data set', options: (c: Command) => c.requiredOption('--data <spec>', 'mnist (its 2,000 test digits), FILE.csv, FILE.idx[.gz] or synthetic:NAME').option('--target <name>', 'CSV: the target column (default: the last column)').option('--header', 'CSV: the first row is a header (default: detected)').option('--no-header', 'CSV: there is no header row; columns are numbered 1, 2, …').option('--json', 'print one JSON object') };
  modelCommand<EvalOptions>(program, ctx, spec, async (model, opts) => {
    const lossName = model.meta.loss;
    if (!lossName) throw new OptionError(`${opts.model}: the model file names no loss (train it with nabla train, or add "loss": "mse" | "softmax-ce" | "bce")`);
    const { data, note } = loadForModel(opts.data, model, opts.target, opts.header);
    const ev = evaluateDataset(model.network, data, getLoss(lossName), { affine: model.affine !== undefined });
    if (!Number.isFinite(ev.loss)) {
      throw new DataError(`${opts.model}: the loss on ${opts.data} is ${ev.loss}; the model's outputs are not finite there (a diverged model, or inputs far outside what it was trained on)`);
    }
    if (opts.json) {
      ctx.print(JSON.stringify({ loss: ev.loss, accuracy: ev.accuracy, confusion: ev.confusion, classes: model.meta.classes ?? data.classes, count: ev.count }));
      return;
    }
    ctx.print(`${opts.model} on ${note}: ${ev.count.toLocaleString('en-US')} samples`);
    ctx.print(`loss (${lossName}): ${ev.loss.toFixed(6)}`);
    if (ev.accuracy !== undefined) ctx.print(`accuracy: ${(100 * ev.accuracy).toFixed(2)}%`);
    if (ev.confusion) {
      const classes = (model.meta.classes ?? data.classes ?? ev.confusion.map((_, j) => j)).map(String);
      const w = Math.max(5, ...classes.map((c) => c.length), ...ev.confusion.flat().map((v) => String(v).length)) + 1;
      ctx.print('confusion matrix (rows: true class, columns: predicted class)');
      ctx.print(`${''.padStart(w)} ${classes.map((c) => c.padStart(w)).join('')}`);
      ev.confusion.forEach((row, j) => ctx.print(`${classes[j]!.padStart(w)} ${row.map((v) => String(v).padStart(w)).join('')}`));
    }
  });
}
