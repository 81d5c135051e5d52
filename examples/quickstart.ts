// The paper's network function and its gradient, every form, on a 2-3-1 network (run: npx tsx examples/quickstart.ts).
import { createNetwork, fromColumns, workedGradient } from 'nabla/paper';

const net = createNetwork({ widths: [2, 3, 1], activation: ['tanh', 'sigmoid'], seed: 7 });
const X = fromColumns([[0.5, -1.0]]); // one sample, as a column (n_0 × B = 2 × 1)
// the forward pass once, then the recursion of Remark 3 and every other form on that trace
const { trace, D, gradW, forms } = workedGradient(net, X, { forms: 'all' });

console.log('f(X;W) =', trace.f.get(0, 0).toFixed(6));
console.log(
  'Δ_2 =',
  D.get(2)
    .toRows()
    .flat()
    .map((v) => v.toFixed(6)),
);
console.log(
  '∇_{W_1} f =',
  gradW
    .get(1)
    .toRows()
    .map((r) => r.map((v) => v.toFixed(6))),
);
for (const { form, maxDiff } of forms) {
  console.log(`${form.padEnd(9)} max |Δ| from the recursion: ${maxDiff.toExponential(1)}`);
}
