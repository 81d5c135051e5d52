// `nabla check --class` on a class of 33: 30 answer sets, each with one classic mistake injected by hand here (the
// wrong matrix computed in this file with fraction.js from the network of class.json: Σ' left out, the sign, the
// wrong order, an index shifted, a mistake carried forward), one copied from another student's variant, one naming
// another variant, one not handed in. Every injected mistake is named at its step, the gradebook's totals are the
// hand-written ones, the report counts the students per mistake and step, its chart renders in Chromium
// (docs/screenshots/class-report.png), and bad folders are refused with one line and nothing written.
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse } from 'csv-parse/sync';
import Fraction from 'fraction.js';
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

interface Stored {
  id: string;
  variant: number;
  exercises: [{ W: Record<string, string[][]>; X: string[][]; answers: Record<string, Record<string, string[][]>> }];
}

/** The worked network of a student, by hand: Σ_0 … Σ_2, Σ'_1, Σ'_2, Δ_1 … Δ_3, ∇_{W_1} f … ∇_{W_3} f. */
function worked(s: Stored) {
  const ex = s.exercises[0];
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

function answerJson(s: Stored, matrices: Record<string, M>, variant = s.variant, student = s.id): string {
  const D: Record<string, string[][]> = {};
  const gradW: Record<string, string[][]> = {};
  for (const [name, m] of Object.entries(matrices)) (name.startsWith('D') ? D : gradW)[name.split('_')[1]!] = text(m);
  return JSON.stringify({ student, variant, exercises: [{ id: 1, D, gradW }] });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'nabla-class-check-'));
  await writeFile(join(dir, 'roster.txt'), `${ids.join('\n')}\n`);
  const r = await runCli(
    dir,
    'exercise',
    ...['--roster', 'roster.txt', '--seed', '2026', '--widths', '2,3,2,1', '--activations', 'relu,relu,identity'],
    ...['--kinds', 'backward', '--count', '1'],
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
    }
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
        for (const [name, m] of Object.entries(matrices))
          await writeFile(
            join(dir, 'answers', s.id, `1.${name}.csv`),
            `${text(m)
              .map((r) => r.join(','))
              .join('\n')}\n`,
          );
      } else await writeFile(join(dir, 'answers', `${s.id}.json`), answerJson(s, matrices));
    }
    const right = (s: Stored) => {
      const w = worked(s);
      return { D_3: w.D3, D_2: w.D2, D_1: w.D1, gradW_3: w.G3, gradW_2: w.G2, gradW_1: w.G1 };
    };
    // s031 hands in s030's right answers as their own (Δ_3 = 1 in every variant: right in s031's too); s032 their own
    // right answers, naming variant 5
    await writeFile(join(dir, 'answers', 's031.json'), answerJson(students[29]!, right(students[29]!), 31, 's031'));
    await writeFile(join(dir, 'answers', 's032.json'), answerJson(students[31]!, right(students[31]!), 5));
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
      'total',
      'out_of',
      ...MATRICES.map((m) => `1.${m}`),
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
      expect(Number(row.total), `${s.id}: ${injected.get(s.id)}`).toBe(m.right);
      expect(row.out_of).toBe('6');
      for (const name of MATRICES) {
        const cell = row[`1.${name}`]!;
        if (m.named[name])
          expect(cell, `${s.id} ${name}`).toMatch(new RegExp(`^wrong: .*${escapeRegExp(m.named[name]!)}`));
        else expect(cell, `${s.id} ${name}`).toBe('right');
      }
      sum += Number(row.total);
    }
    // 5 students each: 5 + 4 + 5 + 5 + 5 + 5 matrices right of 6
    expect(sum).toBe(145);
    expect(book.get('s031')!.flag).toBe(
      "the answers are right for variant 30 (student s030's): 6 of 6 matrices, against 1 for their own variant 31",
    );
    expect(book.get('s032')!.flag).toBe("the file says variant 5 (student s005's), but s032 has variant 32");
    expect(book.get('s032')!.total).toBe('6');
    expect(book.get('s033')!.flag).toBe('no answer file');

    const report = JSON.parse(await readFile(join(dir, 'report', 'report.json'), 'utf8'));
    const count = (step: string, id: string) =>
      report.steps.find((s: { step: string }) => s.step === step).mistakes.find((m: { id: string }) => m.id === id)
        ?.students ?? 0;
    expect(report.steps.map((s: { step: string }) => s.step)).toEqual(MATRICES);
    // the 30 students graded against their own variant (s031, s032 flagged, s033 missing)
    for (const s of report.steps) expect(s.graded).toBe(30);
    // Every step's counts, by hand. Some injected matrices equal a second classic mistake as well, and then count
    // for both: Σ'_i is 0 or 1 (relu), so Δ_{i+1} ∘ Σ'_{i+1} = Δ_{i+1} and "W_{i+1}ᵀ·Δ_{i+1}, Σ' left out" is also
    // "Σ'_{i+1} used instead of Σ'_i: W_{i+1}ᵀ·(Δ_{i+1} ∘ Σ'_{i+1})" (an index shift); Σ_0·Δ_1ᵀ is also Σ_0 ⊗ Δ_1ᵀ.
    const table = Object.fromEntries(
      report.steps.map((s: { step: string; mistakes: { id: string; students: number }[] }) => [
        s.step,
        Object.fromEntries(s.mistakes.map((m) => [m.id, m.students])),
      ]),
    );
    expect(table).toEqual({
      D_3: {},
      D_2: { 'forgot-dsigma': 5, 'index-shift': 5 },
      D_1: { 'forgot-dsigma': 5, 'index-shift': 5 },
      gradW_3: {},
      // the carried Δ_2 (5), and the index shift Δ_2·Σ_2ᵀ (5) + the carried Δ_2 read as an index shift (5)
      gradW_2: { carried: 5, 'forgot-dsigma': 5, 'index-shift': 10 },
      gradW_1: { 'forgot-dsigma': 5, sign: 5, 'wrong-order': 5, 'transpose-wrong-factor': 5, 'index-shift': 5 },
    });
    expect(count('gradW_1', 'sign')).toBe(5);
    expect(report.steps.find((s: { step: string }) => s.step === 'D_3').right).toBe(30);
    expect(report.steps.find((s: { step: string }) => s.step === 'gradW_1').right).toBe(15);
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
      for (const [name, m] of Object.entries(matrices))
        m.forEach((row, r) =>
          row.forEach((x, c) =>
            out.push(`${Number(x.valueOf().toPrecision(4))},${s.id},${s.variant},1,${name},${r + 1},${c + 1}`),
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
    const totals = new Map(rows.slice(1).map((row) => [row[0]!, row[5]!]));
    for (const s of graded) expect(Number(totals.get(s.id)), s.id).toBe(MISTAKES[injected.get(s.id)!]!.right);
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
        "nabla check: no-such-exercise.csv: line 2: exercise 2 does not exist; the class's variants have exercise 1\n",
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
    await writeFile(join(dir, 'no-such-exercise.csv'), `${head}s001,1,2,D_1,1,1,1\n`);
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
