// `nabla exercise`: the same seed writes the same three files byte for byte, another seed other numbers; the answer
// key's exact fractions equal the float64 engines' results on the same network to rounding; the numbers are
// readable; exercises.json reads back, and an edited one is caught.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseRational } from 'nabla/paper';
import { parseExerciseFile } from 'nabla/teach';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gradientForms } from '../packages/nabla/src/grad/forms.js';
import { seedMatrix } from '../packages/nabla/src/grad/types.js';
import { fromRows } from '../packages/nabla/src/linalg/matrix.js';
import { getActivation } from '../packages/nabla/src/net/activation.js';
import { Column } from '../packages/nabla/src/net/column.js';
import { forward } from '../packages/nabla/src/net/forward.js';
import { Network } from '../packages/nabla/src/net/network.js';
import { bmatrices, displays, runCli } from './helpers/teach.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'nabla-exercise-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const FILES = (ext: string) => [`exercises.${ext}`, `answers.${ext}`, 'exercises.json'];

async function generate(out: string, ...args: string[]): Promise<Record<string, string>> {
  const r = await runCli(dir, 'exercise', '--out', out, ...args);
  expect(r.stderr, `nabla exercise ${args.join(' ')}`).toBe('');
  expect(r.status).toBe(0);
  const ext = args.includes('--format') ? args[args.indexOf('--format') + 1]! : 'md';
  const files: Record<string, string> = {};
  for (const f of FILES(ext)) files[f] = await readFile(join(dir, out, f), 'utf8');
  return files;
}

type Rows = string[][];
interface FileExercise {
  id: number;
  kind: string;
  form?: string;
  widths: number[];
  activations: (string | string[])[];
  W: Record<string, Rows>;
  X: Rows;
  asks: string[];
  answers: Record<string, Rows | Record<string, Rows>>;
}

const num = (s: string) => parseRational(s)!.valueOf();

/** The float64 network of an exercise (fractions → nearest doubles). */
function floatNet(ex: FileExercise): Network {
  const k = ex.widths.length - 1;
  return new Network(
    ex.widths,
    Array.from({ length: k }, (_, j) => fromRows(ex.W[String(j + 1)]!.map((r) => r.map(num)))),
    ex.activations.map((a, j) =>
      typeof a === 'string'
        ? Column.uniform(getActivation(a), ex.widths[j + 1]!)
        : new Column(a.map((n) => getActivation(n))),
    ),
  );
}

