// ONNX import, checked against the framework that wrote the file: the .onnx files under test/fixtures/onnx were
// exported by PyTorch 1.13 (scripts/onnx-fixtures.py), with PyTorch's outputs and the gradients of sum(outputs)
// with respect to every weight and bias for fixed inputs. The imported model must reproduce both. Also: the
// tf2onnx layout of a Keras Dense stack (written by onnx.helper, outputs by numpy), a Gelu node (opset 20) run by
// ONNX Runtime, the round trip
// nabla → ONNX → nabla (the identical model file), and one clear FormatError for what is refused.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { create, toBinary } from '@bufbuild/protobuf';
import { createModel, exportOnnx, FormatError, importOnnx, loadModel, Model, parseModel, serializeModel } from 'nabla';
import { createAffineNetwork, createNetwork, polynomialActivation } from 'nabla/paper';
import { describe, expect, it } from 'vitest';
import {
  AttributeProto_AttributeType,
  AttributeProtoSchema,
  GraphProtoSchema,
  ModelProtoSchema,
  NodeProtoSchema,
  OperatorSetIdProtoSchema,
  TensorShapeProto_DimensionSchema,
  TensorShapeProtoSchema,
  TypeProto_TensorSchema,
  TypeProtoSchema,
  ValueInfoProtoSchema,
} from '../packages/nabla/src/onnx/generated/onnx_pb.js';
import { intAttribute, writeTensor } from '../packages/nabla/src/onnx/proto.js';
import { expectClose } from './helpers/close.js';
import { haveTool, onnxRuntimeTool } from './helpers/system-tools.js';

const dir = join(import.meta.dirname, 'fixtures', 'onnx');
const bytesOf = (name: string) => new Uint8Array(readFileSync(join(dir, name)));

interface TorchFixture {
  torch: string;
  opset: number;
  dtype: 'float32' | 'float64';
  x: number[][];
  y: number[][];
  linear: { weight: number[][]; bias: number[] | null; grad_weight: number[][]; grad_bias: number[] | null }[];
}

const fixtures: { name: string; depth: number; bias: 'all' | 'none' | 'mixed'; acts: string[] }[] = [
  { name: 'relu-op17', depth: 2, bias: 'all', acts: ['relu', 'identity'] },
  { name: 'tanh-sigmoid-nobias-op11', depth: 2, bias: 'none', acts: ['tanh', 'sigmoid'] },
  { name: 'deep-leaky-elu-softplus-op13', depth: 4, bias: 'all', acts: ['leaky_relu', 'elu', 'softplus', 'identity'] },
  { name: 'gelu-silu-identity-op17', depth: 3, bias: 'all', acts: ['gelu', 'silu', 'identity'] },
  { name: 'gelu-silu-op11', depth: 3, bias: 'all', acts: ['gelu', 'silu', 'identity'] },
  { name: 'tanh-float64-op13', depth: 2, bias: 'all', acts: ['tanh', 'identity'] },
  { name: 'mixed-bias-op17', depth: 2, bias: 'mixed', acts: ['sigmoid', 'identity'] },
  { name: 'nobias-unfolded-op13', depth: 2, bias: 'none', acts: ['tanh', 'identity'] },
];

