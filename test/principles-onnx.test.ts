// Principles for ONNX import, tested by property (fast-check) on graphs built here with the repo's protobuf code:
// declared sizes are checked against the bytes present before anything is allocated (safeImportOnnx returns
// { ok: false }, never throws); graphs are read as strictly as they are written: a chain that is not exactly a
// catalog activation, unsupported IR versions or opsets, duplicate value names and an empty Concat are refused.
import { create, toBinary } from '@bufbuild/protobuf';
import fc from 'fast-check';
import { exportOnnx, FormatError, importOnnx, NablaError, safeImportOnnx } from 'nabla';
import { createNetwork } from 'nabla/paper';
import { describe, expect, it } from 'vitest';
import {
  GraphProtoSchema,
  ModelProtoSchema,
  type NodeProto,
  NodeProtoSchema,
  OperatorSetIdProtoSchema,
  type TensorProto,
  TensorProtoSchema,
  TensorShapeProto_DimensionSchema,
  TensorShapeProtoSchema,
  TypeProto_TensorSchema,
  TypeProtoSchema,
  ValueInfoProtoSchema,
} from '../packages/nabla/src/onnx/generated/onnx_pb.js';
import { ONNX_IR_VERSIONS, ONNX_OPSETS } from '../packages/nabla/src/onnx/import.js';
import { decodeModel, encodeModel, intAttribute, writeTensor } from '../packages/nabla/src/onnx/proto.js';

function valueInfo(name: string, width?: number) {
  const dim = [create(TensorShapeProto_DimensionSchema, { value: { case: 'dimParam', value: 'N' } })];
  if (width !== undefined)
    dim.push(create(TensorShapeProto_DimensionSchema, { value: { case: 'dimValue', value: BigInt(width) } }));
  return create(ValueInfoProtoSchema, {
    name,
    type: create(TypeProtoSchema, {
      value: {
        case: 'tensorType',
        value: create(TypeProto_TensorSchema, { elemType: 1, shape: create(TensorShapeProtoSchema, { dim }) }),
      },
    }),
  });
}

/** A graph x → nodes → y, with the initializers; ir and opset as given. */
function graphBytes(
  nodes: NodeProto[],
  initializer: TensorProto[],
  opts: { ir?: bigint; opset?: bigint; width?: number } = {},
): Uint8Array {
  const graph = create(GraphProtoSchema, {
    name: 'g',
    node: nodes,
    initializer,
    input: [valueInfo('x', opts.width ?? 2)],
    output: [valueInfo('y')],
  });
  return toBinary(
    ModelProtoSchema,
    create(ModelProtoSchema, {
      irVersion: opts.ir ?? 8n,
      opsetImport: [create(OperatorSetIdProtoSchema, { domain: '', version: opts.opset ?? 17n })],
      graph,
    }),
  );
}

const node = (
  opType: string,
  input: string[],
  output: string,
  name: string,
  attribute = [] as ReturnType<typeof intAttribute>[],
) => create(NodeProtoSchema, { opType, input, output: [output], name, attribute });

const W1 = writeTensor('W1', [3, 2], [0.8, -0.5, 0.3, 1.1, -0.9, 0.4], 'float32');
const b1 = writeTensor('b1', [3], [0.1, -0.2, 0.3], 'float32');
const W2 = writeTensor('W2', [1, 3], [0.7, -1.2, 0.5], 'float32');
const b2 = writeTensor('b2', [1], [0.05], 'float32');

/** x → Gemm → (the chain) → Gemm → y. */
function mlp(
  chain: (z: string) => { nodes: NodeProto[]; out: string; consts: TensorProto[] },
  opts: { ir?: bigint; opset?: bigint } = {},
): Uint8Array {
  const c = chain('z1');
  return graphBytes(
    [
      node('Gemm', ['x', 'W1', 'b1'], 'z1', 'fc1', [intAttribute('transB', 1)]),
      ...c.nodes,
      node('Gemm', [c.out, 'W2', 'b2'], 'y', 'fc2', [intAttribute('transB', 1)]),
    ],
    [W1, b1, W2, b2, ...c.consts],
    opts,
  );
}

const relu = (z: string) => ({ nodes: [node('Relu', [z], 'h1', 'act')], out: 'h1', consts: [] });

/** The contract of a refusal: a FormatError, one line, naming `names`; safeImportOnnx says { ok: false } with it. */
function refused(bytes: Uint8Array, ...names: (string | RegExp)[]): FormatError {
  const r = safeImportOnnx(bytes, { source: 'g.onnx' });
  expect(r.ok).toBe(false);
  const e = (r as { error: FormatError }).error;
  expect(e).toBeInstanceOf(FormatError);
  expect(e.message).not.toContain('\n');
  expect(e.message.startsWith('g.onnx: ')).toBe(true);
  for (const n of names) {
    if (typeof n === 'string') expect(e.message).toContain(n);
    else expect(e.message).toMatch(n);
  }
  expect(() => importOnnx(bytes, { source: 'g.onnx' })).toThrow(e.message);
  return e;
}

