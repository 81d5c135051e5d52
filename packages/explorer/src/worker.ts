/**
 * Training off the page's main thread: the library's `fit` (the paper's recursion seeded by the loss) on the
 * WebAssembly SIMD kernels, or on the reference kernels when SIMD is missing (the page shows which). The
 * worker runs one epoch per frame, answers the page's messages between epochs (play, pause, step, reset, new
 * settings) and posts the losses, the weights and the output maps about ten times a second.
 */
import { type Kernels, createWasmKernels, evaluateDataset, fit, getLoss, type LossName } from 'nabla/train';
import { type Matrix, type Network, fromHomogeneous } from 'nabla/paper';
import type { OptimizerState as TrainingOptimizerState } from 'nabla/train';
import { serializeModel, type ModelMeta } from 'nabla';
import { compileAll } from './custom-activation.js';
import { parseFeatures, featureLabels } from './features.js';
import { buildNetwork, parseHidden } from './model.js';
import type { FromWorker, Grid, Progress, ToWorker, TrainConfig } from './protocol.js';
import { chooseLoss, dataError, gridFor, gridInputs, makeData, maps, type TrainingData } from './training.js';

interface Port {
  postMessage(message: FromWorker, transfer?: Transferable[]): void;
  onmessage: ((e: MessageEvent<ToWorker>) => void) | null;
}
const port = self as unknown as Port;

let kernels: Kernels | undefined;
let kernelsName = 'reference TypeScript kernels';
const kernelsReady = createWasmKernels({ threads: 1 }).then(
  (k) => {
    kernels = k;
    kernelsName = k.relaxed ? 'WebAssembly SIMD kernels (relaxed FMA)' : 'WebAssembly SIMD kernels';
  },
  (e: unknown) => {
    kernelsName = `reference TypeScript kernels (WebAssembly SIMD unavailable: ${e instanceof Error ? e.message : String(e)})`;
  },
);

interface Session {
  config: TrainConfig;
  start: Network;
  net: Network;
  affine: boolean;
  data: TrainingData;
  loss: LossName;
  /** 0 for regression. */
  classes: number;
  /** The largest |target| (regression's colour scale). */
  scale: number;
  epoch: number;
  optimizer: TrainingOptimizerState | undefined;
  grid: Grid | undefined;
  gridX: Matrix | undefined;
}

let session: Session | undefined;
let running = false;
let looping = false;
const MAX_EPOCHS = 100_000;
const FRAME_MS = 16;

function post(m: FromWorker, transfer?: Transferable[]): void {
  port.postMessage(m, transfer);
}

function configure(config: TrainConfig): void {
  running = false;
  session = undefined;
  const { extra, errors } = compileAll(config.network.custom);
  if (errors.size > 0) {
    post({ type: 'error', field: 'network', message: `custom activation: ${[...errors.values()][0]}` });
    return;
  }
  const hidden = parseHidden(config.network.hidden);
  if (!hidden.ok) {
    post({ type: 'error', field: 'network', message: hidden.message });
    return;
  }
  const features = parseFeatures(config.features);
  if (!features.ok) {
    post({ type: 'error', field: 'data', message: features.message });
    return;
  }
  let data: TrainingData;
  try {
    data = makeData(config, features.value);
  } catch (e) {
    post({ type: 'error', field: 'data', message: dataError(e) });
    return;
  }
  // n_0: the features; n_k: one output for two classes or a target, one per class otherwise
  const classes = data.all.task === 'classification' ? data.all.classes!.length : 0;
  const widths = [data.train.inputs, ...hidden.value, classes > 2 ? classes : 1];
  const act = [...hidden.value.map(() => config.network.act), 'identity'].join(';');
  const net0 = config.network;
  const nb = buildNetwork({ widths: widths.join(', '), act, affine: net0.biases, seed: net0.seed, init: net0.init, w: '' }, extra);
  if (!nb.ok) {
    post({ type: 'error', field: 'network', message: nb.message });
    return;
  }
  const { loss, why } = chooseLoss(nb.net, data.all);
  const net = nb.net.as('float32');
  const grid = gridFor(data.all, config.data.kind === 'synthetic');
  const affine = net0.biases;
  let scale = 0;
  if (data.all.targets) for (const y of data.all.targets) scale = Math.max(scale, Math.abs(y));
  if (!(scale > 0)) scale = 1;
  session = {
    config,
    start: net,
    net,
    affine,
    data,
    loss,
    classes,
    scale,
    epoch: 0,
    optimizer: undefined,
    grid,
    gridX: grid ? gridInputs(grid, net, affine, data.features) : undefined,
  };
  const points = data.all.inputs === 2 ? Float32Array.from(data.all.x) : undefined;
  const first = Array.from(data.train.x.subarray(0, data.train.inputs));
  post({
    type: 'ready',
    affine,
    widths,
    acts: nb.acts,
    inputs: data.features ? data.features.map((f) => featureLabels[f]) : (data.all.featureNames ?? widths.slice(0, 1).flatMap((n) => Array.from({ length: n }, (_, j) => `x${j + 1}`))),
    kernels: kernelsName,
    loss,
    lossWhy: why,
    task: data.all.task,
    points,
    labels: data.all.labels,
    targets: data.all.targets ? Float32Array.from(data.all.targets) : undefined,
    scale,
    isTrain: data.isTrain,
    classes,
    grid,
    summary: data.summary,
    sample: first,
  });
  postProgress();
}

