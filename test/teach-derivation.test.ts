// `nabla explain`: every number of a worked derivation, read back out of the Markdown, is checked against the
// library's float64 engines (src/grad, src/net/forward) and the checked products of src/linalg: each result
// (N_i, Σ_i, Σ'_i, Δ_i, ∇_{W_i} f, …) by its label, and every other matrix printed (operands and intermediate
// products of every form) must be one the test computed independently. Exact (fractions) and decimal modes.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadNetworkFile } from 'nabla/node';
import { polynomialActivation } from 'nabla/paper';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gradientForms, proof } from '../packages/nabla/src/grad/forms.js';
import { seedMatrix } from '../packages/nabla/src/grad/types.js';
import { Matrix } from '../packages/nabla/src/linalg/matrix.js';
import { diag, hadamard, kron, matmul, transpose } from '../packages/nabla/src/linalg/products.js';
import { augment } from '../packages/nabla/src/net/affine.js';
import { forward } from '../packages/nabla/src/net/forward.js';
import type { Network } from '../packages/nabla/src/net/network.js';
import { backpropagate } from '../packages/nabla/src/train/backprop.js';
import { bmatrices, closeTo, displays, runCli } from './helpers/teach.js';

let dir: string;
const cubic = polynomialActivation('cubic', 'x^3 - x');

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'nabla-explain-'));
  const model = (
    widths: number[],
    layers: { W: number[][]; activation: string | string[] }[],
    extra: Record<string, unknown> = {},
  ) => JSON.stringify({ version: 1, widths, layers, ...extra });
  await writeFile(
    join(dir, 'exact.json'),
    model(
      [3, 3, 2, 1],
      [
        {
          W: [
            [1, -0.5, 0.25],
            [2, 0.1, -1],
            [-1.5, 1, 0.5],
          ],
          activation: ['relu', 'square', 'cubic'],
        },
        {
          W: [
            [0.5, -1, 1],
            [1, 0.2, -0.5],
          ],
          activation: ['leaky_relu', 'identity'],
        },
        { W: [[1.5, -2]], activation: 'square' },
      ],
    ),
  );
  await writeFile(join(dir, 'x3.json'), JSON.stringify([0.5, -1, 0.3]));
  await writeFile(
    join(dir, 'smooth.json'),
    model(
      [2, 3, 1],
      [
        {
          W: [
            [0.7, -1.2],
            [0.4, 0.9],
            [-0.3, 0.25],
          ],
          activation: ['tanh', 'sigmoid', 'sin'],
        },
        { W: [[1.1, -0.6, 0.8]], activation: 'sigmoid' },
      ],
    ),
  );
  await writeFile(join(dir, 'x2.json'), JSON.stringify([0.5, -1.25]));
  await writeFile(
    join(dir, 'line.json'),
    model(
      [1, 1, 1, 1],
      [
        { W: [[1.5]], activation: 'square' },
        { W: [[-0.5]], activation: 'relu' },
        { W: [[2]], activation: 'identity' },
      ],
    ),
  );
  await writeFile(join(dir, 'x1.json'), JSON.stringify([-0.75]));
  await writeFile(
    join(dir, 'affine.json'),
    model(
      [2, 2, 1],
      [
        {
          W: [
            [1, -1, 0.5],
            [0.5, 2, -1],
          ],
          activation: 'tanh',
        },
        { W: [[1, -1, 0.25]], activation: 'identity' },
      ],
      { affine: true },
    ),
  );
  await writeFile(join(dir, 'sum.json'), model([2, 1], [{ W: [[0.1, 0.2]], activation: 'identity' }]));
  await writeFile(join(dir, 'ones.json'), JSON.stringify([1, 1]));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Every matrix the derivation may print, computed here from the float64 library: named results and all intermediates. */
