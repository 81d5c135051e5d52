// "Your turn", the explorer's student mode, end to end in Chromium: the page shows an exercise drawn by the
// library; this test reads its X and W_i from the page, computes every answer itself (a small float64
// forward pass and recursion written below, not the library), types the right answers and sees them accepted,
// types each classic wrong matrix (also computed here) and sees the mistake named and the factor marked, and
// opens the lecturer's shared links (with and without the answers). Screenshots go to a temporary folder
// (SCREENSHOTS=docs/screenshots to keep them).
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectProblems, type ExplorerRig, startExplorer } from './explorer/page.js';
import { chromiumTool, haveTool } from './helpers/system-tools.js';

const shots = process.env['SCREENSHOTS']
  ? resolve(process.env['SCREENSHOTS'])
  : join(tmpdir(), 'nabla-explorer-screenshots');
const haveChromium = haveTool(chromiumTool, 'the student-mode tests');

let session: ExplorerRig | undefined;
let browser: Browser;
let context: BrowserContext;
const problems: string[] = [];

beforeAll(async () => {
  if (!haveChromium) return;
  session = await startExplorer();
  browser = session.browser;
  context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await mkdir(shots, { recursive: true });
}, 90_000);

afterAll(async () => {
  await context?.close();
  await session?.close();
});

async function open(url: string): Promise<Page> {
  const page = await context.newPage();
  collectProblems(page, url, problems);
  await page.goto(url.startsWith('http') ? url : `${session!.url}#${url}`);
  await page.waitForSelector('#tab-student:not([hidden]) .student-card');
  return page;
}

// ---- float64 matrices, written here -----------------------------------------------------------------------
type M = number[][];
const T = (a: M): M => a[0]!.map((_, c) => a.map((row) => row[c]!));
const mul = (a: M, b: M): M => {
  expect(a[0]!.length, 'inner dimensions').toBe(b.length);
  return a.map((row) => b[0]!.map((_, c) => row.reduce((s, x, j) => s + x * b[j]![c]!, 0)));
};
const had = (a: M, b: M): M => a.map((row, r) => row.map((x, c) => x * b[r]![c]!));
const map = (a: M, f: (x: number) => number): M => a.map((row) => row.map(f));
const differs = (a: M, b: M) =>
  a.length !== b.length ||
  a[0]!.length !== b[0]!.length ||
  a.some((row, r) => row.some((x, c) => Math.abs(x - b[r]![c]!) > 1e-6));

/** "3/4" → 0.75, "-2" → −2, "0.4621" → 0.4621. */
function parseValue(s: string): number {
  const f = /^(-?\d+)\/(\d+)$/.exec(s);
  return f ? Number(f[1]) / Number(f[2]) : Number(s);
}

/** A number as a student writes it: an integer, or the fraction p/q with a small q (exactly), or all digits. */
function asText(x: number): string {
  if (Number.isInteger(x)) return String(x);
  for (let q = 2; q <= 4096; q++) {
    const p = Math.round(x * q);
    if (Math.abs(p / q - x) < 1e-12) return `${p}/${q}`;
  }
  return String(x);
}

/** The entries of `sym` ("W1", "S0") in the given matrices, as rows of numbers. */
async function given(page: Page, sym: string): Promise<M> {
  const cells = await page.$$eval(`#student-given [data-sym="${sym}"][data-r][data-c][data-value]`, (els) =>
    els.map((e) => ({
      r: Number((e as HTMLElement).dataset.r),
      c: Number((e as HTMLElement).dataset.c),
      v: (e as HTMLElement).dataset.value!,
    })),
  );
  if (cells.length === 0) throw new Error(`no entries of ${sym} among the given matrices`);
  const rows: M = [];
  for (const { r, c, v } of cells) (rows[r] ??= [])[c] = parseValue(v);
  return rows;
}

interface Worked {
  W: M[];
  X: M;
  N: M[];
  S: M[];
  dS: M[];
  D: M[];
  G: M[];
}

