/**
 * The browser row of `npm run bench`: nabla's training step in a Web Worker of Chromium, on the same data, order,
 * init and hyperparameters as the Node rows (bench/nabla-setup.ts). The page (browser-child.ts serves it
 * cross-origin isolated, so two threads can share memory) posts the data files; the worker posts the epoch times.
 */
import { createWasmKernels } from '../../packages/nabla/src/kernels/wasm/index.js';
import { type FitOptions, fit } from '../../packages/nabla/src/train/fit.js';
import { ADAM, type DataFiles, LR, type OptimizerKind, type TaskSpec, wantsAnotherEpoch } from '../common.js';
import { datasets, sharedNetwork } from '../nabla-setup.js';

interface Job {
  task: TaskSpec;
  optimizer: OptimizerKind;
  threads: number;
  data: DataFiles;
  init: Float32Array[];
}

const scope = globalThis as unknown as { onmessage: (e: { data: Job }) => void; postMessage: (m: unknown) => void };

scope.onmessage = async (e) => {
  try {
    const { task, optimizer, threads, data, init } = e.data;
    const { train, test } = datasets(data);
    const net = sharedNetwork(task, init);
    const kernels = await createWasmKernels({ relaxed: true, threads });
    const t0 = performance.now();
    const opts: FitOptions = {
      loss: 'softmax-ce',
      ...(optimizer === 'sgd'
        ? { optimizer: 'sgd', learningRate: LR.sgd }
        : { optimizer: 'adam', learningRate: LR.adam, optimizerOptions: { ...ADAM } }),
      batchSize: task.batch,
      epochs: 1 + task.maxTimed,
      shuffle: false,
      affine: true,
      validation: test,
      kernels,
      onEpochEnd: (info) => {
        if (!wantsAnotherEpoch(task, info.epoch, (performance.now() - t0) / 1000)) info.stop();
      },
    };
    const r = fit(net, train, opts);
    const label = `${kernels.threads}${kernels.threadsNote ? ` (${kernels.threadsNote})` : ''}`;
    await kernels.close?.();
    scope.postMessage({
      ok: true,
      epochSeconds: r.history.map((h) => h.seconds),
      epoch1Loss: r.history[0]!.loss,
      testAccuracy: r.history[task.accuracyEpoch - 1]?.valAccuracy,
      threads: label,
      crossOriginIsolated: (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true,
    });
  } catch (err) {
    scope.postMessage({ ok: false, error: String((err as Error).stack ?? err) });
  }
};