function catalog(net: Network, X: Matrix, v?: number[]): { named: Map<string, number[][]>; all: number[][][] } {
  const k = net.k;
  const trace = forward(net, X);
  const seed = seedMatrix(net, 1, v);
  const rec = backpropagate(net, trace, seed);
  const pr = proof(net, trace, seed);
  const named = new Map<string, number[][]>();
  const all: number[][][] = [];
  const put = (m: Matrix, name?: string) => {
    const rows = m.toRows();
    all.push(rows);
    if (name) named.set(name, rows);
  };
  const W = (i: number) => net.W.get(i);
  const S = (i: number) => trace.S.get(i);
  const dS = (i: number) => trace.dS.get(i);
  put(X, 'X = \\Sigma_0');
  put(trace.f, 'f(X;W)');
  put(seed, `\\Delta_{${k + 1}}`);
  if (v) put(seed, `v = \\Delta_{${k + 1}}`);
  put(seed, `\\nabla_{\\Sigma_{${k}}} f`);
  for (let i = 1; i <= k; i++) {
    put(W(i), `W_{${i}}`);
    put(transpose(W(i)));
    put(trace.N.get(i), `N_{${i}}`);
    put(S(i), `\\Sigma_{${i}}`);
    put(dS(i), `\\Sigma'_{${i}}`);
    put(diag(dS(i)), `\\widehat{\\Sigma}'_{${i}}`);
    put(rec.D.get(i), `\\Delta_{${i}}`);
    put(rec.gradW.get(i), `\\nabla_{W_{${i}}} f`);
    if (net.n.every((w) => w === 1)) put(rec.gradW.get(i), `\\nabla_{w_{${i}}} f`);
    put(pr.gradS.get(i - 1), `\\nabla_{\\Sigma_{${i - 1}}} f`);
    put(hadamard(pr.gradS.get(i), dS(i)));
    put(transpose(S(i - 1)));
    put(kron(transpose(S(i - 1)), dS(i)));
    if (i < k) put(matmul(transpose(W(i + 1)), rec.D.get(i + 1)));
  }
  // explicit (3): Σ'_k • W_kᵀ ∘ Σ'_{k−1} • … prefixes; kronecker (4): the chain c_i; diagonal (5): left-to-right partial products
  for (let i = k; i >= 1; i--) {
    let P = v ? hadamard(seed, dS(k)) : dS(k);
    put(P);
    for (let r = k; r > i; r--) {
      P = matmul(transpose(W(r)), P);
      put(P);
      P = hadamard(P, dS(r - 1));
      put(P);
    }
    const factors: Matrix[] = [diag(dS(i))];
    for (let r = i + 1; r <= k; r++) factors.push(transpose(W(r)), diag(dS(r)));
    let M = factors[0]!;
    for (const f of factors.slice(1)) {
      M = matmul(M, f);
      put(M);
    }
    if (v) put(matmul(M, seed));
  }
  let c = seed;
  for (let i = k - 1; i >= 1; i--) {
    const h = hadamard(dS(i + 1), c);
    put(h);
    c = matmul(transpose(W(i + 1)), h);
    put(c);
  }
  return { named, all };
}

interface Checked {
  matrices: number;
  numbers: number;
  labels: Set<string>;
}

/** Checks every matrix of the Markdown against the catalog; returns what was checked. */
function checkDerivation(md: string, net: Network, X: Matrix, rel: number, v?: number[]): Checked {
  const { named, all } = catalog(net, X, v);
  const out: Checked = { matrices: 0, numbers: 0, labels: new Set() };
  for (const d of displays(md)) {
    for (const seg of d.segments) {
      for (const m of bmatrices(seg)) {
        out.matrices++;
        out.numbers += m.flat().length;
        expect(
          all.some((ref) => closeTo(m, ref, rel)),
          `a matrix in\n${d.source}\nis none of the library's values: ${JSON.stringify(m)}`,
        ).toBe(true);
      }
    }
    const label = d.segments[0]!.trim();
    const ref = named.get(label);
    if (ref && d.segments.length > 1 && d.segments[d.segments.length - 1]!.includes('bmatrix')) {
      const last = bmatrices(d.segments[d.segments.length - 1]!);
      expect(last.length, `the result of ${label} is one matrix`).toBe(1);
      expect(
        closeTo(last[0]!, ref, rel),
        `${label} = ${JSON.stringify(last[0])}, the library computes ${JSON.stringify(ref)}\n${d.source}`,
      ).toBe(true);
      out.labels.add(label);
    }
  }
  return out;
}

async function explainMd(...args: string[]): Promise<string> {
  const r = await runCli(dir, 'explain', ...args);
  expect(r.stderr, `nabla explain ${args.join(' ')}`).toBe('');
  expect(r.status).toBe(0);
  return r.stdout;
}

