// The explorer for every room and every link (issue 23, items 3, 4, 5, 8, 9, 10): links whose widths do not fit X
// are repaired with a notice and never show an empty panel; the diagram's labels measured in Chromium on a phone,
// a laptop and a projector; the Forms view against gradients worked by hand; the phone's cues, the first screen's
// line and Next, the lecturer's hidden controls, and the small fixes. The pure parts run in Node first.
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildModel } from '../packages/explorer/src/model.js';
import { fitSamples, repairLink } from '../packages/explorer/src/repair.js';
import { decodeState, defaults, encodeState, type State } from '../packages/explorer/src/state.js';
import { stepsFor } from '../packages/explorer/src/views/form-steps.js';
import { mistakeSentence } from '../packages/explorer/src/views/student-card.js';
import { collectProblems, type ExplorerRig, type Rows, readMatrix, startExplorer } from './explorer/page.js';
import { chromiumTool, haveTool } from './helpers/system-tools.js';

/** A seeded list of widths n_0 … n_k (k from 1 to 5, widths 1 to 16): the same lists on every run. */
function randomWidths(seed: number): number[] {
  let s = seed >>> 0;
  const next = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  const k = 1 + Math.floor(next() * 5);
  return Array.from({ length: k + 1 }, () => 1 + Math.floor(next() * 16));
}
const randomLists = [11, 12, 13, 14, 15].map(randomWidths);

const state = (patch: Partial<State>): State => ({ ...defaults, custom: [], ...patch });

describe('links repaired (Node)', () => {
  it('refits X to the widths and says so; leaves a link that builds alone', () => {
    expect(fitSamples('0.5, -1', 1)).toBe('0.5');
    expect(fitSamples('0.5, -1', 4)).toBe('0.5, -1, 0.25, 2');
    expect(fitSamples('1, 2; 3', 3)).toBe('1, 2, 0.25; 3, -1, 0.25');
    expect(fitSamples('abc', 2)).toBe('0.5, -1');
    const r = repairLink(state({ widths: '1,1,1' }));
    expect(r.patch).toEqual({ x: '0.5' });
    expect(r.changes).toEqual(['the inputs X = "0.5, -1" do not fit n_0 = 1, so each sample now has 1: X = 0.5']);
    expect(r.unresolved).toBeUndefined();
    expect(repairLink(state({}))).toEqual({ patch: {}, changes: [], unresolved: undefined });
  });

  it('repairs widths that do not read, an unknown activation and a v that does not fit', () => {
    const w = repairLink(state({ widths: '2, x, 1' }));
    expect(w.patch.widths).toBe(defaults.widths);
    expect(w.changes[0]).toContain('"2, x, 1"');
    const a = repairLink(state({ act: 'tanh;nope' }));
    expect(a.patch).toEqual({ act: defaults.act });
    const v = repairLink(state({ widths: '2, 3, 2', v: '1, 2, 3' }));
    expect(v.patch).toEqual({ v: '' });
  });

  it('every seeded random width list builds after the repair, with X of n_0 numbers', () => {
    for (const widths of randomLists) {
      const s = state({ widths: widths.join(',') });
      const r = repairLink(s);
      expect(r.unresolved, widths.join(',')).toBeUndefined();
      const built = buildModel({ ...s, ...r.patch });
      expect(built.model?.X.rows, widths.join(',')).toBe(widths[0]);
    }
  });
});

describe('the link: spaces and hidden controls (Node)', () => {
  it('writes a space as %20, never "+", and reads it back; a "+" typed stays a "+"', () => {
    const s = state({ widths: '4, 8', custom: ['x + 1'] });
    const hash = encodeState(s);
    expect(hash).toContain('n=4,%208');
    expect(hash).not.toMatch(/\+/);
    expect(decodeState(hash).state.widths).toBe('4, 8');
    expect(decodeState(hash).state.custom).toEqual(['x + 1']);
  });

  it('hideui: names of parts, reported when one is unknown', () => {
    expect(decodeState('hideui=builder,data').state.hideUi).toEqual(['builder', 'data']);
    const bad = decodeState('hideui=builder,sidebar');
    expect(bad.state.hideUi).toEqual([]);
    expect(bad.problems).toEqual([{ key: 'hideui', value: 'builder,sidebar' }]);
    expect(encodeState(state({ hideUi: ['tabs', 'intro'] }))).toBe('hideui=tabs,intro');
  });
});