describe('nabla exercise', () => {
  it('same seed: the same files byte for byte, in every format; another seed: other numbers', async () => {
    for (const format of ['md', 'tex', 'html']) {
      const a = await generate(`a-${format}`, '--seed', '42', '--count', '4', '--format', format);
      const b = await generate(`b-${format}`, '--seed', '42', '--count', '4', '--format', format);
      expect(b).toEqual(a);
    }
    const c = await generate('c', '--seed', '43', '--count', '4');
    const a = await generate('a2', '--seed', '42', '--count', '4');
    expect(c['exercises.json']).not.toBe(a['exercises.json']);
    const Wa = (JSON.parse(a['exercises.json']!) as { exercises: FileExercise[] }).exercises.map((e) => e.W);
    const Wc = (JSON.parse(c['exercises.json']!) as { exercises: FileExercise[] }).exercises.map((e) => e.W);
    expect(Wc).not.toEqual(Wa);
  });

  it("the answer key's fractions equal the float64 engines on the same network, to rounding", async () => {
    const files = await generate(
      'key',
      '--seed',
      '7',
      '--count',
      '6',
      '--widths',
      '2,3,2,1',
      '--activations',
      'leaky_relu,square,identity',
    );
    const set = JSON.parse(files['exercises.json']!) as { exercises: FileExercise[] };
    expect(set.exercises.map((e) => e.kind)).toEqual(['forward', 'backward', 'form', 'forward', 'backward', 'form']);
    let compared = 0;
    for (const ex of set.exercises) {
      const net = floatNet(ex);
      const X = fromRows(ex.X.map((r) => r.map(num)));
      const trace = forward(net, X);
      const seed = seedMatrix(net, 1);
      const rec = gradientForms.recursive.engine(net, trace, seed);
      const form = ex.form
        ? gradientForms[ex.form as 'explicit' | 'kronecker' | 'diagonal'].engine(net, trace, seed)
        : rec;
      const float: Record<string, (i: number) => number[][]> = {
        N: (i) => trace.N.get(i).toRows(),
        S: (i) => trace.S.get(i).toRows(),
        dS: (i) => trace.dS.get(i).toRows(),
        D: (i) => rec.D!.get(i).toRows(),
        gradW: (i) => form.gradW.get(i).toRows(),
      };
      for (const [key, value] of Object.entries(ex.answers)) {
        const pairs: [Rows, number[][]][] =
          key === 'f'
            ? [[value as Rows, trace.f.toRows()]]
            : Object.entries(value as Record<string, Rows>).map(([i, m]) => [m, float[key]!(Number(i))]);
        for (const [exact, f] of pairs) {
          exact.forEach((row, r) =>
            row.forEach((q, c) => {
              expect(Math.abs(num(q) - f[r]![c]!), `exercise ${ex.id} ${key}: ${q} vs ${f[r]![c]}`).toBeLessThanOrEqual(
                1e-12 * Math.max(1, Math.abs(f[r]![c]!)),
              );
              compared++;
            }),
          );
        }
      }
    }
    expect(compared).toBeGreaterThan(60);
    // the printed key shows the same answers
    const answerDisplays = displays(files['answers.md']!).filter((d) => d.segments.length === 2);
    const printed = new Map(answerDisplays.map((d) => [d.segments[0]!, bmatrices(d.segments[1]!)[0]!]));
    const ex2 = set.exercises[1]!;
    const d1 = (ex2.answers.D as Record<string, Rows>)['1']!.map((r) => r.map(num));
    expect(printed.get('\\Delta_{1}')).toBeDefined();
    expect(
      displays(files['answers.md']!).some(
        (d) =>
          d.segments[0] === '\\Delta_{1}' && JSON.stringify(bmatrices(d.segments.at(-1)!)[0]) === JSON.stringify(d1),
      ),
    ).toBe(true);
  });

  it('keeps numbers readable: small denominators, no relu exactly at its kink, no all-zero gradient', async () => {
    const files = await generate(
      'readable',
      '--seed',
      '3',
      '--count',
      '9',
      '--widths',
      '3,2,1',
      '--activations',
      'relu,identity',
    );
    const set = JSON.parse(files['exercises.json']!) as { exercises: FileExercise[] };
    for (const ex of set.exercises) {
      for (const W of Object.values(ex.W))
        for (const q of W.flat()) expect(['-2', '-3/2', '-1', '-1/2', '0', '1/2', '1', '3/2', '2']).toContain(q);
      const net = floatNet(ex);
      const trace = forward(net, fromRows(ex.X.map((r) => r.map(num))));
      for (const v of trace.N.get(1).toRows().flat()) expect(v).not.toBe(0);
      const rec = gradientForms.recursive.engine(net, trace, seedMatrix(net, 1));
      expect(
        rec.gradW
          .get(1)
          .toRows()
          .flat()
          .some((v) => v !== 0),
      ).toBe(true);
      for (const m of Object.values(ex.answers)) {
        const all = (Array.isArray(m) ? [m] : Object.values(m)).flat(2);
        for (const q of all) expect(parseRational(q)!.d).toBeLessThanOrEqual(8n);
      }
    }
  });

  it('exercises.json reads back; an edited answer or a broken file is refused, naming the place', async () => {
    const files = await generate('rt', '--seed', '11');
    const set = parseExerciseFile(files['exercises.json']!, 'exercises.json');
    expect(set.exercises).toHaveLength(3);
    expect(set.seed).toBe(11);
    const edited = JSON.parse(files['exercises.json']!) as { exercises: FileExercise[] };
    const f = edited.exercises[0]!.answers.f as Rows;
    f[0]![0] = `${num(f[0]![0]!) + 1}`;
    expect(() => parseExerciseFile(JSON.stringify(edited), 'exercises.json')).toThrow(
      "exercises.json: exercise 1: the stored answer f does not follow from the exercise's " +
        'network and input (was the file edited? generate it again with nabla exercise)',
    );
    const broken = JSON.parse(files['exercises.json']!) as { exercises: FileExercise[] };
    broken.exercises[1]!.W['1']![0]![1] = 'x';
    expect(() => parseExerciseFile(JSON.stringify(broken), 'exercises.json')).toThrow(
      'exercises.json: exercise 2: W_1, row 1, column 2: expected an exact number like "3/4", found "x"',
    );
    expect(() => parseExerciseFile('{"format": "nabla-model"}', 'e.json')).toThrow(
      'e.json: format: expected "nabla-exercises"',
    );
    expect(() => parseExerciseFile('{', 'e.json')).toThrow(/^e\.json: /);
  });

  it('user polynomials: --poly, stored in exercises.json', async () => {
    const files = await generate(
      'poly',
      '--seed',
      '2',
      '--count',
      '2',
      '--activations',
      'cubic,identity',
      '--poly',
      'cubic=x^3 - x',
      '--kinds',
      'backward',
    );
    expect(files['exercises.json']).toContain('"polynomials": {\n    "cubic": "x^3 - x"\n  }');
    expect(files['exercises.md']).toContain('\\sigma(x) = x^{3} - x');
    expect(
      parseExerciseFile(files['exercises.json']!, 'exercises.json').exercises.every((e) => e.kind === 'backward'),
    ).toBe(true);
  });

  it('refuses options it cannot honour, with exit status 2', async () => {
    const cases: [string[], string][] = [
      [['--widths', '2,2,2'], 'the last width must be 1'],
      [
        ['--activations', 'tanh'],
        'activation "tanh": exercises need exact activations: identity, relu, leaky_relu, square',
      ],
      [['--activations', 'relu,relu,relu'], 'give one per layer (k = 2) or one for all layers'],
      [['--widths', '2,9,1'], 'exercises are computed by hand'],
      [['--kinds', 'forward,proof'], '"proof" is not one of forward, backward, form'],
      [['--count', '0'], '--count "0": expected a whole number from 1 to 50'],
    ];
    for (const [args, message] of cases) {
      const r = await runCli(dir, 'exercise', '--out', 'never', ...args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr).toContain(message);
    }
  });
});

describe('the sample sheet in docs/lecturer.md', () => {
  it('is what nabla exercise --seed 7 --count 2 prints today', async () => {
    const files = await generate('doc', '--seed', '7', '--count', '2');
    const doc = await readFile('docs/lecturer.md', 'utf8');
    for (const f of ['exercises.md', 'answers.md']) {
      const start = doc.indexOf(`<!-- ${f} -->`);
      const end = doc.indexOf(`<!-- /${f} -->`);
      expect(start, `docs/lecturer.md has <!-- ${f} --> … <!-- /${f} -->`).toBeGreaterThanOrEqual(0);
      const block = doc.slice(start, end);
      const shown = /````markdown\n([\s\S]*?)````/.exec(block)?.[1];
      expect(shown, f).toBe(files[f]);
    }
  });
});