describe('import of PyTorch exports (outputs and gradients recorded by PyTorch)', () => {
  for (const f of fixtures) {
    it(`${f.name}: the layers, activations, outputs and ∂ sum(y) / ∂ every weight and bias`, () => {
      const torch = JSON.parse(readFileSync(join(dir, `${f.name}.json`), 'utf8')) as TorchFixture;
      const model = loadModel(bytesOf(`${f.name}.onnx`), { source: f.name });
      expect(model.depth).toBe(f.depth);
      expect(model.dtype).toBe(torch.dtype);
      expect(model.bias).toBe(f.bias !== 'none');
      for (let i = 1; i <= f.depth; i++) expect(model.layer(i).activation).toBe(f.acts[i - 1]);
      // float32 files: PyTorch and nabla both compute in float32; float64: to float64 accuracy
      const tol = torch.dtype === 'float32' ? { rtol: 1e-5, atol: 1e-6 } : { rtol: 1e-12, atol: 1e-13 };
      expectClose(model.predict(torch.x), torch.y, { ...tol, label: `${f.name}: y` });
      const nk = model.outputs;
      const g = model.gradient(torch.x, { seed: new Array<number>(nk).fill(1) });
      torch.linear.forEach((lin, j) => {
        const G = g.layerGrads[j]!.toRows(); // [∇A_i | ∇b_i] with biases, ∇W_i without
        const inputs = lin.weight[0]!.length;
        expectClose(
          G.map((row) => row.slice(0, inputs)),
          lin.grad_weight,
          { ...tol, label: `${f.name}: ∂/∂W of Linear ${j + 1}` },
        );
        if (lin.grad_bias)
          expectClose([G.map((row) => row[inputs]!)], [lin.grad_bias], {
            ...tol,
            label: `${f.name}: ∂/∂b of Linear ${j + 1}`,
          });
        else if (model.bias)
          expectClose(
            [
              model
                .layer(j + 1)
                .W.toRows()
                .map((row) => row[inputs]!),
            ],
            [new Array<number>(lin.weight.length).fill(0)],
            { atol: 0, rtol: 0 },
          );
        // the weights themselves, exactly as PyTorch stored them
        expectClose(
          model
            .layer(j + 1)
            .W.toRows()
            .map((row) => row.slice(0, inputs)),
          lin.weight,
          { rtol: 0, atol: 0, label: `${f.name}: W of Linear ${j + 1}` },
        );
      });
    });
  }

  it('an imported model fine-tunes: fit lowers its loss on data it has not seen', async () => {
    const model = loadModel(bytesOf('relu-op17.onnx'));
    const x = Array.from({ length: 32 }, (_, s) => [Math.sin(s), Math.cos(2 * s), (s % 5) / 5 - 0.4]);
    const y = x.map(([a, b, c]) => [a! - b!, 0.5 * c!]);
    const h = await model.fit(x, y, { epochs: 30, batchSize: 8, learningRate: 0.01 });
    expect(h.history.loss.at(-1)!).toBeLessThan(h.history.loss[0]!);
  });
});

describe('import of the tf2onnx layout of a Keras Dense stack', () => {
  it('MatMul with [in, out] kernels, Add of the bias, Relu / Sigmoid and an Identity output: outputs as numpy computed them', () => {
    const ref = JSON.parse(readFileSync(join(dir, 'keras-dense.json'), 'utf8')) as {
      x: number[][];
      y: number[][];
      kernels: number[][][];
      biases: number[][];
    };
    const model = loadModel(bytesOf('keras-dense.onnx'));
    expect(model.widths).toEqual([3, 4, 2]);
    expect([model.layer(1).activation, model.layer(2).activation]).toEqual(['relu', 'sigmoid']);
    // A_1 is the transposed Keras kernel; the bias is the last column
    expectClose(
      model
        .layer(1)
        .W.toRows()
        .map((r) => r.slice(0, 3)),
      ref.kernels[0]![0]!.map((_, c) => ref.kernels[0]!.map((row) => row[c]!)),
      { rtol: 0, atol: 0 },
    );
    expectClose(
      [
        model
          .layer(1)
          .W.toRows()
          .map((r) => r[3]!),
      ],
      [ref.biases[0]!],
      { rtol: 0, atol: 0 },
    );
    expectClose(model.predict(ref.x), ref.y, { rtol: 1e-5, atol: 1e-6 });
  });
});

