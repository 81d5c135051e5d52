/**
 * The training run's Web Worker: it holds the library's `Model` (built by `createModel` from the Training view's
 * network) and trains it one epoch per frame on the WebAssembly SIMD kernels (the reference kernels where SIMD is
 * missing; the page shows which). Between epochs it answers the page's messages (protocol.ts) and about ten times
 * a second posts the losses, the weights and the maps.
 */
import { createModel, type Model, type ModelMeta, serializeModel } from 'nabla';
import { createWasmKernels, type Kernels } from 'nabla/train';
import { compileAll } from '../custom-activation.js';
import { featureLabels, parseFeatures } from '../features.js';
import { parseHidden } from '../model.js';
import {
  dataError,
  type GridInputs,
  gridFor,
  gridInputs,
  lossWhy,
  makeData,
  maps,
  networkUnits,
  type TrainingData,
} from './data.js';
import type { FromWorker, Progress, ToWorker, TrainConfig } from './protocol.js';

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

/** (x, y) of a data set as the model takes them: flat samples, and class labels or numeric targets. */
interface Samples {
  x: Float64Array;
  y: (string | number)[] | Float64Array;
}

interface Session {
  config: TrainConfig;
  /** The untrained model (Reset goes back to a copy of it) and the one training. */
  start: Model;
  model: Model;
  data: TrainingData;
  train: Samples;
  test: Samples;
  /** The largest |target| (regression's colour scale); undefined for classification. */
  scale: number | undefined;
  /** Epochs trained since the start or the last reset (the seed of the next epoch's shuffle is 1000 + epoch). */
  epoch: number;
  grid: GridInputs | undefined;
}

let session: Session | undefined;
let running = false;
let looping = false;
const MAX_EPOCHS = 100_000;
const FRAME_MS = 16;

function post(m: FromWorker, transfer?: Transferable[]): void {
  port.postMessage(m, transfer);
}

function samples(ds: TrainingData['train'], classes: readonly (string | number)[] | undefined): Samples {
  const x = Float64Array.from(ds.x);
  if (ds.task === 'classification') return { x, y: Array.from(ds.labels!, (l) => classes![l]!) };
  return { x, y: Float64Array.from(ds.targets!) };
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
  const all = data.all;
  // n_0: the features; n_k: one output for two classes or a target, one per class otherwise
  const classCount = all.task === 'classification' ? all.classes!.length : 0;
  const widths = [data.train.inputs, ...hidden.value, classCount > 2 ? classCount : 1];
  const act = config.network.act;
  const acts = [
    ...hidden.value.map((w) => Array.from({ length: w }, () => act)),
    Array.from({ length: widths[widths.length - 1]! }, () => 'identity'),
  ];
  const classes = all.classes
    ? all.classes.every((c) => typeof c === 'number')
      ? all.classes
      : all.classes.map(String)
    : undefined;
  const affine = config.network.biases;
  let model: Model;
  try {
    const options = {
      inputs: widths[0]!,
      layers: [
        ...hidden.value.map((units) => ({ units, activation: act })),
        { units: widths[widths.length - 1]!, activation: 'identity' },
      ],
      bias: affine,
      seed: config.network.seed,
      init: config.network.init,
      activations: extra,
      ...(classes ? { classes } : {}),
      ...(data.standardizer ? { inputScaling: data.standardizer } : {}),
    };
    // the loss the model would choose for this data, fixed from the start (the page says which and why)
    model = createModel({ ...options, loss: createModel(options).lossFor(all.task) });
  } catch (e) {
    post({ type: 'error', field: 'network', message: dataError(e) });
    return;
  }
  const loss = model.loss!;
  const points = all.inputs === 2 ? networkUnits(all.x, 2, data.standardizer) : undefined;
  const grid = points ? gridFor(points, all.count, config.data.kind === 'synthetic') : undefined;
  let scale: number | undefined;
  if (all.targets) {
    scale = 0;
    for (const y of all.targets) scale = Math.max(scale, Math.abs(y));
    if (!(scale > 0)) scale = 1;
  }
  session = {
    config,
    start: model.clone(),
    model,
    data,
    train: samples(data.train, classes),
    test: samples(data.test, classes),
    scale,
    epoch: 0,
    grid: grid ? gridInputs(grid, model.homogeneous(), affine, data.features, data.standardizer) : undefined,
  };
  post({
    type: 'ready',
    affine,
    widths,
    acts,
    inputs: data.features
      ? data.features.map((f) => featureLabels[f])
      : (all.featureNames ?? Array.from({ length: widths[0]! }, (_, j) => `x${j + 1}`)),
    kernels: kernelsName,
    loss,
    lossWhy: lossWhy(model.homogeneous(), all.task, loss),
    task: all.task,
    points: points ? Float32Array.from(points) : undefined,
    labels: all.labels,
    targets: all.targets ? Float32Array.from(all.targets) : undefined,
    scale: scale ?? 1,
    isTrain: data.isTrain,
    classes: classCount,
    grid,
    summary: data.summary,
    sample: Array.from(networkUnits(data.train.x.subarray(0, data.train.inputs), data.train.inputs, data.standardizer)),
  });
  postProgress();
}

