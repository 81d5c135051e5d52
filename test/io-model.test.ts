// Model files (format nabla-model, version 1): round trips, every refusal with its exact message, safe saving.
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DataError,
  defineActivation,
  FormatError,
  type ModelMeta,
  NonFiniteError,
  parseModel,
  safeParseModel,
  serializeModel,
} from 'nabla';
import { loadNetworkFile, safeLoadNetworkFile, saveNetworkFile } from 'nabla/node';
import {
  augment,
  createAffineNetwork,
  createNetwork,
  evaluate,
  fromColumns,
  type Matrix,
  type Network,
  toHomogeneous,
} from 'nabla/paper';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { affineEvaluate } from '../packages/nabla/src/net/affine.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'nabla-io-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Same bits, entry by entry (Object.is tells −0 from 0). */
function expectBitIdentical(a: Matrix, b: Matrix): void {
  expect(a.dtype).toBe(b.dtype);
  expect([a.rows, a.cols]).toEqual([b.rows, b.cols]);
  const bad = Array.from(a.data).findIndex((v, j) => !Object.is(v, b.data[j]));
  expect(bad, `first differing entry ${bad}: ${a.data[bad]} vs ${b.data[bad]}`).toBe(-1);
}

function expectSameWeights(a: Network, b: Network): void {
  expect(b.n).toEqual(a.n);
  for (const i of a.W.indices()) expectBitIdentical(a.W.get(i), b.W.get(i));
  for (const i of a.sigma.indices()) expect(b.sigma.get(i).describe()).toEqual(a.sigma.get(i).describe());
}

const X = fromColumns([
  [0.3, -1.2, 2.5],
  [-0.7, 0.05, 1e-3],
  [1e-9, 123.456, -0.5],
]);

