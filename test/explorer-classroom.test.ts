// The explorer in the classroom, end to end in headless Chromium: one screen at 1280×800, no
// horizontal scrolling at 390×844, a fresh page that learns every built-in set, no long main-thread task while a
// 2-16-16-16-1 network trains, links that keep what item 10 lists, and the smaller fixes (colours, labels, copy
// link without the Clipboard API, Δ hover, projector, dark and print styles, keys). Screenshots of every view at
// both sizes go to a temporary folder (SCREENSHOTS=docs/screenshots to keep them).
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectProblems, type ExplorerRig, startExplorer } from './explorer/page.js';
import { chromiumTool, haveTool } from './helpers/system-tools.js';

const shots = process.env['SCREENSHOTS']
  ? resolve(process.env['SCREENSHOTS'])
  : join(tmpdir(), 'nabla-explorer-screenshots');
const haveChromium = haveTool(chromiumTool, 'the explorer classroom tests');

let rig: ExplorerRig;
const problems: string[] = [];
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  if (!haveChromium) return;
  rig = await startExplorer();
  await mkdir(shots, { recursive: true });
}, 90_000);

afterAll(async () => {
  for (const c of contexts) await c.close();
  await rig?.close();
});

async function open(hash: string, viewport = { width: 1280, height: 800 }, init?: () => void): Promise<Page> {
  const context = await rig.browser.newContext({ viewport });
  contexts.push(context);
  if (init) await context.addInitScript(init);
  const page = await context.newPage();
  collectProblems(page, hash, problems);
  await page.goto(`${rig.url}#${hash}`);
  await page.waitForSelector('.network-svg', { state: 'attached' });
  return page;
}

/** The Training view once the worker has sent the first maps. */
async function openTraining(hash: string, viewport?: { width: number; height: number }): Promise<Page> {
  const page = await open(`tab=train${hash ? `&${hash}` : ''}`, viewport);
  await page.waitForSelector('#tab-train canvas.neuron-map', { state: 'attached' });
  await page.waitForFunction(() => (document.getElementById('train-status')?.dataset.kernels ?? '') !== '');
  return page;
}

async function shot(page: Page, name: string): Promise<void> {
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  await page.screenshot({ path: join(shots, name), animations: 'disabled', caret: 'hide' });
}

/** Every box of `selector` lies inside the viewport (and is not empty). */
async function expectOnScreen(page: Page, selector: string): Promise<void> {
  const vp = page.viewportSize()!;
  const boxes = await page
    .locator(selector)
    .evaluateAll((els) => els.map((e) => e.getBoundingClientRect().toJSON() as DOMRect));
  expect(boxes.length, `${selector}: found`).toBeGreaterThan(0);
  for (const b of boxes) {
    expect(b.width * b.height, `${selector}: not empty`).toBeGreaterThan(0);
    expect(
      b.left >= 0 && b.top >= 0 && b.right <= vp.width && b.bottom <= vp.height,
      `${selector} at ${JSON.stringify(b)} inside ${vp.width}×${vp.height}`,
    ).toBe(true);
  }
}

const scrollWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);

