// ONNX export, checked by an independent runtime: onnxruntime-node (Microsoft's ONNX Runtime, CPU) loads each
// exported file and runs it; its outputs must equal nabla's `predict` to float32 accuracy (float64 files to
// float64 accuracy). Random networks of every catalog activation, uniform and per-neuron columns, affine and
// homogeneous, float32 and float64, with input scaling; the batch dimension is dynamic.
import { fromBinary } from '@bufbuild/protobuf';
import { activationNames, createModel, defineActivation, exportOnnx, Model, ONNX_OPSET, UnsupportedError } from 'nabla';
import { AffineNetwork, Column, Network, polynomialActivation } from 'nabla/paper';
import { describe, expect, it } from 'vitest';
import { Matrix } from '../packages/nabla/src/linalg/matrix.js';
import { getActivation } from '../packages/nabla/src/net/activation.js';
import { ModelProtoSchema } from '../packages/nabla/src/onnx/generated/onnx_pb.js';
import { expectClose } from './helpers/close.js';
import { makeRandom, randomRows } from './helpers/reference.js';
import { haveTool, onnxRuntimeTool } from './helpers/system-tools.js';

const ok = haveTool(onnxRuntimeTool, 'ONNX export checked by ONNX Runtime');
type Ort = typeof import('onnxruntime-node');
const ort: Ort | undefined = ok ? await import('onnxruntime-node') : undefined;

type DType = 'float32' | 'float64';

/** ONNX Runtime's outputs for the rows x. */
async function runOrt(bytes: Uint8Array, x: number[][], dtype: DType): Promise<number[][]> {
  const session = await ort!.InferenceSession.create(bytes);
  expect(session.inputNames).toEqual(['x']);
  expect(session.outputNames).toEqual(['y']);
  // named shapes, the batch dimension symbolic
  expect(session.inputMetadata[0]).toMatchObject({
    name: 'x',
    isTensor: true,
    type: dtype,
    shape: ['batch', x[0]!.length],
  });
  expect(session.outputMetadata[0]).toMatchObject({
    name: 'y',
    isTensor: true,
    type: dtype,
    shape: ['batch', expect.any(Number)],
  });
  const flat = x.flat();
  const data = dtype === 'float64' ? Float64Array.from(flat) : Float32Array.from(flat);
  const out = await session.run({ x: new ort!.Tensor(dtype, data, [x.length, x[0]!.length]) });
  const y = out.y!;
  const [rows, cols] = y.dims as number[];
  const values = Array.from(y.data as Float32Array | Float64Array);
  return Array.from({ length: rows! }, (_, r) => values.slice(r * cols!, (r + 1) * cols!));
}

const tolerance = (dtype: DType) => (dtype === 'float32' ? { rtol: 1e-5, atol: 1e-5 } : { rtol: 1e-11, atol: 1e-12 });

/** Random weights (and biases) from a seed, per-neuron columns drawn from `pool` or one activation per layer. */
function randomModel(
  seed: number,
  widths: number[],
  acts: (string | string[])[],
  affine: boolean,
  dtype: DType,
): Model {
  const rand = makeRandom(seed);
  const k = widths.length - 1;
  const W = Array.from({ length: k }, (_, j) => {
    const rows = widths[j + 1]!;
    const cols = widths[j]! + (affine ? 1 : 0);
    const scale = 1.6 / Math.sqrt(widths[j]!);
    const values = randomRows(rand, rows, cols, -scale, scale).flat();
    return new Matrix(rows, cols, dtype === 'float32' ? Float32Array.from(values) : Float64Array.from(values));
  });
  const columns = acts.map((a, j) =>
    typeof a === 'string'
      ? Column.uniform(getActivation(a), widths[j + 1]!)
      : new Column(a.map((n) => getActivation(n))),
  );
  return affine
    ? Model.fromAffine(new AffineNetwork(widths, W, columns))
    : Model.fromNetwork(new Network(widths, W, columns));
}

function inputs(seed: number, B: number, m0: number): number[][] {
  return randomRows(makeRandom(seed), B, m0, -2.5, 2.5);
}