describe('nabla explain: every number agrees with the float64 engines', () => {
  it('exact arithmetic, every form (relu, square, a polynomial, leaky_relu, identity)', async () => {
    const md = await explainMd(
      '--model',
      'exact.json',
      '--input',
      'x3.json',
      '--exact',
      '--form',
      'all',
      '--poly',
      'cubic=x^3 - x',
    );
    const { network: net } = await loadNetworkFile(join(dir, 'exact.json'), {
      extraActivations: { cubic: cubic.float },
    });
    const X = new Matrix(3, 1, Float64Array.from([0.5, -1, 0.3]));
    const c = checkDerivation(md, net, X, 1e-12);
    for (const label of [
      'N_{1}',
      '\\Sigma_{2}',
      "\\Sigma'_{3}",
      '\\Delta_{1}',
      '\\Delta_{4}',
      '\\nabla_{W_{1}} f',
      '\\nabla_{W_{3}} f',
      'f(X;W)',
      "\\widehat{\\Sigma}'_{2}",
      '\\nabla_{\\Sigma_{0}} f',
      'W_{2}',
      'X = \\Sigma_0',
    ]) {
      expect(c.labels, label).toContain(label);
    }
    expect(c.numbers).toBeGreaterThan(400);
    expect(md).toContain('\\frac{');
    expect(md).not.toMatch(/\d\.\d{6,}/); // no long decimals in an exact derivation
    for (const section of [
      'The backward pass: the recursion (Remark 3)',
      'The explicit product, eq. (3)',
      'The Kronecker form, eq. (4)',
      'The diagonal-matrix form, eq. (5)',
      'The identities of the proof, eq. (6)/(7)',
      'Do the forms agree?',
    ]) {
      expect(md).toContain(section);
    }
    // the closing table: every form equal to the recursion exactly, and close to finite differences
    const rows = [
      ...md.matchAll(/^\| (recursive|explicit|kronecker|diagonal|proof) \| [^|]+ \| ([^|]+) \| \$([^$]+)\$ \|$/gm),
    ];
    expect(rows.map((r) => r[1])).toEqual(['recursive', 'explicit', 'kronecker', 'diagonal', 'proof']);
    for (const r of rows) {
      expect(r[2]!.trim()).toBe('yes, exactly');
      const d = r[3] === '0' ? 0 : Number(r[3]!.replace(/\\times 10\^\{(-?\d+)\}/, 'e$1'));
      expect(d).toBeLessThan(1e-6);
    }
  });

  it('decimals in float64 with non-rational activations (tanh, sigmoid, sin), every form', async () => {
    const md = await explainMd('--model', 'smooth.json', '--input', 'x2.json', '--form', 'all', '--precision', '6');
    const { network: net } = await loadNetworkFile(join(dir, 'smooth.json'));
    const c = checkDerivation(md, net, new Matrix(2, 1, Float64Array.from([0.5, -1.25])), 5e-6);
    expect(c.labels).toContain('\\nabla_{W_{1}} f');
    expect(c.labels).toContain("\\Sigma'_{1}");
    expect(c.numbers).toBeGreaterThan(150);
    expect(md).toContain('printed to 6 significant digits');
    expect(md).not.toContain('\\frac');
    const rows = [
      ...md.matchAll(/^\| (recursive|explicit|kronecker|diagonal|proof) \| [^|]+ \| \$([^$]+)\$ \| \$([^$]+)\$ \|$/gm),
    ];
    expect(rows).toHaveLength(5);
  });

  it('the one-dimensional chain (1)/(2), exact and in decimals', async () => {
    const { network: net } = await loadNetworkFile(join(dir, 'line.json'));
    const X = new Matrix(1, 1, Float64Array.from([-0.75]));
    for (const exact of [true, false]) {
      const md = await explainMd(
        '--model',
        'line.json',
        '--input',
        'x1.json',
        '--form',
        'scalar',
        ...(exact ? ['--exact'] : []),
      );
      const c = checkDerivation(md, net, X, exact ? 1e-12 : 5e-6);
      expect(c.labels).toContain('\\nabla_{w_{1}} f');
      expect(md).toContain("\\sigma'_{3}\\,w_{3}\\,\\sigma'_{2}\\,w_{2}\\,\\sigma'_{1}\\,x");
    }
  });

  it('an affine model is explained as its homogeneous network (§3), biases as the last column', async () => {
    const md = await explainMd('--model', 'affine.json', '--input', 'x2.json');
    const { network: net } = await loadNetworkFile(join(dir, 'affine.json'));
    const X = augment(new Matrix(2, 1, Float64Array.from([0.5, -1.25])));
    checkDerivation(md, net, X, 5e-6);
    expect(md).toContain('The model file is affine');
    expect(md).toContain('gradient with respect to the bias');
  });

  it('n_k > 1 with --delta v: the gradients of v·f, every form', async () => {
    await writeFile(
      join(dir, 'wide.json'),
      JSON.stringify({
        version: 1,
        widths: [2, 2, 2],
        layers: [
          {
            W: [
              [1, -0.5],
              [2, 1],
            ],
            activation: 'square',
          },
          {
            W: [
              [1.5, -1],
              [0.5, 2],
            ],
            activation: 'relu',
          },
        ],
      }),
    );
    await writeFile(join(dir, 'v.json'), JSON.stringify([1, -2]));
    const { network: net } = await loadNetworkFile(join(dir, 'wide.json'));
    const X = new Matrix(2, 1, Float64Array.from([0.5, -1.25]));
    for (const exact of [true, false]) {
      const md = await explainMd(
        '--model',
        'wide.json',
        '--input',
        'x2.json',
        '--form',
        'all',
        '--delta',
        'v.json',
        ...(exact ? ['--exact'] : []),
      );
      const c = checkDerivation(md, net, X, exact ? 1e-12 : 5e-6, [1, -2]);
      expect(c.labels).toContain('v = \\Delta_{3}');
      expect(c.labels).toContain('\\nabla_{W_{1}} f');
    }
  });

  it('prints 3/10 where float64 prints 0.30000000000000004', async () => {
    const exact = await explainMd('--model', 'sum.json', '--input', 'ones.json', '--exact');
    expect(exact).toContain('\\begin{bmatrix}\\frac{3}{10}\\end{bmatrix}');
    expect(exact).not.toContain('0.30000000000000004');
    const decimals = await explainMd('--model', 'sum.json', '--input', 'ones.json', '--precision', '17');
    expect(decimals).toContain('0.30000000000000004');
  });

  it("the form engines used for the text are the library's: each form equals src/grad to rounding", async () => {
    const { network: net } = await loadNetworkFile(join(dir, 'smooth.json'));
    const X = new Matrix(2, 1, Float64Array.from([0.5, -1.25]));
    const trace = forward(net, X);
    const seed = seedMatrix(net, 1);
    const base = gradientForms.recursive.engine(net, trace, seed).gradW;
    for (const form of ['explicit', 'kronecker', 'diagonal', 'proof'] as const) {
      const g = gradientForms[form].engine(net, trace, seed).gradW;
      for (const i of g.indices()) expect(closeTo(g.get(i).toRows(), base.get(i).toRows(), 1e-14)).toBe(true);
    }
  });
});