describe('the Forms view’s steps and the mistakes’ wording (Node)', () => {
  it('each recorded step of every form appears in exactly one block when every layer is written out', () => {
    for (const widths of ['2, 3, 1', '2, 3, 2, 1', '1, 1, 1']) {
      const s = state({ widths });
      const model = buildModel({ ...s, ...repairLink(s).patch }).model!;
      const k = model.net.k;
      for (const form of ['explicit', 'kronecker', 'diagonal', 'proof', 'scalar'] as const) {
        const recorded = model.records.forms[form] ?? [];
        if (recorded.length === 0) continue;
        const shown = [];
        for (let i = k; i >= 1; i--) shown.push(...stepsFor(model, form, i, 0, i === k));
        expect(new Set(shown).size, `${form} on ${widths}: no step twice`).toBe(shown.length);
        expect(shown.length, `${form} on ${widths}: every step`).toBe(recorded.length);
      }
      // the case: the proof's seed ∇Σ_k f = 1 starts the first block only
      const seed = model.records.forms.proof!.find((s) => s.layer === undefined)!;
      expect(seed.lhs).toBe(`\\nabla_{\\Sigma_{${k}}} f`);
      expect(stepsFor(model, 'proof', k, 0, true)).toContain(seed);
      for (let i = k - 1; i >= 1; i--) expect(stepsFor(model, 'proof', i, 0, false)).not.toContain(seed);
    }
  });

  it('a classic mistake reads as a sentence to the student', () => {
    expect(mistakeSentence("Σ'₂ used instead of Σ'₁: Δ₁ = (W₂ᵀ·Δ₂) ∘ Σ'₂")).toBe(
      "you used Σ'₂ instead of Σ'₁, that is Δ₁ = (W₂ᵀ·Δ₂) ∘ Σ'₂",
    );
    expect(mistakeSentence('W used instead of Wᵀ at every step of the recursion')).toBe(
      'you used W instead of Wᵀ at every step of the recursion',
    );
    expect(mistakeSentence("σ' taken at Σ₁ instead of at N₁: Σ'₁(Σ₁)")).toBe(
      "you took σ' at Σ₁ instead of at N₁, that is Σ'₁(Σ₁)",
    );
    expect(mistakeSentence("Δ₂ = Δ₃ without ∘ Σ'₂")).toBe("you computed Δ₂ = Δ₃ without ∘ Σ'₂");
    expect(mistakeSentence('N₂ = W₂·Σ₁ is right for the Σ₁ you gave')).toBe('N₂ = W₂·Σ₁ is right for the Σ₁ you gave');
  });
});

const haveChromium = haveTool(chromiumTool, 'the explorer layout tests');
let rig: ExplorerRig;
const problems: string[] = [];
const contexts: BrowserContext[] = [];
const phone = { width: 390, height: 844 };
const laptop = { width: 1280, height: 800 };
const projector = { width: 1920, height: 1080 };

beforeAll(async () => {
  if (!haveChromium) return;
  rig = await startExplorer();
}, 90_000);

afterAll(async () => {
  for (const c of contexts) await c.close();
  await rig?.close();
});

async function open(hash: string, viewport = laptop, touch = false): Promise<Page> {
  const context = await rig.browser.newContext({ viewport, hasTouch: touch, isMobile: touch });
  contexts.push(context);
  const page = await context.newPage();
  collectProblems(page, hash, problems);
  await page.goto(`${rig.url}#${hash}`);
  await page.waitForSelector('.network-svg', { state: 'attached' });
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  return page;
}

/** The rendered size (CSS px) of every label drawn in the diagrams of `scope`: font-size × the SVG's scale. */
function labelSizes(page: Page, scope: string): Promise<{ text: string; px: number }[]> {
  return page.$$eval(`${scope} svg.network-svg text`, (texts) =>
    texts.flatMap((t) => {
      const svg = (t as SVGTextElement).ownerSVGElement!;
      const box = (t as SVGTextElement).getBoundingClientRect();
      const text = t.textContent?.trim() ?? '';
      if (box.width === 0 || text === '') return [];
      const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
      return [{ text, px: Number.parseFloat(getComputedStyle(t).fontSize) * scale }];
    }),
  );
}

