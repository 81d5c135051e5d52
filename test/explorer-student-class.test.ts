// A student's link of a class, end to end in Chromium: `nabla exercise --roster … --explorer URL` writes links.csv;
// each link opens the explorer's "Your turn" on that student's variant (the given X and W_i equal class.json's for
// that id, a redrawn id and a polynomial activation included); what the student types survives a reload; the
// downloaded answer file is graded by `nabla check --class` with the score written here by hand; a student's link
// shows no answers, whatever else it says; `grade=off` shows no verdict. A screenshot goes to a temporary folder
// (SCREENSHOTS=docs/screenshots to keep it).
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectProblems, type ExplorerRig, startExplorer } from './explorer/page.js';
import { cliIn } from './helpers/cli.js';
import { chromiumTool, haveTool } from './helpers/system-tools.js';

const haveChromium = haveTool(chromiumTool, 'the student-link tests');
const shots = process.env['SCREENSHOTS']
  ? resolve(process.env['SCREENSHOTS'])
  : join(tmpdir(), 'nabla-explorer-screenshots');

type Rows = string[][];
interface ClassExercise {
  id: number;
  kind: string;
  W: Record<string, Rows>;
  X: Rows;
  asks: string[];
  answers: Record<string, Record<string, Rows> | Rows>;
}
interface ClassJson {
  seed: number;
  students: { id: string; variant: number; redraw: number; exercises: ClassExercise[] }[];
}

let session: ExplorerRig | undefined;
let context: BrowserContext;
let dir = '';
const problems: string[] = [];
const cli = cliIn(() => dir);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'nabla-student-link-'));
  if (!haveChromium) return;
  session = await startExplorer();
  context = await session.browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
}, 120_000);

afterAll(async () => {
  await context?.close();
  await session?.close();
  await rm(dir, { recursive: true, force: true });
  expect(problems).toEqual([]);
});

/** "3/4" → 0.75, "-2" → −2. */
function value(s: string): number {
  const f = /^(-?\d+)\/(\d+)$/.exec(s.trim());
  return f ? Number(f[1]) / Number(f[2]) : Number(s);
}
const numbers = (m: Rows) => m.map((row) => row.map(value));

/** A class written by the CLI into `out`: class.json and links.csv, read back. */
async function writeClass(
  out: string,
  ...args: string[]
): Promise<{ cls: ClassJson; links: Record<string, string>[] }> {
  await cli.ok('exercise', ...args, '--out', out);
  const cls = JSON.parse(await readFile(join(dir, out, 'class.json'), 'utf8')) as ClassJson;
  const links = parse(await readFile(join(dir, out, 'links.csv'), 'utf8'), { columns: true }) as Record<
    string,
    string
  >[];
  return { cls, links };
}

async function open(url: string): Promise<Page> {
  const page = await context.newPage();
  collectProblems(page, url, problems);
  await page.goto(url);
  await page.waitForSelector('#tab-student:not([hidden]) #student-class:not([hidden])');
  return page;
}

/** The entries of `sym` ("W1", "S0") among the given matrices, as numbers. */
async function given(page: Page, sym: string): Promise<number[][]> {
  const cells = await page.$$eval(`#student-given [data-sym="${sym}"][data-r][data-c][data-value]`, (els) =>
    els.map((e) => {
      const d = (e as HTMLElement).dataset;
      return { r: Number(d.r), c: Number(d.c), v: d.value! };
    }),
  );
  expect(cells.length, `${sym} among the given matrices`).toBeGreaterThan(0);
  const rows: number[][] = [];
  for (const { r, c, v } of cells) (rows[r] ??= [])[c] = value(v);
  return rows;
}

/** The page shows exercise `ex`'s X and W_i, exactly class.json's. */
async function expectSameNumbers(page: Page, ex: ClassExercise): Promise<void> {
  expect(await given(page, 'S0'), `exercise ${ex.id}: X`).toEqual(numbers(ex.X));
  for (const [i, W] of Object.entries(ex.W))
    expect(await given(page, `W${i}`), `exercise ${ex.id}: W_${i}`).toEqual(numbers(W));
}