describe('nabla explain: options and errors', () => {
  it('refuses --exact for a non-rational activation, saying what to do (exit 2)', async () => {
    const r = await runCli(dir, 'explain', '--model', 'smooth.json', '--input', 'x2.json', '--exact');
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(
      'nabla explain: σ_11 (layer 1, neuron 1) = tanh does not map rational numbers to rational ' +
        'numbers; exact arithmetic covers identity, relu, leaky_relu, square and polynomials; run ' +
        'without --exact to get decimals (--precision digits)\n',
    );
  });

  it('refuses the scalar form for wide networks and several samples, naming them', async () => {
    const a = await runCli(dir, 'explain', '--model', 'smooth.json', '--input', 'x2.json', '--form', 'scalar');
    expect(a.status).toBe(2);
    expect(a.stderr).toContain('needs every width to be 1; smooth.json has widths [2, 3, 1]');
    await writeFile(
      join(dir, 'two.json'),
      JSON.stringify([
        [1, 2],
        [3, 4],
      ]),
    );
    const b = await runCli(dir, 'explain', '--model', 'smooth.json', '--input', 'two.json');
    expect(b.status).toBe(1);
    expect(b.stderr).toContain("two.json: 2 samples; explain works on one sample (the paper's X is a column)");
  });

  it('reads exact inputs like "1/3" with --exact', async () => {
    await writeFile(join(dir, 'third.json'), JSON.stringify(['1/3', 1]));
    const md = await explainMd('--model', 'sum.json', '--input', 'third.json', '--exact');
    expect(md).toContain('\\begin{bmatrix}\\frac{7}{30}\\end{bmatrix}'); // 1/10 · 1/3 + 1/5 · 1
  });

  it('writes --out, taking the format from the extension', async () => {
    const r = await runCli(dir, 'explain', '--model', 'sum.json', '--input', 'ones.json', '--exact', '--out', 'd.tex');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('derivation written to d.tex (tex)\n');
    expect(await readFile(join(dir, 'd.tex'), 'utf8')).toMatch(/^\\documentclass/);
    const bad = await runCli(
      dir,
      'explain',
      '--model',
      'sum.json',
      '--input',
      'ones.json',
      '--out',
      'no/such/dir/d.md',
    );
    expect(bad.status).toBe(1);
    expect(bad.stderr).toBe('nabla explain: no/such/dir/d.md: cannot write (the folder no/such/dir does not exist)\n');
  });
});
