// The explorer for screen readers and the keyboard (issue 23, item 7), in Chromium: Chromium's own accessibility
// tree (what a screen reader is given, read over the DevTools protocol) names every control and every formula,
// the formula's name holding its mathematics; the matrices are named tables whose cells say their row and column;
// the step status is a live region; keyboard focus links as hovering does; the weights (Forward & backward) and the
// diagram's edges (Training) are edited from the keyboard, and what follows from them changes.
import type { CDPSession, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectProblems, type ExplorerRig, readMatrix, startExplorer } from './explorer/page.js';
import { chromiumTool, haveTool } from './helpers/system-tools.js';

const haveChromium = haveTool(chromiumTool, 'the explorer accessibility tests');
let rig: ExplorerRig;
const problems: string[] = [];

beforeAll(async () => {
  if (!haveChromium) return;
  rig = await startExplorer();
}, 90_000);

afterAll(async () => {
  await rig?.close();
});

async function open(hash: string, ready = '.network-svg'): Promise<Page> {
  const context = await rig.browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  collectProblems(page, hash, problems);
  await page.goto(`${rig.url}#${hash}`);
  await page.waitForSelector(ready, { state: 'attached' });
  return page;
}

interface AXNode {
  role: string;
  name: string;
  ignored: boolean;
}

/** Chromium's accessibility tree of the page, as a screen reader receives it (nodes not ignored). */
async function axTree(page: Page): Promise<AXNode[]> {
  const cdp: CDPSession = await page.context().newCDPSession(page);
  const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as {
    nodes: { ignored: boolean; role?: { value: string }; name?: { value: string } }[];
  };
  await cdp.detach();
  return nodes
    .filter((n) => !n.ignored)
    .map((n) => ({ role: n.role?.value ?? '', name: String(n.name?.value ?? ''), ignored: n.ignored }));
}

/** Roles a user operates: each must have a name that says what it is. */
const controls = new Set(['button', 'combobox', 'textbox', 'spinbutton', 'checkbox', 'slider', 'link', 'tab']);

const forward = 'n=2,3,2,1&act=tanh;tanh;sigmoid&x=0.5,-1;1,0.5';

type Rows = number[][];

/** A·B (written here, not the library's). */
const matmul = (A: Rows, B: Rows): Rows =>
  A.map((row) => B[0]!.map((_, c) => row.reduce((sum, a, j) => sum + a * B[j]![c]!, 0)));
const transpose = (A: Rows): Rows => A[0]!.map((_, c) => A.map((row) => row[c]!));

function expectClose(actual: Rows, expected: Rows, label: string): void {
  expect(actual.length, `${label}: rows`).toBe(expected.length);
  actual.forEach((row, r) =>
    row.forEach((a, c) =>
      expect(Math.abs(a - expected[r]![c]!), `${label}[${r}][${c}]: ${a} vs ${expected[r]![c]}`).toBeLessThanOrEqual(
        1e-12 * Math.max(1, Math.abs(a)),
      ),
    ),
  );
}

/** The entries marked by the hover links (class hl or hl2), as sorted "element sym/layer r c class" lines. */
const marks = (page: Page) =>
  page.$$eval('.hl, .hl2', (els) =>
    els
      .map((e) => {
        const d = (e as HTMLElement).dataset;
        return `${e.tagName} ${d.sym ?? `layer${d.layer}`} ${d.r ?? '-'} ${d.c ?? '-'} ${e.classList.contains('hl') ? 'hl' : 'hl2'}`;
      })
      .sort(),
  );

/** What has the keyboard focus: "TAG data-sym r c" (or the id). */
const focused = (page: Page) =>
  page.evaluate(() => {
    const e = document.activeElement as HTMLElement | null;
    if (!e) return '';
    const d = e.dataset;
    return d.sym || d.layer
      ? `${e.tagName} ${d.sym ?? `layer${d.layer}`} ${d.r} ${d.c ?? '-'}`
      : `${e.tagName}#${e.id}`;
  });

/** Presses Tab until the focus is on `target` (as `focused` writes it); at most `max` presses. */
async function tabTo(page: Page, target: string, max = 40): Promise<void> {
  for (let n = 0; n < max && (await focused(page)) !== target; n++) await page.keyboard.press('Tab');
  expect(await focused(page)).toBe(target);
}

const step = (v: number, d: number) => Number((v + d).toPrecision(12));

