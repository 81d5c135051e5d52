// `nabla check --class` on a class of 33, two exercises each (backpropagation, then ∇_{W_1} f in a form the variant
// draws): 30 answer sets, each with one classic mistake injected by hand here (the wrong matrix computed in this
// file with fraction.js from the network of class.json: Σ' left out, the sign, the wrong order, an index shifted, a
// mistake carried forward; the wrong order in both exercises), one copied from another student's variant, one naming
// another variant, one not handed in. Every injected mistake is named at its step, the gradebook's totals are the
// hand-written ones, the report counts the students per mistake, exercise (and form) and step, its chart renders in
// Chromium (docs/screenshots/class-report.png), and bad folders are refused with one line and nothing written.
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse } from 'csv-parse/sync';
import Fraction from 'fraction.js';
import { gradeClass, parseAnswerJson, parseClassFile } from 'nabla/teach';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_PATH, chromiumTool, haveTool } from './helpers/system-tools.js';
import { runCli } from './helpers/teach.js';

type M = Fraction[][];
const mat = (rows: string[][]): M => rows.map((r) => r.map((x) => new Fraction(x)));
const T = (a: M): M => a[0]!.map((_, c) => a.map((row) => row[c]!));
const mul = (a: M, b: M): M =>
  a.map((row) => b[0]!.map((_, c) => row.reduce((s, x, k) => s.add(x.mul(b[k]![c]!)), new Fraction(0))));
const had = (a: M, b: M): M => a.map((row, r) => row.map((x, c) => x.mul(b[r]![c]!)));
const neg = (a: M): M => a.map((row) => row.map((x) => x.neg()));
const relu = (a: M): M => a.map((row) => row.map((x) => (x.compare(0) > 0 ? x : new Fraction(0))));
const drelu = (a: M): M => a.map((row) => row.map((x) => new Fraction(x.compare(0) > 0 ? 1 : 0)));
const same = (a: M, b: M) =>
  a.length === b.length && a.every((row, r) => row.length === b[r]!.length && row.every((x, c) => x.equals(b[r]![c]!)));
const text = (a: M) => a.map((row) => row.map((x) => x.toFraction()));

interface StoredExercise {
  kind: string;
  form?: string;
  W: Record<string, string[][]>;
  X: string[][];
  answers: Record<string, Record<string, string[][]>>;
}
interface Stored {
  id: string;
  variant: number;
  exercises: [StoredExercise, StoredExercise];
}

/** The worked network of a student's exercise, by hand: Σ_0 … Σ_2, Σ'_1, Σ'_2, Δ_1 … Δ_3, ∇_{W_1} f … ∇_{W_3} f. */
function worked(s: Stored, j = 0) {
  const ex = s.exercises[j]!;
  const [W1, W2, W3] = ['1', '2', '3'].map((i) => mat(ex.W[i]!)) as [M, M, M];
  const S0 = mat(ex.X);
  const N1 = mul(W1, S0);
  const [S1, dS1] = [relu(N1), drelu(N1)];
  const N2 = mul(W2, S1);
  const [S2, dS2] = [relu(N2), drelu(N2)];
  const D3 = [[new Fraction(1)]]; // Δ_4 = 1, σ_3 the identity: Δ_3 = 1 ∘ 1
  const D2 = had(mul(T(W3), D3), dS2);
  const D1 = had(mul(T(W2), D2), dS1);
  return { W2, W3, S0, S1, S2, D1, D2, D3, G1: mul(D1, T(S0)), G2: mul(D2, T(S1)), G3: mul(D3, T(S2)) };
}
type Worked = ReturnType<typeof worked>;

/** The injected mistakes: the matrices they change, the titles nabla must name there, the matrices still right. */
const MISTAKES: Record<
  string,
  { inject: (w: Worked) => Record<string, M>; named: Record<string, string>; right: number }