describe('principle 13: an activation chain is a catalog activation exactly, or it is refused', () => {
  it('the plain chain is read (relu), as a control', () => {
    expect(importOnnx(mlp(relu)).network.sigma.get(1).sigmas[0]!.name).toBe('relu');
  });

  it('min(relu(z), c) for any cap c (ReLU6 is c = 6, and far beyond any probe: 1000, 1e6) is refused naming the node', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.double({ min: 0.05, max: 1e30, noNaN: true }), fc.constantFrom(6, 1000, 1e6)),
        fc.boolean(),
        (c, constFirst) => {
          const bytes = mlp((z) => ({
            nodes: [
              node('Relu', [z], 'r', 'act'),
              node('Min', constFirst ? ['cap', 'r'] : ['r', 'cap'], 'h1', 'cap_node'),
            ],
            out: 'h1',
            consts: [writeTensor('cap', [], [c], 'float32')],
          }));
          refused(
            bytes,
            'g.onnx: operator Min (node "cap_node"): layer 1 after node "fc1": the chain Min(',
            'is no activation of the catalog: Min is applied to relu (Relu, node "act"); expected the chain to end',
          );
        },
      ),
      { numRuns: 150 },
    );
  });

  it('max(z, c) and relu(z) + c for c ≠ 0 are refused too (a shifted or clipped relu is not relu)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -50, max: 50, noNaN: true }).filter((c) => Math.abs(c) > 1e-3),
        fc.boolean(),
        (c, shift) => {
          const bytes = mlp((z) => ({
            nodes: shift
              ? [node('Relu', [z], 'r', 'act'), node('Add', ['r', 'c'], 'h1', 'shift')]
              : [node('Max', [z, 'c'], 'h1', 'clip')],
            out: 'h1',
            consts: [writeTensor('c', [], [c], 'float32')],
          }));
          refused(
            bytes,
            `operator ${shift ? 'Add (node "shift")' : 'Max (node "clip")'}`,
            'is no activation of the catalog',
          );
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('principle 13: versions, names and structure', () => {
  it('IR versions and opsets outside the supported range are refused naming the range; inside, the graph is read', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 120 }), fc.integer({ min: 1, max: 120 }), (ir, opset) => {
        const bytes = mlp(relu, { ir: BigInt(ir), opset: BigInt(opset) });
        const irOk = ir >= ONNX_IR_VERSIONS[0] && ir <= ONNX_IR_VERSIONS[1];
        const opsetOk = opset >= ONNX_OPSETS[0] && opset <= ONNX_OPSETS[1];
        if (!irOk) refused(bytes, `ONNX IR version ${ir}; nabla reads IR versions 3 to 11`);
        else if (!opsetOk) refused(bytes, `opset ${opset}; nabla reads the standard opsets 7 to 23`);
        else expect(safeImportOnnx(bytes).ok).toBe(true);
      }),
      { numRuns: 200 },
    );
    refused(mlp(relu, { opset: 99n }), 'opset 99');
    refused(mlp(relu, { ir: 99n }), 'IR version 99');
  });

  it('a name given to two values (initializers, or a node output reusing a name) is refused', () => {
    fc.assert(
      fc.property(fc.constantFrom('W1', 'b1', 'W2', 'b2'), (name) => {
        const twice = graphBytes(
          [
            node('Gemm', ['x', 'W1', 'b1'], 'z1', 'fc1', [intAttribute('transB', 1)]),
            node('Relu', ['z1'], 'h1', 'act'),
            node('Gemm', ['h1', 'W2', 'b2'], 'y', 'fc2', [intAttribute('transB', 1)]),
          ],
          [W1, b1, W2, b2, writeTensor(name, [1], [9], 'float32')],
        );
        refused(twice, `two initializers are named "${name}"`);
        const reused = graphBytes(
          [
            node('Gemm', ['x', 'W1', 'b1'], 'z1', 'fc1', [intAttribute('transB', 1)]),
            node('Relu', ['z1'], name, 'act'),
            node('Gemm', [name, 'W2', 'b2'], 'y', 'fc2', [intAttribute('transB', 1)]),
          ],
          [W1, b1, W2, b2],
        );
        refused(reused, `operator Relu (node "act"): its output "${name}" is already the name of another value`);
      }),
    );
  });

  it('Concat with no inputs and a node with no output are one-line refusals, not TypeErrors', () => {
    refused(
      mlp((z) => ({
        nodes: [node('Relu', [z], 'h0', 'act'), node('Concat', [], 'h1', 'join', [intAttribute('axis', 1)])],
        out: 'h1',
        consts: [],
      })),
      'operator Concat (node "join"): it has no inputs',
    );
    const noOutput = create(NodeProtoSchema, { opType: 'Relu', input: ['z1'], output: [], name: 'act' });
    refused(
      graphBytes([node('Gemm', ['x', 'W1', 'b1'], 'z1', 'fc1', [intAttribute('transB', 1)]), noOutput], [W1, b1]),
      'operator Relu (node "act"): it has no output',
    );
  });
});

