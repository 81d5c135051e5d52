// The `nabla` CLI, run in-process through main() with captured streams (plus one real process at the end).
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseModel } from 'nabla';
import { loadNetworkFile } from 'nabla/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../packages/cli/src/main.js';
import { cliIn } from './helpers/cli.js';
import { expectCentralDifferences } from './helpers/differences.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'nabla-cli-'));
  await writeFile(join(dir, 'x3.json'), JSON.stringify([0.5, -1, 2]));
  await writeFile(
    join(dir, 'x3b.json'),
    JSON.stringify([
      [0.5, -1, 2],
      [0.1, 0.2, 0.3],
    ]),
  );
  await writeFile(join(dir, 'x2.json'), JSON.stringify([1, 2]));
  await writeFile(join(dir, 'bad.json'), '{"version": 1,\n  "widths": [3, 1]\n');
  await writeFile(join(dir, 'v3.json'), JSON.stringify([1, 2, 3]));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
const { run, ok } = cliIn(() => dir);

type Rows = number[][];
interface GradJson {
  f: Rows;
  N: Record<string, Rows>;
  S: Record<string, Rows>;
  dS: Record<string, Rows>;
  D: Record<string, Rows>;
  gradW: Record<string, Rows>;
  forms?: Record<string, number>;
}

const shape = (m: Rows) => [m.length, m[0]!.length];

describe('nabla init', () => {
  it('writes a loadable model with the requested per-neuron activations', async () => {
    const out = await ok(
      'init',
      '--widths',
      '3,4,1',
      '--activation',
      'tanh,relu,sin,square;identity',
      '--seed',
      '1',
      '--out',
      'm.json',
    );
    expect(out).toBe(
      'wrote m.json: n = [3, 4, 1], Σ_1 = [tanh, relu, sin, square], Σ_2 = identity; 16 weights (glorot, seed 1)\n',
    );
    const model = await loadNetworkFile(join(dir, 'm.json'));
    expect(model.network.n).toEqual([3, 4, 1]);
    expect(model.network.sigma.get(1).describe()).toEqual(['tanh', 'relu', 'sin', 'square']);
    expect(model.network.sigma.get(2).describe()).toBe('identity');
    expect(model.affine).toBeUndefined();
  });

  it('writes affine models, per-layer activations and activation files', async () => {
    await writeFile(join(dir, 'acts.json'), JSON.stringify([['tanh', 'relu', 'elu'], 'sigmoid']));
    await ok(
      'init',
      '--widths',
      '2,3,1',
      '--affine',
      '--activation',
      '@acts.json',
      '--init',
      'he',
      '--seed',
      '4',
      '--out',
      'a.json',
    );
    const model = await loadNetworkFile(join(dir, 'a.json'));
    expect(model.affine?.m).toEqual([2, 3, 1]);
    expect(model.network.n).toEqual([3, 4, 1]);
    expect(model.affine!.sigma.get(1).describe()).toEqual(['tanh', 'relu', 'elu']);
    const perLayer = parseModel(await ok('init', '--widths', '2,3,3,1', '--activation', 'relu;tanh;identity')).network;
    expect(perLayer.sigma.indices().map((i) => perLayer.sigma.get(i).describe())).toEqual(['relu', 'tanh', 'identity']);
    const single = parseModel(await ok('init', '--widths', '4,2', '--activation', 'sin,square')).network;
    expect(single.sigma.get(1).describe()).toEqual(['sin', 'square']);
  });

  it('gives the same file for the same seed, and prints the model without --out', async () => {
    await ok('init', '--widths', '3,5,2', '--seed', '9', '--out', 's1.json');
    await ok('init', '--widths', '3,5,2', '--seed', '9', '--out', 's2.json');
    await ok('init', '--widths', '3,5,2', '--seed', '10', '--out', 's3.json');
    const [a, b, c] = await Promise.all(['s1.json', 's2.json', 's3.json'].map((f) => readFile(join(dir, f), 'utf8')));
    expect(a).toBe(b);
    expect(a).not.toBe(c);
    expect(await ok('init', '--widths', '3,5,2', '--seed', '9')).toBe(a);
  });

  it('writes float32 models', async () => {
    const model = parseModel(await ok('init', '--widths', '2,2,1', '--dtype', 'float32'));
    expect(model.network.dtype).toBe('float32');
  });
});