describe('round trip save → load → forward', () => {
  it('is bit-identical in float64 (−0 included)', () => {
    const net = createNetwork({
      widths: [3, 5, 4, 2],
      activation: [['tanh', 'relu', 'sin', 'square', 'gelu'], 'sigmoid', 'identity'],
      seed: 7,
    });
    net.W.get(2).set(1, 1, -0);
    net.W.get(2).set(0, 0, 1e-300);
    const back = parseModel(serializeModel({ network: net })).network;
    expectSameWeights(net, back);
    expect(Object.is(back.W.get(2).get(1, 1), -0)).toBe(true);
    expectBitIdentical(evaluate(net, X), evaluate(back, X));
  });

  it('is bit-identical in float32, writing each weight as its shortest float32 text', () => {
    const net = createNetwork({ widths: [3, 4, 1], activation: 'tanh', seed: 3, dtype: 'float32' });
    const text = serializeModel({ network: net });
    expect(text).toContain('"dtype": "float32"');
    const firstRow = JSON.parse(text).layers[0].W[0] as number[];
    // float32 has at most 9 significant digits; the float64 text of the same values has ~17
    firstRow.forEach((v, j) => {
      const digits = String(v).replace(/e.*$/, '').replace(/[-.]/g, '').replace(/^0+/, '');
      expect(digits.length).toBeLessThanOrEqual(9);
      expect(Math.fround(v)).toBe(net.W.get(1).data[j]); // reads back as the same float32
    });
    const back = parseModel(text).network;
    expect(back.dtype).toBe('float32');
    expectSameWeights(net, back);
    const X32 = X.as('float32');
    expectBitIdentical(evaluate(net, X32), evaluate(back, X32));
  });

  it('keeps an affine network affine, with its biases as the last column', () => {
    const affine = createAffineNetwork({
      widths: [3, 4, 2],
      activation: [['tanh', 'relu', 'sin', 'elu'], 'identity'],
      seed: 11,
    });
    affine.W.get(1).set(2, 3, 0.75); // b_1 of neuron 3
    affine.W.get(2).set(1, 4, -1.25); // b_2 of neuron 2
    const text = serializeModel({ affine });
    expect(JSON.parse(text)).toMatchObject({ widths: [3, 4, 2], affine: true });
    const model = parseModel(text);
    expect(model.affine).toBeDefined();
    expect(model.affine!.m).toEqual([3, 4, 2]);
    for (const i of affine.W.indices()) expectBitIdentical(affine.W.get(i), model.affine!.W.get(i));
    expect(model.affine!.bias(1).data[2]).toBe(0.75);
    expectSameWeights(toHomogeneous(affine), model.network);
    expectBitIdentical(evaluate(toHomogeneous(affine), augment(X)), evaluate(model.network, augment(X)));
    expectBitIdentical(affineEvaluate(affine, X), affineEvaluate(model.affine!, X));
    // a loaded affine model saves as affine again
    expect(serializeModel(model)).toBe(text);
  });

  it('round-trips every optional field, and writing is stable', () => {
    const meta: ModelMeta = {
      description: 'all fields',
      loss: 'softmax-ce',
      classes: ['a', 'b'],
      preprocessing: { standardize: { mean: [0.1, -2, 3], std: [1, 0.5, 2e-7] } },
      training: { learningRate: 0.01, batchSize: 32, dataset: 'iris', shuffle: true, note: null },
      optimizer: {
        name: 'adam',
        step: 12,
        options: { beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0 },
        state: {
          m: [
            [
              [0, 0.1, 0.2],
              [0.3, 0.4, -0.5],
            ],
            [
              [1, -1],
              [0.5, 2],
            ],
          ],
          v: [
            [
              [0, 0.01, 0.04],
              [0.09, 0.16, 0.25],
            ],
            [
              [1, 1],
              [0.25, 4],
            ],
          ],
        },
      },
      history: [
        { epoch: 1, loss: 0.9, accuracy: 0.5, valLoss: 1, valAccuracy: 0.4, seconds: 0.25 },
        { epoch: 2, loss: 0.7, accuracy: 0.6, valLoss: 0.8, valAccuracy: 0.5, seconds: 0.5 },
      ],
    };
    const net = createNetwork({ widths: [3, 2, 2], activation: 'tanh', seed: 1 });
    const text = serializeModel({ network: net, meta });
    const model = parseModel(text);
    expect(model.meta).toEqual({ ...meta, dtype: 'float64' });
    expect(serializeModel(model)).toBe(text);
    expect(Object.keys(JSON.parse(text))).toEqual([
      'format',
      'version',
      'dtype',
      'description',
      'widths',
      'affine',
      'layers',
      'loss',
      'classes',
      'preprocessing',
      'training',
      'optimizer',
      'history',
    ]);
  });

  it('resolves custom activations through extraActivations', () => {
    const cube = defineActivation({ name: 'cube', sigma: (x) => x * x * x, dsigma: (x) => 3 * x * x });
    const net = createNetwork({
      widths: [2, 2, 1],
      activation: ['cube', 'identity'],
      seed: 2,
      extraActivations: { cube },
    });
    const text = serializeModel({ network: net });
    expect(parseModel(text, { extraActivations: { cube } }).network.sigma.get(1).sigmas[0]).toBe(cube);
    expect(() => parseModel(text)).toThrow(
      'layers[0].activation: unknown activation "cube"; expected one of: identity, sigmoid, tanh, relu, leaky_relu, elu, softplus, silu, gelu, sin, square',
    );
  });
});

