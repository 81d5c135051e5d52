// The explorer's model-file input takes .onnx files too: a PyTorch export opens with PyTorch's weights (recorded
// in test/fixtures/onnx), and a refused graph shows the importer's one line next to the field.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ExplorerRig, readMatrix, startExplorer } from './explorer/page.js';
import { chromiumTool, haveTool } from './helpers/system-tools.js';

const haveChromium = haveTool(chromiumTool, 'the explorer ONNX test');
const fixtures = join(import.meta.dirname, 'fixtures', 'onnx');
let session: ExplorerRig | undefined;
let browser: Browser;

beforeAll(async () => {
  if (!haveChromium) return;
  session = await startExplorer();
  browser = session.browser;
}, 120_000);

afterAll(async () => {
  await session?.close();
});

async function textSoon(page: Page, selector: string, ok: (t: string) => boolean): Promise<string> {
  let t = '';
  for (let i = 0; i < 100; i++) {
    t = (await page.locator(selector).textContent()) ?? '';
    if (ok(t)) return t;
    await page.waitForTimeout(50);
  }
  return t;
}

describe.skipIf(!haveChromium)('explorer: open an .onnx model', () => {
  it("a PyTorch export opens with PyTorch's weights; a graph with a Softmax is refused next to the field", async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(session!.url);
    await page.waitForSelector('.network-svg', { state: 'attached' });
    expect(await page.getAttribute('#open-model', 'accept')).toContain('.onnx');

    const bad = await readFile(join(fixtures, 'softmax-middle.onnx'));
    await page.setInputFiles('#open-model', {
      name: 'softmax-middle.onnx',
      mimeType: 'application/octet-stream',
      buffer: bad,
    });
    expect(await textSoon(page, '[data-error-for="model"]', (t) => t !== '')).toMatch(
      /^softmax-middle\.onnx: operator Softmax \(node "\/1\/Softmax"\)/,
    );

    const good = await readFile(join(fixtures, 'relu-op17.onnx'));
    await page.setInputFiles('#open-model', {
      name: 'relu-op17.onnx',
      mimeType: 'application/octet-stream',
      buffer: good,
    });
    expect(await textSoon(page, '[data-error-for="model"]', (t) => t === '')).toBe('');
    await page.waitForFunction(
      () => (document.querySelector('#widths') as HTMLInputElement | null)?.value === '3, 5, 2',
    );
    const torch = JSON.parse(await readFile(join(fixtures, 'relu-op17.json'), 'utf8')) as {
      linear: { weight: number[][]; bias: number[] }[];
    };
    const W1 = await readMatrix(page, '#tab-forward .matrix', 'W1');
    // [A_1 | b_1] and the formal row of §3; the page shows the numbers rounded, so compare to 3 decimals
    const want = [...torch.linear[0]!.weight.map((row, r) => [...row, torch.linear[0]!.bias[r]!]), [0, 0, 0, 1]];
    expect(W1.length).toBe(want.length);
    W1.forEach((row, r) =>
      row.forEach((v, c) => expect(Math.abs(v - want[r]![c]!), `W1[${r}][${c}]`).toBeLessThan(5e-3)),
    );
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);
});
