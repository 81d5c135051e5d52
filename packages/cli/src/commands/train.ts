/**
 * `nabla train`: train a network on the bundled MNIST digits, a CSV or IDX file, or a synthetic set, and save it;
 * every step is the paper's recursion seeded by the loss (src/train/fit.ts).
 *   nabla train                                   the default: 784-256-10 ReLU network on the bundled MNIST digits
 *   nabla train --data iris.csv --layers 4,16,3 --loss softmax-ce --optimizer adam --lr 0.01 --epochs 50 --standardize
 */
import { existsSync } from 'node:fs';
import { type Command, Option } from 'commander';
import { DataError, DivergenceError, type History, type ModelEpochInfo, OptionError, type TrainBeginInfo } from 'nabla';
import { loadModelFile, writeFileAtomic } from 'nabla/node';
import { initSchemes } from 'nabla/paper';
import { lossNames, optimizerNames, scheduleNames } from 'nabla/train';
import { cliAdvice } from '../advice.js';
import type { CommandContext } from '../context.js';
import { InputOption, OutputOption } from '../option-rules.js';
import { parseInteger } from '../options.js';
import { curvesFile, terminalCurves } from '../plot.js';
import { createProgress, epochLine, formatDuration } from '../progress.js';
import { trainingData } from '../train/data.js';
import { fitOptionsFromFlags } from '../train/fit-options.js';
import { describeKernels, describeWidths } from '../train/history.js';
import { newModel } from '../train/network.js';
import { checkFlagCombinations, checkOptimizerFlags, TRAIN_DEFAULTS, type TrainOptions } from '../train/options.js';

export { TRAIN_DEFAULTS };