describe.skipIf(!haveTool(onnxRuntimeTool, 'ONNX import of a Gelu node checked by ONNX Runtime'))(
  'a Gelu node (opset 20), built here and run by ONNX Runtime',
  () => {
    /** x → Gemm(W1, b1, transB) → Gelu(approximate) → Gemm(W2, b2, transB) → y, opset 20. */
    function geluGraph(approximate: string): Uint8Array {
      const W1 = [0.8, -0.5, 0.3, 1.1, -0.9, 0.4];
      const W2 = [0.7, -1.2, 0.5];
      const graph = create(GraphProtoSchema, {
        name: 'gelu',
        node: [
          create(NodeProtoSchema, {
            opType: 'Gemm',
            input: ['x', 'W1', 'b1'],
            output: ['z1'],
            name: 'fc1',
            attribute: [intAttribute('transB', 1)],
          }),
          create(NodeProtoSchema, {
            opType: 'Gelu',
            input: ['z1'],
            output: ['h1'],
            name: 'act',
            attribute: [
              create(AttributeProtoSchema, {
                name: 'approximate',
                type: AttributeProto_AttributeType.STRING,
                s: new TextEncoder().encode(approximate),
              }),
            ],
          }),
          create(NodeProtoSchema, {
            opType: 'Gemm',
            input: ['h1', 'W2', 'b2'],
            output: ['y'],
            name: 'fc2',
            attribute: [intAttribute('transB', 1)],
          }),
        ],
        initializer: [
          writeTensor('W1', [3, 2], W1, 'float32'),
          writeTensor('b1', [3], [0.1, -0.2, 0.3], 'float32'),
          writeTensor('W2', [1, 3], W2, 'float32'),
          writeTensor('b2', [1], [0.05], 'float32'),
        ],
        input: [
          create(ValueInfoProtoSchema, {
            name: 'x',
            type: create(TypeProtoSchema, {
              value: {
                case: 'tensorType',
                value: create(TypeProto_TensorSchema, {
                  elemType: 1,
                  shape: create(TensorShapeProtoSchema, {
                    dim: [
                      create(TensorShapeProto_DimensionSchema, { value: { case: 'dimParam', value: 'N' } }),
                      create(TensorShapeProto_DimensionSchema, { value: { case: 'dimValue', value: 2n } }),
                    ],
                  }),
                }),
              },
            }),
          }),
        ],
        output: [
          create(ValueInfoProtoSchema, {
            name: 'y',
            type: create(TypeProtoSchema, {
              value: { case: 'tensorType', value: create(TypeProto_TensorSchema, { elemType: 1 }) },
            }),
          }),
        ],
      });
      return toBinary(
        ModelProtoSchema,
        create(ModelProtoSchema, {
          irVersion: 9n,
          opsetImport: [create(OperatorSetIdProtoSchema, { domain: '', version: 20n })],
          graph,
        }),
      );
    }

    it('approximate="tanh" is gelu, with the outputs ONNX Runtime computes', async () => {
      const bytes = geluGraph('tanh');
      const model = loadModel(bytes);
      expect(model.layer(1).activation).toBe('gelu');
      const ort = await import('onnxruntime-node');
      const x = [
        [0.5, -1],
        [2, 0.25],
        [-1.5, -0.75],
      ];
      const session = await ort.InferenceSession.create(bytes);
      const out = await session.run({ x: new ort.Tensor('float32', Float32Array.from(x.flat()), [3, 2]) });
      expectClose(
        model.predict(x),
        Array.from(out.y!.data as Float32Array, (v) => [v]),
        { rtol: 1e-5, atol: 1e-6 },
      );
    });

    it('approximate="none" (the erf form) is refused with the reason', () => {
      expect(() => importOnnx(geluGraph('none'), { source: 'erf.onnx' })).toThrow(
        'erf.onnx: operator Gelu (node "act"): Gelu with approximate="none" (the erf form) is not a catalog activation',
      );
    });
  },
);

describe('round trip nabla → ONNX → nabla', () => {
  const cases: { label: string; text: () => string; polynomials?: Record<string, string> }[] = [
    {
      label: 'affine float32 with per-neuron columns, loss, classes, scaling, description, training and history',
      text: () =>
        serializeModel({
          affine: createAffineNetwork({
            widths: [3, 5, 4, 3],
            activation: [['relu', 'relu', 'gelu', 'sin', 'relu'], ['silu', 'elu', 'elu', 'tanh'], 'identity'],
            seed: 3,
            dtype: 'float32',
          }),
          meta: {
            description: 'iris, 3 classes',
            loss: 'softmax-ce',
            classes: ['setosa', 'versicolor', 'virginica'],
            preprocessing: {
              standardize: {
                mean: [5.843333333333334, 3.0573333333333337, 3.758],
                std: [0.8253012917851409, 0.4344109677354946, 1.759404065775303],
              },
            },
            training: { epochs: 40, optimizer: 'adam', data: 'iris.csv' },
            history: [
              { epoch: 1, loss: 1.1 },
              { epoch: 2, loss: 0.7 },
            ],
          },
        }),
    },
    {
      label: 'homogeneous float64, every catalog activation',
      text: () =>
        serializeModel({
          network: createNetwork({
            widths: [2, 11, 11, 1],
            activation: [
              ['identity', 'sigmoid', 'tanh', 'relu', 'leaky_relu', 'elu', 'softplus', 'silu', 'gelu', 'sin', 'square'],
              'softplus',
              'sigmoid',
            ],
            seed: 5,
          }),
        }),
    },
    {
      label: 'affine float64 with a polynomial activation',
      text: () => {
        const cubic = polynomialActivation('cubic', 'x^3 - x').float;
        return serializeModel({
          affine: createAffineNetwork({ widths: [2, 3, 1], activation: [[cubic, 'tanh', cubic], 'identity'], seed: 9 }),
        });
      },
      polynomials: { cubic: 'x^3 - x' },
    },
    {
      label: 'a Model from createModel (float32, biases)',
      text: () =>
        createModel({
          inputs: 4,
          layers: [
            { units: 6, activation: 'tanh' },
            { units: 2, activation: 'sigmoid' },
          ],
          loss: 'bce',
          seed: 2,
        }).serialize(),
    },
  ];
  for (const c of cases) {
    it(`${c.label}: the identical model file`, () => {
      const text = c.text();
      const extraActivations = c.polynomials
        ? { cubic: polynomialActivation('cubic', c.polynomials.cubic!).float }
        : undefined;
      const loaded = parseModel(text, extraActivations ? { extraActivations } : {});
      const back = importOnnx(exportOnnx(loaded, c.polynomials ? { polynomials: c.polynomials } : {}));
      expect(serializeModel(back)).toBe(text);
    });
  }

  it('a Model keeps its loss, classes, scaling and description through exportOnnx / loadModel', () => {
    const m = createModel({
      inputs: 2,
      layers: [{ units: 3, activation: 'relu' }, { units: 1 }],
      loss: 'bce',
      classes: ['no', 'yes'],
      inputScaling: { mean: [1.5, -2.25], std: [0.1, 3] },
      description: 'd',
    });
    expect(loadModel(exportOnnx(m)).serialize()).toBe(m.serialize());
    expect(Model.fromJSON(m.serialize()).serialize()).toBe(m.serialize());
  });
});

