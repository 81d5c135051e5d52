// The ONNX subpath as an app uses it: a model out to ONNX bytes and back (test/package.test.ts runs it in Node, ESM
// and CommonJS, and bundled by esbuild in Chromium, where no code may be generated at run time).
import { createModel, exportOnnx, loadModel, ONNX_OPSET } from 'nabla';

export interface OnnxReport {
  /** The model read back from its ONNX bytes predicts exactly what the original does, and serializes identically. */
  same: boolean;
  bytes: number;
  opset: number;
}

export function onnxRoundTrip(): OnnxReport {
  const x = [
    [0, 0],
    [0, 1],
    [1, 0],
    [1, 1],
    [0.25, -2],
  ];
  const model = createModel({
    inputs: 2,
    layers: [
      { units: 4, activation: ['tanh', 'relu', 'gelu', 'silu'] },
      { units: 2, activation: 'sigmoid' },
    ],
    classes: ['a', 'b'],
    seed: 3,
  });
  const bytes = exportOnnx(model);
  const back = loadModel(bytes);
  const same =
    JSON.stringify(back.predict(x)) === JSON.stringify(model.predict(x)) && back.serialize() === model.serialize();
  return { same, bytes: bytes.length, opset: ONNX_OPSET };
}