> = {
  'Σ′ left out of Δ_1': {
    inject: (w) => ({ D_1: mul(T(w.W2), w.D2) }),
    named: { D_1: "Σ' forgotten" },
    right: 5,
  },
  'Σ′ left out of Δ_2, carried into ∇W_2': {
    inject: (w) => ({ D_2: mul(T(w.W3), w.D3), gradW_2: mul(mul(T(w.W3), w.D3), T(w.S1)) }),
    named: { D_2: "Σ' forgotten", gradW_2: 'an earlier mistake carried forward' },
    right: 4,
  },
  'Σ′ left out of ∇W_1': {
    inject: (w) => ({ gradW_1: mul(mul(T(w.W2), w.D2), T(w.S0)) }),
    named: { gradW_1: "Σ' forgotten" },
    right: 5,
  },
  'the sign of ∇W_1': { inject: (w) => ({ gradW_1: neg(w.G1) }), named: { gradW_1: 'the sign flipped' }, right: 5 },
  'Σ_0·Δ_1ᵀ for ∇W_1': {
    inject: (w) => ({ gradW_1: mul(w.S0, T(w.D1)) }),
    named: { gradW_1: 'the product taken in the wrong order' },
    right: 5,
  },
  'Σ_2 for Σ_1 in ∇W_2': {
    inject: (w) => ({ gradW_2: mul(w.D2, T(w.S2)) }),
    named: { gradW_2: 'an index shifted by one layer' },
    right: 5,
  },
};

const MATRICES = ['D_3', 'D_2', 'D_1', 'gradW_3', 'gradW_2', 'gradW_1'];
const ids = Array.from({ length: 33 }, (_, j) => `s${String(j + 1).padStart(3, '0')}`);
let dir: string;
let students: Stored[];
const injected = new Map<string, string>(); // id → mistake
const BOTH = 'Σ_0·Δ_1ᵀ for ∇W_1'; // the one mistake made in exercise 2 as well

/** Exercise 2's answer, ∇_{W_1} f in the drawn form: right, or Σ_0·Δ_1ᵀ for the students who made that mistake. */
function form(s: Stored): M {
  const w = worked(s, 1);
  return injected.get(s.id) === BOTH ? mul(w.S0, T(w.D1)) : w.G1;
}