describe('refusals: one clear line', () => {
  const refused = (bytes: Uint8Array, source: string): FormatError => {
    try {
      importOnnx(bytes, { source });
    } catch (e) {
      expect(e).toBeInstanceOf(FormatError);
      expect((e as Error).message).not.toContain('\n');
      return e as FormatError;
    }
    throw new Error('importOnnx accepted it');
  };

  it('an unsupported operator (a Softmax between two Linear layers) is named with its node and the reason', () => {
    const e = refused(bytesOf('softmax-middle.onnx'), 'softmax-middle.onnx');
    expect(e.message).toMatch(
      /^softmax-middle\.onnx: operator Softmax \(node "\/1\/Softmax"\): it couples the neurons of a layer/,
    );
  });

  it('a truncated file', () => {
    const whole = bytesOf('relu-op17.onnx');
    for (const cut of [whole.length - 7, Math.floor(whole.length / 2), 20]) {
      const e = refused(whole.subarray(0, cut), 'cut.onnx');
      expect(e.message).toMatch(
        /^cut\.onnx: not a readable ONNX model \(the protobuf reader stopped: .*\); the file may be truncated/,
      );
    }
  });

  it('a file that is not ONNX (JSON, text, an empty file)', () => {
    const json = new TextEncoder().encode(
      serializeModel({ network: createNetwork({ widths: [2, 1], activation: 'tanh', seed: 1 }) }),
    );
    expect(refused(json, 'model.json').message).toBe(
      'model.json: not an ONNX model: the file is text starting with "{" (JSON, perhaps a nabla model file); expected the binary .onnx format',
    );
    expect(refused(new TextEncoder().encode('hello, world\n'), 'hello.txt').message).toMatch(
      /^hello\.txt: not (a readable|an) ONNX model/,
    );
    expect(refused(new Uint8Array(0), 'empty.onnx').message).toBe(
      'empty.onnx: the file is empty; expected an ONNX model',
    );
  });

  it('an activation that is not in the catalog (LeakyReLU with slope 0.2) names the node, the layer, the chain and what was expected', () => {
    // a nabla leaky_relu layer exported, then its LeakyRelu's alpha (the float32 0.01 in the bytes) set to 0.2
    const m = createModel({ inputs: 2, layers: [{ units: 2, activation: 'leaky_relu' }, { units: 1 }], seed: 1 });
    const bytes = exportOnnx(m);
    const f = new Uint8Array(new Float32Array([0.01]).buffer);
    const at = findBytes(bytes, f);
    expect(at).toBeGreaterThan(0);
    bytes.set(new Uint8Array(new Float32Array([0.2]).buffer), at);
    const e = refused(bytes, 'leaky.onnx');
    expect(e.message).toMatch(
      new RegExp(
        String.raw`^leaky\.onnx: operator LeakyRelu \(node "layer1\/LeakyRelu_\d+"\): layer 1 after node ` +
          String.raw`"layer1\/Gemm_\d+": the chain LeakyRelu\[alpha = 0\.2\]\(z\) is no activation of the catalog: ` +
          String.raw`.*has LeakyRelu with alpha = 0\.01 where the file has alpha = 0\.2$`,
      ),
    );
  });
});

function findBytes(hay: Uint8Array, needle: Uint8Array): number {
  outer: for (let i = 0; i + needle.length <= hay.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}