/** Trains one more epoch; false when training failed or diverged (then the message is posted). */
function trainEpoch(): boolean {
  const s = session;
  if (!s) return false;
  const h = s.config.hyper;
  try {
    const history = s.model.fitSync(s.train.x, s.train.y, {
      optimizer: h.opt,
      ...(h.reg !== 'none' ? { regularization: { kind: h.reg, rate: h.rate } } : {}),
      learningRate: h.lr,
      batchSize: h.batch,
      epochs: 1,
      seed: 1000 + s.epoch,
      ...(kernels ? { kernels } : {}),
    });
    s.epoch = s.model.epochs;
    return history.epoch.length >= 0;
  } catch (e) {
    s.epoch = s.model.epochs; // a diverged run (DivergenceError) keeps its last good weights and their epoch
    post({ type: 'error', field: 'train', message: dataError(e) });
    return false;
  }
}

function postProgress(): void {
  const s = session;
  if (!s) return;
  const tr = s.model.evaluate(s.train.x, s.train.y);
  const te = s.model.evaluate(s.test.x, s.test.y);
  const m = s.grid ? maps(s.model, s.grid, s.scale, kernels) : { output: { kind: 'none' as const }, neurons: {} };
  const net = s.model.homogeneous();
  const msg: Progress = {
    type: 'progress',
    epoch: s.epoch,
    trainLoss: tr.loss,
    testLoss: te.loss,
    trainAccuracy: tr.accuracy,
    testAccuracy: te.accuracy,
    running,
    W: net.W.indices().map((i) => net.W.get(i).toRows()),
    output: m.output,
    neurons: m.neurons,
  };
  post(
    msg,
    Object.values(m.neurons).map((a) => a.buffer as ArrayBuffer),
  );
}

/** One epoch per frame (about 60 a second, as TensorFlow Playground), the maps about ten times a second. */
async function loop(): Promise<void> {
  if (looping) return;
  looping = true;
  let lastPost = 0;
  while (running && session) {
    const t0 = performance.now();
    const ok = trainEpoch();
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

/** The model file, with how it was trained in its meta. */
function exportModel(): void {
  const s = session;
  if (!s) return;
  const h = s.config.hyper;
  const m = s.model;
  const meta: ModelMeta = {
    description: `trained in the nabla explorer on ${s.config.data.name} for ${s.epoch} epochs`,
    loss: m.loss!,
    training: {
      dataset: s.config.data.name,
      epochs: s.epoch,
      learningRate: h.lr,
      batchSize: h.batch,
      optimizer: h.opt,
    },
  };
  if (m.classes) meta.classes = m.classes as string[] | number[];
  if (m.inputScaling)
    meta.preprocessing = { standardize: { mean: [...m.inputScaling.mean], std: [...m.inputScaling.std] } };
  try {
    const affine = m.affine();
    post({
      type: 'model',
      text: affine ? serializeModel({ affine, meta }) : serializeModel({ network: m.homogeneous(), meta }),
    });
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
          // a new optimizer starts fresh: the model's weights and loss, without the old optimizer's state
          if (session.config.hyper.opt !== m.hyper.opt) session.model = session.model.clone();
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
        if (trainEpoch()) postProgress();
        post({ type: 'state', running });
        break;
      case 'reset':
        running = false;
        if (session) {
          session.model = session.start.clone();
          session.epoch = 0;
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
          try {
            session.model.setWeight(m.i, m.r, m.c, m.value);
          } catch {
            return; // an edge that is not a weight (the page offers none)
          }
          postProgress();
        }
        break;
    }
  });
};