describe.skipIf(!haveChromium)('the explorer in Chromium’s accessibility tree', () => {
  const views: [string, string, string][] = [
    ['Forward & backward', `${forward}&step=2`, '.network-svg'],
    ['Forward & backward, affine', `${forward}&affine=1&step=1`, '.network-svg'],
    ['Forms', `tab=forms&${forward}`, '.form-card'],
    ['Training', 'tab=train', '#tab-train canvas.neuron-map'],
    [
      'Your turn',
      'tab=student&ex=9&exn=2,2,2,1&exact=square;square;identity',
      '#tab-student:not([hidden]) .student-card',
    ],
  ];
  for (const [name, hash, ready] of views)
    it(`${name}: every control and every formula has a name that says what it is`, async () => {
      const page = await open(hash, ready);
      const tree = await axTree(page);
      const unnamed = tree.filter((n) => controls.has(n.role) && !/\p{L}{2}/u.test(n.name));
      expect(unnamed.map((n) => `${n.role} "${n.name}"`)).toEqual([]);
      // each formula on the page is a math node named by its mathematics
      const shown = await page.$$eval('.katex', (els) => els.filter((e) => e.checkVisibility()).length);
      const math = tree.filter((n) => n.role === 'MathMLMath');
      if (name !== 'Training') expect(shown).toBeGreaterThan(0);
      expect(math.length).toBe(shown);
      for (const m of math) expect(m.name, 'a formula without a name').toMatch(/\S/);
      const names = tree.map((n) => `${n.role}: ${n.name}`);
      const has = (line: string | RegExp) =>
        expect(
          names.some((n) => (typeof line === 'string' ? n === line : line.test(n))),
          `${String(line)} in the tree`,
        ).toBe(true);
      has('button: A+ projector: larger type');
      has('button: Colour theme: auto');
      if (name.startsWith('Forward')) {
        has('combobox: initialisation');
        has('spinbutton: seed of the initial weights');
        has('button: new weights');
        // the heading formula of the backward pass, and the current step's numbers
        has(/^MathMLMath: Δᵢ = \(Wᵢ₊₁ᵀ ⋅ Δᵢ₊₁\) ∘ Σᵢ′, Δₖ₊₁ = Wₖ₊₁ᵀ = 1, ∇_\(Wᵢ\) f = Δᵢ ⋅ Σᵢ₋₁ᵀ$/);
        const i = name.includes('affine') ? 3 : 2;
        const D = await readMatrix(page, '#step-current', `D${i}`);
        const current = math.find((m) => m.name.startsWith(`Δ${'₀₁₂₃'[i]} = `));
        expect(current, `the step formula for Δ${i}`).toBeDefined();
        expect(current!.name).toMatch(new RegExp(`${D.length}×${D[0]!.length} matrix`));
        // each entry of Δ_i as shown (four significant digits, the minus sign U+2212)
        for (const v of D.flat())
          expect(current!.name).toContain(Number(v.toPrecision(4)).toString().replace('-', '−'));
      }
      if (name === 'Training') {
        has('combobox: number of samples');
        has(/^button: Regenerate the samples/);
        has(/^image: Loss chart/);
        has('button: data set: spiral');
      }
      if (name === 'Forms') has(/^MathMLMath: ∇_\(Wᵢ\) f = /);
      await page.context().close();
    });

  it('the seed field is not named by the select and the button beside it (the issue’s “seed and initialisation glorot new weights”)', async () => {
    const page = await open(forward);
    const tree = await axTree(page);
    const seed = tree.filter((n) => n.role === 'spinbutton').map((n) => n.name);
    expect(seed).toEqual(['seed of the initial weights']);
    expect(tree.some((n) => n.role === 'group' && n.name === 'seed and initialisation')).toBe(true);
    await page.context().close();
  });

  it('the MathML is there for screen readers only: the formulas look the same', async () => {
    const page = await open(`${forward}&step=2`);
    const boxes = await page.$$eval('.katex', (els) =>
      els
        .filter((e) => e.checkVisibility())
        .map((e) => {
          const mathml = e.querySelector('.katex-mathml')!.getBoundingClientRect();
          const html = e.querySelector('.katex-html')!;
          return {
            mathml: [mathml.width, mathml.height],
            clip: getComputedStyle(e.querySelector('.katex-mathml')!).clipPath,
            hidden: html.getAttribute('aria-hidden'),
            width: [e.getBoundingClientRect().width, html.getBoundingClientRect().width],
          };
        }),
    );
    expect(boxes.length).toBeGreaterThan(10);
    for (const b of boxes) {
      expect(b.mathml[0]).toBeLessThanOrEqual(1);
      expect(b.mathml[1]).toBeLessThanOrEqual(1);
      expect(b.clip).toBe('inset(50%)');
      expect(b.hidden).toBe('true'); // the HTML is not read twice
      expect(Math.abs(b.width[0]! - b.width[1]!)).toBeLessThan(1); // the MathML adds no width
    }
    await page.context().close();
  });

  it('every matrix is a named table whose cells say their row and column', async () => {
    const page = await open(forward);
    const tree = await axTree(page);
    const tables = tree.filter((n) => n.role === 'table').map((n) => n.name);
    // n = 2, 3, 2, 1 with two samples: X is 2×2, W_1 3×2, W_2 2×3, W_3 1×2; N_i, Σ_i, Σ'_i are n_i × 2
    expect(tables).toEqual([
      'X, 2 by 2',
      'W_1, 3 by 2, editable',
      'N_1, 3 by 2',
      'Σ_1, 3 by 2',
      "Σ'_1, 3 by 2",
      'W_2, 2 by 3, editable',
      'N_2, 2 by 2',
      'Σ_2, 2 by 2',
      "Σ'_2, 2 by 2",
      'W_3, 1 by 2, editable',
      'N_3, 1 by 2',
      'Σ_3, 1 by 2',
      "Σ'_3, 1 by 2",
    ]);
    const X = await readMatrix(page, '#tab-forward', 'S0');
    const cells = tree.filter((n) => n.role === 'cell').map((n) => n.name);
    // X = [0.5 1; −1 0.5]: the samples are its columns
    expect(cells.slice(0, 4)).toEqual([
      'row 1, column 1: 0.5',
      'row 1, column 2: 1',
      'row 2, column 1: -1',
      'row 2, column 2: 0.5',
    ]);
    expect(X).toEqual([
      [0.5, 1],
      [-1, 0.5],
    ]);
    expect(cells[4]).toMatch(/^W_1 row 1, column 1: -?[\d.]+; Enter to type a new value, up and down arrows/);
    await page.context().close();
  });

  it('the step status is a live region, and its text changes on Next and on →', async () => {
    const page = await open(forward);
    const status = page.locator('#step-status');
    expect(await status.getAttribute('aria-live')).toBe('polite');
    expect(await status.getAttribute('role')).toBe('status');
    expect(await status.textContent()).toMatch(/^step 0 of 3: /);
    await page.click('#step-next');
    await page.waitForFunction(() => document.getElementById('step-status')?.textContent?.startsWith('step 1 of 3'));
    expect(await status.textContent()).toBe('step 1 of 3: Δ₃ and ∇W₃');
    await page.keyboard.press('ArrowRight');
    await page.waitForFunction(() => document.getElementById('step-status')?.textContent?.startsWith('step 2 of 3'));
    expect(await status.textContent()).toBe('step 2 of 3: Δ₂ and ∇W₂');
    expect((await axTree(page)).some((n) => n.role === 'status' && n.name === '')).toBe(true);
    await page.context().close();
  });

  it('keyboard focus on an entry or a neuron marks what hovering it marks', async () => {
    const page = await open(forward);
    // Tab from the last neuron of the diagram to W_1's first entry
    await page.focus('.network-svg g.neuron[data-layer="3"][data-r="0"]');
    await tabTo(page, 'TD W1 0 0');
    await tabTo(page, 'TD W1 0 1');
    const byFocus = await marks(page);
    // entry (1, 2) of W_1 is the edge from input 2 to neuron 1 of layer 1 (hand-read from the paper's W_i)
    expect(byFocus).toContain('line W1 0 1 hl');
    expect(byFocus).toContain('TD W1 0 1 hl');
    expect(byFocus).toContain('g layer1 0 - hl2');
    expect(byFocus).toContain('g layer0 1 - hl2');
    await page.evaluate(() => (document.activeElement as HTMLElement).blur());
    expect(await marks(page)).toEqual([]);
    await page.hover('#tab-forward td[data-sym="W1"][data-r="0"][data-c="1"]');
    expect(await marks(page)).toEqual(byFocus);
    // the instant weight card over the same entry's edge in the diagram (no browser tooltip to wait for)
    const w01 = (await readMatrix(page, '#tab-forward', 'W1'))[0]![1]!;
    expect(await page.locator('#weight-card').isHidden()).toBe(true);
    // a point on the edge near its start (its middle may cross other edges)
    const at = await page.$eval('.network-svg line.edge[data-sym="W1"][data-r="0"][data-c="1"]', (l) => {
      const line = l as SVGLineElement;
      const p = new DOMPoint(
        0.85 * line.x1.baseVal.value + 0.15 * line.x2.baseVal.value,
        0.85 * line.y1.baseVal.value + 0.15 * line.y2.baseVal.value,
      ).matrixTransform(line.getScreenCTM()!);
      return { x: p.x, y: p.y };
    });
    await page.mouse.move(at.x, at.y);
    expect(await page.locator('#weight-card').isVisible()).toBe(true);
    expect(await page.textContent('#weight-card')).toBe(`weight W₁[1, 2] = ${Number(w01.toPrecision(4))}`);
    expect(await page.locator('.network-svg line.edge title').count()).toBe(0);
    await page.mouse.move(0, 0);
    expect(await page.locator('#weight-card').isHidden()).toBe(true);
    await page.mouse.move(1, 400); // out of every linked element
    // a neuron: focused from the keyboard, then hovered
    await page.focus('.network-svg g.neuron[data-layer="1"][data-r="0"]');
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('g layer1 1 -');
    const neuron = await marks(page);
    expect(neuron).toContain('g layer1 1 - hl');
    expect(neuron).toContain('TD W1 1 0 hl2'); // row 2 of W_1 feeds neuron 2 of layer 1
    expect(neuron).toContain('TD W2 0 1 hl2'); // column 2 of W_2 reads it
    await page.evaluate(() => (document.activeElement as HTMLElement).blur());
    await page.hover('.network-svg g.neuron[data-layer="1"][data-r="1"] circle');
    expect(await marks(page)).toEqual(neuron);
    await page.context().close();
  });

  it('a weight is edited from the keyboard: ↑ ↓ step it, Enter types it, Escape cancels; N_1 and ∇W_1 follow', async () => {
    const page = await open(`${forward}&step=3`);
    await page.focus('.network-svg g.neuron[data-layer="3"][data-r="0"]');
    await tabTo(page, 'TD W1 0 0');
    const X = await readMatrix(page, '#tab-forward', 'S0');
    const W0 = await readMatrix(page, '#tab-forward', 'W1');
    const grad0 = await readMatrix(page, '#step-current', 'gradW1');
    const w = W0[0]![0]!;
    const value = () =>
      page.$eval('#tab-forward td[data-sym="W1"][data-r="0"][data-c="0"]', (e) =>
        Number((e as HTMLElement).dataset.value),
      );
    /** W_1 as shown, N_1 = W_1·X (multiplied here) as shown, and ∇W_1 = Δ_1·Xᵀ of the current step. */
    const check = async (expected: number) => {
      await page.waitForFunction(
        (v) =>
          document.querySelector<HTMLElement>('#tab-forward td[data-sym="W1"][data-r="0"][data-c="0"]')?.dataset
            .value === String(v),
        expected,
      );
      const W = await readMatrix(page, '#tab-forward', 'W1');
      expect(W[0]![0]).toBe(expected);
      expect(W.flat().slice(1)).toEqual(W0.flat().slice(1));
      expectClose(await readMatrix(page, '#tab-forward', 'N1'), matmul(W, X), 'N_1 = W_1·X');
      const D1 = await readMatrix(page, '#step-current', 'D1');
      const grad = await readMatrix(page, '#step-current', 'gradW1');
      expectClose(grad, matmul(D1, transpose(X)), '∇W_1 = Δ_1·Xᵀ');
      expect(grad).not.toEqual(grad0);
      expect(await focused(page), 'the focus stays on the entry').toBe('TD W1 0 0');
    };
    await page.keyboard.press('ArrowUp');
    await check(step(w, 0.1));
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await check(step(step(w, 0.1), -0.2)); // the page steps from the value it shows
    await page.keyboard.press('Enter');
    expect(await focused(page)).toBe('INPUT#');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('0.25');
    await page.keyboard.press('Enter');
    await check(0.25);
    await page.keyboard.press('Enter');
    await page.keyboard.type('9');
    await page.keyboard.press('Escape');
    expect(await focused(page)).toBe('TD W1 0 0');
    expect(await value()).toBe(0.25);
    expect(await page.locator('#tab-forward td input').count()).toBe(0);
    expect(await page.evaluate(() => location.hash)).toContain('w=1.0.0=0.25');
    await page.context().close();
  });

  it('Training: the edges are one tab stop, ← → move between them, ↑ Enter Escape edit; focus on a neuron shows its map', async () => {
    const page = await open('tab=train&th=3', '#tab-train canvas.neuron-map');
    await page.waitForFunction(() => (document.getElementById('train-status')?.dataset.kernels ?? '') !== '');
    const edge = (r: number, c: number) => `#tab-train line.edge[data-sym="W1"][data-r="${r}"][data-c="${c}"]`;
    const weightOf = (r: number, c: number) => page.$eval(edge(r, c), (e) => Number(e.getAttribute('data-value')));
    await page.focus('#tab-train .neuron-plus');
    await tabTo(page, 'line W1 0 0');
    expect(await page.$$eval('#tab-train line.edge[tabindex="0"]', (l) => l.length)).toBe(1);
    const w = await weightOf(0, 0);
    // the weight card shows at once for the focused edge, as for the pointer
    expect(await page.textContent('#weight-card')).toMatch(/^weight W₁\[1, 1\] = -?[\d.]+click to change$/);
    await page.keyboard.press('ArrowUp');
    const up = step(w, 0.1);
    // the run trains in float32: the weight it keeps is the float32 nearest to w + 0.1
    await page.waitForFunction(
      ([sel, v]) => Number(document.querySelector(sel as string)?.getAttribute('data-value')) === v,
      [edge(0, 0), Math.fround(up)] as const,
    );
    expect(await focused(page)).toBe('line W1 0 0');
    await page.keyboard.press('ArrowRight');
    expect(await focused(page)).toBe('line W1 0 1');
    expect(
      await page.$$eval('#tab-train line.edge[tabindex="0"]', (l) => l.map((e) => e.getAttribute('data-c'))),
    ).toEqual(['1']);
    await page.keyboard.press('Enter');
    expect(await focused(page)).toBe('INPUT#edge-weight');
    await page.fill('#edge-weight', '0.5');
    await page.keyboard.press('Enter');
    await page.waitForFunction((sel) => document.querySelector(sel)?.getAttribute('data-value') === '0.5', edge(0, 1));
    expect(await focused(page), 'back on the edge').toBe('line W1 0 1');
    await page.keyboard.press('Enter');
    await page.fill('#edge-weight', '7');
    await page.keyboard.press('Escape');
    expect(await page.locator('#popover').isHidden()).toBe(true);
    expect(await focused(page)).toBe('line W1 0 1');
    expect(await weightOf(0, 1)).toBe(0.5);
    expect(await weightOf(0, 0)).toBe(Math.fround(up));
    // the neurons: one tab stop after the edges; → goes on to the next; focus shows the map as hovering does
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('g layer0 0 -');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    expect(await focused(page)).toBe('g layer1 0 -');
    expect(await page.textContent('#heat-title')).toBe('neuron 1 of layer 1: Σ1 over the input plane');
    await page.keyboard.press('ArrowRight');
    expect(await page.textContent('#heat-title')).toBe('neuron 2 of layer 1: Σ1 over the input plane');
    await page.evaluate(() => (document.activeElement as HTMLElement).blur());
    expect(await page.textContent('#heat-title')).toBe('the network’s output f over the input plane');
    await page.context().close();
  });

  it('the first Tab stop skips the header and the builder: Enter puts the focus in the view', async () => {
    const page = await open(forward);
    await page.keyboard.press('Tab');
    const first = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement;
      const box = el.getBoundingClientRect();
      return { text: el.textContent, top: box.top, bottom: box.bottom };
    });
    expect(first.text).toBe('Skip to the view');
    expect(first.bottom).toBeGreaterThan(0); // on screen while focused (off screen otherwise)
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('view');
    expect(page.url()).not.toMatch(/#$/); // the state in the hash is untouched
    await page.keyboard.press('Tab');
    const inView = await page.evaluate(() => {
      const el = document.activeElement!;
      return { inMain: document.querySelector('main')!.contains(el), inBuilder: !!el.closest('#builder') };
    });
    expect(inView).toEqual({ inMain: true, inBuilder: false });
    await page.close();
  });

  it('saw no console errors', () => {
    expect(problems).toEqual([]);
  });
});