function answerJson(s: Stored, matrices: Record<string, M>, second: M, variant = s.variant, student = s.id): string {
  const D: Record<string, string[][]> = {};
  const gradW: Record<string, string[][]> = {};
  for (const [name, m] of Object.entries(matrices)) (name.startsWith('D') ? D : gradW)[name.split('_')[1]!] = text(m);
  return JSON.stringify({
    student,
    variant,
    exercises: [
      { id: 1, D, gradW },
      { id: 2, gradW: { 1: text(second) } },
    ],
  });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'nabla-class-check-'));
  await writeFile(join(dir, 'roster.txt'), `${ids.join('\n')}\n`);
  const r = await runCli(
    dir,
    'exercise',
    ...['--roster', 'roster.txt', '--seed', '2026', '--widths', '2,3,2,1', '--activations', 'relu,relu,identity'],
    ...['--kinds', 'backward,form', '--count', '2'],
  );
  expect(r.stderr).toBe('');
  students = JSON.parse(await readFile(join(dir, 'exercises', 'class.json'), 'utf8')).students;
}, 60_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('nabla check --class', () => {
  it('the class file has what the hand-worked networks give (the injections start from right answers)', () => {
    expect(students.map((s) => s.id)).toEqual(ids);
    for (const s of students) {
      const w = worked(s);
      const a = s.exercises[0].answers;
      const mine: Record<string, M> = { D_3: w.D3, D_2: w.D2, D_1: w.D1, gradW_3: w.G3, gradW_2: w.G2, gradW_1: w.G1 };
      for (const name of MATRICES) {
        const [key, i] = name.split('_') as [string, string];
        expect(same(mat(a[key]![i]!), mine[name]!), `${s.id} ${name}`).toBe(true);
      }
      expect(same(mat(s.exercises[1].answers.gradW!['1']!), worked(s, 1).G1), `${s.id} 2.gradW_1`).toBe(true);
    }
    // the forms the seed drew for exercise 2 (read off class.json once): the report counts each form apart
    expect(students.every((s) => s.exercises[1].kind === 'form')).toBe(true);
    expect(students.map((s) => s.exercises[1].form![0]).join('')).toBe('dkkdkkddekdkekkeeekdedkkdedddddek');
  });

  it('30 injected mistakes, a copied variant, a wrong variant, a missing file: gradebook and report', async () => {
    await mkdir(join(dir, 'answers'));
    // each mistake to the first 5 students where it changes the answer (Σ' left out changes nothing where Σ' = 1)
    const visible = (s: Stored, m: string) => {
      const w = worked(s);
      const right: Record<string, M> = { D_2: w.D2, D_1: w.D1, gradW_2: w.G2, gradW_1: w.G1 };
      return Object.entries(MISTAKES[m]!.inject(w)).every(([name, x]) => !same(x, right[name]!));
    };
    for (const m of Object.keys(MISTAKES)) {
      const chosen = students
        .slice(0, 30)
        .filter((s) => !injected.has(s.id) && visible(s, m))
        .slice(0, 5);
      expect(chosen, m).toHaveLength(5);
      for (const s of chosen) injected.set(s.id, m);
    }
    expect(injected.size).toBe(30);
    expect([...injected].filter(([, m]) => m === BOTH).map(([id]) => id)).toEqual([
      's021',
      's022',
      's023',
      's024',
      's025',
    ]);
    for (const [j, s] of students.slice(0, 30).entries()) {
      const w = worked(s);
      const matrices: Record<string, M> = {
        D_3: w.D3,
        D_2: w.D2,
        D_1: w.D1,
        gradW_3: w.G3,
        gradW_2: w.G2,
        gradW_1: w.G1,
        ...MISTAKES[injected.get(s.id)!]!.inject(w),
      };
      if (j % 7 === 3) {
        // a folder of CSV files, as `nabla check --answer` reads
        await mkdir(join(dir, 'answers', s.id));
        const csv = (m: M) =>
          `${text(m)
            .map((r) => r.join(','))
            .join('\n')}\n`;
        for (const [name, m] of Object.entries(matrices))
          await writeFile(join(dir, 'answers', s.id, `1.${name}.csv`), csv(m));
        await writeFile(join(dir, 'answers', s.id, '2.gradW_1.csv'), csv(form(s)));
      } else await writeFile(join(dir, 'answers', `${s.id}.json`), answerJson(s, matrices, form(s)));
    }
    const right = (s: Stored) => {
      const w = worked(s);
      return { D_3: w.D3, D_2: w.D2, D_1: w.D1, gradW_3: w.G3, gradW_2: w.G2, gradW_1: w.G1 };
    };
    // s031 hands in s030's right answers as their own (Δ_3 = 1 in every variant: right in s031's too); s032 their own
    // right answers, naming variant 5
    const [s030, s032] = [students[29]!, students[31]!];
    await writeFile(join(dir, 'answers', 's031.json'), answerJson(s030, right(s030), worked(s030, 1).G1, 31, 's031'));
    await writeFile(join(dir, 'answers', 's032.json'), answerJson(s032, right(s032), worked(s032, 1).G1, 5));
    await writeFile(join(dir, 'answers', '.DS_Store'), 'ignored: a hidden file');

    const r = await runCli(dir, 'check', '--exercise', 'exercises/class.json', '--class', 'answers', '--out', 'report');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(
      "32 of 33 students graded, 2 flagged (answered another student's variant): report/gradebook.csv, " +
        'report/report.html, report/report.json\n',
    );

    const rows: string[][] = parse(await readFile(join(dir, 'report', 'gradebook.csv'), 'utf8'));
    expect(rows[0]).toEqual([
      'id',
      'variant',
      'file',
      'flag',
      'exercise_1',
      'exercise_2',
      'total',
      'out_of',
      ...MATRICES.map((m) => `1.${m}`),
      '2.gradW_1',
    ]);
    const book = new Map(
      rows.slice(1).map((row) => [row[0]!, Object.fromEntries(rows[0]!.map((h, c) => [h, row[c]!]))]),
    );
    expect([...book.keys()]).toEqual(ids);
    let sum = 0;
    for (const s of students.slice(0, 30)) {
      const row = book.get(s.id)!;
      const m = MISTAKES[injected.get(s.id)!]!;
      expect(row.flag, s.id).toBe('');
      // exercise 2 right, but for the students who took the product in the wrong order there too
      const second = injected.get(s.id) === BOTH ? 0 : 1;
      expect(Number(row.total), `${s.id}: ${injected.get(s.id)}`).toBe(m.right + second);
      expect(row.exercise_2).toBe(String(second));
      expect(row['2.gradW_1'], s.id).toBe(
        second ? 'right' : 'wrong: the product taken in the wrong order; the transpose on the wrong factor or left out',
      );
      expect(row.out_of).toBe('7');
      for (const name of MATRICES) {
        const cell = row[`1.${name}`]!;
        if (m.named[name])
          expect(cell, `${s.id} ${name}`).toMatch(new RegExp(`^wrong: .*${escapeRegExp(m.named[name]!)}`));
        else expect(cell, `${s.id} ${name}`).toBe('right');
      }
      sum += Number(row.total);
    }
    // 5 students each: 5 + 4 + 5 + 5 + 5 + 5 matrices right of 6 in exercise 1, and 25 right in exercise 2
    expect(sum).toBe(170);
    expect(book.get('s031')!.flag).toBe(
      "the answers are right for variant 30 (student s030's): 7 of 7 matrices, against 1 for their own variant 31",
    );
    expect(book.get('s032')!.flag).toBe("the file says variant 5 (student s005's), but s032 has variant 32");
    expect(book.get('s032')!.total).toBe('7');
    expect(book.get('s033')!.flag).toBe('no answer file');

    const report = JSON.parse(await readFile(join(dir, 'report', 'report.json'), 'utf8'));
    type Step = { exercise: number; form?: string; step: string; graded: number; right: number };
    type Counted = Step & { mistakes: { id: string; students: number }[] };
    const key = (s: Step) => `${s.exercise}${s.form ? ` ${s.form}` : ''} ${s.step}`;
    // exercise 1's steps, then exercise 2's ∇_{W_1} f once per form drawn (in the order of the paper: (3), (4), (5))
    expect(report.steps.map(key)).toEqual([
      ...MATRICES.map((m) => `1 ${m}`),
      '2 explicit gradW_1',
      '2 kronecker gradW_1',
      '2 diagonal gradW_1',
    ]);
    expect(report.steps.map((s: Step & { exerciseTitle: string }) => s.exerciseTitle)).toEqual([
      ...MATRICES.map(() => 'backpropagation'),
      'the explicit product, eq. (3)',
      'the Kronecker form, eq. (4)',
      'the diagonal-matrix form, eq. (5)',
    ]);
    // the 30 students graded against their own variant (s031, s032 flagged, s033 missing); of s001 … s030, 7 drew
    // the explicit form, 11 the Kronecker form, 12 the diagonal one
    expect(report.steps.map((s: Step) => s.graded)).toEqual([30, 30, 30, 30, 30, 30, 7, 11, 12]);
    // Every step's counts, by hand. Some injected matrices equal a second classic mistake as well, and then count
    // for both: Σ'_i is 0 or 1 (relu), so Δ_{i+1} ∘ Σ'_{i+1} = Δ_{i+1} and "W_{i+1}ᵀ·Δ_{i+1}, Σ' left out" is also
    // "Σ'_{i+1} used instead of Σ'_i: W_{i+1}ᵀ·(Δ_{i+1} ∘ Σ'_{i+1})" (an index shift); Σ_0·Δ_1ᵀ is also Σ_0 ⊗ Δ_1ᵀ.
    const table = Object.fromEntries(
      report.steps.map((s: Counted) => [key(s), Object.fromEntries(s.mistakes.map((m) => [m.id, m.students]))]),
    );
    expect(table).toEqual({
      '1 D_3': {},
      '1 D_2': { 'forgot-dsigma': 5, 'index-shift': 5 },
      '1 D_1': { 'forgot-dsigma': 5, 'index-shift': 5 },
      '1 gradW_3': {},
      // the carried Δ_2 (5), and the index shift Δ_2·Σ_2ᵀ (5) + the carried Δ_2 read as an index shift (5)
      '1 gradW_2': { carried: 5, 'forgot-dsigma': 5, 'index-shift': 10 },
      '1 gradW_1': { 'forgot-dsigma': 5, sign: 5, 'wrong-order': 5, 'transpose-wrong-factor': 5, 'index-shift': 5 },
      // Σ_0·Δ_1ᵀ again in exercise 2: s021 drew the explicit form, s023 and s024 the Kronecker, s022, s025 the diagonal
      '2 explicit gradW_1': { 'wrong-order': 1, 'transpose-wrong-factor': 1 },
      '2 kronecker gradW_1': { 'wrong-order': 2, 'transpose-wrong-factor': 2 },
      '2 diagonal gradW_1': { 'wrong-order': 2, 'transpose-wrong-factor': 2 },
    });
    const rightAt = (k: string) => report.steps.find((s: Step) => key(s) === k).right;
    expect(rightAt('1 D_3')).toBe(30);
    expect(rightAt('1 gradW_1')).toBe(15);
    expect([rightAt('2 explicit gradW_1'), rightAt('2 kronecker gradW_1'), rightAt('2 diagonal gradW_1')]).toEqual([
      7 - 1,
      11 - 2,
      12 - 2,
    ]);
  });

  it('a results CSV (decimals typed into a platform) grades the same: every total, every mistake', async () => {
    // the same answer sets as a platform's results, one row per entry, 4 significant digits (within 1e-3); a
    // platform's fields have the matrix's shape, so the 5 students who wrote ∇W_1 transposed (Σ_0·Δ_1ᵀ) are left
    // out here, and a row of theirs outside the 3×2 ∇W_1 is refused below
    const transposed = 'Σ_0·Δ_1ᵀ for ∇W_1';
    const lines = ['response,id,variant,exercise,matrix,row,col']; // the columns in any order
    const rowsOf = (s: Stored) => {
      const w = worked(s);
      const matrices: Record<string, M> = {
        D_3: w.D3,
        D_2: w.D2,
        D_1: w.D1,
        gradW_3: w.G3,
        gradW_2: w.G2,
        gradW_1: w.G1,
        ...MISTAKES[injected.get(s.id)!]!.inject(w),
      };
      const out: string[] = [];
      for (const [e, name, m] of [
        ...Object.entries(matrices).map(([name, m]) => [1, name, m] as const),
        [2, 'gradW_1', form(s)] as const,
      ])
        m.forEach((row, r) =>
          row.forEach((x, c) =>
            out.push(`${Number(x.valueOf().toPrecision(4))},${s.id},${s.variant},${e},${name},${r + 1},${c + 1}`),
          ),
        );
      return out;
    };
    const graded = students.slice(0, 30).filter((s) => injected.get(s.id) !== transposed);
    expect(graded).toHaveLength(25);
    for (const s of graded) lines.push(...rowsOf(s));
    await writeFile(join(dir, 'results.csv'), `${lines.join('\n')}\n`);
    const r = await runCli(dir, 'check', '--exercise', 'exercises/class.json', '--class', 'results.csv', '--out', 'r2');
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^25 of 33 students graded: r2\/gradebook\.csv/);
    const rows: string[][] = parse(await readFile(join(dir, 'r2', 'gradebook.csv'), 'utf8'));
    const totals = new Map(rows.slice(1).map((row) => [row[0]!, row[6]!]));
    // exercise 1's right matrices, and exercise 2 (right for all but the transposed, who are left out here)
    for (const s of graded) expect(Number(totals.get(s.id)), s.id).toBe(MISTAKES[injected.get(s.id)!]!.right + 1);
    // every cell as graded from the answer files, but the file's name
    const fromFiles: string[][] = parse(await readFile(join(dir, 'report', 'gradebook.csv'), 'utf8'));
    const byId = new Map(fromFiles.map((row) => [row[0]!, row]));
    for (const row of rows.slice(1).filter((x) => graded.some((s) => s.id === x[0]))) {
      const other = byId.get(row[0]!)!;
      expect([...row.slice(0, 2), ...row.slice(3)], row[0]).toEqual([...other.slice(0, 2), ...other.slice(3)]);
    }
    // the transposed ∇W_1 (2×3) of a student: its row 3 does not exist in the 3×2 matrix of the class
    const s = students.find((x) => injected.get(x.id) === transposed)!;
    const all = [lines[0]!, ...rowsOf(s)];
    const bad = all.findIndex((l) => /,gradW_1,1,3$/.test(l)) + 1; // the file's line of ∇W_1's column 3
    await writeFile(join(dir, 'transposed.csv'), `${all.join('\n')}\n`);
    const t = await runCli(
      dir,
      'check',
      '--exercise',
      'exercises/class.json',
      '--class',
      'transposed.csv',
      '--out',
      'r4',
    );
    expect(t).toEqual({
      status: 1,
      stdout: '',
      stderr: `nabla check: transposed.csv: line ${bad}: gradW_1 of exercise 1 is 3×2; column 3 does not exist\n`,
    });
    expect(await readdir(dir)).not.toContain('r4');
  });

  it('a results CSV with an unknown column, two variants of a student, an unknown entry: one line', async () => {
    await writeFile(join(dir, 'moodle.csv'), 'id,variant,exercise,matrix,row,col,response,Email address\n');
    await writeFile(
      join(dir, 'two.csv'),
      'id,variant,exercise,matrix,row,col,response\ns001,1,1,D_3,1,1,1\ns001,2,1,D_2,1,1,0.5\n',
    );
    const cases: [string, string][] = [
      [
        'moodle.csv',
        'nabla check: moodle.csv: line 1: unknown column "Email address" (columns [id, variant, exercise, matrix, ' +
          "row, col, response, Email address]); expected nabla's results columns id, variant, exercise, matrix, row, " +
          'col, response, or a Moodle Responses report (Last name, First name, …, Status, …, Question 1, Response 1, ' +
          '…; see docs/lecturer.md)\n',
      ],
      ['two.csv', 'nabla check: two.csv: line 3: student s001 answers variant 2 here but variant 1 on line 2\n'],
      ['outside.csv', 'nabla check: outside.csv: line 4: D_1 of exercise 1 is 3×1; row 4 does not exist\n'],
      [
        'no-such-id.csv',
        'nabla check: no-such-id.csv: line 3: there is no student "x999" in the class (33 ids: s001, s002, … ' +
          's033); ' +
          "the column id holds the roster's ids\n",
      ],
      [
        'no-such-exercise.csv',
        "nabla check: no-such-exercise.csv: line 2: exercise 3 does not exist; the class's variants have exercises 1 … 2\n",
      ],
      [
        'no-such-matrix.csv',
        'nabla check: no-such-matrix.csv: line 2: exercise 1 has no D_4; its network has k = 3 layers, so D_i ' +
          'exists for i = 1 … 3\n',
      ],
    ];
    const head = 'id,variant,exercise,matrix,row,col,response\n';
    // Moodle's report as Excel saves it in many locales: quoted fields, separated by ';'
    await writeFile(
      join(dir, 'semicolons.csv'),
      '"Last name";"First name";"ID number";"Status";"Question 1";"Response 1"\n' +
        '"Lovelace";"Ada";"s001";"Finished";"[nabla: exercise 1, variant 1, seed 1] Compute …";"part 1: 1"\n',
    );
    await writeFile(join(dir, 'outside.csv'), `${head}s001,1,1,D_1,1,1,1\ns001,1,1,D_1,2,1,0\ns001,1,1,D_1,4,1,0\n`);
    await writeFile(join(dir, 'no-such-id.csv'), `${head}s001,1,1,D_1,1,1,1\nx999,1,1,D_1,1,1,1\n`);
    await writeFile(join(dir, 'no-such-exercise.csv'), `${head}s001,1,3,D_1,1,1,1\n`);
    await writeFile(join(dir, 'no-such-matrix.csv'), `${head}s001,1,1,D_4,1,1,1\n`);
    for (const [file, stderr] of cases) {
      const r = await runCli(dir, 'check', '--exercise', 'exercises/class.json', '--class', file, '--out', 'r3');
      expect(r).toEqual({ status: 1, stdout: '', stderr });
      expect(await readdir(dir)).not.toContain('r3');
    }
  });

  it("the report's chart renders in Chromium, every bar labelled (docs/screenshots/class-report.png)", async () => {
    if (!haveTool(chromiumTool, "the class report's chart")) return;
    const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: ['--no-sandbox', '--disable-gpu'] });
    try {
      const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
      const requests: string[] = [];
      const errors: string[] = [];
      page.on('request', (q) => {
        if (!q.url().startsWith('file:')) requests.push(q.url());
      });
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      await page.goto(pathToFileURL(join(dir, 'report', 'report.html')).href);
      const bars = await page.$$eval('svg path[aria-roledescription="bar"]', (els) =>
        els.map((e) => ({ label: e.getAttribute('aria-label') ?? '', height: e.getBoundingClientRect().height })),
      );
      // one bar per (step, mistake) with students, each as tall as its count
      const five = bars.filter((b) => /students: 5\b/.test(b.label));
      expect(five.length).toBeGreaterThanOrEqual(7);
      expect(bars.every((b) => b.height > 0)).toBe(true);
      expect(bars.some((b) => b.label.includes('step: Δ_1;') && b.label.includes("Σ' forgotten"))).toBe(true);
      // a panel per exercise and form, titled; ∇W_1 of exercise 1 and of each form apart (the 5 bars of 1, 2, 2)
      const titles = await page.$$eval('figure svg text', (els) => els.map((e) => e.textContent));
      for (const t of [
        'exercise 1: backpropagation',
        'exercise 2: the explicit product, eq. (3)',
        'exercise 2: the Kronecker form, eq. (4)',
        'exercise 2: the diagonal-matrix form, eq. (5)',
      ])
        expect(titles).toContain(t);
      // the table below has the same groups, each its steps' rows, the same counts (5 students: Σ' forgotten at Δ_1)
      const groups = await page.$$eval('th[scope="rowgroup"]', (els) => els.map((e) => e.textContent));
      expect(groups).toEqual([
        'exercise 1: backpropagation',
        'exercise 2: the explicit product, eq. (3)',
        'exercise 2: the Kronecker form, eq. (4)',
        'exercise 2: the diagonal-matrix form, eq. (5)',
      ]);
      const cells = await page.$$eval('tbody', (els) =>
        els.slice(0, 4).map((b) => Array.from(b.rows, (r) => r.cells[0]!.textContent).slice(1)),
      );
      expect(cells).toEqual([['Δ_3', 'Δ_2', 'Δ_1', '∇W_3', '∇W_2', '∇W_1'], ['∇W_1'], ['∇W_1'], ['∇W_1']]);
      const w1 = bars.filter((b) => b.label.includes('step: ∇W_1;') && b.label.includes('wrong order'));
      expect(w1.map((b) => Number(/students: (\d+)/.exec(b.label)![1])).sort()).toEqual([1, 2, 2, 5]);
      expect(requests).toEqual([]);
      expect(errors).toEqual([]);
      await page.locator('figure svg').screenshot({ path: resolve('docs/screenshots/class-report.png') });
    } finally {
      await browser.close();
    }
  }, 60_000);

  it('refuses an unknown id, a non-answer file, an unreadable file, with one line and nothing written', async () => {
    const cases: [string, (d: string) => Promise<void>, string][] = [
      [
        'unknown id',
        (d) => writeFile(join(d, 'x999.json'), '{"exercises": []}'),
        'nabla check: bad/x999.json: there is no student "x999" in the class (33 ids: s001, s002, … s033); ' +
          'name each answer file by the id of its student\n',
      ],
      [
        'not an answer file',
        (d) => writeFile(join(d, 'notes.txt'), 'remember to grade'),
        'nabla check: bad/notes.txt: not an answer file; the folder may hold only <id>.json files and <id>/ ' +
          'folders of CSV files\n',
      ],
      [
        'a JSON file that is no answer file',
        (d) => writeFile(join(d, 's001.json'), '{"format": "nabla-class"}'),
        'nabla check: bad/s001.json: expected {"exercises": [{"id": 1, "D": {"2": [[…]]}, …}]}, found an object\n',
      ],
      ['unreadable', (d) => symlink(join(d, 'nowhere.json'), join(d, 's002.json')), 'nabla check: bad/s002.json: '],
    ];
    for (const [what, make, stderr] of cases) {
      await rm(join(dir, 'bad'), { recursive: true, force: true });
      await mkdir(join(dir, 'bad'));
      await writeFile(join(dir, 'bad', 's003.json'), '{"exercises": []}');
      await make(join(dir, 'bad'));
      const r = await runCli(dir, 'check', '--exercise', 'exercises/class.json', '--class', 'bad', '--out', 'bad-out');
      expect(r.stdout, what).toBe('');
      expect(r.stderr.startsWith(stderr), `${what}: ${r.stderr}`).toBe(true);
      expect(r.stderr.split('\n'), what).toHaveLength(2);
      expect(r.status, what).toBe(1);
      expect(await readdir(dir), what).not.toContain('bad-out');
    }
    const both = await runCli(dir, 'check', '--exercise', 'exercises/class.json', '--class', 'bad', '--answer', 'x');
    expect(both.stderr).toBe('nabla check: --answer x and --class bad contradict each other: give one\n');
  });

  it('names every file of an answers folder that cannot be graded, in one line, and writes nothing', async () => {
    const bad = join(dir, 'several');
    await mkdir(bad);
    await writeFile(join(bad, 's003.json'), '{"exercises": []}');
    await writeFile(join(bad, 'notes.txt'), 'remember to grade');
    await writeFile(join(bad, 's004.json'), '{');
    await writeFile(join(bad, 's01 (1).json'), '{"exercises": []}');
    const run = () =>
      runCli(dir, 'check', '--exercise', 'exercises/class.json', '--class', 'several', '--out', 'several-out');
    expect(await run()).toEqual({
      status: 1,
      stdout: '',
      stderr:
        'nabla check: several: 3 files cannot be graded: notes.txt (not an answer file; the folder may hold only ' +
        '<id>.json files and <id>/ folders of CSV files); s004.json (not valid JSON: expected a property name in ' +
        'double quotes, found the end of the text at line 1, column 2); s01 (1).json (there is no student ' +
        '"s01 (1)" in the class (33 ids: s001, s002, … s033); name each answer file by the id of its student)\n',
    });
    // at most 5 named, files with one problem named together
    for (const n of ['a.txt', 'b.txt', 'c.txt', 'd.txt']) await writeFile(join(bad, n), 'x');
    const many = await run();
    expect(many.stderr).toBe(
      'nabla check: several: 7 files cannot be graded: a.txt, b.txt, c.txt, d.txt, notes.txt (not an answer file; ' +
        'the folder may hold only <id>.json files and <id>/ folders of CSV files); and 2 more\n',
    );
    expect(many.status).toBe(1);
    expect(await readdir(dir)).not.toContain('several-out');
  });

  it('gradeClass names every answer file it cannot grade in one error: ids not in the class, second files', async () => {
    const cls = parseClassFile(await readFile(join(dir, 'exercises', 'class.json'), 'utf8'), 'class.json');
    const answers = parseAnswerJson('{"exercises": []}', 'x.json');
    const file = (id: string, source: string) => ({ id, source, answers });
    expect(() =>
      gradeClass(cls, [
        file('s001', 'a/s001.json'),
        file('x999', 'a/x999.json'),
        file('s001', 'b/s001.json'),
        file('S002', 'a/S002.json'),
      ]),
    ).toThrow(
      new RegExp(
        `^${escapeRegExp(
          'a/x999.json: there is no student "x999" in the class (33 ids: s001, s002, … s033); name each answer ' +
            'file by the id of its student; b/s001.json: a second answer file for student s001 (the first is ' +
            'a/s001.json); a/S002.json: there is no student "S002" in the class (33 ids: s001, s002, … s033); name ' +
            'each answer file by the id of its student',
        )}$`,
      ),
    );
    // a class of good files grades (the same files without the three)
    expect(gradeClass(cls, [file('s001', 'a/s001.json')]).students.find((x) => x.id === 's001')?.source).toBe(
      'a/s001.json',
    );
  });

  it('says what a file given as --exercise is when it is not the one expected', async () => {
    await writeFile(join(dir, 's001.json'), '{"exercises": []}');
    const cases: [string[], string][] = [
      [
        ['--exercise', 'exercises/class.json', '--answer', 's001.json'],
        'exercises/class.json is a class file (nabla-class, a variant per student): grade it with --class ' +
          'answers/, a ' +
          "folder of the students' answer files",
      ],
      [
        ['--exercise', 'roster.txt', '--answer', 's001.json'],
        "roster.txt: not an exercise file (not valid JSON: expected a value, found 's' at line 1, column 1); " +
          'expected exercises.json written by nabla exercise',
      ],
      [
        ['--exercise', 'roster.txt', '--class', 'answers'],
        "roster.txt: not a class file (not valid JSON: expected a value, found 's' at line 1, column 1); " +
          'expected class.json written by nabla exercise --roster or --variants',
      ],
    ];
    for (const [args, message] of cases)
      expect(await runCli(dir, 'check', ...args)).toEqual({
        status: 1,
        stdout: '',
        stderr: `nabla check: ${message}\n`,
      });
  });
});

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