describe('refusals name the first problem by its path', () => {
  const W1 = [
    [1, 2, 3],
    [4, 5, 6],
  ];
  const base = {
    format: 'nabla-model',
    version: 1,
    widths: [3, 2, 1],
    layers: [
      { W: W1, activation: 'tanh' },
      { W: [[1, 2]], activation: 'identity' },
    ],
  };
  const layer0 = (l: object) => ({ ...base, layers: [{ W: W1, activation: 'tanh', ...l }, base.layers[1]] });
  const msg = (v: unknown) => {
    const r = safeParseModel(typeof v === 'string' ? v : JSON.stringify(v), { source: 'model.json' });
    if (r.ok) return 'loaded';
    expect(r.error).toBeInstanceOf(FormatError);
    return r.error.message;
  };

  it('accepts the base file', () => {
    expect(msg(base)).toBe('loaded');
  });

  it('accepts the documented minimum, widths and layers alone (version 1 assumed)', () => {
    expect(msg({ widths: base.widths, layers: base.layers })).toBe('loaded');
    const m = parseModel(JSON.stringify({ widths: [1, 1], layers: [{ W: [[2]], activation: 'identity' }] }));
    expect(m.network.W.get(1).toRows()).toEqual([[2]]);
  });

  it.each<[string, unknown, string]>([
    ['newer version', { ...base, version: 3 }, 'model.json: format version 3 is newer than this build reads (1)'],
    ['older version', { ...base, version: 0 }, 'model.json: version: expected 1, found 0'],
    ['version as text', { ...base, version: '1' }, 'model.json: version: expected 1, found "1"'],
    ['other format', { ...base, format: 'keras' }, 'model.json: format: expected "nabla-model", found "keras"'],
    [
      'one width',
      { ...base, widths: [3] },
      'model.json: widths: expected at least two widths n_0, n_1 (k ≥ 1), found an array of 1',
    ],
    ['zero width', { ...base, widths: [3, 0, 1] }, 'model.json: widths[1]: expected a number ≥ 1, found 0'],
    ['fractional width', { ...base, widths: [3, 2.5, 1] }, 'model.json: widths[1]: expected a whole number, found 2.5'],
    ['width as text', { ...base, widths: [3, 'x', 1] }, 'model.json: widths[1]: expected a number, found "x"'],
    [
      'too wide',
      { ...base, widths: [3, 2e6, 1] },
      'model.json: widths[1]: expected a whole number from 1 to 1000000, found 2000000',
    ],
    [
      'too many weights',
      { ...base, widths: [1e6, 1e6, 1] },
      'model.json: widths: [1000000, 1000000, 1] give 1,000,001,000,000 weights; at most 100,000,000 are supported (limits.parameters)',
    ],
    [
      'too few layers',
      { ...base, layers: [base.layers[0]] },
      'model.json: layers: expected 2 layers (one per W_i, k = 2), found 1',
    ],
    ['too few rows', layer0({ W: [[1, 2, 3]] }), 'model.json: layers[0].W: expected 2 rows (n_1 = 2), found 1'],
    [
      'short row',
      layer0({
        W: [
          [1, 2, 3],
          [4, 5],
        ],
      }),
      'model.json: layers[0].W[1]: expected 3 numbers, found 2',
    ],
    [
      'text entry',
      layer0({
        W: [
          [1, 2, 3],
          [4, 5, 'a'],
        ],
      }),
      'model.json: layers[0].W[1][2]: expected a number, found "a"',
    ],
    [
      'null entry',
      layer0({
        W: [
          [1, 2, 3],
          [4, null, 6],
        ],
      }),
      'model.json: layers[0].W[1][1]: expected a number, found null',
    ],
    [
      'unknown activation',
      layer0({ activation: 'tanhh' }),
      'model.json: layers[0].activation: unknown activation "tanhh"; expected one of: identity, ' +
        'sigmoid, tanh, relu, leaky_relu, elu, softplus, silu, gelu, sin, square',
    ],
    [
      'unknown per-neuron activation',
      layer0({ activation: ['tanh', 'x'] }),
      'model.json: layers[0].activation[1]: unknown activation "x"; expected one of: identity, ' +
        'sigmoid, tanh, relu, leaky_relu, elu, softplus, silu, gelu, sin, square',
    ],
    [
      'per-neuron count',
      layer0({ activation: ['tanh'] }),
      'model.json: layers[0].activation: expected one activation name for the layer, or 2 (one per neuron, n_1 = 2), found 1',
    ],
    [
      'activation not a name',
      layer0({ activation: 5 }),
      'model.json: layers[0].activation: expected an activation name or an array of 2 names, found 5',
    ],
    ['unknown key in a layer', layer0({ bias: [1, 2] }), 'model.json: layers[0]: unexpected key "bias"'],
    ['unknown top-level key', { ...base, layer: [] }, 'model.json: unexpected key "layer"'],
    ['misspelt key', { ...base, layers: undefined, layer: [] }, 'model.json: unexpected key "layer"'],
    ['bad dtype', { ...base, dtype: 'float16' }, 'model.json: dtype: expected "float32" or "float64", found "float16"'],
    [
      'bad loss',
      { ...base, loss: 'hinge' },
      'model.json: loss: expected "mse" or "softmax-ce" or "bce", found "hinge"',
    ],
    [
      'mixed classes',
      { ...base, classes: ['a', 1] },
      'model.json: classes[1]: expected all labels to be strings like classes[0], found 1',
    ],
    [
      'repeated class',
      { ...base, classes: ['a', 'a'] },
      'model.json: classes[1]: "a" appears twice; class labels must be distinct',
    ],
    ['no classes', { ...base, classes: [] }, 'model.json: classes: expected at least one class label'],
    [
      'short mean',
      { ...base, preprocessing: { standardize: { mean: [0, 0], std: [1, 1, 1] } } },
      'model.json: preprocessing.standardize.mean: expected 3 numbers (n_0 = 3), found 2',
    ],
    [
      'zero std',
      { ...base, preprocessing: { standardize: { mean: [0, 0, 0], std: [1, 0, 1] } } },
      'model.json: preprocessing.standardize.std[1]: expected a standard deviation > 0, found 0',
    ],
    [
      'history text',
      { ...base, history: [{ epoch: 1, loss: 'x' }] },
      'model.json: history[0].loss: expected a number, found "x"',
    ],
    [
      'negative step',
      { ...base, optimizer: { name: 'adam', step: -1 } },
      'model.json: optimizer.step: expected a number ≥ 0, found -1',
    ],
    [
      'state per layer',
      { ...base, optimizer: { name: 'adam', step: 1, state: { m: [W1] } } },
      'model.json: optimizer.state.m: expected 2 matrices (one per layer, k = 2), found 1',
    ],
    [
      'state shape',
      { ...base, optimizer: { name: 'adam', step: 1, state: { m: [W1, [[0, 0, 0]]] } } },
      'model.json: optimizer.state.m[1][0]: expected 2 numbers, found 3',
    ],
    [
      'option value',
      { ...base, optimizer: { name: 'adam', step: 1, options: { lr: [1] } } },
      'model.json: optimizer.options.lr: expected a finite number, a string or a boolean, found an array of 1',
    ],
    [
      'training value',
      { ...base, training: { a: {} } },
      'model.json: training.a: expected a finite number, a string, a boolean or null, found an object',
    ],
    [
      'constructor in a record',
      { ...base, training: { constructor: 1 } },
      'model.json: training.constructor: the key "constructor" is not allowed',
    ],
    [
      'float32 overflow',
      {
        ...base,
        dtype: 'float32',
        layers: [
          {
            W: [
              [1, 2, 3],
              [4, 5, 1e39],
            ],
            activation: 'tanh',
          },
          base.layers[1],
        ],
      },
      'model.json: layers[0].W[1][2]: 1e+39 is outside the float32 range (±3.4028235e38)',
    ],
    [
      'affine row without bias',
      { ...base, affine: true },
      'model.json: layers[0].W[0]: expected 4 numbers (m_0 = 3 weights and the bias), found 3',
    ],
    [
      'an array',
      [1, 2],
      'model.json: expected a JSON object {"format": "nabla-model", "version": 1, …}, found an array',
    ],
  ])('%s', (_name, value, expected) => {
    expect(msg(value)).toBe(expected);
  });

  it('refuses numbers that parse to Infinity', () => {
    expect(msg(JSON.stringify(base).replace('[1,2,3]', '[1,2,1e400]'))).toBe(
      'model.json: layers[0].W[0][2]: expected a finite number, found Infinity',
    );
  });

  it('refuses an own "__proto__" key (JSON.parse makes one) instead of dropping it', () => {
    expect(msg(JSON.stringify(base).replace('{', '{"__proto__": {"polluted": 1},'))).toBe(
      'model.json: __proto__: the key "__proto__" is not allowed',
    );
    expect(msg(JSON.stringify({ ...base, training: { lr: 0.1 } }).replace('"lr"', '"__proto__"'))).toBe(
      'model.json: training.__proto__: the key "__proto__" is not allowed',
    );
    expect(msg(JSON.stringify({ ...base, history: [{ x: 1 }] }).replace('"x"', '"__proto__"'))).toBe(
      'model.json: history[0].__proto__: the key "__proto__" is not allowed',
    );
    expect(msg(JSON.stringify(base).replace('{', '{"constructor": 1,'))).toBe(
      'model.json: constructor: the key "constructor" is not allowed',
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('says where a JSON syntax error is', () => {
    expect(msg('{"a": }')).toBe("model.json: not valid JSON: expected a value, found '}' at line 1, column 7");
    expect(msg('{\n  "version": 1,\n  "widths": [1, 1]\n  "layers": []\n}')).toBe(
      "model.json: not valid JSON: expected ',' or '}', found '\"' at line 4, column 3",
    );
    expect(msg('{"version": 1} x')).toBe(
      "model.json: not valid JSON: expected the end of the text after the JSON value, found 'x' at line 1, column 16",
    );
    expect(msg('[1, 2')).toBe(
      "model.json: not valid JSON: expected ',' or ']', found the end of the text at line 1, column 6",
    );
    expect(msg('  \n')).toBe('model.json: the file is empty; expected a JSON model');
  });

  it('checks the widths before walking big arrays', () => {
    const huge = JSON.stringify({
      ...base,
      widths: [1e6, 1e6, 1],
      layers: [{ W: new Array(5e5).fill([0]), activation: 'tanh' }],
    });
    // the layers hold 500,000 rows that do not fit: the refusal is about the widths, found before the rows are walked
    expect(msg(huge)).toMatch(/give 1,000,001,000,000 weights/);
  });

  it('throws from parseModel and returns the error from safeParseModel', () => {
    expect(() => parseModel('{"version": 2}')).toThrow(FormatError);
    expect(() => parseModel('{"version": 2}')).toThrow('format version 2 is newer than this build reads (1)');
    const r = safeParseModel('{"version": 2}', { source: 'm.json' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toBe('m.json: format version 2 is newer than this build reads (1)');
  });
});

describe('files', () => {
  it('loadNetworkFile names a missing file', async () => {
    const path = join(dir, 'missing.json');
    await expect(loadNetworkFile(path)).rejects.toThrow(DataError);
    await expect(loadNetworkFile(path)).rejects.toThrow(`${path}: no such file`);
    await expect(loadNetworkFile(path, { source: 'missing.json' })).rejects.toThrow('missing.json: no such file');
    const r = await safeLoadNetworkFile(path);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toBeInstanceOf(DataError);
  });

  it('saveNetworkFile writes what serializeModel returns, and loadNetworkFile reads it back', async () => {
    const path = join(dir, 'ok.json');
    const net = createNetwork({ widths: [2, 3, 1], activation: 'relu', seed: 5 });
    await saveNetworkFile(path, { network: net, meta: { description: 'saved' } });
    expect(await readFile(path, 'utf8')).toBe(serializeModel({ network: net, meta: { description: 'saved' } }));
    const model = await loadNetworkFile(path);
    expectSameWeights(net, model.network);
    expect(model.meta.description).toBe('saved');
    const r = await safeLoadNetworkFile(path);
    expect(r.ok).toBe(true);
  });

  it('never truncates: a model that cannot be written leaves the old file intact', async () => {
    const sub = join(dir, 'keep');
    await mkdir(sub);
    const path = join(sub, 'model.json');
    const old = createNetwork({ widths: [2, 2, 1], activation: 'tanh', seed: 1 });
    await saveNetworkFile(path, { network: old });
    const before = await readFile(path, 'utf8');
    const bad = createNetwork({ widths: [2, 2, 1], activation: 'tanh', seed: 2 });
    bad.W.get(2).set(0, 1, Number.NaN);
    await expect(saveNetworkFile(path, { network: bad })).rejects.toThrow(NonFiniteError);
    await expect(saveNetworkFile(path, { network: bad })).rejects.toThrow(
      'serializeModel: layers[1].W[0][1] is NaN; a model file holds finite numbers only',
    );
    await expect(saveNetworkFile(path, { network: old, meta: { classes: ['a', 'a'] } })).rejects.toThrow(FormatError);
    expect(await readFile(path, 'utf8')).toBe(before);
    expect(await readdir(sub)).toEqual(['model.json']);
  });

  it('goes through a temporary file that is removed when the rename fails', async () => {
    const sub = join(dir, 'target-is-dir');
    await mkdir(join(sub, 'model.json'), { recursive: true });
    await writeFile(join(sub, 'model.json', 'inside'), 'x');
    const net = createNetwork({ widths: [1, 1], activation: 'identity', seed: 1 });
    await expect(saveNetworkFile(join(sub, 'model.json'), { network: net })).rejects.toThrow(DataError);
    expect((await readdir(sub)).sort()).toEqual(['model.json']);
  });
});

describe('docs/model-format.md', () => {
  it('its hand-written examples load', async () => {
    const doc = await readFile(new URL('../docs/model-format.md', import.meta.url), 'utf8');
    const example = /```json\n([\s\S]*?)```/.exec(doc)![1]!;
    const model = parseModel(example, { source: 'docs example' });
    expect(model.affine?.m).toEqual([2, 3, 1]);
    expect(model.network.n).toEqual([3, 4, 1]);
    expect(model.affine!.sigma.get(1).describe()).toEqual(['tanh', 'relu', 'sin']);
    expect(model.meta.loss).toBe('bce');
    expect(model.meta.optimizer?.step).toBe(200);
    const minimal = /The smallest valid file: `(.*?)`/.exec(doc)![1]!;
    expect(parseModel(minimal).network.W.get(1).data[0]).toBe(2);
  });
});
