// examples/browser: npx vite examples/browser — trains in the page without freezing it (fit yields between
// batches), reports the kernels it chose, and keeps the model in localStorage.
import { createModel, loadFromLocalStorage, type Model, saveToLocalStorage } from 'nabla';

const out = document.querySelector<HTMLPreElement>('#out')!;
const x = [
  [0, 0],
  [0, 1],
  [1, 0],
  [1, 1],
];
const y = [0, 1, 1, 0];
let model: Model = createModel({ inputs: 2, layers: [{ units: 8, activation: 'tanh' }, { units: 1 }] });

document.querySelector('#train')!.addEventListener('click', async () => {
  const history = await model.fit(x, y, {
    epochs: 500,
    batchSize: 4,
    learningRate: 0.05,
    onEpochEnd: ({ epoch, loss }) => {
      if (epoch % 50 === 0) out.textContent = `epoch ${epoch}: loss ${loss.toFixed(5)}`;
    },
  });
  out.textContent += `\n${history.kernels.name}, ${history.kernels.threads} thread(s)\n${JSON.stringify(model.predict(x))}`;
});
document.querySelector('#save')!.addEventListener('click', () => saveToLocalStorage(model, 'xor'));
document.querySelector('#load')!.addEventListener('click', () => {
  model = loadFromLocalStorage('xor');
  out.textContent = model.summary();
});
