// The explorer end to end: built with Vite (the `nabla explore` build) into a temporary folder, served by the
// command's own static server, and driven in Debian's Chromium through playwright-core. The numbers typeset
// on the page are read from their data-value attributes and compared with `nabla grad --json` on a model
// file holding the weights the page shows. Screenshots of the main views go to a temporary folder (SCREENSHOTS=dir to keep them).
import { mkdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseModel } from 'nabla';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cliGrad,
  collectProblems,
  type ExplorerRig,
  expectCloseUlps,
  type Rows,
  readMatrix,
  startExplorer,
} from './explorer/page.js';
import { chromiumTool, haveTool } from './helpers/system-tools.js';

// Screenshots go to a temporary folder on every run (so a test run leaves the work tree clean);
// `SCREENSHOTS=docs/screenshots npx vitest run test/explorer.test.ts` refreshes the ones in the docs.
const shots = process.env['SCREENSHOTS']
  ? resolve(process.env['SCREENSHOTS'])
  : join(tmpdir(), 'nabla-explorer-screenshots');
const haveChromium = haveTool(chromiumTool, 'the explorer tests');

let session: ExplorerRig | undefined;
let browser: Browser;
let context: BrowserContext;
/** Every console error or warning and uncaught exception of every page. */
const problems: string[] = [];

beforeAll(async () => {
  if (!haveChromium) return;
  session = await startExplorer();
  browser = session.browser;
  context = await browser.newContext({ viewport: { width: 1440, height: 1300 }, acceptDownloads: true });
  await mkdir(shots, { recursive: true });
}, 60_000);

afterAll(async () => {
  await context?.close();
  await session?.close();
});

async function open(hash: string): Promise<Page> {
  const page = await context.newPage();
  collectProblems(page, hash, problems);
  await page.goto(`${session!.url}#${hash}`);
  await page.waitForSelector('.network-svg', { state: 'attached' });
  return page;
}

/** A screenshot in docs/screenshots, once the fonts are in and with transitions off (the same page gives the same file). */
async function shot(page: Page, name: string): Promise<void> {
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  await page.screenshot({ path: join(shots, name), fullPage: true, animations: 'disabled', caret: 'hide' });
}

/** The page's W_1 … W_k (genuine rows only for an affine network) as model-file layers. */
async function layersOf(
  page: Page,
  k: number,
  acts: (string | string[])[],
  genuineRows?: number[],
): Promise<{ W: Rows; activation: string | string[] }[]> {
  const out = [];
  for (let i = 1; i <= k; i++) {
    const W = await readMatrix(page, '#tab-forward .matrix', `W${i}`);
    out.push({ W: genuineRows ? W.slice(0, genuineRows[i - 1]) : W, activation: acts[i - 1]! });
  }
  return out;
}

/** Steps through the backward pass and checks every Δ_i and ∇_{W_i} f typeset on the way against the CLI. */
async function stepAndCompare(
  page: Page,
  k: number,
  cli: { D: Record<string, Rows>; gradW: Record<string, Rows> },
): Promise<void> {
  for (let s = 1; s <= k; s++) {
    await page.click('#step-next');
    const i = k - s + 1;
    await page.waitForSelector(`#step-current [data-sym="D${i}"]`);
    expect(page.url()).toContain(`step=${s}`);
    // same library, same float64 inputs (data-value is the shortest round-trip text): identical numbers
    expectCloseUlps(await readMatrix(page, '#step-current', `D${i}`), cli.D[String(i)], `Δ_${i}`);
    expectCloseUlps(await readMatrix(page, '#step-current', `gradW${i}`), cli.gradW[String(i)], `∇W_${i}`);
    if (i < k)
      expectCloseUlps(
        await readMatrix(page, '#step-current', `D${i + 1}`),
        cli.D[String(i + 1)],
        `Δ_${i + 1} in the step of Δ_${i}`,
      );
  }
  await expect(page.locator('#step-next')).toBeDisabledSoon();
}