/** Trains `epochs` more epochs; false when training diverged (then the message is posted). */
function train(epochs: number): boolean {
  const s = session;
  if (!s) return false;
  const h = s.config.hyper;
  try {
    const r = fit(s.net, s.data.train, {
      loss: s.loss,
      optimizer: h.opt,
      ...(h.reg !== 'none' ? { regularization: { kind: h.reg, rate: h.rate } } : {}),
      learningRate: h.lr,
      batchSize: h.batch,
      epochs,
      seed: 1000 + s.epoch,
      affine: s.affine,
      firstEpoch: s.epoch + 1,
      ...(kernels ? { kernels } : {}),
      ...(s.optimizer ? { resume: s.optimizer } : {}),
    });
    s.net = r.network;
    s.optimizer = r.optimizerState;
    s.epoch += r.history.length;
    if (r.stopReason === 'diverged') {
      post({ type: 'error', field: 'train', message: r.divergence?.message ?? 'training diverged' });
      return false;
    }
    return true;
  } catch (e) {
    post({ type: 'error', field: 'train', message: dataError(e) });
    return false;
  }
}

function postProgress(): void {
  const s = session;
  if (!s) return;
  const lossFn = getLoss(s.loss);
  const opts = { affine: s.affine, ...(kernels ? { kernels } : {}) };
  const tr = evaluateDataset(s.net, s.data.train, lossFn, opts);
  const te = evaluateDataset(s.net, s.data.test, lossFn, opts);
  const m = s.gridX ? maps(s.net, s.gridX, s.loss, s.classes, s.scale, kernels) : { output: { kind: 'none' as const }, neurons: {} };
  const msg: Progress = {
    type: 'progress',
    epoch: s.epoch,
    trainLoss: tr.loss,
    testLoss: te.loss,
    trainAccuracy: tr.accuracy,
    testAccuracy: te.accuracy,
    running,
    W: s.net.W.indices().map((i) => s.net.W.get(i).toRows()),
    output: m.output,
    neurons: m.neurons,
  };
  post(msg, Object.values(m.neurons).map((a) => a.buffer as ArrayBuffer));
}

/** One epoch per frame (about 60 a second, as TensorFlow Playground), the maps about ten times a second. */
async function loop(): Promise<void> {
  if (looping) return;
  looping = true;
  let lastPost = 0;
  while (running && session) {
    const t0 = performance.now();
    const ok = train(1);
    if (!ok || session.epoch >= MAX_EPOCHS) {
      running = false;
      post({ type: 'state', running });
    }
    if (!running || performance.now() - lastPost > 90) {
      postProgress();
      lastPost = performance.now();
    }
    const wait = Math.max(0, FRAME_MS - (performance.now() - t0));
    await new Promise((r) => setTimeout(r, wait)); // and let the page's messages in
  }
  looping = false;
}

function exportModel(): void {
  const s = session;
  if (!s) return;
  const h = s.config.hyper;
  const all = s.data.all;
  const meta: ModelMeta = {
    description: `trained in the nabla explorer on ${s.config.data.name} for ${s.epoch} epochs`,
    loss: s.loss,
    training: { dataset: s.config.data.name, epochs: s.epoch, learningRate: h.lr, batchSize: h.batch, optimizer: h.opt },
  };
  if (all.classes) meta.classes = all.classes.every((c) => typeof c === 'number') ? (all.classes as number[]) : all.classes.map(String);
  if (s.data.standardizer) meta.preprocessing = { standardize: { mean: [...s.data.standardizer.mean], std: [...s.data.standardizer.std] } };
  try {
    const text = s.affine ? serializeModel({ affine: fromHomogeneous(s.net), meta }) : serializeModel({ network: s.net, meta });
    post({ type: 'model', text });
  } catch (e) {
    post({ type: 'error', field: 'train', message: dataError(e) });
  }
}

port.onmessage = (e) => {
  const m = e.data;
  void kernelsReady.then(() => {
    switch (m.type) {
      case 'configure':
        configure(m.config);
        break;
      case 'hyper':
        if (session) {
          if (session.config.hyper.opt !== m.hyper.opt) session.optimizer = undefined; // a new optimizer starts fresh
          session.config = { ...session.config, hyper: m.hyper };
        }
        break;
      case 'play':
        if (!session) return;
        running = true;
        post({ type: 'state', running });
        void loop();
        break;
      case 'pause':
        running = false;
        post({ type: 'state', running });
        postProgress(); // the weights as they are now (the last progress may be a few epochs old)
        break;
      case 'step':
        running = false;
        if (train(1)) postProgress();
        post({ type: 'state', running });
        break;
      case 'reset':
        running = false;
        if (session) {
          session.net = session.start;
          session.epoch = 0;
          session.optimizer = undefined;
        }
        post({ type: 'state', running });
        postProgress();
        break;
      case 'export':
        exportModel();
        break;
      case 'setWeight':
        if (session) {
          // a weight changed by hand: the network keeps training from there (as in TensorFlow Playground)
          const net = session.net.clone();
          const W = net.W.get(m.i);
          if (m.r < W.rows && m.c < W.cols) W.set(m.r, m.c, m.value);
          session.net = net;
          postProgress();
        }
        break;
    }
  });
};
