// The QTI package (`nabla exercise --format qti`) in a real QTI player: Citolab's QTI 2→3 converter
// (@citolab/qti-convert, the XSLT platforms use to upgrade 2.x items) turns the item into QTI 3, and Citolab's QTI 3
// web components (@citolab/qti-components) render it in Chromium and run its response processing. A right response
// gets full credit; typing a classic mistake's value gets 0 for that entry and the feedback naming the mistake.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { convertQti2toQti3 } from '@citolab/qti-convert/qti-convert-node';
import { strFromU8, unzipSync } from 'fflate';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { qtiPackage } from '../../packages/nabla/src/teach/qti.js';
import { FORGOT_DSIGMA, HAND_ANSWERS, handWorkedSet } from '../helpers/platform.js';
import { CHROMIUM_PATH, chromiumTool, haveTool } from '../helpers/system-tools.js';

const haveChromium = haveTool(chromiumTool, 'the QTI player test');
const require = createRequire(import.meta.url);
const components = join(require.resolve('@citolab/qti-components/package.json'), '..', 'cdn', 'index.js');

let browser: Browser | undefined;
let item3 = '';

beforeAll(async () => {
  if (!haveChromium) return;
  const zip = unzipSync(qtiPackage([{ id: 's1', variant: 1, set: handWorkedSet() }]));
  item3 = await convertQti2toQti3(strFromU8(zip['items/nabla-e1-v1.xml']!));
  browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
});

const PAGE = `<!doctype html><html><body><div id="host"></div><script type="module">
import { qtiTransformItem } from './qti-components.js';
const xml = await (await fetch('./item.xml')).text();
document.getElementById('host').innerHTML = qtiTransformItem().parse(xml).html();
await customElements.whenDefined('qti-assessment-item');
window.item = document.querySelector('qti-assessment-item');
window.ready = true;
</script></body></html>`;

async function openItem(): Promise<Page> {
  const page = await browser!.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  const js = await readFile(components, 'utf8');
  await page.route('http://qti.test/**', (route) => {
    const path = new URL(route.request().url()).pathname;
    if (path === '/') return route.fulfill({ contentType: 'text/html', body: PAGE });
    if (path === '/qti-components.js') return route.fulfill({ contentType: 'text/javascript', body: js });
    if (path === '/item.xml') return route.fulfill({ contentType: 'application/xml', body: item3 });
    return route.fulfill({ status: 404, body: '' });
  });
  await page.goto('http://qti.test/');
  await page.waitForFunction(() => (window as unknown as { ready?: boolean }).ready === true, null, {
    timeout: 30_000,
  });
  await page.waitForSelector('qti-text-entry-interaction');
  expect(errors).toEqual([]);
  return page;
}

/** Types the hand-worked answers, with `wrong` overriding some responses, then runs response processing. */
async function answer(page: Page, wrong: Record<string, string> = {}): Promise<{ score: number; max: number }> {
  for (const [name, rows] of Object.entries(HAND_ANSWERS)) {
    for (let r = 0; r < rows.length; r++) {
      for (let c = 0; c < rows[r]!.length; c++) {
        const id = `R_${name}_${r + 1}_${c + 1}`;
        const input = page.locator(`qti-text-entry-interaction[response-identifier="${id}"] input`);
        await input.fill(wrong[id] ?? String(rows[r]![c]));
        await input.blur();
      }
    }
  }
  return page.evaluate(() => {
    const item = (
      window as unknown as { item: { processResponse(): void; getOutcome(id: string): { value: unknown } } }
    ).item;
    item.processResponse();
    return { score: Number(item.getOutcome('SCORE').value), max: Number(item.getOutcome('MAXSCORE').value) };
  });
}

/** The text of the modal feedback the player shows. */
async function shownFeedback(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll('qti-modal-feedback'))
      .filter(
        (f) => f.getAttribute('showstatus') === 'on' || (f as unknown as { showStatus?: string }).showStatus === 'on',
      )
      .map((f) => f.textContent?.trim() ?? ''),
  );
}

describe.skipIf(!haveChromium)('the QTI package in a QTI player (Citolab qti-components, Chromium)', () => {
  it('gives full credit to the right answers, and shows no mistake feedback', async () => {
    const page = await openItem();
    const { score, max } = await answer(page);
    expect(max).toBe(9); // 1 + 2 + 2 + 4 entries
    expect(score).toBe(9);
    expect(await shownFeedback(page)).toEqual([]);
    await page.close();
  }, 60_000);

  it('accepts a decimal within the tolerance and refuses one outside it', async () => {
    const page = await openItem();
    expect((await answer(page, { R_D_1_2_1: '0.5004' })).score).toBe(9);
    expect((await answer(page, { R_D_1_2_1: '0.502' })).score).toBe(8);
    await page.close();
  }, 60_000);

  it("gives 0 for Δ_1 (1, 1) = 3 (∘ Σ'_1 forgotten) and shows the feedback naming the mistake", async () => {
    const page = await openItem();
    const { score } = await answer(page, { R_D_1_1_1: '3' });
    expect(score).toBe(8);
    const shown = await shownFeedback(page);
    expect(shown, JSON.stringify(shown)).toContain(`Δ_1: ${FORGOT_DSIGMA}`);
    await page.close();
  }, 60_000);
});