describe.skipIf(!haveChromium)('the explorer in Chromium', () => {
  it('typesets Δ_i and ∇_{W_i} f with the numbers of nabla grad --json, step by step', async () => {
    const acts = [['tanh', 'sin', 'softplus'], ['relu', 'tanh'], 'sigmoid'];
    const page = await open('n=2,3,2,1&act=tanh,sin,softplus;relu,tanh;sigmoid&seed=3&x=0.5,-1;0.25,2&w=1.0.0=0.75');
    const layers = await layersOf(page, 3, acts);
    expect(layers[0]!.W[0]![0]).toBe(0.75); // the weight edit from the URL
    const cli = await cliGrad({ version: 1, widths: [2, 3, 2, 1], layers }, [
      [0.5, -1],
      [0.25, 2],
    ]);
    for (const key of ['N', 'S', 'dS'] as const) {
      for (let i = 1; i <= 3; i++)
        expectCloseUlps(
          await readMatrix(page, '#tab-forward .matrix', `${key}${i}`),
          cli[key][String(i)],
          `${key}_${i}`,
        );
    }
    await stepAndCompare(page, 3, cli);
    await page.hover('#step-current [data-sym="D1"][data-r="1"][data-c="0"]');
    await shot(page, 'backward-step.png');
    // hovering an entry of Δ_1 marks the same entry in the matrices and its neuron in the diagram
    expect(await page.locator('#step-current [data-sym="D1"][data-r="1"][data-c="0"].hl').count()).toBeGreaterThan(0);
    expect(await page.locator('.network-svg [data-layer="1"][data-r="1"].hl2').count()).toBe(1);
    // …and the other way round: a neuron marks its rows of N_2, Σ_2, Σ'_2 in the tables
    await page.hover('.network-svg g.neuron[data-layer="2"][data-r="0"] circle');
    expect(await page.locator('#tab-forward td[data-sym="dS2"][data-r="0"].hl2').count()).toBe(2);
    await page.click('#step-prev');
    await expect(page.locator('#step-status')).toContainTextSoon('step 2 of 3');
    expect(page.url()).toContain('step=2');
    await page.close();
  });

  it('shows the affine network of §3 (formal neurons, bias column) and agrees with the CLI there too, with v for n_k > 1', async () => {
    const page = await open('n=2,3,2&affine=1&act=tanh;identity&v=1,-2&x=0.3,0.7&w=1.0.2=0.1;1.2.2=-0.2;2.1.3=0.5');
    expect(await page.locator('.network-svg g.formal').count()).toBe(2); // the constant input 1 and layer 1's formal neuron
    expect(await page.locator('#tab-forward td[data-sym="W1"].bias').count()).toBe(4); // last column of the 4×3 W_1
    const layers = await layersOf(page, 2, ['tanh', 'identity'], [3, 2]);
    expect(layers[0]!.W.map((r) => r[2])).toEqual([0.1, 0, -0.2]);
    const cli = await cliGrad({ version: 1, widths: [2, 3, 2], affine: true, layers }, [[0.3, 0.7]], [1, -2]);
    await stepAndCompare(page, 2, cli);
    await shot(page, 'affine.png');
    await page.close();
  });

  it('changes one neuron’s σ from the diagram, and takes a custom activation typed as a formula', async () => {
    const page = await open('n=2,3,1&act=tanh;sigmoid');
    // click an entry of W_2, type a number: the edit goes into the URL and N_2 follows
    await page.click('#tab-forward td[data-sym="W2"][data-r="0"][data-c="1"]');
    await page.fill('#tab-forward td[data-sym="W2"] input', '-2.5');
    await page.press('#tab-forward td[data-sym="W2"] input', 'Enter');
    await page.waitForFunction(() => location.hash.includes('w=2.0.1=-2.5'));
    const W2 = await readMatrix(page, '#tab-forward .matrix', 'W2');
    const S1 = (await readMatrix(page, '#tab-forward .matrix', 'S1')).map((r) => r[0]!);
    expect(W2[0]![1]).toBe(-2.5);
    expect((await readMatrix(page, '#tab-forward .matrix', 'N2'))[0]![0]).toBeCloseTo(
      W2[0]![0]! * S1[0]! + W2[0]![1]! * S1[1]! + W2[0]![2]! * S1[2]!,
      14,
    );

    await page.click('.network-svg g.neuron[data-layer="1"][data-r="1"]');
    await page.selectOption('#neuron-act', 'relu');
    await page.waitForFunction(() => location.hash.includes('act=tanh,relu,tanh;sigmoid'));
    expect(await page.inputValue('#act-1')).toBe(''); // the layer's select now says "per neuron"
    const N1 = await readMatrix(page, '#tab-forward .matrix', 'N1');
    const S1b = await readMatrix(page, '#tab-forward .matrix', 'S1');
    expect(S1b[1]![0]).toBe(Math.max(0, N1[1]![0]!));
    expect(S1b[0]![0]).toBe(Math.tanh(N1[0]![0]!));

    await page.click('#add-custom');
    await page.fill('#custom-1', 'x^3 - x');
    await expect(page.locator('[data-field="custom1"] .custom-tex')).toContainTextSoon('σ′ by mathjs');
    await page.selectOption('#act-1', 'custom1');
    await page.waitForFunction(() => location.hash.includes('act=custom1;sigmoid'));
    const N = (await readMatrix(page, '#tab-forward .matrix', 'N1'))[2]![0]!;
    const dS = (await readMatrix(page, '#tab-forward .matrix', 'dS1'))[2]![0]!;
    expect(dS).toBeCloseTo(3 * N * N - 1, 12); // σ' = 3x² − 1, derived by mathjs
    await shot(page, 'custom-activation.png');

    // a formula that does not parse: a message beside it, the last good matrices stay, the page keeps working
    await page.fill('#custom-1', 'x^3 -');
    await expect(page.locator('[data-error-for="custom1"]')).toContainTextSoon('cannot read "x^3 -"');
    await page.click('#step-next');
    expect(page.url()).toContain('step=1');
    await page.fill('#custom-1', 'x > 0 ? x : 0.1*x');
    await expect(page.locator('[data-error-for="custom1"]')).toHaveTextSoon('');
    await page.close();
  });

  it('reports bad input next to the field: a zero width, a malformed model file, a malformed CSV', async () => {
    const page = await open('lr=abc');
    await expect(page.locator('#link-notice')).toContainTextSoon('lr=abc');
    await page.fill('#widths', '2, 0, 1');
    await expect(page.locator('[data-error-for="widths"]')).toHaveTextSoon(
      'n_1 = 0: every layer needs at least one neuron',
    );
    expect(await readMatrix(page, '#tab-forward .matrix', 'W1')).toHaveLength(3); // the last good network stays
    await page.fill('#widths', '2, 2, 1');
    await expect(page.locator('[data-error-for="widths"]')).toHaveTextSoon('');

    const bad = '{"version": 1, "widths": [2, 1], "layers": [{"W": [[1]], "activation": "tanh"}]}';
    await page.setInputFiles('#open-model', {
      name: 'bad.json',
      mimeType: 'application/json',
      buffer: Buffer.from(bad),
    });
    await expect(page.locator('[data-error-for="model"]')).toContainTextSoon('bad.json: layers[0].W');
    const good =
      '{"version": 1, "widths": [1, 2, 1], "affine": true, "layers": [{"W": [[2, 0.5], [-1, ' +
      '0.25]], "activation": "tanh"}, {"W": [[1, -1, 0.1]], "activation": "identity"}]}';
    await page.setInputFiles('#open-model', {
      name: 'good.json',
      mimeType: 'application/json',
      buffer: Buffer.from(good),
    });
    await expect(page.locator('[data-error-for="model"]')).toHaveTextSoon('');
    expect(await readMatrix(page, '#tab-forward .matrix', 'W1')).toEqual([
      [2, 0.5],
      [-1, 0.25],
      [0, 1],
    ]); // + the formal row of §3
    expect(await page.inputValue('#widths')).toBe('1, 2, 1');
    expect(await page.inputValue('#inputs')).toBe('0.5'); // the sample [0.5, −1] cut to the new input width m_0 = 1

    await page.click('#tabs button[data-tab="train"]');
    await page.click('.dataset[data-dataset="csv"]');
    await page.setInputFiles('#csv-file', {
      name: 'bad.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('x1,x2,label\n1,2,a\n3,oops,b\n'),
    });
    await expect(page.locator('[data-error-for="data"]')).toContainTextSoon(
      'bad.csv: line 3, column "x2": "oops" is not a number',
    );
    // a good file: the Training view's network takes its features as n_0 and its classes as n_k
    const rows = Array.from({ length: 40 }, (_, s) => `${(s % 7) - 3},${(s % 5) - 2},${s % 7 > 3 ? 'yes' : 'no'}`);
    await page.setInputFiles('#csv-file', {
      name: 'mine.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(`x1,x2,label\n${rows.join('\n')}\n`),
    });
    await expect(page.locator('#train-status')).toContainTextSoon('40 samples, 2 features, 2 classes');
    expect(await page.locator('#tab-train .network-svg g.neuron[data-layer="0"]').count()).toBe(3); // x1, x2 and the constant 1 of §3
    await page.close();
  });

  it('shows every form side by side with the largest difference and the finite-difference check', async () => {
    const page = await open('tab=forms&n=2,3,2,1&act=tanh;tanh;sigmoid&x=0.5,-1;1,0.5');
    const rows = await page.$$eval('#forms-summary tbody tr', (trs) =>
      trs.map(
        (tr) =>
          [(tr as HTMLElement).dataset.form, Number(tr.querySelector('td.num')!.getAttribute('data-value'))] as const,
      ),
    );
    expect(rows.map((r) => r[0])).toEqual(['recursive', 'explicit', 'kronecker', 'diagonal', 'proof', 'numeric']);
    for (const [form, diff] of rows) expect(diff, form).toBeLessThan(form === 'numeric' ? 1e-8 : 1e-12);
    expect(Number(await page.getAttribute('#forms-largest', 'data-value'))).toBeLessThan(1e-12);
    // ∇W_1 by default (the longest chains); every layer on request, and the choice goes into the URL
    for (const form of ['explicit', 'kronecker', 'diagonal'])
      expect(await page.locator(`.form-card[data-form="${form}"] .form-layer`).count(), form).toBe(1);
    expect(await page.locator('.form-card[data-form="proof"] .form-layer').count()).toBe(3); // (7) is a recursion: every r
    await shot(page, 'forms.png');
    await page.click('#forms-layer-all');
    expect(page.url()).toContain('li=0');
    for (const form of ['explicit', 'kronecker', 'diagonal', 'proof'])
      expect(await page.locator(`.form-card[data-form="${form}"] .form-layer`).count(), form).toBe(3);
    await page.goto(`${session!.url}#tab=forms&n=1,1,1&act=tanh;sigmoid&x=0.7`);
    await page.waitForSelector('.form-card[data-form="scalar"]');
    expect(await page.locator('#forms-summary tr[data-form="scalar"]').count()).toBe(1);
    await page.close();
  });

  it('trains xor in a Web Worker on the WASM kernels: the loss falls, the page stays live, the model downloads', async () => {
    const page = await open('tab=train&th=4&data=xor&lr=0.03');
    await page.waitForSelector('#train-loss');
    await page.waitForFunction(() => (document.getElementById('train-status')?.dataset.kernels ?? '') !== '');
    expect(await page.getAttribute('#train-status', 'data-kernels')).toMatch(/^WebAssembly SIMD/);
    const before = Number(await page.getAttribute('#train-loss', 'data-value'));
    await page.click('#train-play');
    await page.waitForFunction(() => Number(document.getElementById('epoch')?.dataset.value) >= 60, undefined, {
      timeout: 20_000,
    });
    await page.hover('#tab-train .network-svg g.neuron[data-layer="1"][data-r="0"] rect'); // the page answers while training runs
    await page.click('#train-play'); // pause
    await expect(page.locator('#train-play')).toContainTextSoon('Train');
    const after = Number(await page.getAttribute('#train-loss', 'data-value'));
    expect(after).toBeLessThan(0.5 * before);
    expect(await page.locator('#tab-train canvas.neuron-map').count()).toBe(2 + 4 + 1); // a map per neuron (inputs, hidden, output)
    // for the screenshot: from the start again, 40 single epochs (seeded: the same picture every time)
    await page.click('#train-reset');
    await page.waitForFunction(() => document.getElementById('epoch')?.dataset.value === '0');
    for (let e = 1; e <= 40; e++) {
      await page.click('#train-step');
      await page.waitForFunction((n) => Number(document.getElementById('epoch')?.dataset.value) === n, e);
    }
    await page.mouse.move(0, 0);
    await shot(page, 'training.png');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-trained')]);
    const model = parseModel(await readFile((await download.path())!, 'utf8'), { source: 'download' });
    expect(model.affine?.m).toEqual([2, 4, 1]);
    expect(model.meta.loss).toBe('bce');
    await page.click('#inspect-trained');
    await page.waitForFunction(() => !location.hash.includes('tab=train') && location.hash.includes('w=')); // the forward tab is the default
    expect(await readMatrix(page, '#tab-forward .matrix', 'W2')).toEqual(model.affine!.W.get(2).toRows()); // the trained weights, exactly
    expect(await page.inputValue('#widths')).toBe('2, 4, 1');
    // …and the training is where it was: back in Training, still epoch 40 with the same weights
    await page.click('#tabs button[data-tab="train"]');
    await page.waitForFunction(() => document.getElementById('epoch')?.dataset.value === '40');
    await page.close();
  });

  it('writes screenshots of the main views and saw no console errors anywhere', async () => {
    const page = await open('step=1');
    await page.hover('#step-current [data-sym="dS2"]');
    await shot(page, 'forward-backward.png');
    await page.close();
    expect(problems).toEqual([]);
  });
});