describe.skipIf(!ok)(`export to ONNX (opset ${ONNX_OPSET}), run by onnxruntime-node`, () => {
  for (const dtype of ['float32', 'float64'] as const) {
    for (const affine of [true, false]) {
      const form = affine ? 'affine' : 'homogeneous';
      it(`${dtype}, ${form}: every catalog activation as a whole layer, and on the output layer`, async () => {
        for (const [j, act] of activationNames.entries()) {
          const model = randomModel(100 + j, [3, 5, 4, 2], [act, 'tanh', act], affine, dtype);
          const x = inputs(200 + j, 6, 3);
          expectClose(await runOrt(exportOnnx(model), x, dtype), model.predict(x), {
            ...tolerance(dtype),
            label: `${dtype} ${form} ${act}`,
          });
        }
      });

      it(`${dtype}, ${form}: random networks with per-neuron columns (Slice, each run its operator, Concat)`, async () => {
        const rand = makeRandom(dtype === 'float32' ? 7 : 8);
        const pick = <T>(a: readonly T[]) => a[Math.floor(rand() * a.length)]!;
        for (let c = 0; c < 12; c++) {
          const k = 1 + Math.floor(rand() * 3);
          const widths = Array.from({ length: k + 1 }, () => 1 + Math.floor(rand() * 7));
          const acts = widths
            .slice(1)
            .map((w) =>
              rand() < 0.25 ? pick(activationNames) : Array.from({ length: w }, () => pick(activationNames)),
            );
          const model = randomModel(300 + c, widths, acts, affine, dtype);
          const x = inputs(400 + c, 1 + Math.floor(rand() * 5), widths[0]!);
          expectClose(await runOrt(exportOnnx(model), x, dtype), model.predict(x), {
            ...tolerance(dtype),
            label: `${dtype} ${form} [${widths.join(', ')}] ${JSON.stringify(acts)}`,
          });
        }
      });
    }

    it(`${dtype}: input scaling is a first Sub and Div; the batch dimension is dynamic (1 and 9 rows on one file)`, async () => {
      const model = createModel({
        inputs: 3,
        layers: [
          { units: 4, activation: 'gelu' },
          { units: 2, activation: 'identity' },
        ],
        dtype,
        seed: 4,
        inputScaling: { mean: [10, -3, 0.5], std: [2, 0.25, 4] },
      });
      const bytes = exportOnnx(model);
      for (const B of [1, 9]) {
        const x = inputs(B, B, 3).map((r) => r.map((v, c) => v * [2, 0.25, 4][c]! + [10, -3, 0.5][c]!));
        expectClose(await runOrt(bytes, x, dtype), model.predict(x), tolerance(dtype));
      }
    });
  }

  it("output 'probabilities' ends the graph with the loss's Softmax or Sigmoid: ONNX Runtime gives what predict gives", async () => {
    const xor = [
      [0, 0],
      [0, 1],
      [1, 0],
      [1, 1],
    ];
    for (const dtype of ['float32', 'float64'] as const) {
      const multi = createModel({
        inputs: 3,
        layers: [{ units: 6, activation: 'relu' }, { units: 4 }],
        loss: 'softmax-ce',
        dtype,
        seed: 6,
        inputScaling: { mean: [1, 0, -1], std: [2, 1, 0.5] },
      });
      const binary = createModel({ inputs: 2, layers: [{ units: 8 }, { units: 1 }], dtype, seed: 3 });
      await binary.fit(xor, [0, 1, 1, 0], { epochs: 200, batchSize: 4, learningRate: 0.05 });
      expect(binary.loss).toBe('bce');
      const x3 = inputs(31, 7, 3);
      const pm = await runOrt(exportOnnx(multi, { output: 'probabilities' }), x3, dtype);
      expectClose(pm, multi.predict(x3), { ...tolerance(dtype), label: `${dtype} softmax` });
      pm.forEach((row) => expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5));
      // the default is still the network's f: the logits, whose softmax (worked here) is predict
      const logits = await runOrt(exportOnnx(multi), x3, dtype);
      const softmax = logits.map((r) => r.map((v) => Math.exp(v)).map((e, _, es) => e / es.reduce((a, b) => a + b, 0)));
      expectClose(softmax, multi.predict(x3), { ...tolerance(dtype), label: `${dtype} softmax of the logits` });
      const pb = await runOrt(exportOnnx(binary, { output: 'probabilities' }), xor, dtype);
      expectClose(pb, binary.predict(xor), { ...tolerance(dtype), label: `${dtype} sigmoid` });
      expect(pb.map(([p]) => p! > 0.5)).toEqual([false, true, true, false]);
    }
  });

  it('a polynomial activation is written as Mul/Add (Horner)', async () => {
    const cubic = polynomialActivation('cubic', '1/2x^3 - x + 1/4').float;
    const W = [
      new Matrix(3, 3, Float64Array.from([0.5, -0.2, 0.1, 0.3, 0.8, -0.6, -0.4, 0.2, 0.9])),
      new Matrix(1, 4, Float64Array.from([0.7, -1.1, 0.4, 0.2])),
    ];
    const model = Model.fromAffine(
      new AffineNetwork([2, 3, 1], W, [new Column([cubic, getActivation('tanh'), cubic]), Column.uniform(cubic, 1)]),
    );
    const x = inputs(5, 4, 2);
    expectClose(
      await runOrt(exportOnnx(model, { polynomials: { cubic: '1/2x^3 - x + 1/4' } }), x, 'float64'),
      model.predict(x),
      tolerance('float64'),
    );
  });
});