const smallest = (sizes: { px: number }[]) => Math.min(...sizes.map((s) => s.px));

/** Every panel of the shown view has something in it: text, a drawing or a canvas, and a height. */
async function expectNoEmptyPanel(page: Page, label: string): Promise<void> {
  const panels = await page.$$eval('main .panel', (els) =>
    els
      .filter((e) => (e as HTMLElement).offsetParent !== null)
      .map((e) => ({
        h: e.getBoundingClientRect().height,
        text: (e.textContent ?? '').trim().length,
        drawn: e.querySelectorAll('svg, canvas, .katex').length,
      })),
  );
  expect(panels.length, `${label}: panels`).toBeGreaterThan(0);
  for (const p of panels) {
    expect(p.h, `${label}: a panel with no height`).toBeGreaterThan(20);
    expect(p.text + p.drawn, `${label}: an empty panel`).toBeGreaterThan(0);
  }
}

describe.skipIf(!haveChromium)('the explorer’s layout in Chromium', () => {
  it('links whose widths do not fit X: repaired, a notice at the top saying so, no panel empty', async () => {
    const links = [
      ['n=1,1,1', [1, 1, 1]],
      ['n=4,8,8,1', [4, 8, 8, 1]],
      ['tab=forms&n=1,1,1', [1, 1, 1]],
      ['n=3,5,2&x=1;2', [3, 5, 2]],
      ...randomLists.map((w) => [`n=${w.join(',')}`, w] as const),
    ] as const;
    for (const [hash, widths] of links) {
      const page = await open(hash, phone);
      const notice = await page.locator('#link-notice').boundingBox();
      expect(notice, `${hash}: notice`).not.toBeNull();
      expect(notice!.y + notice!.height, `${hash}: the notice on the first screen`).toBeLessThan(phone.height);
      expect(await page.textContent('#link-notice')).toContain('do not fit');
      await expectNoEmptyPanel(page, hash);
      // the diagram and the matrices are those of the link's widths
      expect(await page.locator('#diagram-panel .network-svg g.neuron').count(), hash).toBe(
        widths.reduce((a, b) => a + b, 0),
      );
      if (!hash.startsWith('tab=forms'))
        for (let i = 1; i < widths.length; i++) {
          const W = await readMatrix(page, '#tab-forward .matrix', `W${i}`);
          expect([W.length, W[0]!.length], `${hash}: W_${i}`).toEqual([widths[i], widths[i - 1]]);
        }
      await page.close();
    }
    // widths that do not read: the default network, and the notice names the value
    const page = await open('n=2,x,1', phone);
    expect(await page.textContent('#link-notice')).toContain('"2,x,1"');
    await expectNoEmptyPanel(page, 'n=2,x,1');
    await page.close();
  });

  it('the diagram’s labels: at least 11 px on a phone and a laptop, 16 px on the projector with A+', async () => {
    for (const [hash, viewport, least] of [
      ['step=1', phone, 11],
      ['n=4,8,8,1&x=1,2,3,4&step=2', phone, 11],
      ['n=2,3,2,1&act=tanh;tanh;sigmoid&step=3', phone, 11],
      ['n=4,8,8,1&x=1,2,3,4&step=2', laptop, 11],
      ['step=1&big=1', projector, 16],
      ['n=4,8,8,1&x=1,2,3,4&step=2&big=1', projector, 16],
      ['tab=forms&big=1', projector, 16],
    ] as const) {
      const page = await open(hash, viewport);
      const sizes = await labelSizes(page, '#diagram-panel');
      expect(sizes.length, hash).toBeGreaterThan(5);
      expect(
        smallest(sizes),
        `${hash} at ${viewport.width}: ${JSON.stringify(sizes.slice(0, 4))}`,
      ).toBeGreaterThanOrEqual(least);
      await page.close();
    }
  });

  it('1280×800, 4-8-8-1: the sticky diagram takes at most a third of the height; no edge crosses a Δ label', async () => {
    for (const hash of ['n=4,8,8,1&x=1,2,3,4&step=3', 'n=2,3,2,1&act=tanh;tanh;sigmoid&x=0.5,-1;1,0.5&step=3']) {
      const page = await open(hash, laptop);
      const panel = (await page.locator('#diagram-panel').boundingBox())!;
      expect(panel.height, hash).toBeLessThanOrEqual(laptop.height / 3);
      // every Δ label against every edge, in the drawing's coordinates
      const crossings = await page.$eval('#diagram-panel svg.network-svg', (svg) => {
        const boxes = Array.from(svg.querySelectorAll<SVGTextElement>('.delta-tag'), (t) => t.getBBox());
        const out: string[] = [];
        const segs = Array.from(svg.querySelectorAll<SVGLineElement>('line.edge'), (l) => [
          l.x1.baseVal.value,
          l.y1.baseVal.value,
          l.x2.baseVal.value,
          l.y2.baseVal.value,
        ]);
        for (const b of boxes)
          for (const [x1, y1, x2, y2] of segs) {
            // the segment sampled finely: any point inside the label's box is a crossing
            for (let t = 0; t <= 1; t += 1 / 400) {
              const x = x1! + t * (x2! - x1!);
              const y = y1! + t * (y2! - y1!);
              if (x > b.x && x < b.x + b.width && y > b.y && y < b.y + b.height) {
                out.push(`${JSON.stringify(b)} × ${[x1, y1, x2, y2].join(',')}`);
                break;
              }
            }
          }
        return { count: boxes.length, out };
      });
      expect(crossings.count, hash).toBeGreaterThan(0);
      expect(crossings.out, hash).toEqual([]);
      await page.close();
    }
  });

  it('Training: the output map and its axis labels grow on the projector; the diagram’s labels too', async () => {
    const measure = async (viewport: { width: number; height: number }, hash: string) => {
      const page = await open(`tab=train${hash}`, viewport);
      await page.waitForSelector('#tab-train canvas.neuron-map', { state: 'attached' });
      const map = await page.$eval('#heatmap-points', (c) => {
        const canvas = c as HTMLCanvasElement;
        const font = Number.parseFloat(canvas.getContext('2d')!.font);
        const shown = canvas.getBoundingClientRect().width;
        return { shown, label: (font * shown) / canvas.width };
      });
      const labels = smallest(await labelSizes(page, '#tab-train'));
      await page.close();
      return { ...map, labels };
    };
    const lap = await measure(laptop, '');
    const big = await measure(projector, '&big=1');
    const tel = await measure(phone, '');
    expect(big.shown).toBeGreaterThanOrEqual(1.3 * lap.shown);
    expect(big.label).toBeGreaterThanOrEqual(16);
    expect(lap.label).toBeGreaterThanOrEqual(11);
    expect(tel.label).toBeGreaterThanOrEqual(11);
    expect(big.labels).toBeGreaterThanOrEqual(16);
    expect(lap.labels).toBeGreaterThanOrEqual(11);
  });

  it('Forms: the default network’s ∇W by every form equals the gradient worked here; 1-1-1 by hand; the note', async () => {
    const page = await open('tab=forms&li=0');
    // the weights the page shows (seed 7), the gradient of f = σ(W₂·tanh(W₁·x)) worked here with plain numbers
    await page.click('#tabs button[data-tab="forward"]');
    const W1 = await readMatrix(page, '#tab-forward .matrix', 'W1');
    const W2 = await readMatrix(page, '#tab-forward .matrix', 'W2');
    await page.click('#tabs button[data-tab="forms"]');
    const x = [0.5, -1];
    const n1 = W1.map((row) => row[0]! * x[0]! + row[1]! * x[1]!);
    const s1 = n1.map(Math.tanh);
    const n2 = W2[0]!.reduce((a, w, j) => a + w * s1[j]!, 0);
    const f = 1 / (1 + Math.exp(-n2));
    const d2 = f * (1 - f);
    const d1 = s1.map((s, j) => W2[0]![j]! * d2 * (1 - s * s));
    const hand: Record<string, Rows> = {
      gradW2: [s1.map((s) => d2 * s)],
      gradW1: d1.map((d) => x.map((xi) => d * xi)),
    };
    for (const form of ['explicit', 'kronecker', 'diagonal', 'proof'])
      for (const key of ['gradW2', 'gradW1']) {
        const shown = await readMatrix(page, `.form-card[data-form="${form}"] .form-result`, key);
        const want = hand[key]!;
        shown.forEach((row, r) =>
          row.forEach((v, c) =>
            // float64, a different order of the same products: a few ulps
            expect(Math.abs(v - want[r]![c]!), `${form} ${key}[${r}][${c}]`).toBeLessThanOrEqual(1e-15),
          ),
        );
      }
    // the chain (1)/(2) needs every width 1: a note with a link to such a network
    expect(await page.locator('.form-card[data-form="scalar"]').count()).toBe(0);
    expect(await page.textContent('#forms-scalar-note')).toContain('every width to be 1');
    await page.click('#forms-scalar-note a');
    await page.waitForSelector('.form-card[data-form="scalar"]');
    expect(await page.locator('#forms-scalar-note').count()).toBe(0);
    expect(await page.locator('#link-notice').count()).toBe(0); // the link's X fits: nothing to repair
    await page.close();

    // 1-1-1 with weights set in the link: ∇w₂ = σ₂'·σ₁, ∇w₁ = σ₂'·w₂·σ₁'·x by hand
    const one = await open('tab=forms&n=1,1,1&act=tanh;sigmoid&x=0.7&w=1.0.0=0.8;2.0.0=-1.5&li=0');
    const s = Math.tanh(0.8 * 0.7);
    const g = 1 / (1 + Math.exp(1.5 * s));
    const ds2 = g * (1 - g);
    const want1 = ds2 * -1.5 * (1 - s * s) * 0.7;
    const want2 = ds2 * s;
    for (const form of ['scalar', 'explicit', 'kronecker', 'diagonal', 'proof']) {
      const w1 = (await readMatrix(one, `.form-card[data-form="${form}"] .form-result`, 'gradW1'))[0]![0]!;
      const w2 = (await readMatrix(one, `.form-card[data-form="${form}"] .form-result`, 'gradW2'))[0]![0]!;
      expect(Math.abs(w1 - want1), `${form} ∇w₁`).toBeLessThanOrEqual(1e-15);
      expect(Math.abs(w2 - want2), `${form} ∇w₂`).toBeLessThanOrEqual(1e-15);
    }
    await one.close();
  });

  it('phone: a cue on formulas that scroll sideways, one-line tabs, the output map near Train, "tap" in captions', async () => {
    const page = await open('n=2,3,2,1&act=tanh;tanh;sigmoid&x=0.5,-1;1,0.5&step=2', phone, true);
    const cue = page.locator('#step-current .scroll-cue');
    expect(await cue.isVisible()).toBe(true);
    expect(await cue.textContent()).toContain('swipe sideways');
    expect(await page.textContent('#diagram-panel .diagram-caption')).toContain('tap any symbol');
    expect(await page.textContent('#diagram-panel .diagram-caption')).not.toContain('hover');
    // the Forms label on one line: as tall as "Training" (one word), its "(1)–(7)" left out on a phone
    const height = (tab: string) => page.$eval(`#tabs button[data-tab="${tab}"]`, (e) => e.clientHeight);
    expect(await height('forms')).toBe(await height('train'));
    expect(await page.locator('#tabs .tab-long').isVisible()).toBe(false);
    // the Forms summary table is wider than a phone: it scrolls inside its box, with the cue
    await page.click('#tabs button[data-tab="forms"]');
    await page.waitForSelector('#forms-summary table');
    const summaryCue = page.locator('#forms-summary .scroll-cue');
    await summaryCue.waitFor({ state: 'visible' });
    expect(await summaryCue.textContent()).toContain('swipe sideways');
    await page.click('#tabs button[data-tab="train"]');
    await page.waitForSelector('#heatmap');
    const train = (await page.locator('#train-play').boundingBox())!;
    const map = (await page.locator('#heatmap').boundingBox())!;
    expect(map.y + map.height - train.y, 'the map within a screen of Train').toBeLessThan(phone.height);
    expect(await page.textContent('#tab-train .diagram-caption')).toContain('Tap a neuron');
    await page.close();
    // a mouse: "hover", and the long tab label
    const desk = await open('step=1', laptop);
    expect(await desk.textContent('#diagram-panel .diagram-caption')).toContain('hover any symbol');
    expect(await desk.locator('#tabs .tab-long').isVisible()).toBe(true);
    const deskHeight = (tab: string) => desk.$eval(`#tabs button[data-tab="${tab}"]`, (e) => e.clientHeight);
    expect(await deskHeight('forms')).toBe(await deskHeight('train'));
    await desk.close();
  });

  it('the first screen: a line saying what to do in each view, Next on screen without scrolling', async () => {
    for (const viewport of [laptop, phone]) {
      for (const [tab, start] of [
        ['forward', 'Next'],
        ['forms', 'table'],
        ['train', 'Train'],
        ['student', 'first card'],
      ] as const) {
        const page = await open(`tab=${tab}`, viewport);
        const intro = (await page.locator('#view-intro').boundingBox())!;
        expect(intro.y + intro.height, `${tab}: the line on the first screen`).toBeLessThan(viewport.height / 2);
        expect(await page.textContent('#view-intro')).toContain(`Start with`);
        expect(await page.textContent('#view-intro')).toContain(start);
        if (tab === 'forward') {
          const next = (await page.locator('#step-next').boundingBox())!;
          expect(next.y >= 0 && next.y + next.height <= viewport.height, `Next at ${viewport.width}`).toBe(true);
          await page.click('#step-next');
          await page.waitForFunction(() => location.hash.includes('step=1'));
        }
        await page.close();
      }
    }
  });

  it('the lecturer hides controls through the link (#hideui=…); an unknown part is reported', async () => {
    const page = await open('tab=train&hideui=builder,data,settings,layers,intro');
    await page.waitForSelector('#train-play');
    for (const sel of ['.train-data', '.train-fields', '#add-layer', '#remove-layer', '#view-intro'])
      expect(await page.locator(sel).isVisible(), sel).toBe(false);
    expect(await page.locator('#train-play').isVisible()).toBe(true);
    expect(await page.locator('#heatmap').isVisible()).toBe(true);
    await page.click('#tabs button[data-tab="forward"]');
    expect(await page.locator('.builder').isVisible()).toBe(false);
    expect(page.url()).toContain('hideui=builder,data,settings,layers,intro');
    await page.close();
    const bad = await open('hideui=sidebar');
    expect(await bad.textContent('#link-notice')).toContain('hideui=sidebar');
    await bad.close();
  });

  it('small things: plurals, no score before typing, %20 in links, the subtitle, the legend, remove-layer', async () => {
    const page = await open('tab=student&exn=2,2,1&exact=relu');
    expect(await page.textContent('#student-score')).not.toMatch(/\d+ of \d+/);
    expect(await page.textContent('#student-score')).toContain('Type the 4 hidden matrices');
    await page.fill('#answer-D_2 input[data-r="0"][data-c="0"]', '12345');
    await expect.poll(() => page.textContent('#answer-D_2 .student-status')).toContain('1 of 1 entry is wrong');
    expect(await page.textContent('#student-score')).toContain('0 of 4 matrices right');
    await page.close();

    const link = await open('step=0', laptop);
    await link.fill('#widths', '2, 4, 1');
    await link.waitForFunction(() => location.hash.includes('n=2,%204,%201'));
    expect(link.url()).not.toContain('+');
    // the header's subtitle is not cut at 1280 px
    expect(await link.$eval('.subtitle', (e) => e.scrollWidth <= e.clientWidth + 1)).toBe(true);
    await link.close();

    const train = await open('tab=train&th=');
    await train.waitForSelector('#heatmap');
    expect(await train.locator('#remove-layer').isDisabled()).toBe(true);
    expect(await train.locator('#add-layer').isDisabled()).toBe(false);
    // the map does not move when the legend gets its numbers
    await train.click('#tabs button[data-tab="train"]');
    const before = (await train.locator('#heatmap').boundingBox())!;
    await train.click('#train-step');
    await train.waitForFunction(() => document.getElementById('epoch')?.dataset.value === '1');
    await train.waitForSelector('#train-loss');
    const after = (await train.locator('#heatmap').boundingBox())!;
    expect(after.y).toBe(before.y);
    expect(await train.$eval('.loss-legend', (e) => e.getBoundingClientRect().height)).toBeLessThan(60);
    await train.close();
  });

  it('saw no console errors', () => {
    expect(problems).toEqual([]);
  });
});