// Small polling assertions (playwright-core has no expect of its own).
interface Soon {
  toContainTextSoon(text: string): Promise<void>;
  toHaveTextSoon(text: string): Promise<void>;
  toBeDisabledSoon(): Promise<void>;
}
declare module 'vitest' {
  interface Assertion extends Soon {}
}
async function poll(
  check: () => Promise<boolean>,
  what: () => Promise<string>,
): Promise<{ pass: boolean; message: () => string }> {
  for (let t = 0; t < 100; t++) {
    if (await check()) return { pass: true, message: () => '' };
    await new Promise((r) => setTimeout(r, 50));
  }
  const last = await what();
  return { pass: false, message: () => last };
}
type L = ReturnType<Page['locator']>;
expect.extend({
  async toContainTextSoon(loc: L, text: string) {
    return poll(
      async () => ((await loc.textContent()) ?? '').includes(text),
      async () => `expected "${await loc.textContent()}" to contain "${text}"`,
    );
  },
  async toHaveTextSoon(loc: L, text: string) {
    return poll(
      async () => ((await loc.textContent()) ?? '').trim() === text,
      async () => `expected "${await loc.textContent()}" to be "${text}"`,
    );
  },
  async toBeDisabledSoon(loc: L) {
    return poll(
      () => loc.isDisabled(),
      async () => 'expected the element to be disabled',
    );
  },
});
