/**
 * `nabla train`: train a network on the bundled MNIST digits, a CSV or IDX file, or a synthetic set, and save it.
 * Every step is the paper's recursion (Remark 3) seeded by the loss; see src/train/fit.ts.
 *
 *   nabla train                                   the default: 784-256-10 ReLU network on the bundled MNIST digits
 *   nabla train --data iris.csv --layers 4,16,3 --loss softmax-ce --optimizer adam --lr 0.01 --epochs 50 --standardize
 */
import { existsSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { DataError, OptionError } from 'nabla';
import type { ModelMeta, SaveableModel } from 'nabla';
import { checkWritable, saveModel, writeFileAtomic } from 'nabla/node';
import { loadModelArg } from '../model-file.js';
import { fromHomogeneous, initSchemes } from 'nabla/paper';
import { defaultLoss, evaluateDataset, fit, getLoss, lossNames, optimizerNames, scheduleNames, type EpochRecord, type LossName } from 'nabla/train';
import { cliAdvice } from '../advice.js';
import type { CommandContext } from '../context.js';
import { selectKernels } from '../kernels.js';
import { parseInteger } from '../options.js';
import { curvesFile, terminalCurves } from '../plot.js';
import { createProgress, epochLine, formatDuration } from '../progress.js';
import { trainingData } from '../train/data.js';
import { fitOptionsFromFlags } from '../train/fit-options.js';
import { describeWidths, dropFormalRows, historyOf, recordForFile } from '../train/history.js';
import { startingNetwork } from '../train/network.js';
import { checkFlagCombinations, checkOptimizerFlags, TRAIN_DEFAULTS, type TrainOptions } from '../train/options.js';

export { TRAIN_DEFAULTS };

export function register(program: Command, ctx: CommandContext): void {
  program
    .command('train')
    .summary('train a network and save it (default: 784-256-10 on the bundled MNIST digits)')
    .description(
      'Train a network with the recursion of Remark 3 on the bundled MNIST digits, a CSV file, an IDX file or a synthetic set, then save it. ' +
        'With no options: an affine 784-256-10 ReLU network, softmax cross-entropy, Adam (η = 0.003, cosine schedule, batch 64, 15 epochs), on 8,000 digits, tested on the other 2,000.',
    )
    .option('--data <spec>', 'mnist, FILE.csv, FILE.idx[.gz] (IDX images; labels found by name), or synthetic:NAME (xor, circles, spiral, gaussians, moons)', TRAIN_DEFAULTS.data)
    .option('--test <spec>', 'held-out test data (same kinds as --data); mnist brings its own 2,000 digits')
    .option('--target <name>', 'CSV: the target column (default: the last column; without a header row, its number)')
    .option('--header', 'CSV: the first row is a header (default: detected: a first row of numbers only is data)')
    .option('--no-header', 'CSV: there is no header row; the columns are numbered 1, 2, …')
    .addOption(new Option('--task <task>', 'CSV: classification or regression (default: regression for --loss mse, else classification)').choices(['classification', 'regression']))
    .option('--layers <widths>', 'widths n_0,…,n_k of a new network (with the default --affine, the genuine widths m_0,…,m_k); default: inputs,256,outputs')
    .option('--activation <spec>', 'hidden-layer activation (the last layer is identity), or a full per-layer spec like "relu;identity"', TRAIN_DEFAULTS.activation)
    .option('--no-affine', 'a homogeneous network without biases (the default is affine: biases as in paper §3)')
    .addOption(new Option('--init <scheme>', 'initialisation of a new network').choices(initSchemes).default('he'))
    .option('--model <file>', 'start from exactly the weights of this model file instead of --layers')
    .option('--resume <file>', 'continue training a model saved with --save-optimizer (weights, optimizer state, epoch count)')
    .addOption(new Option('--loss <loss>', 'loss (default: softmax-ce for classification, mse for regression)').choices(lossNames))
    .addOption(new Option('--optimizer <name>', 'optimizer').choices(optimizerNames).default(TRAIN_DEFAULTS.optimizer))
    .option('--lr <rate>', 'learning rate η (default: 0.003 for adam/adamw, 0.01 for sgd)')
    .option('--momentum <mu>', 'sgd momentum μ')
    .option('--nesterov', 'sgd: Nesterov momentum')
    .option('--weight-decay <lambda>', 'weight decay λ (L2 for sgd/adam, decoupled for adamw)')
    .option('--batch-size <n>', 'mini-batch size B', String(TRAIN_DEFAULTS.batchSize))
    .option('--epochs <n>', 'epochs', String(TRAIN_DEFAULTS.epochs))
    .option('--seed <int>', 'seed of everything random (initial weights, shuffles, validation split)', String(TRAIN_DEFAULTS.seed))
    .option('--no-shuffle', 'keep the data order (no reshuffle each epoch)')
    .addOption(new Option('--dtype <dtype>', 'training precision').choices(['float32', 'float64']).default('float32'))
    .option('--validation-split <fraction>', 'hold out this fraction of the training data for validation')
    .option('--patience <epochs>', 'early stopping: stop when the validation loss has not improved for this many epochs (restores the best weights)')
    .addOption(new Option('--schedule <name>', 'learning-rate schedule, stepped per epoch (cosine: η_e = η(1 + cos(πe/epochs))/2)').choices(scheduleNames).default(TRAIN_DEFAULTS.schedule))
    .option('--step-size <epochs>', 'step schedule: epochs between decays (default 1)')
    .option('--gamma <factor>', 'step schedule: decay factor (default 0.1)')
    .option('--clip-norm <c>', 'clip the global gradient norm to c')
    .option('--standardize', 'standardise features with the training mean and std (stored in the model)')
    .option('--out <file>', 'where to write the trained model', TRAIN_DEFAULTS.out)
    .option('--plot <file>', 'also write the loss/accuracy curves as .svg or .png')
    .option('--save-optimizer', 'store the optimizer state in the model (for --resume)')
    .addOption(new Option('--kernels <which>', 'matrix kernels: auto (native AVX-512/AVX2 where built, else WebAssembly SIMD; NABLA_KERNELS may name one), native, wasm or ref (plain TypeScript)').choices(['auto', 'native', 'wasm', 'ref']).default('auto'))
    .option('--threads <n>', 'threads for the large matrix products: auto (2 where a second core and shared memory exist, for products above a few MFLOP) or a number; 1 on a busy machine', 'auto')
    .option('--quiet', 'no progress bar and no charts')
    .action(async (opts: TrainOptions, cmd: Command) => runTrain({ ...opts, optimizerGiven: cmd.getOptionValueSource('optimizer') === 'cli' }, ctx));
}

async function runTrain(opts: TrainOptions, ctx: CommandContext): Promise<void> {
  const t0 = performance.now();
  const seed = parseInteger('--seed', opts.seed, '1');
  if (opts.out === '-') throw new OptionError('--out -: train prints its progress on standard output; give the model a file name');
  const epochs = parseInteger('--epochs', opts.epochs, '5', { min: 1, max: 1_000_000 });
  const batchSize = parseInteger('--batch-size', opts.batchSize, '64', { min: 1, max: 1_000_000 });
  if (opts.plot !== undefined && !/\.(svg|png)$/i.test(opts.plot)) throw new OptionError(`--plot ${JSON.stringify(opts.plot)}: expected a file name ending in .svg or .png`);
  checkFlagCombinations(opts);
  // every output is checked before the data are read or a step is taken: a late failure would lose the run
  await checkWritable(ctx.resolve(opts.out), opts.out);
  if (opts.plot !== undefined) await checkWritable(ctx.resolve(opts.plot), opts.plot);
  if (opts.model && opts.layers) throw new OptionError('give either --layers (a new network) or --model (start from a model file), not both');
  if (opts.resume && (opts.model || opts.layers)) throw new OptionError('--resume continues a saved model; do not combine it with --model or --layers');

  // The starting model, if any: its loss, classes and preprocessing carry over.
  const start = opts.resume ?? opts.model;
  const loaded = start ? await loadModelArg(ctx, start) : undefined;
  if (opts.resume && !loaded!.meta.optimizer) throw new OptionError(`--resume ${opts.resume}: the model has no optimizer state; save it with --save-optimizer`);
  const saved = opts.resume ? loaded!.meta.optimizer!.name : undefined;
  if (saved !== undefined && opts.optimizerGiven && opts.optimizer !== saved) {
    throw new OptionError(`--optimizer ${opts.optimizer} conflicts with --resume ${opts.resume}, whose state is ${saved}'s; resuming continues with ${saved} (leave out --optimizer, or start anew with --model)`);
  }
  if (saved !== undefined) checkOptimizerFlags(opts, saved);

  // the library's one default-loss policy; a network made here ends in one identity neuron per class (n_k ≥ 2)
  const loss: LossName = opts.loss ?? loaded?.meta.loss ?? defaultLoss(opts.task === 'regression' ? 'regression' : 'classification', 2, true);
  const task = opts.task ?? (loss === 'mse' && opts.data !== 'mnist' && !opts.data.startsWith('synthetic:') ? 'regression' : 'classification');

  const { train, validation, test, standardizer } = trainingData(opts, task, seed, loaded);
  const { net, affine } = await startingNetwork(opts, ctx, train, loss, seed, loaded);
  const fitOpts = fitOptionsFromFlags(opts, { loss, batchSize, epochs, seed, affine, net, validation, loaded });
  const kernels = await selectKernels(opts.kernels, opts.threads, opts.dtype);
  if (kernels.kernels) fitOpts.kernels = kernels.kernels;

  const dataName = opts.data === 'mnist' ? 'the bundled MNIST digits' : opts.data;
  const lossOf = getLoss(loss);
  ctx.print(
    `training ${affine ? 'affine ' : ''}network ${describeWidths(net, affine)} on ${dataName} (${train.count.toLocaleString('en-US')} samples${validation ? `, ${validation.count.toLocaleString('en-US')} held out for validation` : ''}${test ? `, ${test.count.toLocaleString('en-US')} held out for testing` : ''})`,
  );
  ctx.print(
    `loss ${loss}, ${fitOpts.optimizer} η = ${fitOpts.learningRate} (${opts.schedule}), batch ${batchSize}, ${epochs} epoch${epochs === 1 ? '' : 's'}, seed ${seed}, ${opts.dtype}, kernels: ${kernels.description}`,
  );
  if (kernels.notice) ctx.io.stderr.write(`${kernels.notice}\n`);

  const progress = opts.quiet ? undefined : createProgress(ctx.io.stderr, epochs);
  fitOpts.onBatchEnd = (b) => progress?.batch(b);
  fitOpts.onEpochEnd = (e) => {
    progress?.epochDone();
    ctx.print(epochLine(e, fitOpts.firstEpoch ? fitOpts.firstEpoch + epochs - 1 : epochs));
  };
  let result: ReturnType<typeof fit>;
  try {
    result = fit(net, train, fitOpts);
  } finally {
    progress?.stop();
    (kernels.kernels as { close?: () => void } | undefined)?.close?.();
  }

  const history: EpochRecord[] = [...historyOf(loaded?.meta.history), ...result.history];
  if (result.divergence) ctx.io.stderr.write(`nabla train: ${cliAdvice(result.divergence.message)}\n`);
  if (result.stopReason === 'early-stopping') ctx.print(`early stopping: no improvement for ${fitOpts.earlyStopping!.patience} epochs; restored the weights of epoch ${result.bestEpoch}`);

  // Final metrics
  if (test) {
    const ev = evaluateDataset(result.network, test, lossOf, { affine, ...(fitOpts.kernels ? { kernels: fitOpts.kernels } : {}) });
    const acc = ev.accuracy !== undefined ? `, accuracy ${(100 * ev.accuracy).toFixed(2)}%` : '';
    ctx.print(`test: loss ${ev.loss.toFixed(4)}${acc} on ${ev.count.toLocaleString('en-US')} held-out samples`);
  }
  const last = result.history[result.history.length - 1];
  if (last) {
    const acc = last.accuracy !== undefined ? `, accuracy ${(100 * last.accuracy).toFixed(2)}%` : '';
    ctx.print(`train: loss ${last.loss.toFixed(4)}${acc} (epoch ${last.epoch})`);
  }
  const trainSeconds = result.history.reduce((s, h) => s + h.seconds, 0);
  const samples = result.history.reduce((s, h) => s + h.samplesPerSecond * h.seconds, 0);
  ctx.print(`time: ${formatDuration(trainSeconds)} training (${Math.round(samples / Math.max(trainSeconds, 1e-9)).toLocaleString('en-US')} samples/s), ${formatDuration((performance.now() - t0) / 1000)} in all`);

  // Save (the last good weights even after divergence)
  const meta: ModelMeta = {
    dtype: opts.dtype,
    loss,
    history: history.map((h) => recordForFile(h)),
    training: {
      data: opts.data,
      optimizer: fitOpts.optimizer!,
      learningRate: fitOpts.learningRate!,
      schedule: opts.schedule,
      batchSize,
      seed,
      shuffle: opts.shuffle,
      stopReason: result.stopReason,
    },
  };
  if (train.classes) meta.classes = train.classes as string[] | number[];
  if (standardizer) meta.preprocessing = { standardize: standardizer };
  if (opts.saveOptimizer) meta.optimizer = affine ? dropFormalRows(result.optimizerState) : result.optimizerState;
  const model: SaveableModel = affine ? { affine: fromHomogeneous(result.network), meta } : { network: result.network, meta };
  // a diverged run never replaces a model that is already there: its fallback weights go beside it
  const keepOld = result.divergence !== undefined && existsSync(ctx.resolve(opts.out));
  const out = keepOld ? divergedName(opts.out) : opts.out;
  await saveModel(ctx.resolve(out), model);
  ctx.print(`model written to ${out}`);

  if (!opts.quiet && history.length >= 2) ctx.print(terminalCurves(history, (ctx.io.stdout as { isTTY?: boolean }).isTTY === true));
  if (opts.plot) {
    await writeFileAtomic(ctx.resolve(opts.plot), await curvesFile(opts.plot, history, `nabla train: ${opts.data}`), opts.plot);
    ctx.print(`curves written to ${opts.plot}`);
  }
  if (result.divergence) {
    const kept = result.divergence.details.keptEpoch ? `the weights of epoch ${result.divergence.details.keptEpoch}` : 'the starting weights';
    throw new DataError(`training stopped (diverged); ${kept} were written to ${out}${keepOld ? ` (${opts.out}, which was already there, is unchanged)` : ''}`);
  }
}

/** model.json → model.diverged.json (the name a diverged run's weights get when --out already exists). */
export function divergedName(out: string): string {
  const dot = out.lastIndexOf('.');
  const slash = Math.max(out.lastIndexOf('/'), out.lastIndexOf('\\'));
  return dot > slash + 1 ? `${out.slice(0, dot)}.diverged${out.slice(dot)}` : `${out}.diverged`;
}

