// Principle 13 by property: an activation chain is read by its structure. Every way a catalog activation is written
// (nabla's float32 and float64 exports of each, PyTorch 1.13's files under test/fixtures/onnx, a Gelu node of
// opset 20, polynomials of the file's metadata written by Horner) is perturbed here at random: a scalar constant
// changed, an attribute changed or added, one more operator (unary, or with a constant such as a cap min(·, 1000)
// or min(·, 1e6)) inserted after any operator of the chain or after the layer's product, the operands of Sub or Div
// swapped. Each perturbed file is refused with one FormatError naming the node (name and op type) where it
// departs; never read as an activation. Swapping the operands of Add, Mul, Min and Max, which changes nothing,
// keeps the model.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { create } from '@bufbuild/protobuf';
import fc from 'fast-check';
import { exportOnnx, FormatError, importOnnx, safeImportOnnx, serializeModel } from 'nabla';
import { createAffineNetwork, polynomialActivation } from 'nabla/paper';
import { describe, expect, it } from 'vitest';
import {
  AttributeProto_AttributeType,
  AttributeProtoSchema,
  type ModelProto,
  type NodeProto,
  NodeProtoSchema,
} from '../packages/nabla/src/onnx/generated/onnx_pb.js';
import {
  decodeModel,
  encodeModel,
  floatAttribute,
  intAttribute,
  readTensor,
  writeTensor,
} from '../packages/nabla/src/onnx/proto.js';

/** The chain operators: everything elementwise nabla and PyTorch write inside an activation. */
const CHAIN = new Set(['Relu', 'LeakyRelu', 'Elu', 'Tanh', 'Sigmoid', 'Softplus', 'Sin', 'Gelu']);
for (const op of ['Exp', 'Log', 'Neg', 'Abs', 'Add', 'Sub', 'Mul', 'Div', 'Pow', 'Min', 'Max']) CHAIN.add(op);

interface Base {
  label: string;
  bytes: Uint8Array;
  dtype: 'float32' | 'float64';
}

const fixtures = join(import.meta.dirname, 'fixtures', 'onnx');
const written = ['leaky_relu', 'elu', 'softplus', 'silu', 'gelu', 'tanh', 'sigmoid', 'relu', 'sin', 'square'];
const bases: Base[] = [
  ...(['float32', 'float64'] as const).flatMap((dtype) =>
    written.map((a) => ({
      label: `nabla ${dtype} ${a}`,
      dtype,
      bytes: exportOnnx({
        affine: createAffineNetwork({ widths: [2, 3, 1], activation: [a, 'identity'], seed: 4, dtype }),
      }),
    })),
  ),
  ...(['float32', 'float64'] as const).flatMap((dtype) =>
    ['x^3 - x', '1/3x^2 + 2', '-0.25x^4 + x'].map((text) => ({
      label: `nabla ${dtype} polynomial ${text}`,
      dtype,
      bytes: exportOnnx(
        {
          affine: createAffineNetwork({
            widths: [2, 3, 1],
            activation: [polynomialActivation('p', text).float, 'identity'],
            seed: 4,
            dtype,
          }),
        },
        { polynomials: { p: text } },
      ),
    })),
  ),
  ...['deep-leaky-elu-softplus-op13', 'gelu-silu-identity-op17', 'gelu-silu-op11', 'tanh-sigmoid-nobias-op11'].map(
    (name) => ({
      label: `PyTorch ${name}`,
      dtype: 'float32' as const,
      bytes: new Uint8Array(readFileSync(join(fixtures, `${name}.onnx`))),
    }),
  ),
  { label: 'a Gelu node (opset 20)', dtype: 'float32', bytes: geluNodeFile() },
];

/** nabla's float32 gelu file with its written-out chain replaced by one Gelu node, approximate="tanh", opset 20. */
function geluNodeFile(): Uint8Array {
  const m = decodeModel(
    exportOnnx({ affine: createAffineNetwork({ widths: [2, 3, 1], activation: ['gelu', 'identity'], seed: 4 }) }),
    'gelu',
  );
  const g = m.graph!;
  const [first, second] = g.node.filter((n) => n.opType === 'Gemm');
  const gelu = create(NodeProtoSchema, {
    opType: 'Gelu',
    name: 'act/Gelu',
    input: [first!.output[0]!],
    output: ['h1'],
    attribute: [
      create(AttributeProtoSchema, {
        name: 'approximate',
        type: AttributeProto_AttributeType.STRING,
        s: new TextEncoder().encode('tanh'),
      }),
    ],
  });
  second!.input[0] = 'h1';
  g.node = [first!, gelu, second!];
  m.opsetImport[0]!.version = 20n;
  m.irVersion = 9n;
  return encodeModel(m);
}