/** class.json's answer `name` ("D_1", "gradW_2", "N_1") of an exercise. */
function answer(ex: ClassExercise, name: string): Rows {
  const [key, i] = name.split('_') as [string, string];
  return (ex.answers[key] as Record<string, Rows>)[i]!;
}

async function typeRows(page: Page, name: string, rows: Rows): Promise<void> {
  for (let r = 0; r < rows.length; r++)
    for (let c = 0; c < rows[0]!.length; c++)
      await page.fill(`#answer-${name} input[data-r="${r}"][data-c="${c}"]`, rows[r]![c]!);
}

async function cardsOf(page: Page): Promise<string[]> {
  return page.$$eval('#student-cards .student-card', (els) => els.map((e) => (e as HTMLElement).dataset.ask!));
}

describe.skipIf(!haveChromium)("a student's link in the explorer", () => {
  let cls: ClassJson;
  let links: Record<string, string>[];
  let handedIn = '';

  beforeAll(async () => {
    await writeFile(join(dir, 'roster.csv'), 'id,name\ns001,Ada\ns002,Bo\ns003,Cy\ns004,Di\n');
    ({ cls, links } = await writeClass(
      'course',
      '--roster',
      'roster.csv',
      '--seed',
      '2026',
      '--explorer',
      session!.url,
    ));
  }, 60_000);

  it('links.csv: a link per student, the id, variant, course seed and exercise options in it', () => {
    expect(links.map((l) => [l.id, l.variant])).toEqual([
      ['s001', '1'],
      ['s002', '2'],
      ['s003', '3'],
      ['s004', '4'],
    ]);
    expect(links[1]!.link).toBe(
      `${session!.url}#tab=student&student=s002&variant=2&course=2026&sn=2,2,1&sact=relu,identity&scount=3` +
        '&skinds=forward,backward,form',
    );
  });

  it("opens each student's own variant: every exercise's X and W_i equal class.json's for that id", async () => {
    for (const [j, l] of links.entries()) {
      const page = await open(l.link!);
      const student = cls.students[j]!;
      expect(await page.textContent('#student-id')).toBe(
        `Your turn: student ${student.id}, variant ${student.variant}`,
      );
      for (const ex of student.exercises) {
        await page.click(`#ex-pick-${ex.id}`);
        await page.waitForSelector(`#ex-pick-${ex.id}[aria-pressed="true"]`);
        await expectSameNumbers(page, ex);
        // every matrix the exercise asks has a card (f is typed as Σ_k)
        expect(await cardsOf(page), `${student.id}, exercise ${ex.id}`).toEqual(ex.asks.filter((a) => a !== 'f'));
      }
      await page.close();
    }
  }, 90_000);

  it('keeps what is typed in the link: a reload loses nothing, in every exercise', async () => {
    const page = await open(links[1]!.link!);
    const [e1, e2] = cls.students[1]!.exercises;
    await typeRows(page, 'N_1', answer(e1!, 'N_1'));
    await page.fill('#answer-S_1 input[data-r="0"][data-c="0"]', ' 7/14, x;~=%');
    await page.click('#ex-pick-2');
    await typeRows(page, 'D_2', answer(e2!, 'D_2'));
    const url = page.url();
    expect(url).toContain('&typed=');
    await page.reload();
    await page.waitForSelector('#student-class:not([hidden]) #ex-pick-2[aria-pressed="true"]');
    expect(await page.inputValue('#answer-D_2 input[data-r="0"][data-c="0"]')).toBe(answer(e2!, 'D_2')[0]![0]!);
    await page.click('#ex-pick-1');
    for (const [r, row] of answer(e1!, 'N_1').entries())
      expect(await page.inputValue(`#answer-N_1 input[data-r="${r}"][data-c="0"]`)).toBe(row[0]);
    expect(await page.inputValue('#answer-S_1 input[data-r="0"][data-c="0"]')).toBe(' 7/14, x;~=%');
    await page.close();
  }, 60_000);

  it('hands in <id>.json, which nabla check --class grades: 10 of 12, the sign flip named, exercise 3 missing', async () => {
    const page = await open(links[1]!.link!);
    const [e1, e2, e3] = cls.students[1]!.exercises;
    expect([e1!.kind, e2!.kind, e3!.kind]).toEqual(['forward', 'backward', 'form']);
    // exercise 1, the forward pass: every matrix right (f is the Σ_2 typed); an entry p/q typed as 2p/2q
    for (const name of ['N_1', 'S_1', 'dS_1', 'N_2', 'S_2', 'dS_2']) await typeRows(page, name, answer(e1!, name));
    const n1 = answer(e1!, 'N_1')[0]![0]!;
    const [p, q = '1'] = n1.split('/') as [string, string?];
    const unreduced = `${2 * Number(p)}/${2 * Number(q)}`;
    await page.fill('#answer-N_1 input[data-r="0"][data-c="0"]', unreduced);
    for (const name of ['N_1', 'S_1', 'dS_1', 'N_2', 'S_2', 'dS_2'])
      expect(await page.getAttribute(`#answer-${name}`, 'data-status'), name).toBe('right');
    // exercise 2, backpropagation: Δ_2, Δ_1, ∇W_2 f right, ∇W_1 f with its sign flipped
    await page.click('#ex-pick-2');
    for (const name of ['D_2', 'D_1', 'gradW_2']) await typeRows(page, name, answer(e2!, name));
    const flipped = answer(e2!, 'gradW_1').map((row) =>
      row.map((t) => (value(t) === 0 ? '0' : t.startsWith('-') ? t.slice(1) : `-${t}`)),
    );
    await typeRows(page, 'gradW_1', flipped);
    expect(await page.getAttribute('#answer-gradW_1', 'data-status')).toBe('wrong');
    expect(await page.textContent('#hand-in-note')).toBe('11 of 12 matrices typed.');
    await mkdir(shots, { recursive: true });
    await page.screenshot({ path: join(shots, 'explorer-student-link.png'), fullPage: true });
    // exercise 3 (a form) left blank
    const download = page.waitForEvent('download');
    await page.click('#hand-in');
    const file = await download;
    expect(file.suggestedFilename()).toBe('s002.json');
    await mkdir(join(dir, 'answers'), { recursive: true });
    await file.saveAs(join(dir, 'answers', 's002.json'));
    handedIn = await readFile(join(dir, 'answers', 's002.json'), 'utf8');
    const json = JSON.parse(handedIn) as { student: string; variant: number; exercises: Record<string, unknown>[] };
    expect([json.student, json.variant]).toEqual(['s002', 2]);
    expect((json.exercises[0]!.N as Record<string, Rows>)['1']![0]![0]).toBe(unreduced);
    expect(json.exercises[0]!.f).toEqual(answer(e1!, 'S_2'));
    expect(json.exercises[2]).toEqual({ id: 3 });
    await page.close();

    const r = await cli.run('check', '--exercise', 'course/class.json', '--class', 'answers', '--out', 'report');
    expect(r.stderr).toBe('');
    const book = parse(await readFile(join(dir, 'report', 'gradebook.csv'), 'utf8'), { columns: true }) as Record<
      string,
      string
    >[];
    const row = book.find((b) => b.id === 's002')!;
    expect([row.variant, row.flag, row.exercise_1, row.exercise_2, row.exercise_3, row.total, row.out_of]).toEqual([
      '2',
      '',
      '7',
      '3',
      '0',
      '10',
      '12',
    ]);
    expect(row['2.gradW_1']).toMatch(/^wrong: .*the sign flipped/);
    expect(row['3.gradW_1']).toBe('missing');
  }, 90_000);

  it('shows no answers and no control for them, even with answers=1 in the link', async () => {
    const page = await open(`${links[0]!.link!}&answers=1`);
    for (const sel of ['#ex-reveal', '#share-answers', '#share-exercise', '#ex-seed', '#ex-widths', '#ex-hide'])
      expect(await page.locator(sel).isVisible(), sel).toBe(false);
    for (const n of [1, 2, 3]) {
      await page.click(`#ex-pick-${n}`);
      await page.waitForSelector(`#ex-pick-${n}[aria-pressed="true"]`);
      expect(await page.locator('.student-answer:not(:empty)').count(), `exercise ${n}`).toBe(0);
    }
    await page.close();
  }, 30_000);

  it('grade=off (kept in front of every link from the --explorer address): no verdict on what is typed', async () => {
    const off = await writeClass(
      'course-exam',
      '--roster',
      'roster.csv',
      '--seed',
      '2026',
      '--explorer',
      `${session!.url}#grade=off`,
    );
    expect(off.links[0]!.link).toBe(
      `${session!.url}#grade=off&tab=student&${links[0]!.link!.split('#tab=student&')[1]}`,
    );
    const page = await open(off.links[0]!.link!);
    await page.fill('#answer-N_1 input[data-r="0"][data-c="0"]', '12345');
    expect(await page.getAttribute('#answer-N_1', 'data-status')).toBeNull();
    expect(await page.getAttribute('#answer-N_1 input[data-r="0"][data-c="0"]', 'data-status')).toBeNull();
    expect(await page.textContent('#student-score')).toContain('does not check');
    await page.close();
  }, 60_000);

  it('a redrawn id: the link carries redraw, and the page draws the redrawn numbers of class.json', async () => {
    const ids = Array.from({ length: 10 }, (_, j) => `s${String(j + 1).padStart(3, '0')}`);
    await writeFile(join(dir, 'small.txt'), `${ids.join('\n')}\n`);
    const small = await writeClass(
      'small',
      ...['--roster', 'small.txt', '--seed', '2026', '--widths', '1,1', '--count', '1', '--activations', 'relu'],
      ...['--kinds', 'backward', '--explorer', session!.url],
    );
    const s008 = small.cls.students.find((s) => s.id === 's008')!;
    expect(s008.redraw).toBe(3); // found by running the CLI on this roster
    const link = small.links.find((l) => l.id === 's008')!.link!;
    expect(link).toContain('&redraw=3&');
    let page = await open(link);
    await expectSameNumbers(page, s008.exercises[0]!);
    const W = await given(page, 'W1');
    const X = await given(page, 'S0');
    await page.close();
    // the same link without redraw draws other numbers (another student's)
    page = await open(link.replace('&redraw=3', ''));
    expect([await given(page, 'W1'), await given(page, 'S0')]).not.toEqual([W, X]);
    await page.close();
  }, 60_000);

  it('a polynomial activation (--poly) travels in the link', async () => {
    const poly = await writeClass(
      'poly',
      ...['--variants', '2', '--widths', '2,1', '--activations', 'cubic', '--poly', 'cubic=x^3 - x'],
      ...['--count', '1', '--kinds', 'forward', '--explorer', session!.url],
    );
    expect(poly.links[1]!.link).toContain('&spoly=cubic=x%5E3%20-%20x');
    const page = await open(poly.links[1]!.link!);
    await expectSameNumbers(page, poly.cls.students[1]!.exercises[0]!);
    await page.close();
  }, 60_000);

  it("axe-core finds no violation of any impact in a student's page, with a wrong matrix named", async () => {
    const page = await open(links[2]!.link!);
    await page.fill('#answer-N_1 input[data-r="0"][data-c="0"]', '12345');
    const axeSource = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
    await page.addScriptTag({ content: axeSource });
    const violations = await page.evaluate(async () => {
      const axe = (window as unknown as { axe: { run(c: Document): Promise<{ violations: { id: string }[] }> } }).axe;
      return (await axe.run(document)).violations.map((v) => v.id);
    });
    expect(violations).toEqual([]);
    await page.close();
  }, 30_000);

  it('a link that cannot be read says why', async () => {
    const page = await open(links[0]!.link!.replace('sn=2,2,1', 'sn=2,9,1'));
    expect(await page.textContent('#student-id')).toBe('Your turn: this student link cannot be read');
    expect(await page.textContent('#student-lead')).toContain('widths [2, 9, 1]');
    expect(await page.locator('#hand-in').isVisible()).toBe(false);
    await page.close();
  }, 30_000);
});