describe.skipIf(!haveChromium)('the explorer in the classroom', () => {
  it('1280×800: the Training view shows controls, data, network with maps, output map and loss curve without scrolling', async () => {
    const page = await openTraining('');
    expect(await page.evaluate(() => window.scrollY)).toBe(0);
    for (const sel of [
      '#train-play',
      '#train-step',
      '#train-reset',
      '#epoch',
      '#lr',
      '#train-act',
      '#reg',
      '#reg-rate',
      '#problem',
      '#batch',
      '#optimizer',
    ])
      await expectOnScreen(page, sel);
    await expectOnScreen(page, '.dataset:not([hidden])');
    await expectOnScreen(page, '#features button');
    await expectOnScreen(page, '#tab-train .network-svg');
    await expectOnScreen(page, '#tab-train .network-svg g.neuron rect.thumb-frame'); // every neuron's map (painted into its square)
    await expectOnScreen(page, '#add-layer');
    await expectOnScreen(page, '.neuron-plus');
    await expectOnScreen(page, '#heatmap');
    await expectOnScreen(page, '#loss-chart svg');
    // the default network: 2-12-12-1 with biases (2 inputs + 1, 12 + 1, 12 + 1, 1 neurons drawn)
    expect(await page.locator('#tab-train canvas.neuron-map').count()).toBe(2 + 12 + 12 + 1);
    expect(await page.locator('#tab-train .network-svg g.formal').count()).toBe(3);
    await page.close();
  });

  it('1280×800: in Forward & backward the diagram stays beside the step formulas while they scroll', async () => {
    const page = await open('n=2,3,2,1&act=tanh;tanh;sigmoid&x=0.5,-1;1,0.5&step=3');
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
    expect(await page.evaluate(() => window.scrollY)).toBeGreaterThan(200);
    await expectOnScreen(page, '#diagram-panel .network-svg');
    await expectOnScreen(page, '#diagram-panel .delta-tag');
    // scrolled so that the step starts right under the diagram: the whole step and the diagram at once
    await page.evaluate(() => {
      const step = document.getElementById('step-current')!.getBoundingClientRect();
      const diagram = document.getElementById('diagram-panel')!.getBoundingClientRect();
      window.scrollBy(0, step.top - diagram.bottom - 8);
    });
    expect(await page.evaluate(() => window.scrollY)).toBeGreaterThan(200);
    await expectOnScreen(page, '#diagram-panel .network-svg');
    await expectOnScreen(page, '#step-current');
    await page.close();
  });

  it('390×844: no horizontal scrolling in any view, every view and Copy link reachable, the Training tab readable', async () => {
    const phone = { width: 390, height: 844 };
    for (const [hash, name] of [
      ['step=1', 'forward'],
      ['tab=forms', 'forms'],
      ['tab=train', 'training'],
    ] as const) {
      const page = name === 'training' ? await openTraining('', phone) : await open(hash, phone);
      expect(await scrollWidth(page), `${name}: scrollWidth`).toBeLessThanOrEqual(390);
      await expectOnScreen(page, '#copy-link');
      await expectOnScreen(page, '#tabs button');
      // the tab labels sit on the dark header (the issue: light text outside it)
      const header = await page.locator('header.top').boundingBox();
      for (const b of await page.locator('#tabs button').all()) {
        const box = (await b.boundingBox())!;
        expect(box.y + box.height).toBeLessThanOrEqual(header!.y + header!.height);
      }
      await shot(page, `${name}-390x844.png`);
      await page.close();
    }
    // every control of the Training view can be reached (scrolling down, never sideways)
    const page = await openTraining('', phone);
    for (const sel of [
      '#train-play',
      '#optimizer',
      '#regenerate',
      '#features button',
      '#add-layer',
      '.neuron-plus',
      '#heatmap',
      '#loss-chart',
      '#inspect-trained',
    ]) {
      const boxes = await page
        .locator(sel)
        .evaluateAll((els) => els.map((e) => e.getBoundingClientRect().toJSON() as DOMRect));
      for (const b of boxes) expect(b.left >= 0 && b.right <= 390, `${sel}: ${JSON.stringify(b)}`).toBe(true);
    }
    await page.click('#tabs button[data-tab="forward"]');
    expect(await scrollWidth(page)).toBeLessThanOrEqual(390);
    await page.close();
  });

  for (const [data, target] of [
    ['xor', 0.9],
    ['circles', 0.9],
    ['gaussians', 0.9],
    ['moons', 0.9],
    ['spiral', 0.8],
  ] as const) {
    it(`learns ${data} out of the box: Train on a fresh page reaches ${100 * target} % test accuracy within 30 s`, async () => {
      const page = await openTraining('');
      await page.click(`.dataset[data-dataset="${data}"]`);
      await page.waitForFunction((d) => location.hash.includes(`data=${d}`) || d === 'xor', data);
      await page.waitForFunction(
        () =>
          document.getElementById('epoch')?.dataset.value === '0' &&
          document.getElementById('train-accuracy')?.dataset.test !== undefined,
      );
      expect(await page.locator('#train-why').isHidden()).toBe(true); // nothing stands in the way
      await page.click('#train-play');
      await page.waitForFunction((t) => Number(document.getElementById('train-accuracy')?.dataset.test) >= t, target, {
        timeout: 30_000,
        polling: 100,
      });
      await page.click('#train-play');
      await page.close();
    }, 60_000);
  }

  it('says next to Train why a network cannot learn: no biases on xor, too few neurons', async () => {
    const page = await openTraining('tb=0');
    await page.waitForSelector('#train-why:not([hidden])');
    expect(await page.textContent('#train-why')).toContain('f(−x) = −f(x)');
    const why = (await page.locator('#train-why').boundingBox())!;
    const play = (await page.locator('#train-play').boundingBox())!;
    expect(why.y - (play.y + play.height)).toBeLessThan(120); // next to the button, not below the fold
    await page.click('#train-affine');
    await page.waitForSelector('#train-why[hidden]', { state: 'attached' });
    await page.goto(`${rig.url}#tab=train&th=1&data=circles`);
    await page.waitForSelector('#train-why:not([hidden])');
    expect(await page.textContent('#train-why')).toContain('straight line');
    await page.close();
  });

  it('2-16-16-16-1 trains in the worker while the page answers: Pause stops it, the drawings keep up', async () => {
    // How often the page draws is the frame scheduler's job (test/explorer-units.test.ts: once per frame, however
    // many results arrive); here: training goes on off the main thread, and the page still answers a click.
    const page = await openTraining('th=16,16,16');
    await page.click('#train-play');
    await page.waitForFunction(() => Number(document.querySelector('#epoch')?.getAttribute('data-value')) >= 20, null, {
      timeout: 45_000,
    });
    await page.click('#train-play');
    // results already under way still arrive; then the count must stand still
    const epoch = () => page.getAttribute('#epoch', 'data-value');
    let last = await epoch();
    for (let still = 0, tries = 0; still < 3; tries++) {
      expect(tries, 'the epoch count is still moving after Pause').toBeLessThan(40);
      await page.waitForTimeout(250);
      const now = await epoch();
      still = now === last ? still + 1 : 0;
      last = now;
    }
    expect(await page.textContent('#train-play')).toContain('Train');
    await page.close();
  }, 60_000);

  it('a shared link keeps weight edits, "show the test data" and the training settings; inspecting does not reset training', async () => {
    // weight edits survive a new seed, a new initialisation and the §3 switch (and say so)
    const page = await open('n=2,3,1&w=1.0.0=0.75');
    await page.fill('#seed', '8');
    await page.press('#seed', 'Enter');
    await page.waitForFunction(() => location.hash.includes('seed=8'));
    expect(page.url()).toContain('w=1.0.0=0.75');
    await page.click('#affine');
    await page.waitForFunction(() => location.hash.includes('affine=1'));
    expect(page.url()).toContain('w=1.0.0=0.75');
    expect(await page.textContent('#edits-note')).toContain('kept');
    const W1 = await page.$$eval('#tab-forward td[data-sym="W1"][data-r="0"][data-c="0"]', (tds) =>
      tds.map((t) => Number((t as HTMLElement).dataset.value)),
    );
    expect(W1[0]).toBe(0.75);
    await page.close();

    // the Training view's settings go into the link and come back from it
    const t = await openTraining('data=moons');
    await t.click('#show-test');
    await t.selectOption('#reg', 'l2');
    await t.selectOption('#reg-rate', '0.003');
    await t.click('#discretize');
    await t.click('#features button[data-feature="x1sq"]');
    await t.click('#add-layer');
    await t.waitForFunction(() =>
      ['test=0', 'reg=l2', 'rate=0.003', 'disc=1', 'feat=x1,x2,x1sq', 'th=12,%2012,%2012'].every((p) =>
        location.hash.includes(p),
      ),
    );
    const link = t.url();
    await t.close();
    const back = await openTraining(link.split('#')[1]!.replace(/^tab=train&?/, ''));
    expect(await back.isChecked('#show-test')).toBe(false);
    expect(await back.isChecked('#discretize')).toBe(true);
    expect(await back.inputValue('#reg')).toBe('l2');
    expect(await back.inputValue('#reg-rate')).toBe('0.003');
    expect(await back.getAttribute('#features button[data-feature="x1sq"]', 'aria-pressed')).toBe('true');
    expect(await back.textContent('#layer-count')).toBe('3 hidden layers');
    expect(await back.locator('#tab-train .network-svg g.neuron[data-layer="0"]').count()).toBe(3 + 1); // x₁, x₂, x₁² and 1
    await back.close();
  });

  it('the output neuron’s map and the big map share one colour scale; regression data get their caption and colours', async () => {
    // at epoch 0 the output's logit is moderate over most of the plane, where σ(z) and z itself differ most
    const page = await openTraining('test=0');
    const cmp = await page.evaluate(() => {
      const small = document.querySelector<HTMLCanvasElement>('#tab-train canvas.neuron-map[data-key="3:0"]')!;
      const big = document.getElementById('heatmap') as HTMLCanvasElement;
      const G = small.width;
      const S = big.width;
      const a = small.getContext('2d')!.getImageData(0, 0, G, G).data;
      const b = big.getContext('2d')!.getImageData(0, 0, S, S).data;
      let match = 0;
      let lo = 255;
      let hi = 0;
      for (let r = 0; r < G; r++)
        for (let c = 0; c < G; c++) {
          // the big map is the same grid scaled up: at the centre of a grid cell it shows that cell's colour
          const i = 4 * (r * G + c);
          const j = 4 * (Math.floor(((r + 0.5) * S) / G) * S + Math.floor(((c + 0.5) * S) / G));
          if ([0, 1, 2].every((q) => Math.abs(a[i + q]! - b[j + q]!) <= 4)) match++;
          lo = Math.min(lo, a[i]!);
          hi = Math.max(hi, a[i]!);
        }
      return { share: match / (G * G), spread: hi - lo };
    });
    expect(cmp.spread, 'the output map is not one colour').toBeGreaterThan(40);
    expect(cmp.share, 'grid cells of the same colour in both maps').toBeGreaterThan(0.95);
    expect(await page.textContent('#heat-caption')).toContain('P(class 1)');
    await page.close();

    const reg = await openTraining('problem=regression');
    expect(reg.url()).toContain('data=plane');
    await reg.waitForFunction(() =>
      (document.getElementById('heat-caption')?.textContent ?? '').includes('orange at −1'),
    );
    expect(await reg.textContent('#train-status')).toContain('a numeric target (regression)');
    // a CSV file with a numeric target, read as regression
    await reg.click('.dataset[data-dataset="csv"]');
    const rows = Array.from(
      { length: 60 },
      (_, s) => `${(s % 9) - 4},${(s % 7) - 3},${(((s % 9) - 4) * 0.3 + ((s % 7) - 3) * 0.1).toFixed(3)}`,
    );
    await reg.setInputFiles('#csv-file', {
      name: 'target.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(`a,b,y\n${rows.join('\n')}\n`),
    });
    await reg.waitForFunction(() =>
      (document.getElementById('train-status')?.textContent ?? '').includes('60 samples, 2 features, a numeric target'),
    );
    await reg.waitForFunction(() =>
      (document.getElementById('heat-caption')?.textContent ?? '').includes('the network’s output f'),
    );
    await reg.close();
  });

  it('copies the link without the Clipboard API (plain http): the link shown selected, with a message', async () => {
    const page = await open('n=2,4,1', undefined, () => {
      Object.defineProperty(Navigator.prototype, 'clipboard', { get: () => undefined });
    });
    await page.click('#copy-link');
    await page.waitForSelector('#link-text');
    expect(await page.inputValue('#link-text')).toBe(page.url());
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement).id)).toBe('link-text');
    expect(await page.textContent('#link-note')).toMatch(/Copied|press Ctrl\+C/);
    expect(await page.textContent('#copy-link')).toMatch(/Copied|Copy by hand/);
    await page.close();
  });

  it('hovering an entry of Δ_i marks the entries of W_{i+1}ᵀ·Δ_{i+1} and Σ′_i it came from; the forms heading counts its forms', async () => {
    const page = await open('n=2,3,2,1&act=tanh;tanh;sigmoid&x=0.5,-1;1,0.5&step=2');
    await page.hover('#step-current [data-sym="D2"][data-r="1"][data-c="0"]');
    expect(await page.locator('#step-current [data-layer="2"][data-r="1"][data-c="0"].hl2').count()).toBe(1); // (W_3ᵀ·Δ_3)[1, 0]
    expect(await page.locator('#step-current [data-sym="dS2"][data-r="1"][data-c="0"].hl2').count()).toBe(2); // in both lines of the step
    expect(await page.locator('#step-current [data-sym="W3"][data-c="1"].hl2').count()).toBe(1); // row 1 of W_3ᵀ
    expect(await page.locator('#step-current [data-sym="D3"][data-c="0"].hl2').count()).toBe(1); // column 0 of Δ_3
    expect(await page.locator('#step-current [data-sym="dS2"][data-r="0"].hl2').count()).toBe(0);
    await page.goto(`${rig.url}#tab=forms&n=2,3,1&act=tanh;sigmoid`);
    await page.waitForSelector('.form-card');
    expect(await page.textContent('#forms-heading')).toBe('One gradient, five ways of writing it');
    await page.goto(`${rig.url}#tab=forms&n=1,1,1&act=tanh;sigmoid&x=0.7`);
    await page.waitForSelector('.form-card[data-form="scalar"]');
    expect(await page.textContent('#forms-heading')).toBe('One gradient, six ways of writing it');
    expect(1 + (await page.locator('.form-card').count())).toBe(6); // the recursion (Forward & backward) and five cards
    await page.close();
  });

  it('labels: custom activations by name, neurons without maps keep their labels; an active button stays readable on hover', async () => {
    const page = await open('n=2,2,1&custom=x^3&act=custom1;sigmoid');
    expect(await page.locator('#diagram-panel .neuron-text', { hasText: 'c1' }).count()).toBe(2);
    expect(await page.locator('#diagram-panel .neuron-text', { hasText: 'custo' }).count()).toBe(0);
    // a CSV with three features: no maps, but each neuron still says what it is
    await page.click('#tabs button[data-tab="train"]');
    await page.click('.dataset[data-dataset="csv"]');
    const rows = Array.from({ length: 30 }, (_, s) => `${s % 5},${s % 3},${s % 7},${s % 2}`);
    await page.setInputFiles('#csv-file', {
      name: 'three.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(`a,b,c,label\n${rows.join('\n')}\n`),
    });
    await page.waitForFunction(() =>
      Array.from(document.querySelectorAll('#tab-train .network-svg .neuron-text')).some((t) => t.textContent === 'c'),
    );
    const labels = await page.locator('#tab-train .network-svg .neuron-text').allTextContents();
    expect(labels).toEqual(expect.arrayContaining(['a', 'b', 'c', 'tanh']));
    for (const t of await page.locator('#tab-train .network-svg .neuron-text').all())
      expect(await t.isVisible()).toBe(true);
    // hover over the active feature button: white text on a dark blue, not on light grey
    await page.click('.dataset[data-dataset="xor"]');
    await page.hover('#features button.active');
    const [fg, bg] = await page.$eval('#features button.active', (b) => [
      getComputedStyle(b).color,
      getComputedStyle(b).backgroundColor,
    ]);
    expect(fg).toBe('rgb(255, 255, 255)');
    const [r, g, b] = bg.match(/\d+/g)!.map(Number) as [number, number, number];
    expect(0.2126 * r + 0.7152 * g + 0.0722 * b).toBeLessThan(120); // dark enough for white text
    await page.close();
  });

  it('projector mode, dark mode from the system with a toggle, print styles, keys beyond ← and →', async () => {
    const page = await open('n=2,3,1&step=1');
    const size = () => page.$eval('#tab-forward .matrix-table', (t) => parseFloat(getComputedStyle(t).fontSize));
    const before = await size();
    await page.click('#projector');
    await page.waitForFunction(() => location.hash.includes('big=1'));
    expect(await size()).toBeGreaterThanOrEqual(18);
    expect(await size()).toBeGreaterThan(before);
    const bg = () => page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
    await page.emulateMedia({ colorScheme: 'dark' });
    const dark = (await bg()).match(/\d+/g)!.map(Number);
    expect(Math.max(...dark)).toBeLessThan(60);
    await page.click('#theme'); // dark system → light by choice
    expect(page.url()).toContain('theme=light');
    expect(Math.min(...(await bg()).match(/\d+/g)!.map(Number))).toBeGreaterThan(200);
    // print: the network, the matrices and the current step; no builder, buttons or header
    await page.emulateMedia({ media: 'print' });
    for (const sel of ['.builder', 'header.top', '#step-next'])
      expect(await page.locator(sel).isVisible(), sel).toBe(false);
    for (const sel of ['#diagram-panel .network-svg', '#tab-forward .matrix-table', '#step-current'])
      expect(await page.locator(sel).first().isVisible(), sel).toBe(true);
    await page.emulateMedia({ media: 'screen' });
    // keys: End / Home step to the last / first step, 2 and 3 choose a view, a neuron takes Enter
    await page.keyboard.press('End');
    await page.waitForFunction(() => location.hash.includes('step=2'));
    await page.keyboard.press('Home');
    await page.waitForFunction(() => !location.hash.includes('step='));
    await page.focus('#diagram-panel g.neuron.clickable[data-layer="1"][data-r="0"]');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#neuron-act');
    await page.keyboard.press('Escape');
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.keyboard.press('2');
    await page.waitForFunction(() => location.hash.includes('tab=forms'));
    await page.keyboard.press('3');
    await page.waitForFunction(() => location.hash.includes('tab=train'));
    await page.close();
  });

  it('Training: click an edge to set its weight, hover a neuron to see its map large, Regenerate, + and − change the network', async () => {
    const page = await openTraining('th=3');
    await page
      .locator('#tab-train .network-svg line.edge[data-sym="W2"][data-r="0"][data-c="1"]')
      .dispatchEvent('click');
    await page.fill('#edge-weight', '0');
    await page.press('#edge-weight', 'Enter');
    await page.waitForFunction(
      () =>
        document
          .querySelector('#tab-train .network-svg line.edge[data-sym="W2"][data-r="0"][data-c="1"]')
          ?.getAttribute('data-value') === '0',
    );
    await page.hover('#tab-train .network-svg g.neuron[data-layer="1"][data-r="2"] rect');
    expect(await page.textContent('#heat-title')).toBe('neuron 3 of layer 1: Σ1 over the input plane');
    await page.mouse.move(0, 0);
    expect(await page.textContent('#heat-title')).toBe('the network’s output f over the input plane');
    // Regenerate: new seeded points of the same set, in the link
    const before = await page.evaluate(() =>
      (document.getElementById('heatmap-points') as HTMLCanvasElement).toDataURL(),
    );
    await page.click('#regenerate');
    await page.waitForFunction(() => location.hash.includes('dseed=2'));
    await page.waitForFunction(
      (b) => (document.getElementById('heatmap-points') as HTMLCanvasElement).toDataURL() !== b,
      before,
    );
    await page.click('.neuron-plus[data-layer="1"]');
    await page.waitForFunction(() => location.hash.includes('th=4'));
    await page.click('#remove-layer');
    await page.waitForFunction(() => location.hash.includes('th=&') || location.hash.endsWith('th='));
    await page.waitForSelector('#train-why:not([hidden])'); // no hidden layer on xor: a straight line
    await page.close();
  });

  it('writes screenshots of every view at 1280×800 and saw no console errors', async () => {
    const fwd = await open('n=2,3,2,1&act=tanh;tanh;sigmoid&x=0.5,-1;1,0.5&step=2');
    await fwd.hover('#step-current [data-sym="D2"][data-r="1"][data-c="0"]');
    await shot(fwd, 'forward-1280x800.png');
    await fwd.goto(`${rig.url}#tab=forms&n=2,3,2,1&act=tanh;tanh;sigmoid&x=0.5,-1;1,0.5`);
    await fwd.waitForSelector('.form-card');
    await fwd.evaluate(() => window.scrollTo(0, 0));
    await shot(fwd, 'forms-1280x800.png');
    await fwd.close();
    const train = await openTraining('data=spiral');
    for (let e = 1; e <= 60; e++) {
      await train.click('#train-step');
      await train.waitForFunction((n) => Number(document.getElementById('epoch')?.dataset.value) === n, e);
    }
    await train.mouse.move(0, 0);
    await train.waitForTimeout(100);
    await shot(train, 'training-1280x800.png');
    await train.close();
    expect(problems).toEqual([]);
  }, 120_000);
});