/** The forward pass and the recursion of Remark 3, in float64, on the page's X and W_i (index i as in the paper). */
async function work(
  page: Page,
  k: number,
  sigma: ((x: number) => number)[],
  dsigma: ((x: number) => number)[],
): Promise<Worked> {
  const X = await given(page, 'S0');
  const W: M[] = [[]];
  for (let i = 1; i <= k; i++) W.push(await given(page, `W${i}`));
  const N: M[] = [[]];
  const S: M[] = [X];
  const dS: M[] = [[]];
  for (let i = 1; i <= k; i++) {
    N.push(mul(W[i]!, S[i - 1]!));
    S.push(map(N[i]!, sigma[i - 1]!));
    dS.push(map(N[i]!, dsigma[i - 1]!));
  }
  const D: M[] = [];
  D[k + 1] = [[1]];
  D[k] = had(D[k + 1]!, dS[k]!);
  for (let i = k - 1; i >= 1; i--) D[i] = had(mul(T(W[i + 1]!), D[i + 1]!), dS[i]!);
  const G: M[] = [];
  for (let i = 1; i <= k; i++) G[i] = mul(D[i]!, T(S[i - 1]!));
  return { W, X, N, S, dS, D, G };
}

/** Types a matrix into the card of answer `name` ("D_1"), resizing the grid first when the shape differs. */
async function type(page: Page, name: string, m: M, text = asText): Promise<void> {
  const card = `#answer-${name}`;
  const shape = async () =>
    page.$eval(`${card} .student-grid`, (t) => [
      (t as HTMLTableElement).rows.length,
      (t as HTMLTableElement).rows[0]!.cells.length,
    ]);
  for (let [r, c] = await shape(); r !== m.length || c !== m[0]!.length; [r, c] = await shape()) {
    const action = r < m.length ? 'add-row' : r > m.length ? 'remove-row' : c < m[0]!.length ? 'add-col' : 'remove-col';
    await page.click(`${card} button[data-action="${action}"]`);
  }
  for (let r = 0; r < m.length; r++)
    for (let c = 0; c < m[0]!.length; c++)
      await page.fill(`${card} input[data-r="${r}"][data-c="${c}"]`, text(m[r]![c]!));
}

async function verdict(
  page: Page,
  name: string,
): Promise<{ status: string; mistakes: string[]; factors: string[]; text: string }> {
  return page.$eval(`#answer-${name}`, (card) => ({
    status: (card as HTMLElement).dataset.status ?? '',
    mistakes: ((card.querySelector('.student-diagnosis') as HTMLElement).dataset.mistakes ?? '')
      .split(' ')
      .filter((s) => s !== ''),
    factors: Array.from(card.querySelectorAll<HTMLElement>('.student-formula .factor-wrong')).map(
      (e) => e.dataset.factor ?? e.dataset.sym ?? '',
    ),
    text: (card as HTMLElement).textContent,
  }));
}

const square = (x: number) => x * x;
const dsquare = (x: number) => 2 * x;
const id = (x: number) => x;
const one = () => 1;