/** The nodes of the chains (elementwise operators), and the scalar constants they read: [node, input index]. */
function chainParts(m: ModelProto) {
  const g = m.graph!;
  const scalarInits = new Set(g.initializer.filter((t) => readTensor(t, 't').data.length === 1).map((t) => t.name));
  const constantNodes = new Set(g.node.filter((n) => n.opType === 'Constant').map((n) => n.output[0]!));
  const nodes = g.node.filter((n) => CHAIN.has(n.opType));
  const constants = nodes.flatMap((n) =>
    n.input.flatMap((name, j) => (scalarInits.has(name) || constantNodes.has(name) ? [[n, j] as const] : [])),
  );
  // where one more operator may go: after a chain operator, or after a layer's product
  const sites = g.node.filter((n) => CHAIN.has(n.opType) || n.opType === 'Gemm' || n.opType === 'MatMul');
  return { nodes, constants, sites };
}

type Perturbation =
  | { kind: 'constant'; pick: number; value: number }
  | { kind: 'alpha'; pick: number; value: number }
  | { kind: 'attribute'; pick: number }
  | { kind: 'unary'; pick: number; op: string }
  | { kind: 'binary'; pick: number; op: string; value: number; constFirst: boolean }
  | { kind: 'cap'; op: 'Min' | 'Max'; value: number }
  | { kind: 'swap'; pick: number };

