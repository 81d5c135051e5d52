// The HTML that `nabla explain --format html` and `nabla exercise --format html` write is one self-contained page
// (KaTeX's style sheet and the fonts it needs inlined as data: URLs, no script): Chromium (through playwright-core)
// renders it with no KaTeX error, no console error and no request beyond the file, and every KaTeX font the page
// uses is loaded.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_PATH as CHROMIUM, chromiumTool, haveTool } from './helpers/system-tools.js';
import { runCli } from './helpers/teach.js';

const haveChromium = haveTool(chromiumTool, 'the KaTeX HTML tests');
let dir: string;
let browser: Browser;

beforeAll(async () => {
  if (!haveChromium) return;
  dir = await mkdtemp(join(tmpdir(), 'nabla-html-'));
  await writeFile(
    join(dir, 'model.json'),
    JSON.stringify({
      version: 1,
      widths: [2, 2, 1],
      layers: [
        {
          W: [
            [1, -0.5],
            [2, 0.25],
          ],
          activation: ['relu', 'square'],
        },
        { W: [[1.5, -1]], activation: 'identity' },
      ],
    }),
  );
  await writeFile(join(dir, 'x.json'), JSON.stringify([0.5, -1]));
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await rm(dir, { recursive: true, force: true });
});

interface PageCheck {
  katex: number;
  errors: number;
  /** KaTeX font families used by rendered elements, and those of them with no loaded face. */
  usedFonts: string[];
  missingFonts: string[];
  console: string[];
  requests: string[];
}

async function render(file: string): Promise<PageCheck> {
  const page = await browser.newPage();
  const consoleErrors: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  page.on('request', (r) => {
    if (!r.url().startsWith('data:') && r.url() !== pathToFileURL(join(dir, file)).href) requests.push(r.url());
  });
  await page.goto(pathToFileURL(join(dir, file)).href);
  await page.evaluate(() => document.fonts.ready);
  const r = await page.evaluate(() => {
    const used = new Set<string>();
    for (const el of Array.from(document.querySelectorAll('.katex *'))) {
      if (!el.textContent?.trim() || el.children.length > 0) continue;
      const fam = getComputedStyle(el).fontFamily.split(',')[0]!.trim().replace(/"/g, '');
      if (fam.startsWith('KaTeX_')) used.add(fam);
    }
    const loaded = new Set<string>();
    document.fonts.forEach((f) => {
      if (f.status === 'loaded') loaded.add(f.family.replace(/"/g, ''));
    });
    return {
      katex: document.querySelectorAll('.katex').length,
      errors: document.querySelectorAll('.katex-error').length,
      usedFonts: [...used].sort(),
      missingFonts: [...used].filter((f) => !loaded.has(f)),
    };
  });
  await page.close();
  return { ...r, console: consoleErrors, requests };
}

async function checkSelfContained(file: string): Promise<void> {
  const html = await readFile(join(dir, file), 'utf8');
  expect(html).not.toMatch(/<script/i);
  expect(html).not.toMatch(/<link[^>]+href=/i);
  expect([...html.matchAll(/url\(([^)]*)\)/g)].map((m) => m[1]!).filter((u) => !u.startsWith('data:'))).toEqual([]);
  expect(html).not.toMatch(/https?:\/\/(?!www\.w3\.org)/); // only the SVG/MathML namespaces
}

describe.skipIf(!haveChromium)('HTML output renders in Chromium with KaTeX', () => {
  it('a derivation with every form, exact', async () => {
    const r = await runCli(
      dir,
      'explain',
      '--model',
      'model.json',
      '--input',
      'x.json',
      '--exact',
      '--form',
      'all',
      '--out',
      'd.html',
    );
    expect(r.stderr).toBe('');
    await checkSelfContained('d.html');
    const page = await render('d.html');
    expect(page.errors).toBe(0);
    expect(page.katex).toBeGreaterThan(50);
    expect(page.console).toEqual([]);
    expect(page.requests).toEqual([]);
    expect(page.missingFonts).toEqual([]);
    expect(page.usedFonts).toEqual(expect.arrayContaining(['KaTeX_Main', 'KaTeX_Math', 'KaTeX_Size1']));
  });

  it('the check can fail: without the inlined style sheet the fonts are missing', async () => {
    const html = await readFile(join(dir, 'd.html'), 'utf8');
    await writeFile(join(dir, 'bare.html'), html.replace(/@font-face\{[^}]*\}/g, ''));
    const page = await render('bare.html');
    expect(page.missingFonts).toEqual(expect.arrayContaining(['KaTeX_Main', 'KaTeX_Math']));
  });

  it('an exercise sheet and its answer key', async () => {
    const r = await runCli(dir, 'exercise', '--seed', '9', '--format', 'html', '--out', '.');
    expect(r.stderr).toBe('');
    for (const file of ['exercises.html', 'answers.html']) {
      await checkSelfContained(file);
      const page = await render(file);
      expect(page, file).toMatchObject({ errors: 0, console: [], requests: [], missingFonts: [] });
      expect(page.katex).toBeGreaterThan(10);
    }
  });
});