describe.skipIf(!haveChromium)('the student mode in Chromium', () => {
  // n = 2, 2, 2, 1 with σ = square, square, identity: every answer an exact fraction, W_2 square (so W_2 for W_2ᵀ fits)
  const exact = 'tab=student&ex=9&exn=2,2,2,1&exact=square;square;identity';

  it('accepts the right Δ_i and ∇_{W_i} f, typed as fractions, and names each classic mistake with its factor', async () => {
    const page = await open(exact);
    expect(
      await page.$$eval('#student-cards .student-card', (els) => els.map((e) => (e as HTMLElement).dataset.ask)),
    ).toEqual(['D_3', 'D_2', 'D_1', 'gradW_3', 'gradW_2', 'gradW_1']);
    const w = await work(page, 3, [square, square, id], [dsquare, dsquare, one]);
    // the forward values the page gives are the ones computed here
    for (let i = 1; i <= 3; i++) {
      expect(await given(page, `N${i}`)).toEqual(w.N[i]);
      expect(await given(page, `S${i}`)).toEqual(w.S[i]);
      expect(await given(page, `dS${i}`)).toEqual(w.dS[i]);
    }
    expect(await page.locator('.student-answer:not(:empty)').count(), 'answers hidden').toBe(0);
    // this exercise has fractions among its answers (typed below as p/q)
    expect([1, 2, 3].some((i) => [...w.D[i]!, ...w.G[i]!].flat().some((x) => !Number.isInteger(x)))).toBe(true);

    await type(page, 'D_3', w.D[3]!);
    await type(page, 'D_2', w.D[2]!);
    expect((await verdict(page, 'D_3')).status).toBe('right');
    expect((await verdict(page, 'D_2')).status).toBe('right');

    // one entry wrong, one right: the entries are marked at once, before the matrix is complete
    await page.fill('#answer-D_1 input[data-r="0"][data-c="0"]', asText(w.D[1]![0]![0]!));
    await page.fill('#answer-D_1 input[data-r="1"][data-c="0"]', '');
    expect(await page.$eval('#answer-D_1 input[data-r="0"]', (e) => (e as HTMLElement).dataset.status)).toBe('right');
    expect((await verdict(page, 'D_1')).status).toBe('incomplete');
    // Enter goes on to the next entry
    await page.focus('#answer-D_1 input[data-r="0"][data-c="0"]');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('D_1 row 2 column 1');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe(
      'gradW_3 row 1 column 1',
    );
    await page.fill('#answer-D_1 input[data-r="1"][data-c="0"]', 'abc');
    expect(await page.$eval('#answer-D_1 input[data-r="1"]', (e) => (e as HTMLElement).dataset.status)).toBe(
      'malformed',
    );
    expect((await verdict(page, 'D_1')).text).toMatch(/not a number/);

    // each classic mistake in Δ_1 = (W_2ᵀ·Δ_2) ∘ Σ'_1, computed here
    const up = mul(T(w.W[2]!), w.D[2]!);
    const cases: { name: string; m: M; id: string; factors?: string[] }[] = [
      { name: 'D_1', m: up, id: 'forgot-dsigma', factors: ['dS1'] },
      { name: 'D_1', m: had(mul(w.W[2]!, w.D[2]!), w.dS[1]!), id: 'w-for-wt', factors: ['W2'] },
      { name: 'D_1', m: had(up, w.dS[2]!), id: 'index-shift', factors: ['dS1'] },
      { name: 'D_1', m: had(mul(T(w.D[2]!), w.W[2]!), T(w.dS[1]!)), id: 'wrong-order' },
      // and in ∇_{W_2} f = Δ_2·Σ_1ᵀ
      { name: 'gradW_2', m: mul(T(w.D[2]!), w.S[1]!), id: 'transpose-wrong-factor', factors: ['D2', 'S1'] },
      { name: 'gradW_2', m: mul(w.S[1]!, T(w.D[2]!)), id: 'wrong-order', factors: ['D2', 'S1'] },
      { name: 'gradW_2', m: mul(w.D[2]!, T(w.S[2]!)), id: 'index-shift', factors: ['S1'] },
    ];
    const right: Record<string, M> = { D_1: w.D[1]!, gradW_2: w.G[2]! };
    for (const c of cases) {
      expect(differs(c.m, right[c.name]!), `${c.id}: the mistaken ${c.name} differs from the right one`).toBe(true);
      await type(page, c.name, c.m);
      const v = await verdict(page, c.name);
      expect(v.status, `${c.id} in ${c.name}`).toBe('wrong');
      expect(v.mistakes, `${c.id} in ${c.name}`).toContain(c.id);
      if (c.factors) expect(v.factors.sort(), `${c.id}: the factor marked`).toEqual([...c.factors].sort());
      if (c.id === 'forgot-dsigma' && c.name === 'D_1') {
        expect(v.text).toMatch(/Σ' forgotten/);
        for (const size of [
          { width: 1280, height: 800 },
          { width: 390, height: 844 },
        ]) {
          await page.setViewportSize(size);
          await page.evaluate(() => document.fonts.ready.then(() => window.scrollTo(0, 0)));
          await page.screenshot({
            path: join(shots, `student-${size.width}.png`),
            fullPage: true,
            animations: 'disabled',
            caret: 'hide',
          });
        }
        await page.setViewportSize({ width: 1280, height: 800 });
      }
    }

    // the right answers: every matrix accepted
    await type(page, 'D_1', w.D[1]!);
    for (let i = 3; i >= 1; i--) await type(page, `gradW_${i}`, w.G[i]!);
    for (const name of ['D_3', 'D_2', 'D_1', 'gradW_3', 'gradW_2', 'gradW_1'])
      expect((await verdict(page, name)).status, name).toBe('right');
    expect(await page.textContent('#student-score')).toMatch(/All 6 matrices right/);
    await page.close();
  }, 120_000);

  it('says when a Δ_1 is right for the student’s own wrong Δ_2', async () => {
    const page = await open(exact);
    const w = await work(page, 3, [square, square, id], [dsquare, dsquare, one]);
    await type(page, 'D_3', w.D[3]!);
    const wrongD2 = mul(T(w.W[3]!), w.D[3]!); // Σ'_2 forgotten
    await type(page, 'D_2', wrongD2);
    expect((await verdict(page, 'D_2')).mistakes).toContain('forgot-dsigma');
    await type(page, 'D_1', had(mul(T(w.W[2]!), wrongD2), w.dS[1]!));
    const v = await verdict(page, 'D_1');
    expect(v.mistakes[0]).toBe('carried');
    expect(v.factors).toEqual(['D2']);
    await page.close();
  }, 60_000);

  it('takes decimals where the activations have no exact values (tanh), and still names Σ′ forgotten', async () => {
    const page = await open('tab=student&ex=2&exn=2,2,1&exact=tanh');
    const tanh = Math.tanh;
    const w = await work(page, 2, [tanh, tanh], [(x) => 1 - tanh(x) ** 2, (x) => 1 - tanh(x) ** 2]);
    expect(await page.textContent('#student-info')).toMatch(/tanh has no exact values/);
    const four = (x: number) => x.toFixed(4);
    await type(page, 'D_2', w.D[2]!, four);
    await type(page, 'D_1', mul(T(w.W[2]!), w.D[2]!), four);
    expect((await verdict(page, 'D_1')).mistakes).toContain('forgot-dsigma');
    await type(page, 'D_1', w.D[1]!, four);
    await type(page, 'gradW_2', w.G[2]!, four);
    await type(page, 'gradW_1', w.G[1]!, four);
    for (const name of ['D_2', 'D_1', 'gradW_2', 'gradW_1'])
      expect((await verdict(page, name)).status, name).toBe('right');
    // off in the second decimal: wrong
    await type(
      page,
      'D_2',
      map(w.D[2]!, (x) => x + 0.02),
      four,
    );
    expect((await verdict(page, 'D_2')).status).toBe('wrong');
    await page.close();
  }, 60_000);

  it('asks the forward pass too: N_i, Σ_i and Σ′_i, with σ not applied and Σ, Σ′ swapped named', async () => {
    const page = await open('tab=student&expass=forward&ex=5&exn=2,2,1&exact=square');
    expect(
      await page.$$eval('#student-cards .student-card', (els) => els.map((e) => (e as HTMLElement).dataset.ask)),
    ).toEqual(['N_1', 'S_1', 'dS_1', 'N_2', 'S_2', 'dS_2']);
    const w = await work(page, 2, [square, square], [dsquare, dsquare]);
    await type(page, 'N_1', w.N[1]!);
    expect(differs(w.N[1]!, w.S[1]!)).toBe(true);
    await type(page, 'S_1', w.N[1]!);
    expect((await verdict(page, 'S_1')).mistakes).toContain('forgot-sigma');
    expect((await verdict(page, 'S_1')).factors).toEqual(['sigma1']);
    await type(page, 'dS_1', w.S[1]!);
    expect((await verdict(page, 'dS_1')).mistakes).toContain('swapped');
    await type(page, 'S_1', w.S[1]!);
    await type(page, 'dS_1', w.dS[1]!);
    await type(page, 'N_2', w.N[2]!);
    await type(page, 'S_2', w.S[2]!);
    await type(page, 'dS_2', w.dS[2]!);
    expect(await page.textContent('#student-score')).toMatch(/All 6 matrices right/);
    await page.close();
  }, 60_000);

  it('restores a shared exercise from its link, without and with the answers', async () => {
    const lecturer = await open(exact);
    await lecturer.click('#ex-new'); // the next seed
    await lecturer.waitForFunction(() => (document.getElementById('ex-seed') as HTMLInputElement).value === '10');
    await lecturer.uncheck('#hide-gradW_1'); // ∇_{W_1} f given, not asked
    await lecturer.waitForSelector('#answer-gradW_1', { state: 'detached' });
    const cardsOf = (p: Page) =>
      p.$$eval('#student-cards .student-card', (els) => els.map((e) => (e as HTMLElement).dataset.ask));
    const givenOf = (p: Page) =>
      p.$$eval('#student-given [data-value]', (els) =>
        els.map(
          (e) =>
            `${(e as HTMLElement).dataset.sym}[${(e as HTMLElement).dataset.r},${(e as HTMLElement).dataset.c}]=${(e as HTMLElement).dataset.value}`,
        ),
      );
    const cards = await cardsOf(lecturer);
    expect(cards).toEqual(['D_3', 'D_2', 'D_1', 'gradW_3', 'gradW_2']);
    const shown = await givenOf(lecturer);
    expect(shown.some((s) => s.startsWith('gradW1['))).toBe(true);

    await lecturer.click('#share-exercise');
    const plain = await lecturer.inputValue('#share-link');
    expect(await lecturer.textContent('#share-note')).toMatch(/without the answers/);
    await lecturer.click('#share-answers');
    const withAnswers = await lecturer.inputValue('#share-link');
    expect(plain).not.toBe(withAnswers);

    const student = await open(plain);
    expect(await cardsOf(student)).toEqual(cards);
    expect(await givenOf(student)).toEqual(shown);
    expect(await student.isChecked('#ex-reveal')).toBe(false);
    expect(await student.locator('.student-answer:not(:empty)').count()).toBe(0);
    await student.close();

    const key = await open(withAnswers);
    expect(await cardsOf(key)).toEqual(cards);
    expect(await givenOf(key)).toEqual(shown);
    expect(await key.isChecked('#ex-reveal')).toBe(true);
    // the answers shown are the ones computed here
    const w = await work(key, 3, [square, square, id], [dsquare, dsquare, one]);
    const answer = async (name: string, sym: string) => {
      const cells = await key.$$eval(`#answer-${name} .student-answer [data-sym="${sym}"][data-value]`, (els) =>
        els.map((e) => ({
          r: Number((e as HTMLElement).dataset.r),
          c: Number((e as HTMLElement).dataset.c),
          v: (e as HTMLElement).dataset.value!,
        })),
      );
      const rows: M = [];
      for (const { r, c, v } of cells) (rows[r] ??= [])[c] = parseValue(v);
      return rows;
    };
    expect(await answer('D_1', 'D1')).toEqual(w.D[1]);
    expect(await answer('gradW_2', 'gradW2')).toEqual(w.G[2]);
    await key.close();
    await lecturer.close();
  }, 90_000);

  it('fits a 390×844 phone: no horizontal scrolling in the view, the grids scroll inside their own boxes', async () => {
    const page = await open(exact);
    await page.setViewportSize({ width: 390, height: 844 });
    const box = await page.$eval('#tab-student', (el) => ({
      right: el.getBoundingClientRect().right,
      scroll: el.scrollWidth,
      client: el.clientWidth,
    }));
    expect(box.right).toBeLessThanOrEqual(390);
    expect(box.scroll).toBeLessThanOrEqual(box.client);
    // the page below the header (the header's own phone layout is issue 12's item 1, fixed with the layout work)
    expect(await page.$eval('.layout', (el) => el.scrollWidth)).toBeLessThanOrEqual(390);
    // every control of the view is inside the screen's width
    const outside = await page.$$eval('#tab-student input, #tab-student button, #tab-student select', (els) =>
      els
        .filter((e) => {
          const r = e.getBoundingClientRect();
          if (r.width === 0) return false; // not shown
          // inside a box that scrolls sideways is fine
          for (let p = e.parentElement; p; p = p.parentElement)
            if (p.scrollWidth > p.clientWidth && getComputedStyle(p).overflowX === 'auto') return false;
          return r.right > 390 || r.left < 0;
        })
        .map((e) => e.id || e.outerHTML.slice(0, 60)),
    );
    expect(outside).toEqual([]);
    await page.close();
  }, 60_000);

  it('reports exercise settings it cannot use next to their field, and draws again once they are right', async () => {
    const page = await open(exact);
    const error = (f: string) => page.textContent(`[data-error-for="${f}"]`);
    await page.fill('#ex-widths', '2, x, 1');
    expect(await error('exWidths')).toMatch(/"x" is not a whole number/);
    await page.fill('#ex-widths', '2, 9, 1');
    expect(await error('exWidths')).toMatch(/widths up to 5/);
    await page.fill('#ex-widths', '2, 2, 2');
    expect(await error('exWidths')).toMatch(/the last width must be 1/);
    await page.fill('#ex-widths', '2, 3, 1');
    expect(await error('exWidths')).toBe('');
    await page.fill('#ex-act', 'cosh');
    expect(await error('exAct')).toMatch(/activation "cosh".*exact activations.*tanh/);
    await page.fill('#ex-act', 'leaky_relu');
    expect(await error('exAct')).toBe('');
    expect(
      await page.$$eval('#answer-gradW_1 .student-grid tr', (rows) => [rows.length, rows[0]!.children.length]),
    ).toEqual([3, 2]);
    await page.close();
  }, 60_000);

  it('saw no console errors', () => {
    expect(problems).toEqual([]);
  });
});