const anyNumber = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.double({ min: -10, max: 10, noNaN: true }),
  fc.constantFrom(0, 1, -1, 0.5, 6, 1000, 1e6, -1e6, 0.01, 0.044715, Math.sqrt(2 / Math.PI)),
);
const perturbation: fc.Arbitrary<Perturbation> = fc.oneof(
  fc.record({ kind: fc.constant('constant' as const), pick: fc.nat(), value: anyNumber }),
  fc.record({ kind: fc.constant('alpha' as const), pick: fc.nat(), value: anyNumber }),
  fc.record({ kind: fc.constant('attribute' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('unary' as const), pick: fc.nat(), op: fc.constantFrom('Neg', 'Abs', 'Exp', 'Log') }),
  fc.record({
    kind: fc.constant('binary' as const),
    pick: fc.nat(),
    op: fc.constantFrom('Add', 'Sub', 'Mul', 'Div', 'Min', 'Max'),
    value: anyNumber,
    constFirst: fc.boolean(),
  }),
  fc.record({
    kind: fc.constant('cap' as const),
    op: fc.constantFrom('Min' as const, 'Max' as const),
    value: fc.oneof(fc.constantFrom(6, 1000, 1e6, 1e30), fc.double({ min: -1e9, max: 1e9, noNaN: true })),
  }),
  fc.record({ kind: fc.constant('swap' as const), pick: fc.nat() }),
);

const stored = (v: number, dtype: Base['dtype']) => (dtype === 'float32' ? Math.fround(v) : v);

/**
 * The base file perturbed, and the node the refusal must name ([name, op type]); undefined when the perturbation
 * does not apply to this file (no constant, no alpha, no Sub or Div) or changes nothing (the same constant).
 */
function perturb(
  base: Base,
  p: Perturbation,
): { bytes: Uint8Array; node: NodeProto; twins?: NodeProto[]; say?: string } | undefined {
  const m = decodeModel(base.bytes, base.label);
  const g = m.graph!;
  const { nodes, constants, sites } = chainParts(m);
  const pick = <T>(xs: readonly T[], i: number) => (xs.length === 0 ? undefined : xs[i % xs.length]);
  const scalar = (name: string, v: number) => {
    g.initializer.push(writeTensor(name, [], [v], base.dtype));
    return name;
  };
  /** A new node reading the output of `site` (the site now writes `…_pre`); its output keeps the site's name. */
  const insertAfter = (site: NodeProto, make: (input: string, output: string) => NodeProto) => {
    const out = site.output[0]!;
    site.output[0] = `${out}_pre`;
    const extra = make(`${out}_pre`, out);
    g.node.splice(g.node.indexOf(site) + 1, 0, extra);
    return extra;
  };
  switch (p.kind) {
    case 'constant': {
      const at = pick(constants, p.pick);
      if (!at) return undefined;
      const [node, j] = at;
      const old = constantValue(m, node.input[j]!);
      if (stored(p.value, base.dtype) === stored(old, base.dtype)) return undefined;
      node.input[j] = scalar('perturbed', p.value);
      return { bytes: encodeModel(m), node };
    }
    case 'alpha': {
      const node = pick(
        nodes.filter((n) => n.opType === 'LeakyRelu' || n.opType === 'Elu'),
        p.pick,
      );
      if (!node) return undefined;
      const want = node.opType === 'Elu' ? 1 : 0.01;
      if (Math.fround(p.value) === Math.fround(want)) return undefined;
      node.attribute = [floatAttribute('alpha', Math.fround(p.value))];
      return { bytes: encodeModel(m), node, say: 'alpha' };
    }
    case 'attribute': {
      const node = pick(nodes, p.pick);
      if (!node) return undefined;
      node.attribute.push(intAttribute('broadcast', 1));
      return { bytes: encodeModel(m), node, say: 'the attribute "broadcast"' };
    }
    case 'unary': {
      const site = pick(sites, p.pick)!;
      const node = insertAfter(site, (i, o) =>
        create(NodeProtoSchema, { opType: p.op, name: 'extra', input: [i], output: [o] }),
      );
      return { bytes: encodeModel(m), node, twins: twinsOf(m, node, base.dtype) };
    }
    case 'binary': {
      const site = pick(sites, p.pick)!;
      // Add of a constant right after a layer without a bias is that layer's bias (as tf2onnx writes it)
      if (p.op === 'Add' && site.opType === 'MatMul') return undefined;
      const c = scalar('extra_c', p.value);
      const node = insertAfter(site, (i, o) =>
        create(NodeProtoSchema, { opType: p.op, name: 'extra', input: p.constFirst ? [c, i] : [i, c], output: [o] }),
      );
      return { bytes: encodeModel(m), node, twins: twinsOf(m, node, base.dtype) };
    }
    case 'cap': {
      // after the last operator of the first layer's chain, before the next layer
      const second = g.node.filter((n) => n.opType === 'Gemm' || n.opType === 'MatMul')[1]!;
      const last = g.node.find((n) => n.output[0] === second.input[0])!;
      if (!CHAIN.has(last.opType)) return undefined;
      const c = scalar('cap', p.value);
      const node = insertAfter(last, (i, o) =>
        create(NodeProtoSchema, { opType: p.op, name: 'cap_node', input: [i, c], output: [o] }),
      );
      return { bytes: encodeModel(m), node };
    }
    case 'swap': {
      const node = pick(
        nodes.filter((n) => n.opType === 'Sub' || n.opType === 'Div'),
        p.pick,
      );
      if (!node) return undefined;
      node.input = [node.input[1]!, node.input[0]!];
      return { bytes: encodeModel(m), node };
    }
  }
}

/**
 * The operators no structure can tell from the inserted one `extra`: of its op type and, when it has a constant
 * operand, with the same constant; of one input, right before or after it (Log(Log(s)): either Log is one too many).
 */
function twinsOf(m: ModelProto, extra: NodeProto, dtype: Base['dtype']): NodeProto[] {
  const g = m.graph!;
  const constants = (n: NodeProto) =>
    n.input.filter((name) => isConstant(m, name)).map((name) => stored(constantValue(m, name), dtype));
  const mine = constants(extra);
  return g.node.filter(
    (n) =>
      n !== extra &&
      n.opType === extra.opType &&
      (mine.length === 0
        ? n.input.includes(extra.output[0]!) || extra.input.includes(n.output[0]!)
        : constants(n).some((v) => mine.includes(v))),
  );
}

function isConstant(m: ModelProto, name: string): boolean {
  const g = m.graph!;
  return (
    g.initializer.some((t) => t.name === name) || g.node.some((n) => n.opType === 'Constant' && n.output[0] === name)
  );
}

function constantValue(m: ModelProto, name: string): number {
  const init = m.graph!.initializer.find((t) => t.name === name);
  if (init) return readTensor(init, name).data[0]!;
  const node = m.graph!.node.find((n) => n.output[0] === name)!;
  return readTensor(node.attribute.find((a) => a.name === 'value')!.t!, name).data[0]!;
}

describe('principle 13: a chain that is not exactly a catalog pattern is refused, naming the node', () => {
  it('every base file is read (the control)', () => {
    for (const b of bases) expect(safeImportOnnx(b.bytes).ok, b.label).toBe(true);
  });

  it('every perturbation of every way an activation is written: one FormatError line naming the node, never read', () => {
    fc.assert(
      fc.property(fc.nat({ max: bases.length - 1 }), perturbation, (i, p) => {
        const base = bases[i]!;
        const changed = perturb(base, p);
        fc.pre(changed !== undefined);
        const { bytes, node, twins, say } = changed!;
        const r = safeImportOnnx(bytes, { source: 'p.onnx' });
        if (r.ok) {
          const acts = r.model.network.sigma.indices().map((k) => r.model.network.sigma.get(k).sigmas[0]!.name);
          expect.fail(`${base.label} with ${JSON.stringify(p)} was read, as ${acts.join(', ')}`);
        }
        const e = (r as { error: FormatError }).error;
        expect(e).toBeInstanceOf(FormatError);
        expect(e.code).toBe('format');
        expect(e.message).not.toContain('\n');
        const named = [node, ...(twins ?? [])].map((n) => `p.onnx: operator ${n.opType} (node "${n.name}"): `);
        expect(
          named.some((prefix) => e.message.startsWith(prefix)),
          `${e.message}\nexpected: ${named[0]}`,
        ).toBe(true);
        if (say !== undefined) expect(e.message).toContain(say);
        expect(() => importOnnx(bytes, { source: 'p.onnx' })).toThrow(e.message);
      }),
      { numRuns: 600 },
    );
  });

  it('a cap far beyond where anything was ever probed (1000, 1e6) on relu is refused as the issue asks', () => {
    const base = bases.find((b) => b.label === 'nabla float32 relu')!;
    for (const value of [6, 1000, 1e6]) {
      const { bytes } = perturb(base, { kind: 'cap', op: 'Min', value })!;
      expect(() => importOnnx(bytes, { source: 'relu6.onnx' })).toThrow(
        `relu6.onnx: operator Min (node "cap_node"): layer 1 after node "layer1/Gemm_0": the chain ` +
          `Min(Relu(z), ${value}) is no activation of the catalog: Min is applied to relu (Relu, node ` +
          '"layer1/Relu_1"); expected the chain to end with the activation',
      );
    }
  });
});

describe('principle 13: a Gelu node where the opset has none', () => {
  it('Gelu in files of opsets 7 to 19 is refused naming the node and the opset; 20 and later read it', () => {
    const base = bases.find((b) => b.label === 'a Gelu node (opset 20)')!;
    for (let opset = 7; opset <= 23; opset++) {
      const m = decodeModel(base.bytes, 'gelu');
      m.opsetImport[0]!.version = BigInt(opset);
      const r = safeImportOnnx(encodeModel(m), { source: 'gelu.onnx' });
      if (opset >= 20) expect(r.ok, `opset ${opset}`).toBe(true);
      else
        expect((r as { error: FormatError }).error.message).toBe(
          'gelu.onnx: operator Gelu (node "act/Gelu"): Gelu is an operator of opset 20 and later; ' +
            `the file imports opset ${opset}`,
        );
    }
  });
});

describe('principle 13: a chain too long to be an activation', () => {
  it('40 squarings in a row (a tree of 2^41 operators from 40 nodes) are refused at once, naming the last node', () => {
    const base = bases.find((b) => b.label === 'nabla float32 square')!;
    const m = decodeModel(base.bytes, 'square');
    const g = m.graph!;
    const square = g.node.find((n) => n.opType === 'Mul')!;
    const out = square.output[0]!;
    let h = out;
    const more = Array.from({ length: 40 }, (_, k) => {
      const o = k === 39 ? out : `sq${k}`;
      const n = create(NodeProtoSchema, { opType: 'Mul', name: `sq${k}`, input: [h, h], output: [o] });
      h = o;
      return n;
    });
    square.output[0] = 'sq_in';
    more[0]!.input = ['sq_in', 'sq_in'];
    g.node.splice(g.node.indexOf(square) + 1, 0, ...more);
    expect(() => importOnnx(encodeModel(m), { source: 'deep.onnx' })).toThrow(
      new RegExp(
        String.raw`^deep\.onnx: operator Mul \(node "sq39"\): layer 1 after node "layer1\/Gemm_0": the chain ending ` +
          String.raw`here has [\d,]+ operators and operands written out as a tree; expected a catalog activation`,
      ),
    );
  });
});

describe('principle 13: what changes nothing changes nothing', () => {
  it('the operands of Add, Mul, Min and Max in any order: the same model', () => {
    fc.assert(
      fc.property(
        fc.nat({ max: bases.length - 1 }),
        fc.array(fc.boolean(), { minLength: 12, maxLength: 12 }),
        (i, flips) => {
          const base = bases[i]!;
          const m = decodeModel(base.bytes, base.label);
          chainParts(m)
            .nodes.filter((n) => ['Add', 'Mul', 'Min', 'Max'].includes(n.opType))
            .forEach((n, j) => {
              if (flips[j % flips.length]) n.input = [n.input[1]!, n.input[0]!];
            });
          expect(serializeModel(importOnnx(encodeModel(m)))).toBe(serializeModel(importOnnx(base.bytes)));
        },
      ),
      { numRuns: 150 },
    );
  });
});