export function register(program: Command, ctx: CommandContext): void {
  program
    .command('train')
    .summary('train a network and save it (default: 784-256-10 on the bundled MNIST digits)')
    .description(
      'Train a network with the recursion of Remark 3 on the bundled MNIST digits, a CSV file, an IDX file or a synthetic set, then save it. ' +
        'With no options: an affine 784-256-10 ReLU network, softmax cross-entropy, Adam (η = ' +
        '0.003, cosine schedule, batch 64, 15 epochs), on 8,000 digits, tested on the other 2,000.',
    )
    .addOption(
      new InputOption(
        '--data <spec>',
        'mnist, FILE.csv, FILE.idx[.gz] (IDX images; labels found by name), or synthetic:NAME (xor, circles, spiral, gaussians, moons)',
      ).default(TRAIN_DEFAULTS.data),
    )
    .addOption(
      new InputOption('--test <spec>', 'held-out test data (same kinds as --data); mnist brings its own 2,000 digits'),
    )
    .option('--target <name>', 'CSV: the target column (default: the last column; without a header row, its number)')
    .option('--header', 'CSV: the first row is a header (default: detected: a first row of numbers only is data)')
    .option('--no-header', 'CSV: there is no header row; the columns are numbered 1, 2, …')
    .addOption(
      new Option(
        '--task <task>',
        'CSV: classification or regression (default: regression for --loss mse, else classification)',
      ).choices(['classification', 'regression']),
    )
    .option(
      '--layers <widths>',
      'widths n_0,…,n_k of a new network (with the default --affine, the genuine widths m_0,…,m_k); default: inputs,256,outputs',
    )
    .option(
      '--activation <spec>',
      'hidden-layer activation (the last layer is identity), or a full per-layer spec like "relu;identity"',
      TRAIN_DEFAULTS.activation,
    )
    .option('--no-affine', 'a homogeneous network without biases (the default is affine: biases as in paper §3)')
    .addOption(new Option('--init <scheme>', 'initialisation of a new network').choices(initSchemes).default('he'))
    .addOption(
      new InputOption('--model <file>', 'start from exactly the weights of this model file instead of --layers'),
    )
    .addOption(
      new InputOption(
        '--resume <file>',
        "continue the run saved in this model file (weights, optimizer state, epoch count, data order; flags not given are the saved run's)",
      ),
    )
    .addOption(
      new Option('--loss <loss>', 'loss (default: softmax-ce for classification, mse for regression)').choices(
        lossNames,
      ),
    )
    .addOption(new Option('--optimizer <name>', 'optimizer').choices(optimizerNames).default(TRAIN_DEFAULTS.optimizer))
    .option('--lr <rate>', 'learning rate η (default: 0.003 for adam/adamw, 0.01 for sgd)')
    .option('--momentum <mu>', 'sgd momentum μ')
    .option('--nesterov', 'sgd: Nesterov momentum')
    .option('--weight-decay <lambda>', 'weight decay λ (L2 for sgd/adam, decoupled for adamw)')
    .option('--batch-size <n>', 'mini-batch size B', String(TRAIN_DEFAULTS.batchSize))
    .option('--epochs <n>', 'epochs', String(TRAIN_DEFAULTS.epochs))
    .option(
      '--seed <int>',
      'seed of everything random (initial weights, shuffles, validation split)',
      String(TRAIN_DEFAULTS.seed),
    )
    .option('--no-shuffle', 'keep the data order (no reshuffle each epoch)')
    .addOption(new Option('--dtype <dtype>', 'training precision').choices(['float32', 'float64']).default('float32'))
    .option('--validation-split <fraction>', 'hold out this fraction of the training data for validation')
    .option(
      '--patience <epochs>',
      'early stopping: stop when the validation loss has not improved for this many epochs (restores the best weights)',
    )
    .addOption(
      new Option(
        '--schedule <name>',
        'learning-rate schedule, stepped per epoch (cosine: η_e = η(1 + cos(πe/epochs))/2)',
      )
        .choices(scheduleNames)
        .default(TRAIN_DEFAULTS.schedule),
    )
    .option('--step-size <epochs>', 'step schedule: epochs between decays (default 1)')
    .option('--gamma <factor>', 'step schedule: decay factor (default 0.1)')
    .option('--clip-norm <c>', 'clip the global gradient norm to c')
    .option('--standardize', 'standardise features with the training mean and std (stored in the model)')
    .addOption(
      new OutputOption('--out <file>', 'where to write the trained model', {
        extensions: { '.json': 'model file' },
      }).default(TRAIN_DEFAULTS.out),
    )
    .addOption(
      new OutputOption('--plot <file>', 'also write the loss/accuracy curves as .svg or .png', {
        extensions: { '.svg': 'svg', '.png': 'png' },
      }),
    )
    .option(
      '--save-optimizer',
      'store the optimizer state in the model, for --resume (the default; kept for old scripts)',
    )
    .option('--no-save-optimizer', 'leave the optimizer state out of the model file (smaller; it cannot be resumed)')
    .addOption(
      new OutputOption(
        '--checkpoint <file>',
        'also write the model after every epoch, for --resume ({epoch} in the name: one file per epoch)',
        { placeholder: '{epoch}', extensions: { '.json': 'model file' } },
      ),
    )
    .addOption(
      new Option(
        '--kernels <which>',
        'matrix kernels: auto (native AVX-512/AVX2 where built, else WebAssembly SIMD; NABLA_KERNELS may name one), native, wasm or ref (plain TypeScript)',
      )
        .choices(['auto', 'native', 'wasm', 'ref'])
        .default('auto'),
    )
    .option(
      '--threads <n>',
      'threads for the large matrix products: auto (2 where a second core and shared memory ' +
        'exist, for products above a few MFLOP) or a number; 1 on a busy machine',
      'auto',
    )
    .option('--quiet', 'no progress bar and no charts')
    .action(async (opts: TrainOptions, cmd: Command) => {
      const given = new Set(
        cmd.options.map((o) => o.attributeName()).filter((k) => cmd.getOptionValueSource(k) === 'cli'),
      );
      return runTrain({ ...opts, optimizerGiven: given.has('optimizer'), given }, ctx);
    });
}