describe('nabla grad', () => {
  it('--json has f, N, S, dS, D and gradW keyed by the paper index, samples as columns', async () => {
    await ok('init', '--widths', '3,4,1', '--activation', 'tanh', '--seed', '1', '--out', 'g.json');
    const j = JSON.parse(await ok('grad', '--model', 'g.json', '--input', 'x3b.json', '--json')) as GradJson;
    expect(Object.keys(j)).toEqual(['f', 'N', 'S', 'dS', 'D', 'gradW']);
    expect(shape(j.f)).toEqual([1, 2]);
    expect(Object.keys(j.N)).toEqual(['1', '2']);
    expect(Object.keys(j.S)).toEqual(['0', '1', '2']);
    expect(Object.keys(j.dS)).toEqual(['1', '2']);
    expect(Object.keys(j.D)).toEqual(['1', '2', '3']);
    expect(Object.keys(j.gradW)).toEqual(['1', '2']);
    expect(j.S['0']).toEqual([
      [0.5, 0.1],
      [-1, 0.2],
      [2, 0.3],
    ]);
    expect([shape(j.N['1']!), shape(j.N['2']!), shape(j.D['1']!), shape(j.D['3']!)]).toEqual([
      [4, 2],
      [1, 2],
      [4, 2],
      [1, 2],
    ]);
    expect(j.D['3']).toEqual([[1, 1]]);
    expect([shape(j.gradW['1']!), shape(j.gradW['2']!)]).toEqual([
      [4, 3],
      [1, 4],
    ]);
    // ∇_{W_1} f = Δ_1·Σ_0ᵀ, summed over the two samples
    const D1 = j.D['1']!;
    const X = j.S['0']!;
    expect(j.gradW['1']![2]![1]).toBeCloseTo(D1[2]![0]! * X[1]![0]! + D1[2]![1]! * X[1]![1]!, 14);
    expect(j.f).toEqual(j.S['2']);
  });

  it('prints every quantity labelled with the paper symbols', async () => {
    await ok('init', '--widths', '3,4,1', '--activation', 'tanh', '--seed', '1', '--out', 'g.json');
    const out = await ok('grad', '--model', 'g.json', '--input', 'x3.json', '--precision', '4');
    for (const label of [
      'Σ_0 = X',
      'N_1 = W_1·Σ_0',
      'Σ_1 = Σ_1(N_1)',
      "Σ'_1 = Σ'_1(N_1)",
      'N_2 = W_2·Σ_1',
      'f = Σ_2(N_2)',
      'Δ_3 = W_3ᵀ = 1',
      "Δ_2 = Δ_3 ∘ Σ'_2",
      "Δ_1 = (W_2ᵀ·Δ_2) ∘ Σ'_1",
      '∇_{W_1} f = Δ_1·Σ_0ᵀ',
      '∇_{W_2} f = Δ_2·Σ_1ᵀ',
    ]) {
      expect(out).toContain(`\n${label}   (`);
    }
    expect(out).toContain('Σ_0 = X   (3×1)\n  [  0.5 ]\n  [ -1   ]\n  [  2   ]\n');
  });

  it('names the bias column for affine models', async () => {
    await ok('init', '--widths', '3,2,1', '--affine', '--seed', '3', '--out', 'aff.json');
    const out = await ok('grad', '--model', 'aff.json', '--input', 'x3.json');
    expect(out).toContain('last column (column 4 of 4) is the bias gradient ∇_{b_1} f');
    expect(out).toContain('last column (column 3 of 3) is the bias gradient ∇_{b_2} f');
    const j = JSON.parse(await ok('grad', '--model', 'aff.json', '--input', 'x3.json', '--json')) as GradJson;
    expect(j.S['0']).toEqual([[0.5], [-1], [2], [1]]); // §3 (a): the constant 1 appended
  });

  it("--json on an affine model gives each ∇W_i in the shape of that layer's W in the file, checked by finite differences", async () => {
    await ok(
      'init',
      '--widths',
      '3,2,1',
      '--affine',
      '--activation',
      'tanh;identity',
      '--seed',
      '3',
      '--out',
      'affg.json',
    );
    const file = JSON.parse(await readFile(join(dir, 'affg.json'), 'utf8')) as { layers: { W: number[][] }[] };
    const j = JSON.parse(await ok('grad', '--model', 'affg.json', '--input', 'x3.json', '--json')) as GradJson & {
      homogeneous: { n: number[]; gradW: Record<string, Rows> };
    };
    expect(j.gradW['1']!.map((r) => r.length)).toEqual(file.layers[0]!.W.map((r) => r.length)); // 2 × 4
    expect(j.gradW['2']!.map((r) => r.length)).toEqual(file.layers[1]!.W.map((r) => r.length)); // 1 × 3
    expect(j.homogeneous.n).toEqual([4, 3, 1]);
    expect(j.homogeneous.gradW['1']).toHaveLength(3); // with the formal neuron's row
    // f(x) = A_2·tanh(A_1 x + b_1) + b_2 written out here; central differences in each entry of the file's W_i
    const x = [0.5, -1, 2];
    const f = (L: number[][][]) => {
      const h = L[0]!.map((row) => Math.tanh(row[0]! * x[0]! + row[1]! * x[1]! + row[2]! * x[2]! + row[3]!));
      return L[1]![0]![0]! * h[0]! + L[1]![0]![1]! * h[1]! + L[1]![0]![2]!;
    };
    const W = file.layers.map((l) => l.W);
    expectCentralDifferences(W, f, (li, r, c) => j.gradW[String(li + 1)]![r]![c]!, 8);
  });

  // Every form agrees with the recursion. The numeric form is the only one that can disagree, at a relu kink;
  // the relu networks below use seeds and inputs whose relu pre-activations N stay ≥ 1e-3 away from 0, which
  // the test asserts (the finite-difference step is 1e-4·max(1, |w|)).
  it.each<[string, string[], string, string[]]>([
    ['3,4,1 tanh', ['--widths', '3,4,1', '--activation', 'tanh', '--seed', '1'], 'x3b.json', []],
    [
      '2,5,3,1 mixed per neuron',
      ['--widths', '2,5,3,1', '--activation', 'tanh,relu,sin,square,gelu;sigmoid;identity', '--seed', '2'],
      'x2.json',
      [],
    ],
    [
      '1,1,1 (the scalar form applies)',
      ['--widths', '1,1,1', '--activation', 'sigmoid;tanh', '--seed', '5'],
      'x1.json',
      [],
    ],
    [
      'affine 3,4,2 mixed, with v',
      ['--widths', '3,4,2', '--affine', '--activation', 'tanh,relu,sin,elu;identity', '--seed', '6'],
      'x3b.json',
      ['--delta', 'v2.json'],
    ],
    [
      '3,6,1 relu, uniform init',
      ['--widths', '3,6,1', '--activation', 'relu;identity', '--init', 'uniform', '--seed', '8'],
      'x3b.json',
      [],
    ],
  ])('--form all: every form within 1e-9 of the recursion (%s)', async (_name, init, input, extra) => {
    await writeFile(join(dir, 'x1.json'), JSON.stringify([[0.7], [-1.3]]));
    await writeFile(join(dir, 'v2.json'), JSON.stringify([0.5, -2]));
    await ok('init', ...init, '--out', 'all.json');
    const j = JSON.parse(
      await ok('grad', '--model', 'all.json', '--input', input, '--form', 'all', '--json', ...extra),
    ) as GradJson;
    const model = await loadNetworkFile(join(dir, 'all.json'));
    const net = model.network;
    const expected = [
      'recursive',
      'explicit',
      'kronecker',
      'diagonal',
      ...(net.n.every((w) => w === 1) ? ['scalar'] : []),
      'proof',
      'numeric',
    ];
    expect(Object.keys(j.forms!)).toEqual(expected);
    for (const [form, d] of Object.entries(j.forms!)) expect(d, form).toBeLessThanOrEqual(1e-9);
    for (const i of net.sigma.indices()) {
      net.sigma.get(i).sigmas.forEach((a, r) => {
        if (a.name === 'relu')
          for (const v of j.N[String(i)]![r]!)
            expect(Math.abs(v), `N_${i}[${r}] near the relu kink`).toBeGreaterThan(1e-3);
      });
    }
    const text = await ok('grad', '--model', 'all.json', '--input', input, '--form', 'all', ...extra);
    expect(text).toContain('forms: largest |∇_{W_i} f − ∇_{W_i} f (recursive)|');
    expect(text).toMatch(/\n {2}kronecker +\(4\) +\S+ +Kronecker form\n/);
  });

  it('uses the chosen form for ∇W', async () => {
    await ok('init', '--widths', '1,1,1', '--activation', 'tanh', '--seed', '2', '--out', 'one.json');
    await writeFile(join(dir, 'x1.json'), JSON.stringify([0.3]));
    const rec = JSON.parse(await ok('grad', '--model', 'one.json', '--input', 'x1.json', '--json')) as GradJson;
    const sca = JSON.parse(
      await ok('grad', '--model', 'one.json', '--input', 'x1.json', '--json', '--form', 'scalar'),
    ) as GradJson;
    expect(sca.gradW['1']![0]![0]).toBeCloseTo(rec.gradW['1']![0]![0]!, 15);
    expect(await ok('grad', '--model', 'one.json', '--input', 'x1.json', '--form', 'scalar')).toContain(
      'gradient, scalar form (1)/(2)',
    );
  });
});

