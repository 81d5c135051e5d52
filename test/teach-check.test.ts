// `nabla check`: each classic mistake, built here independently in float64 (the library's forward pass and
// recursion plus the checked products of src/linalg, written out as decimals), is fed to the CLI and must be named;
// right answers pass with exit status 0 (fractions exactly, decimals within 1e-9); malformed files, wrong shapes
// and non-numbers get one clear line naming the file, the matrix and the entry.
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseRational } from 'nabla/paper';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedMatrix } from '../packages/nabla/src/grad/types.js';
import { fromRows, type Matrix } from '../packages/nabla/src/linalg/matrix.js';
import { hadamard, matmul, transpose } from '../packages/nabla/src/linalg/products.js';
import { getActivation } from '../packages/nabla/src/net/activation.js';
import { Column } from '../packages/nabla/src/net/column.js';
import { forward, type Trace } from '../packages/nabla/src/net/forward.js';
import { Network } from '../packages/nabla/src/net/network.js';
import { backpropagate } from '../packages/nabla/src/train/backprop.js';
import { runCli } from './helpers/teach.js';

let dir: string;

type Rows = string[][];
interface FileExercise {
  id: number;
  widths: number[];
  activations: (string | string[])[];
  W: Record<string, Rows>;
  X: Rows;
  answers: Record<string, Rows | Record<string, Rows>>;
}

const num = (s: string) => parseRational(s)!.valueOf();

interface Float {
  W: (i: number) => Matrix;
  trace: Trace;
  D: (i: number) => Matrix;
  gradW: (i: number) => Matrix;
}

function floatOf(ex: FileExercise): Float {
  const k = ex.widths.length - 1;
  const net = new Network(
    ex.widths,
    Array.from({ length: k }, (_, j) => fromRows(ex.W[String(j + 1)]!.map((r) => r.map(num)))),
    ex.activations.map((a, j) =>
      typeof a === 'string'
        ? Column.uniform(getActivation(a), ex.widths[j + 1]!)
        : new Column(a.map((n) => getActivation(n))),
    ),
  );
  const trace = forward(net, fromRows(ex.X.map((r) => r.map(num))));
  const g = backpropagate(net, trace, seedMatrix(net, 1));
  return { W: (i) => net.W.get(i), trace, D: (i) => g.D.get(i), gradW: (i) => g.gradW.get(i) };
}

/** A matrix as the student writes it: decimals with every digit (JSON numbers). */
const decimals = (m: Matrix) => m.toRows();

async function check(
  exerciseFile: string,
  answer: unknown,
  name = 'answers.json',
): Promise<{ status: number; stdout: string; stderr: string }> {
  await writeFile(join(dir, name), typeof answer === 'string' ? answer : JSON.stringify(answer));
  return runCli(dir, 'check', '--exercise', exerciseFile, '--answer', name);
}

/** The report lines about one matrix (its line and the indented lines under it). */
function block(stdout: string, symbol: string): string {
  const lines = stdout.split('\n');
  const start = lines.findIndex((l) => l.startsWith(`  ${symbol} `));
  if (start < 0) throw new Error(`no line for ${symbol} in:\n${stdout}`);
  let end = start + 1;
  while (end < lines.length && /^ {6,}/.test(lines[end]!)) end++;
  return lines.slice(start, end).join('\n');
}