describe('principle 12: declared sizes checked before anything is allocated', () => {
  it('an initializer declaring a huge, zero or negative shape with few bytes: { ok: false } at once, never a throw', () => {
    const dimension = fc.oneof(
      fc.constant(0n),
      fc.bigInt({ min: -(2n ** 40n), max: -1n }),
      fc.bigInt({ min: 2n ** 20n, max: 2n ** 62n }),
      fc.bigInt({ min: 1n, max: 4n }),
    );
    fc.assert(
      fc.property(
        fc.array(dimension, { minLength: 1, maxLength: 3 }).filter((ds) => ds.some((d) => d <= 0n || d > 4n)),
        fc.nat({ max: 16 }),
        fc.constantFrom('W1', 'b1', 'W2'),
        (dims, bytes, which) => {
          const t = create(TensorProtoSchema, { name: which, dims, dataType: 1, rawData: new Uint8Array(bytes) });
          const init = [W1, b1, W2, b2].map((x) => (x.name === which ? t : x));
          const file = graphBytes(
            [
              node('Gemm', ['x', 'W1', 'b1'], 'z1', 'fc1', [intAttribute('transB', 1)]),
              node('Relu', ['z1'], 'h1', 'act'),
              node('Gemm', ['h1', 'W2', 'b2'], 'y', 'fc2', [intAttribute('transB', 1)]),
            ],
            init,
          );
          const t0 = performance.now();
          const r = safeImportOnnx(file, { source: 'g.onnx' });
          expect(performance.now() - t0).toBeLessThan(500);
          expect(r.ok).toBe(false);
          const msg = (r as { error: FormatError }).error.message;
          expect(msg).not.toContain('\n');
          expect(msg).toMatch(/^g\.onnx: /);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('a graph input declaring a zero, negative or huge width (with input scaling): { ok: false }, never a throw', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.integer({ min: -(2 ** 40), max: 0 }), fc.integer({ min: 1_000_001, max: 2 ** 40 })),
        (width) => {
          const file = graphBytes(
            [
              node('Sub', ['x', 'mean'], 'xs', 'scale'),
              node('Gemm', ['xs', 'W1', 'b1'], 'z1', 'fc1', [intAttribute('transB', 1)]),
              node('Relu', ['z1'], 'h1', 'act'),
              node('Gemm', ['h1', 'W2', 'b2'], 'y', 'fc2', [intAttribute('transB', 1)]),
            ],
            [W1, b1, W2, b2, writeTensor('mean', [], [0.5], 'float32')],
            { width },
          );
          refused(
            file,
            `the input "x" has a dimension of ${width}; expected [batch, features] with 1 to 1,000,000 features`,
          );
        },
      ),
      { numRuns: 100 },
    );
  });

  it('the 85-byte file of the issue: a weight declared [0, 2^40] is refused naming the dimension and the limit', () => {
    const t = create(TensorProtoSchema, { name: 'W1', dims: [0n, 2n ** 40n], dataType: 1 });
    const file = graphBytes([node('Gemm', ['x', 'W1'], 'y', 'fc1')], [t], { width: 0 });
    expect(file.length).toBeLessThan(120);
    refused(
      file,
      'initializer "W1": dimension 2 of the shape [0, 1099511627776] is 1099511627776; at most 1,000,000 are supported (limits.width)',
    );
  });

  it('every dimension of an exported model perturbed: read, or refused with { ok: false }; never a throw', () => {
    const good = exportOnnx({
      network: createNetwork({ widths: [3, 4, 2], activation: ['tanh', 'identity'], seed: 2 }),
    });
    const proto = decodeModel(good, 'm');
    const places = proto.graph!.initializer.flatMap((t, i) => t.dims.map((_, d) => [i, d] as const));
    fc.assert(
      fc.property(fc.nat({ max: places.length - 1 }), fc.bigInt({ min: -(2n ** 45n), max: 2n ** 45n }), (i, v) => {
        const m = decodeModel(good, 'm');
        const [ti, di] = places[i]!;
        m.graph!.initializer[ti]!.dims[di] = v;
        let r: ReturnType<typeof safeImportOnnx>;
        try {
          r = safeImportOnnx(encodeModel(m), { source: 'g.onnx' });
        } catch (e) {
          throw new Error(`safeImportOnnx threw ${e instanceof NablaError ? e.code : String(e)}`);
        }
        if (!r.ok) expect(r.error.message).toMatch(/^g\.onnx: [^\n]+$/);
      }),
      { numRuns: 200 },
    );
  });
});