describe('mistakes: one line on stderr, status 2 for usage and 1 for data', () => {
  beforeAll(async () => {
    await ok('init', '--widths', '3,4,1', '--seed', '1', '--out', 'm.json');
    await ok('init', '--widths', '3,4,2', '--seed', '1', '--out', 'm2.json');
  });

  it.each<[string[], string, number]>([
    [['foo'], "nabla: unknown command 'foo'", 2],
    [['init'], "nabla init: required option '--widths <list>' not specified", 2],
    [['init', '--widths', '3,x'], 'nabla init: --widths "3,x": "x" is not a whole number (example: --widths 3,4,1)', 2],
    [['init', '--widths', '3'], 'nabla init: --widths "3": give at least 2 numbers (example: --widths 3,4,1)', 2],
    [
      ['init', '--widths', '3,0,1'],
      'nabla init: --widths "3,0,1": n_1 = 0; expected a whole number from 1 to 1000000',
      2,
    ],
    [
      ['init', '--widths', '3,4,1', '--activation', 'tanhh'],
      'nabla init: --activation: unknown activation "tanhh"; expected one of: identity, ' +
        'sigmoid, tanh, relu, leaky_relu, elu, softplus, silu, gelu, sin, square',
      2,
    ],
    [
      ['init', '--widths', '3,4,1', '--activation', 'tanh,relu;identity'],
      'nabla init: --activation "tanh,relu;identity": layer 1 lists 2 activations for 4 neurons; give one, or one per neuron',
      2,
    ],
    [
      ['init', '--widths', '3,4,1', '--activation', 'tanh;relu;identity'],
      'nabla init: --activation "tanh;relu;identity": 3 layers given for k = 2 layers; separate layers with ";" and neurons with ","',
      2,
    ],
    [['init', '--widths', '3,4,1', '--activation', '@nope.json'], 'nabla init: nope.json: no such file', 1],
    [
      ['init', '--widths', '3,4,1', '--init', 'foo'],
      "nabla init: option '--init <scheme>' argument 'foo' is invalid. Allowed choices are glorot, he, uniform.",
      2,
    ],
    [
      ['init', '--widths', '3,4,1', '--seed', '1.5'],
      'nabla init: --seed "1.5": expected a whole number (example: --seed 1)',
      2,
    ],
    [['init', '--widths', '3,4,1', '--bogus'], "nabla init: unknown option '--bogus'", 2],
    [
      ['init', '--widths', '3,4,1', '--out', 'no/such/dir/m.json'],
      'nabla init: no/such/dir/m.json: cannot write (the folder no/such/dir does not exist)',
      1,
    ],
    [['grad', '--model', 'm.json'], "nabla grad: required option '--input <path>' not specified", 2],
    [['grad', '--model', 'missing.json', '--input', 'x3.json'], 'nabla grad: missing.json: no such file', 1],
    [
      ['grad', '--model', 'bad.json', '--input', 'x3.json'],
      "nabla grad: bad.json: not valid JSON: expected ',' or '}', found the end of the text at line 3, column 1",
      1,
    ],
    [
      ['grad', '--model', 'x3.json', '--input', 'x3.json'],
      'nabla grad: x3.json: expected a JSON object {"format": "nabla-model", "version": 1, …}, found an array',
      1,
    ],
    [
      ['grad', '--model', 'm.json', '--input', 'x2.json'],
      'nabla grad: x2.json: sample 0 has 2 numbers, expected n_0 = 3',
      1,
    ],
    [['grad', '--model', 'm.json', '--input', 'nope.json'], 'nabla grad: nope.json: no such file', 1],
    [
      ['grad', '--model', 'm.json', '--input', 'x3.json', '--form', 'foo'],
      "nabla grad: option '--form <name>' argument 'foo' is invalid. Allowed choices are " +
        'recursive, explicit, kronecker, diagonal, scalar, proof, numeric, all.',
      2,
    ],
    [
      ['grad', '--model', 'm.json', '--input', 'x3.json', '--form', 'scalar'],
      'nabla grad: --form scalar: the scalar form (1)/(2) needs every width to be 1; m.json has widths [3, 4, 1]',
      2,
    ],
    [
      ['grad', '--model', 'm.json', '--input', 'x3.json', '--precision', '0'],
      'nabla grad: --precision "0": expected a whole number from 1 to 17 (example: --precision 6)',
      2,
    ],
    [
      ['grad', '--model', 'm2.json', '--input', 'x3.json'],
      'nabla grad: --delta is required: n_k = 2 > 1, so a vector v of 2 numbers (--delta v.json) takes the place of Δ_3 = 1 (the gradients are then ∇_W (v·f))',
      2,
    ],
    [
      ['grad', '--model', 'm2.json', '--input', 'x3.json', '--delta', 'v3.json'],
      'nabla grad: v3.json: v has 3 numbers, expected n_k = 2',
      1,
    ],
  ])('nabla %j', async (args, message, status) => {
    const r = await run(...args);
    expect(r.stderr).toBe(`${message}\n`);
    expect(r.status).toBe(status);
    expect(r.stdout).toBe('');
  });

  it('asks for a command when none is given', async () => {
    const r = await run();
    expect(r.stderr).toMatch(/^nabla: expected a command \(init, grad(, [a-z]+)*\); see nabla --help\n$/);
    expect(r.status).toBe(2);
  });

  it('prints the stack trace only with --debug', async () => {
    const plain = await run('grad', '--model', 'missing.json', '--input', 'x3.json');
    expect(plain.stderr).not.toMatch(/\n\s+at /);
    const debug = await run('grad', '--model', 'missing.json', '--input', 'x3.json', '--debug');
    expect(debug.status).toBe(1);
    expect(debug.stderr.split('\n')[0]).toBe('nabla grad: missing.json: no such file');
    expect(debug.stderr).toMatch(/\n\s+at /);
  });

  it('reports an internal error in one line with status 1', async () => {
    let stderr = '';
    const status = await main(['init', '--widths', '2,1'], {
      stdout: {
        write: () => {
          throw new TypeError('stdout is broken');
        },
      },
      stderr: { write: (s: string) => (stderr += s) },
      cwd: dir,
    });
    expect(status).toBe(1);
    expect(stderr).toBe('nabla init: internal error: stdout is broken (run with --debug for the stack trace)\n');
  });

  it('help and version exit 0', async () => {
    expect((await run('--help')).stdout).toContain('Usage: nabla');
    expect((await run('grad', '--help')).stdout).toContain('--form <name>');
    expect((await run('--version')).stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });
});

describe('a real process', () => {
  it('tsx packages/cli/src/main.ts sets the exit status and writes one stderr line', async () => {
    const root = fileURLToPath(new URL('..', import.meta.url));
    // tsx run directly (not through npx, whose own warnings about the project's .npmrc would land on stderr too)
    const tsx = join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs');
    const spawn = (args: string[]) =>
      new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
        execFile(process.execPath, [tsx, 'packages/cli/src/main.ts', ...args], { cwd: root }, (err, stdout, stderr) => {
          resolve({ code: err ? Number((err as { code?: unknown }).code) : 0, stdout, stderr });
        });
      });
    const missing = await spawn(['grad', '--model', join(dir, 'missing.json'), '--input', join(dir, 'x3.json')]);
    expect(missing).toEqual({
      code: 1,
      stdout: '',
      stderr: `nabla grad: ${join(dir, 'missing.json')}: no such file\n`,
    });
    const usage = await spawn(['init', '--widths', '3,x']);
    expect(usage).toEqual({
      code: 2,
      stdout: '',
      stderr: 'nabla init: --widths "3,x": "x" is not a whole number (example: --widths 3,4,1)\n',
    });
  });
});