let backward: FileExercise;
let forwardEx: FileExercise;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'nabla-check-'));
  // widths [2, 2, 2, 1]: W_2 is square, so "W instead of Wᵀ" fits; square activations make every Σ' differ from 1
  let r = await runCli(
    dir,
    'exercise',
    '--seed',
    '3',
    '--count',
    '1',
    '--widths',
    '2,2,2,1',
    '--activations',
    'square,square,identity',
    '--kinds',
    'backward',
    '--out',
    'back',
  );
  expect(r.stderr).toBe('');
  backward = (JSON.parse(await readFile(join(dir, 'back', 'exercises.json'), 'utf8')) as { exercises: FileExercise[] })
    .exercises[0]!;
  r = await runCli(
    dir,
    'exercise',
    '--seed',
    '4',
    '--count',
    '1',
    '--widths',
    '2,2,1',
    '--activations',
    'square,identity',
    '--kinds',
    'forward',
    '--out',
    'fwd',
  );
  expect(r.stderr).toBe('');
  forwardEx = (JSON.parse(await readFile(join(dir, 'fwd', 'exercises.json'), 'utf8')) as { exercises: FileExercise[] })
    .exercises[0]!;
  await copyFile('test/fixtures/teach/thirds.json', join(dir, 'thirds.json'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('nabla check names the classic mistakes', () => {
  it('each mistake, built independently, is named for its matrix', async () => {
    const f = floatOf(backward);
    const { trace } = f;
    const S = (i: number) => trace.S.get(i);
    const dS = (i: number) => trace.dS.get(i);
    const cases: { key: string; index: number; symbol: string; value: Matrix; title: string }[] = [
      // Σ' forgotten: Δ_1 = W_2ᵀ·Δ_2, the ∘ Σ'_1 dropped
      { key: 'D', index: 1, symbol: 'Δ_1', value: matmul(transpose(f.W(2)), f.D(2)), title: "Σ' forgotten" },
      // W and Wᵀ swapped: Δ_1 = (W_2·Δ_2) ∘ Σ'_1
      {
        key: 'D',
        index: 1,
        symbol: 'Δ_1',
        value: hadamard(matmul(f.W(2), f.D(2)), dS(1)),
        title: 'W and Wᵀ swapped',
      },
      // the product in the wrong order: Σ_0·Δ_1ᵀ for Δ_1·Σ_0ᵀ
      {
        key: 'gradW',
        index: 1,
        symbol: '∇_{W_1} f',
        value: matmul(S(0), transpose(f.D(1))),
        title: 'the product taken in the wrong order',
      },
      // an index shifted by one layer: Σ_2 for Σ_1 in ∇_{W_2} f, and Σ'_2 for Σ'_1 in Δ_1
      {
        key: 'gradW',
        index: 2,
        symbol: '∇_{W_2} f',
        value: matmul(f.D(2), transpose(S(2))),
        title: 'an index shifted by one layer',
      },
      {
        key: 'D',
        index: 1,
        symbol: 'Δ_1',
        value: hadamard(matmul(transpose(f.W(2)), f.D(2)), dS(2)),
        title: 'an index shifted by one layer',
      },
      // the transpose on the wrong factor: Δ_2ᵀ·Σ_1 for Δ_2·Σ_1ᵀ
      {
        key: 'gradW',
        index: 2,
        symbol: '∇_{W_2} f',
        value: matmul(transpose(f.D(2)), S(1)),
        title: 'the transpose on the wrong factor or left out',
      },
    ];
    // the mistakes must really differ from the right answer (else the exercise could not tell them apart)
    for (const c of cases) {
      const right = c.key === 'D' ? f.D(c.index) : f.gradW(c.index);
      expect(JSON.stringify(c.value.toRows()), `${c.title} for ${c.symbol} equals the right answer`).not.toBe(
        JSON.stringify(right.toRows()),
      );
    }
    for (const c of cases) {
      const r = await check('back/exercises.json', {
        exercises: [{ id: 1, [c.key]: { [String(c.index)]: decimals(c.value) } }],
      });
      expect(r.status, c.title).toBe(1);
      const b = block(r.stdout, c.symbol);
      expect(b, `${c.title}:\n${r.stdout}`).toMatch(
        new RegExp(`(probably|or) ${c.title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: `),
      );
    }
  });

  it("Σ' forgotten at every step of the recursion, and a mistake carried forward from the student's own Δ", async () => {
    const f = floatOf(backward);
    const noDs3 = fromRows([[1]]);
    const noDs2 = matmul(transpose(f.W(3)), noDs3);
    const noDs1 = matmul(transpose(f.W(2)), noDs2);
    const gradW1 = matmul(noDs1, transpose(f.trace.S.get(0)));
    const r = await check('back/exercises.json', {
      exercises: [
        {
          id: 1,
          D: { '3': decimals(noDs3), '2': decimals(noDs2), '1': decimals(noDs1) },
          gradW: { '1': decimals(gradW1) },
        },
      ],
    });
    expect(block(r.stdout, 'Δ_3')).toMatch(/right$/); // Σ'_3 = 1 (identity): nothing to forget
    expect(block(r.stdout, 'Δ_2')).toContain("probably Σ' forgotten: Δ_2 = W_3ᵀ·Δ_3 without ∘ Σ'_2");
    expect(block(r.stdout, 'Δ_1')).toMatch(/Σ' forgotten: Σ' left out at every step of the recursion/);
    expect(block(r.stdout, '∇_{W_1} f')).toContain(
      'probably an earlier mistake carried forward: ∇_{W_1} f = Δ_1·Σ_0ᵀ is right for the Δ_1 you gave',
    );
  });

  it("forward pass: σ not applied, and Σ and Σ' swapped", async () => {
    const f = floatOf(forwardEx);
    const r = await check('fwd/exercises.json', {
      exercises: [{ id: 1, S: { '1': decimals(f.trace.N.get(1)) }, dS: { '1': decimals(f.trace.S.get(1)) } }],
    });
    expect(block(r.stdout, 'Σ_1')).toMatch(/(probably|or) σ not applied: Σ_1 = N_1/);
    expect(block(r.stdout, "Σ'_1")).toMatch(/(probably|or) Σ and Σ' swapped: Σ_1\(N_1\) given for Σ'_1\(N_1\)/);
  });
});

describe('nabla check grades entries', () => {
  it('all right: exit status 0; fractions exact, decimals within 1e-9', async () => {
    const answers = {
      exercises: [
        {
          id: 1,
          N: { '1': [['-2/3']] },
          S: { '1': [[-0.6666666666666666]] },
          dS: { '1': [[1]] },
          f: [['-0.66666666667']],
        },
      ],
    };
    const r = await check('thirds.json', answers);
    expect(r.stdout).toContain('exercise 1 (the forward pass; widths [2, 1]): 4 of 4 right');
    expect(r.stdout).toContain('exercise 2 (backpropagation; widths [2, 2, 1]): 0 of 4 right');
    // exercise 2 unanswered → exit 1; answer it too
    const all = {
      exercises: [
        ...answers.exercises,
        {
          id: 2,
          D: { '2': [1], '1': [['22/3'], ['0']] },
          gradW: {
            '2': [['121/36', 0]],
            '1': [
              [7.333333333333333, 11],
              [0, 0],
            ],
          },
        },
      ],
    };
    const ok = await check('thirds.json', all);
    expect(ok.stderr).toBe('');
    expect(ok.status).toBe(0);
    expect(ok.stdout.trim().split('\n').at(-1)).toBe('score: 8 of 8 matrices right');
  });

  it('a decimal rounded too early is wrong, with a hint', async () => {
    const r = await check('thirds.json', { exercises: [{ id: 1, N: { '1': [[-0.666667]] } }] });
    expect(r.status).toBe(1);
    expect(block(r.stdout, 'N_1')).toMatch(
      /N_1 +wrong in 1 of 1 entry: \(1,1\) is -0\.666667, expected -2\/3 \(close: give the fraction, or 10 or more digits\)/,
    );
    expect(r.stderr).toBe('nabla check: 8 of 8 matrices are not right (see above)\n');
  });

  it('answers as CSV files, one per matrix', async () => {
    await mkdir(join(dir, 'csv'));
    await writeFile(join(dir, 'csv', '2.D_1.csv'), '# Δ_1\n22/3\n0\n');
    await writeFile(join(dir, 'csv', '2.gradW_1.csv'), '22/3, 11\n0, 0.0\n');
    await writeFile(join(dir, 'csv', '1.f.csv'), '-2/3\n');
    const r = await runCli(dir, 'check', '--exercise', 'thirds.json', '--answer', 'csv');
    expect(block(r.stdout, 'Δ_1')).toBe('  Δ_1        right');
    expect(block(r.stdout, '∇_{W_1} f')).toBe('  ∇_{W_1} f  right');
    expect(block(r.stdout, 'f')).toContain('right');
    expect(r.stdout).toContain('score: 3 of 8 matrices right');
    await writeFile(join(dir, 'csv', 'notes.csv'), '1\n');
    const bad = await runCli(dir, 'check', '--exercise', 'thirds.json', '--answer', 'csv');
    expect(bad.status).toBe(1);
    expect(bad.stderr).toBe(
      `nabla check: ${join('csv', 'notes.csv')}: the file name does not say which matrix it ` +
        `holds; expected <exercise>.<matrix>_<i>.csv like 1.D_2.csv, 1.gradW_1.csv, 2.N_1.csv or 2.f.csv\n`,
    );
  });
});

describe('nabla check: malformed input gets one clear line', () => {
  it('a non-number names the file, the exercise, the matrix and the entry', async () => {
    const r = await check('thirds.json', { exercises: [{ id: 2, D: { '1': [['22/3'], ['zero']] } }] });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain(
      'answers.json: exercise 2, Δ_1, row 2, column 1: "zero" is not a number (write a fraction like 3/4 or a decimal like 0.75)',
    );
  });

  it('a wrong shape names the expected and found shapes', async () => {
    const r = await check('thirds.json', { exercises: [{ id: 2, gradW: { '1': [['22/3'], ['11']] } }] });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('answers.json: exercise 2, ∇_{W_1} f: expected 2×2, found 2×1');
  });

  it('ragged rows, unknown keys, exercises that do not exist', async () => {
    let r = await check('thirds.json', { exercises: [{ id: 2, gradW: { '1': [['1', '2'], ['3']] } }] });
    expect(r.stdout).toContain('answers.json: exercise 2, ∇_{W_1} f: row 2 has 1 entries but row 1 has 2');
    r = await check('thirds.json', { exercises: [{ id: 2, Delta: { '1': [[1]] } }] });
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(
      'nabla check: answers.json: exercise 2: unknown key "Delta"; expected f, N, S, dS, D, gradW (S is Σ, dS is Σ\', D is Δ, gradW is ∇_{W_i} f)\n',
    );
    r = await check('thirds.json', { exercises: [{ id: 9, f: [[1]] }] });
    expect(r.stdout).toContain('answers.json: exercise 9: there is no such exercise (the set has 1, 2)');
  });

  it('broken JSON and broken exercise files: exit status 1, one line', async () => {
    let r = await check('thirds.json', '{"exercises": [');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^nabla check: answers\.json: .*line 1/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    r = await check('answers.json', { exercises: [] });
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(
      'nabla check: answers.json: format: expected "nabla-exercises" (a file written by nabla exercise), found nothing\n',
    );
    r = await runCli(dir, 'check', '--exercise', 'missing.json', '--answer', 'answers.json');
    expect(r.stderr).toBe('nabla check: missing.json: no such file\n');
  });

  it('usage mistakes: exit status 2', async () => {
    const r = await runCli(dir, 'check', '--exercise', 'thirds.json');
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(
      "nabla check: required option --answer <path> (one student's answers) or --class <path> (a class's answer " +
        'files) not specified\n',
    );
  });
});