describe('what the file says besides the graph (read back with @bufbuild/protobuf and onnx.proto)', () => {
  it('opset 17 in the default domain, IR version 8, and the class labels, loss and scaling in metadata_props', () => {
    const model = createModel({
      inputs: 2,
      layers: [{ units: 3, activation: 'relu' }, { units: 3 }],
      loss: 'softmax-ce',
      classes: ['cat', 'dog', 'emu'],
      inputScaling: { mean: [1, 2], std: [3, 4] },
      description: 'pets',
    });
    const proto = fromBinary(ModelProtoSchema, exportOnnx(model));
    expect(proto.opsetImport.map((o) => [o.domain, Number(o.version)])).toEqual([['', 17]]);
    expect(Number(proto.irVersion)).toBe(8);
    expect(proto.docString).toBe('pets');
    const meta = Object.fromEntries(proto.metadataProps.map((e) => [e.key, e.value]));
    expect(JSON.parse(meta.classes!)).toEqual(['cat', 'dog', 'emu']);
    expect(meta.loss).toBe('softmax-ce');
    expect(JSON.parse(meta.preprocessing!)).toEqual({ standardize: { mean: [1, 2], std: [3, 4] } });
    expect(proto.graph!.node.slice(0, 3).map((n) => n.opType)).toEqual(['Sub', 'Div', 'Gemm']);
  });
});

describe('export refusals', () => {
  const soft = defineActivation({
    name: 'softsign',
    sigma: (x) => x / (1 + Math.abs(x)),
    dsigma: (x) => 1 / (1 + Math.abs(x)) ** 2,
  });
  const model = createModel({
    inputs: 2,
    layers: [{ units: 3, activation: ['tanh', soft, 'relu'] }, { units: 1 }],
    activations: { softsign: soft },
  });

  it('a user-defined activation that is not a polynomial is refused, naming the neuron', () => {
    expect(() => exportOnnx(model)).toThrow(UnsupportedError);
    expect(() => exportOnnx(model)).toThrow(
      new RegExp(
        /^layer 1, neuron 2 \(σ_1,2\): the activation "softsign" is user-defined and not known to be a polynomial; /
          .source + /ONNX export writes the catalog activations and polynomials only/.source,
      ),
    );
  });

  it("output 'probabilities' is refused for a model whose predictions are f itself, and named in the metadata otherwise", () => {
    const regression = createModel({ inputs: 2, layers: [{ units: 1 }], loss: 'mse' });
    expect(() => exportOnnx(regression, { output: 'probabilities' })).toThrow(
      /^output 'probabilities': the model's loss is mse, so its predictions are the network's f itself/,
    );
    expect(() => exportOnnx(createModel({ inputs: 2, layers: [{ units: 2 }] }), { output: 'probabilities' })).toThrow(
      /the model's loss is not set/,
    );
    // @ts-expect-error an unknown output
    expect(() => exportOnnx(regression, { output: 'logits' })).toThrow(
      /^output = "logits"; expected 'network' \(f, the default\) or 'probabilities'$/,
    );
    const file = fromBinary(
      ModelProtoSchema,
      exportOnnx(createModel({ inputs: 2, layers: [{ units: 3 }], loss: 'softmax-ce' }), { output: 'probabilities' }),
    );
    expect(file.metadataProps.find((e) => e.key === 'output')?.value).toBe('probabilities');
    expect(file.graph!.node.at(-1)).toMatchObject({ opType: 'Softmax', output: ['y'] });
  });

  it('a polynomial given for an activation that is not that polynomial is refused', () => {
    expect(() => exportOnnx(model, { polynomials: { softsign: 'x - 1/3x^3' } })).toThrow(
      /^layer 1, neuron 2 \(σ_1,2\): the activation "softsign" is not the polynomial/,
    );
  });
});