async function runTrain(opts: TrainOptions, ctx: CommandContext): Promise<void> {
  const t0 = performance.now();
  const seed = parseInteger('--seed', opts.seed, '1');
  if (opts.out === '-')
    throw new OptionError('--out -: train prints its progress on standard output; give the model a file name');
  const epochs = parseInteger('--epochs', opts.epochs, '5', { min: 1, max: 1_000_000 });
  if (opts.plot !== undefined && !/\.(svg|png)$/i.test(opts.plot))
    throw new OptionError(`--plot ${JSON.stringify(opts.plot)}: expected a file name ending in .svg or .png`);
  checkFlagCombinations(opts);
  const fitOpts = fitOptionsFromFlags(opts, epochs);
  // every output was checked before the command started (option-rules.ts): a late failure would lose the run
  if (opts.model && opts.layers)
    throw new OptionError('give either --layers (a new network) or --model (start from a model file), not both');
  if (opts.resume && (opts.model || opts.layers))
    throw new OptionError('--resume continues a saved model; do not combine it with --model or --layers');

  // The starting model, if any: its loss, classes and preprocessing carry over; with --resume also its run.
  const start = opts.resume ?? opts.model;
  const loaded = start
    ? await loadModelFile(ctx.resolve(start), { source: start, dtype: opts.dtype, training: opts.resume !== undefined })
    : undefined;
  if (opts.resume) {
    if (!loaded!.resumable)
      throw new OptionError(
        `--resume ${opts.resume}: the model has no optimizer state (it was saved with ` +
          '--no-save-optimizer, or not by nabla train); start anew from its weights with --model',
      );
    const saved = String(loaded!.training?.['optimizer'] ?? 'adam');
    if (opts.optimizerGiven && opts.optimizer !== saved) {
      throw new OptionError(
        `--optimizer ${opts.optimizer} conflicts with --resume ${opts.resume}, whose state is ` +
          `${saved}'s; resuming continues with ${saved} (leave out --optimizer, or start anew with --model)`,
      );
    }
    checkOptimizerFlags(opts, saved);
  }

  // which columns a CSV file's targets are: a regression only with the mse loss (given, or the model's)
  const lossHint = opts.loss ?? loaded?.loss;
  const task =
    opts.task ??
    (lossHint === 'mse' && opts.data !== 'mnist' && !opts.data.startsWith('synthetic:')
      ? 'regression'
      : 'classification');
  const { train, test } = trainingData(opts, task, seed, loaded?.classes);
  const model = loaded ?? (await newModel(opts, ctx, train, opts.loss, seed));

  const dataName = opts.data === 'mnist' ? 'the bundled MNIST digits' : opts.data;
  const count = (n: number) => n.toLocaleString('en-US');
  let total = epochs;
  fitOpts.onTrainBegin = (b: TrainBeginInfo) => {
    total = b.firstEpoch + epochs - 1;
    const held =
      `${b.validationSamples > 0 ? `, ${count(b.validationSamples)} held out for validation` : ''}` +
      `${test ? `, ${count(test.count)} held out for testing` : ''}`;
    ctx.print(
      `training ${model.bias ? 'affine ' : ''}network ${describeWidths(model)} on ${dataName} (${count(b.samples)} samples${held})`,
    );
    const plural = epochs === 1 ? '' : 's';
    ctx.print(
      `loss ${b.loss}, ${b.optimizer} η = ${b.learningRate} (${b.schedule}), batch ` +
        `${b.batchSize}, ${epochs} epoch${plural}, seed ${b.seed}, ${model.dtype}, kernels: ` +
        `${describeKernels(b.kernels)}`,
    );
  };
  const progress = opts.quiet ? undefined : createProgress(ctx.io.stderr, epochs);
  const records: ModelEpochInfo[] = []; // this run's epochs, with their timings
  fitOpts.onBatchEnd = (b) => progress?.batch(b);
  fitOpts.onEpochEnd = async (e) => {
    progress?.epochDone();
    records.push(e);
    ctx.print(epochLine(e, total));
    if (opts.checkpoint !== undefined) {
      const name = checkpointName(opts.checkpoint, e.epoch);
      await writeFileAtomic(ctx.resolve(name), e.snapshot(), name);
    }
  };
  let history: History | undefined;
  let divergence: DivergenceError | undefined;
  try {
    history = await model.fit(train, fitOpts);
  } catch (e) {
    if (!(e instanceof DivergenceError)) throw e;
    divergence = e; // the model keeps the last good weights
  } finally {
    progress?.stop();
  }

  if (history?.stopReason === 'early-stopping')
    ctx.print(
      `early stopping: no improvement for ${fitOpts.earlyStopping!.patience} epochs; restored the weights of epoch ${history.bestEpoch}`,
    );

  // Final metrics
  if (test) {
    const ev = model.evaluate(test, fitOpts.kernels !== undefined ? { kernels: fitOpts.kernels } : {});
    const acc = ev.accuracy !== undefined ? `, accuracy ${(100 * ev.accuracy).toFixed(2)}%` : '';
    ctx.print(`test: loss ${ev.loss.toFixed(4)}${acc} on ${count(ev.count)} held-out samples`);
  }
  const last = records[records.length - 1];
  if (last) {
    const acc = last.accuracy !== undefined ? `, accuracy ${(100 * last.accuracy).toFixed(2)}%` : '';
    ctx.print(`train: loss ${last.loss.toFixed(4)}${acc} (epoch ${last.epoch})`);
  }
  const trainSeconds = records.reduce((s, h) => s + h.seconds, 0);
  const samples = records.reduce((s, h) => s + h.samplesPerSecond * h.seconds, 0);
  ctx.print(
    `time: ${formatDuration(trainSeconds)} training ` +
      `(${Math.round(samples / Math.max(trainSeconds, 1e-9)).toLocaleString('en-US')} ` +
      `samples/s), ${formatDuration((performance.now() - t0) / 1000)} in all`,
  );

  // Save (the last good weights even after divergence); a diverged run never replaces a model that is already there
  const keepOld = divergence !== undefined && existsSync(ctx.resolve(opts.out));
  const out = keepOld ? divergedName(opts.out) : opts.out;
  await writeFileAtomic(ctx.resolve(out), model.serialize({ optimizer: opts.saveOptimizer !== false }), out);
  ctx.print(`model written to ${out}`);

  const all = model.history;
  if (!opts.quiet && all.length >= 2)
    ctx.print(terminalCurves(all, (ctx.io.stdout as { isTTY?: boolean }).isTTY === true));
  if (opts.plot) {
    await writeFileAtomic(
      ctx.resolve(opts.plot),
      await curvesFile(opts.plot, all, `nabla train: ${opts.data}`),
      opts.plot,
    );
    ctx.print(`curves written to ${opts.plot}`);
  }
  if (divergence) {
    const keptEpoch = divergence.details.keptEpoch;
    const kept = keptEpoch ? `the weights of epoch ${keptEpoch}` : 'the starting weights';
    // one line: the diagnosis, then where the last good weights went
    const why = cliAdvice(divergence.message).replace(/\.$/, '');
    throw new DataError(
      `${why}; training stopped, and ${kept} were written to ${out}` +
        (keepOld ? ` (${opts.out}, which was already there, is unchanged)` : ''),
    );
  }
}

/** The checkpoint file of an epoch: {epoch} in the name replaced by the epoch's number. */
export function checkpointName(spec: string, epoch: number): string {
  return spec.replaceAll('{epoch}', String(epoch));
}

/** model.json → model.diverged.json (the name a diverged run's weights get when --out already exists). */
export function divergedName(out: string): string {
  const dot = out.lastIndexOf('.');
  const slash = Math.max(out.lastIndexOf('/'), out.lastIndexOf('\\'));
  return dot > slash + 1 ? `${out.slice(0, dot)}.diverged${out.slice(dot)}` : `${out}.diverged`;
}
