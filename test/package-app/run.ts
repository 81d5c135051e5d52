// The program a new user writes after `npm install nabla` (see README "Use nabla as a library"). test/package.test.ts
// copies it into a fresh app twice (an ESM and a CommonJS package), type-checks it there with strict, lib ES2022
// alone and skipLibCheck false against the installed tarball, runs it in Node and, bundled by esbuild and by
// Vite, in Chromium. It reports what it saw; the test judges.
import { createModel, type GradientForm, gradientFormNames, Model } from 'nabla';

export interface Report {
  finalLoss: number;
  epochs: number;
  kernels: string;
  threads: number;
  /** Why slower kernels than the best ran (history.kernels.note), or '' */
  kernelsNote: string;
  predictions: number[][];
  reloaded: number[][];
  classes: (string | number)[];
  /** Largest |∇W (form) − ∇W (recursion)| per form, on the 2-8-1 model (and the 1-1-1 one for the scalar form). */
  forms: Record<string, number>;
  layerGradShapes: string[];
  /** The trained model's file text. */
  saved: string;
}

export async function run(): Promise<Report> {
  const x = [
    [0, 0],
    [0, 1],
    [1, 0],
    [1, 1],
  ];
  const y = [0, 1, 1, 0];
  const model = createModel({ inputs: 2, layers: [{ units: 8, activation: 'tanh' }, { units: 1 }] });
  const history = await model.fit(x, y, { epochs: 500, batchSize: 4, learningRate: 0.05 });

  const saved = JSON.stringify(model);
  const again = Model.fromJSON(saved);

  const forms: Record<string, number> = {};
  const base = model.gradient([0.5, -1], { forms: 'all' });
  const tiny = createModel({ inputs: 1, layers: [{ units: 1, activation: 'tanh' }, { units: 1 }], bias: false });
  const tinyBase = tiny.gradient([0.5], { forms: 'all' });
  for (const form of gradientFormNames as readonly GradientForm[]) {
    const ref = form === 'scalar' ? tinyBase : base;
    const g = ref.forms.find((f) => f.form === form)!;
    let d = 0;
    for (let i = 0; i < g.layerGrads.length; i++) {
      const a = g.layerGrads[i]!.data;
      const b = ref.layerGrads[i]!.data;
      for (let j = 0; j < a.length; j++) d = Math.max(d, Math.abs(a[j]! - b[j]!));
    }
    forms[form] = d;
  }
  return {
    finalLoss: history.history.loss[history.history.loss.length - 1]!,
    epochs: history.epoch.length,
    kernels: history.kernels.name,
    threads: history.kernels.threads,
    kernelsNote: history.kernels.note ?? '',
    predictions: model.predict(x),
    reloaded: again.predict(x),
    classes: [...(again.classes ?? [])],
    forms,
    layerGradShapes: base.layerGrads.map((G) => `${G.rows}x${G.cols}`),
    saved,
  };
}
