// examples/xor.ts: run with npx tsx examples/xor.ts
import { createModel } from 'nabla';

const x = [
  [0, 0],
  [0, 1],
  [1, 0],
  [1, 1],
];
const y = [0, 1, 1, 0];
const model = createModel({ inputs: 2, layers: [{ units: 8, activation: 'tanh' }, { units: 1 }] });
const history = await model.fit(x, y, { epochs: 500, batchSize: 4, learningRate: 0.05 });

console.log('loss', history.history.loss.at(-1)!.toFixed(5), 'on', history.kernels.name);
console.log(
  model.predict(x).map(([p]) => p!.toFixed(3)),
  model.predictClasses(x),
);
