// The explorer's theme: WCAG AA contrast for every token pair of packages/explorer/src/theme.ts, light and dark,
// with the tokens' values read from style.css and the contrast ratio computed here from the WCAG 2.2 definition;
// then, in Chromium, the computed colours of the real elements in dark mode (so a rule that forgets the tokens
// fails), print in the light theme even with the system dark, axe-core over every view in both themes, and
// screenshots of every view in dark mode at 1280×800 (temporary folder; SCREENSHOTS=docs/screenshots to keep them).
import { mkdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contrastPairs } from '../packages/explorer/src/theme.js';
import { collectProblems, type ExplorerRig, startExplorer } from './explorer/page.js';
import { chromiumTool, haveTool } from './helpers/system-tools.js';

// ---- WCAG 2.2 contrast, written here (https://www.w3.org/TR/WCAG22/#dfn-relative-luminance) --------------
type RGBA = [number, number, number, number];

/** The relative luminance of an sRGB colour with 0–255 channels. */
function luminance([r, g, b]: RGBA): number {
  const lin = (v: number) => {
    const c = v / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

/** (L1 + 0.05) / (L2 + 0.05), L1 the lighter. */
function contrast(a: RGBA, b: RGBA): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

function hex(s: string): RGBA {
  const m = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(s.trim());
  if (!m) throw new Error(`not a hex colour: ${s}`);
  const h = m[1]!.length === 3 ? [...m[1]!].map((c) => c + c).join('') : m[1]!;
  return [0, 2, 4].map((i) => Number.parseInt(h.slice(i, i + 2), 16)).concat(1) as RGBA;
}

/** "rgb(1, 2, 3)" / "rgba(1, 2, 3, 0.5)" / "rgb(1 2 3 / 0.5)" → [1, 2, 3, a]. */
function rgba(s: string): RGBA {
  const n = s.match(/[\d.]+/g)?.map(Number);
  if (!n || n.length < 3 || !/^rgba?\(/.test(s)) throw new Error(`not an rgb() colour: ${s}`);
  return [n[0]!, n[1]!, n[2]!, n[3] ?? 1];
}

/** `top` drawn over the opaque `under`. */
const over = (top: RGBA, under: RGBA): RGBA =>
  [0, 1, 2].map((i) => top[i]! * top[3] + under[i]! * (1 - top[3])).concat(1) as RGBA;

const need = { text: 4.5, large: 3, ui: 3 } as const;

// ---- the tokens in style.css --------------------------------------------------------------------------------
const css = await readFile(resolve('packages/explorer/src/style.css'), 'utf8');

/** The custom properties of the first rule whose selector is exactly `selector` (no nested braces inside). */
function tokens(selector: string): Map<string, string> {
  const at = css.search(new RegExp(`(^|[\\n}])\\s*${selector.replace(/[.()]/g, '\\$&')}\\s*\\{`));
  if (at < 0) throw new Error(`no rule ${selector} in style.css`);
  const open = css.indexOf('{', at);
  const body = css.slice(open + 1, css.indexOf('}', open));
  return new Map([...body.matchAll(/--([\w-]+)\s*:\s*([^;]+);/g)].map((m) => [m[1]!, m[2]!.trim()]));
}

const light = tokens(':root');
const darkBySystem = tokens(':root:not(.theme-light)');
const darkByToggle = tokens(':root.theme-dark');
const dark = new Map([...light, ...darkByToggle]);

describe('the theme’s contrast (WCAG AA), from style.css', () => {
  it('the contrast formula gives the known ratios', () => {
    expect(contrast(hex('#000'), hex('#fff'))).toBeCloseTo(21, 10);
    expect(contrast(hex('#fff'), hex('#fff'))).toBe(1);
    expect(contrast(hex('#767676'), hex('#fff'))).toBeCloseTo(4.54, 2); // WebAIM's smallest AA grey on white
    expect(contrast(hex('#777777'), hex('#fff'))).toBeLessThan(4.5);
    expect(contrast(rgba('rgb(0, 0, 255)'), hex('#fff'))).toBeCloseTo(8.59, 2);
  });

  it('the dark theme is the same by the system’s setting and by the toggle', () => {
    expect([...darkBySystem]).toEqual([...darkByToggle]);
    for (const k of darkByToggle.keys()) expect(light.has(k), `--${k} has a light value`).toBe(true);
  });

  for (const [name, theme] of [
    ['light', light],
    ['dark', dark],
  ] as const)
    it(`every pair meets AA in the ${name} theme`, () => {
      const failures: string[] = [];
      for (const p of contrastPairs) {
        const fg = theme.get(p.fg);
        const bg = theme.get(p.bg);
        expect(fg, `--${p.fg} in style.css`).toBeDefined();
        expect(bg, `--${p.bg} in style.css`).toBeDefined();
        const ratio = contrast(hex(fg!), hex(bg!));
        if (ratio < need[p.kind])
          failures.push(`--${p.fg} ${fg} on --${p.bg} ${bg} (${p.where}): ${ratio.toFixed(2)} < ${need[p.kind]}`);
      }
      expect(failures).toEqual([]);
    });

  it('the issue’s failures would fail here', () => {
    // "Your turn" in dark mode before: #e6edf3 on #fbfcfe; the related-factor highlight #fff4bf on #fbfcfe as a ring
    expect(contrast(hex('#e6edf3'), hex('#fbfcfe'))).toBeLessThan(need.text);
    expect(contrast(hex('#fff4bf'), hex('#fbfcfe'))).toBeLessThan(need.ui);
    expect(contrast(hex('#f59e0b'), hex('#ffffff'))).toBeLessThan(need.ui); // the old focus ring
  });
});

// ---- in Chromium ----------------------------------------------------------------------------------------------
const shots = process.env['SCREENSHOTS']
  ? resolve(process.env['SCREENSHOTS'])
  : join(tmpdir(), 'nabla-explorer-screenshots');
const haveChromium = haveTool(chromiumTool, 'the explorer theme tests');
let rig: ExplorerRig;
const problems: string[] = [];
const axeSource = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

beforeAll(async () => {
  if (!haveChromium) return;
  rig = await startExplorer();
  await mkdir(shots, { recursive: true });
}, 90_000);

afterAll(async () => {
  await rig?.close();
});

type Scheme = 'light' | 'dark';

async function open(hash: string, scheme: Scheme, ready = '.network-svg'): Promise<Page> {
  const context = await rig.browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: scheme });
  const page = await context.newPage();
  collectProblems(page, hash, problems);
  await page.goto(`${rig.url}#${hash}`);
  await page.waitForSelector(ready, { state: 'attached' });
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  return page;
}

/**
 * The text colour of each element matching `selector` and the colour it is drawn on: for HTML the background of
 * the element or its nearest ancestor with one (blended down to the page), for SVG text the fill of the shape
 * drawn under it in the same group (or the background of the HTML around the SVG).
 */
async function colours(page: Page, selector: string, what: 'color' | 'outline' | 'inner-outline' = 'color') {
  const found = await page.$$eval(
    selector,
    (els, what) =>
      els.map((el) => {
        const cs = getComputedStyle(el);
        const fg = what !== 'color' ? cs.outlineColor : el instanceof SVGElement ? cs.fill : cs.color;
        const layers: string[] = [];
        const shape = el instanceof SVGTextElement ? el.parentElement?.querySelector('rect, circle') : null;
        if (shape) layers.push(getComputedStyle(shape).fill);
        const start = what === 'outline' ? el.parentElement : el;
        for (let e: Element | null = start; e; e = e.parentElement)
          if (!(e instanceof SVGElement)) layers.push(getComputedStyle(e).backgroundColor);
        return { fg, layers, text: (el.textContent ?? '').slice(0, 30) };
      }),
    what,
  );
  return found.map(({ fg, layers, text }) => {
    let bg: RGBA = [255, 255, 255, 1];
    for (const l of layers.reverse()) if (l !== 'none') bg = over(rgba(l), bg);
    return { ratio: contrast(over(rgba(fg), bg), bg), fg, bg: `rgb(${bg.slice(0, 3).join(', ')})`, text };
  });
}

async function expectContrast(
  page: Page,
  selector: string,
  min: number,
  what: 'color' | 'outline' | 'inner-outline' = 'color',
) {
  const found = await colours(page, selector, what);
  expect(found.length, `${selector}: found`).toBeGreaterThan(0);
  for (const f of found) expect(f.ratio, `${selector} "${f.text}": ${f.fg} on ${f.bg}`).toBeGreaterThanOrEqual(min);
}

const student = 'tab=student&ex=9&exn=2,2,2,1&exact=square;square;identity';
const forward = 'n=2,3,2,1&affine=1&act=tanh;tanh;sigmoid&x=0.5,-1;1,0.5&step=2';

describe.skipIf(!haveChromium)('the theme in Chromium', () => {
  // the system's setting, and the ◐ toggle's dark (in the link) with the system light
  const themes: [string, Scheme, string][] = [
    ['dark', 'dark', ''],
    ['light', 'light', ''],
    ['dark by the toggle', 'light', '&theme=dark'],
  ];
  for (const [name, scheme, link] of themes)
    it(`${name}: the real elements meet AA (Your turn, bias boxes, Δ labels, highlights, focus ring)`, async () => {
      const page = await open(student + link, scheme, '#tab-student:not([hidden]) .student-card');
      const [card] = await colours(page, '.student-card .student-shape');
      const dark = name !== 'light';
      expect(luminance(rgba(card!.bg)) < 0.1, `the card's background ${card!.bg} is ${name}`).toBe(dark);
      // a wrong and a malformed typed entry, so the cards show their feedback
      await page.fill('#answer-D_1 input[data-r="0"][data-c="0"]', '12345');
      await page.fill('#answer-D_1 input[data-r="1"][data-c="0"]', 'abc');
      await page.fill('#answer-D_3 input[data-r="0"][data-c="0"]', '777');
      await page.waitForSelector('#answer-D_3[data-status="wrong"]');
      for (const sel of [
        '.student-card .katex',
        '.student-card .student-status',
        '.student-card .student-shape',
        '.student-entry',
        '#student-given .katex',
      ])
        await expectContrast(page, sel, need.text);
      await page.locator('#answer-D_1').scrollIntoViewIfNeeded();
      if (!link)
        await page.screenshot({ path: join(shots, `student-feedback-${scheme}-1280x800.png`), animations: 'disabled' });
      await page.context().close();

      const fwd = await open(forward + link, scheme);
      await expectContrast(fwd, '#diagram-panel .delta-tag', need.text);
      await expectContrast(fwd, '#diagram-panel .neuron.formal text', need.text);
      await expectContrast(fwd, '#tab-forward .katex [data-bias]', need.text);
      await expectContrast(fwd, '#tab-forward .katex', need.text);
      await expectContrast(fwd, '#tab-forward .matrix-table td', need.text); // shaded by value, alpha over the panel
      await fwd.hover('#step-current [data-sym="D2"][data-r="1"][data-c="0"]');
      await expectContrast(fwd, '#step-current .katex .hl', need.text);
      await expectContrast(fwd, '#step-current .katex .hl2', need.text);
      await expectContrast(fwd, '#step-current .katex .hl2', need.ui, 'outline');
      await fwd.focus('#step-next');
      await fwd.keyboard.press('Shift+Tab');
      await fwd.keyboard.press('Tab');
      await expectContrast(fwd, '#step-next:focus-visible', need.ui, 'outline');
      // a weight entry focused from the keyboard: its ring is drawn inside it, on the cell's own background
      await fwd.focus('#tab-forward td.editable[data-sym="W1"][data-r="0"][data-c="0"]');
      await expectContrast(fwd, '#tab-forward td.editable:focus-visible', need.ui, 'inner-outline');
      await fwd.context().close();
    });

  it('print uses the light theme with the system and the toggle dark: formulas dark on white, neurons white, Training not blank', async () => {
    const page = await open(`${forward}&theme=dark`, 'dark'); // dark by the system and by the toggle
    await page.emulateMedia({ media: 'print', colorScheme: 'dark' });
    const bg = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
    expect(luminance(rgba(bg)), `page background ${bg}`).toBeGreaterThan(0.9);
    for (const f of await colours(page, '#step-current .katex')) {
      expect(luminance(rgba(f.fg)), `formula "${f.text}" in ${f.fg}`).toBeLessThan(0.05);
      expect(f.ratio, `formula "${f.text}"`).toBeGreaterThanOrEqual(need.text);
    }
    // a neuron is a circle, or an ellipse where the sticky diagram is short
    const fills = await page.$$eval('#diagram-panel .neuron :is(circle, ellipse)', (cs) =>
      cs.map((c) => getComputedStyle(c).fill),
    );
    expect(fills.length).toBeGreaterThan(0);
    for (const f of fills) expect(luminance(rgba(f)), `neuron fill ${f}`).toBeGreaterThan(0.9);
    await page.pdf({ path: join(shots, 'forward-print.pdf'), format: 'A4', printBackground: true });
    await page.context().close();

    const train = await open('tab=train', 'dark', '#tab-train canvas.neuron-map');
    await train.emulateMedia({ media: 'print', colorScheme: 'dark' });
    const box = await train.locator('#tab-train .train-grid').boundingBox();
    expect(box && box.width * box.height, 'the Training view prints').toBeGreaterThan(200 * 200);
    expect(await train.locator('#tab-train .network-svg').first().isVisible()).toBe(true);
    for (const f of await colours(train, '#tab-train h3')) expect(f.ratio).toBeGreaterThanOrEqual(need.text);
    await train.pdf({ path: join(shots, 'training-print.pdf'), format: 'A4', printBackground: true });
    await train.context().close();
  });

  const views: [string, string, string][] = [
    ['start', '', '.network-svg'],
    ['forward', forward, '.network-svg'],
    ['forms', 'tab=forms&n=2,3,2,1&act=tanh;tanh;sigmoid&x=0.5,-1;1,0.5', '.form-card'],
    ['training', 'tab=train&data=spiral', '#tab-train canvas.neuron-map'],
    ['student', student, '#tab-student:not([hidden]) .student-card'],
  ];
  for (const scheme of ['light', 'dark'] as const)
    it(`axe-core: no violation in any view, of any impact (${scheme})`, async () => {
      const found: string[] = [];
      for (const [name, hash, ready] of views) {
        const page = await open(hash, scheme, ready);
        if (scheme === 'dark')
          await page.screenshot({
            path: join(shots, `${name}-dark-1280x800.png`),
            animations: 'disabled',
            caret: 'hide',
          });
        await page.addScriptTag({ content: axeSource });
        const violations = await page.evaluate(async () => {
          const axe = (window as unknown as { axe: { run(c: Document): Promise<AxeResults> } }).axe;
          interface AxeResults {
            violations: { id: string; impact: string; nodes: { target: string[]; failureSummary: string }[] }[];
          }
          const r = await axe.run(document);
          return r.violations.map((v) => ({
            id: v.id,
            impact: v.impact,
            nodes: v.nodes.map((n) => n.target.join(' ')),
          }));
        });
        for (const v of violations) found.push(`${name}: ${v.id} (${v.impact}) at ${v.nodes.slice(0, 6).join(' | ')}`);
        await page.context().close();
      }
      expect(found).toEqual([]);
    }, 120_000);

  it('saw no console errors', () => {
    expect(problems).toEqual([]);
  });
});
