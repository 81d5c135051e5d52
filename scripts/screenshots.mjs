// Screenshots of the explorer for docs/screenshots: every view (Forward & backward, Forms, Training, Your turn) at
// a phone (390×844), a laptop (1280×800) and a projector (1920×1080 with A+), light and dark, each the first
// screen as the browser shows it; and each view printed to PDF (light). Builds the page with Vite into a temporary
// folder, serves it, and drives Debian's Chromium through playwright-core. Seeded: the same page, the same file.
//   node scripts/screenshots.mjs [outDir]        (default docs/screenshots; /usr/bin/chromium or CHROMIUM=path)
import { createReadStream, existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { build } from 'vite';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = resolve(process.argv[2] ?? join(root, 'docs', 'screenshots'));
const executablePath = process.env.CHROMIUM ?? '/usr/bin/chromium';
if (!existsSync(executablePath)) {
  process.stderr.write(
    `screenshots: no Chromium at ${executablePath} (apt-get install -y chromium, or CHROMIUM=path)\n`,
  );
  process.exit(1);
}

const views = [
  { name: 'forward', hash: 'step=1' },
  { name: 'forms', hash: 'tab=forms' },
  { name: 'training', hash: 'tab=train' },
  { name: 'student', hash: 'tab=student' },
];
const rooms = [
  { name: '390x844', viewport: { width: 390, height: 844 }, touch: true, hash: '' },
  { name: '1280x800', viewport: { width: 1280, height: 800 }, touch: false, hash: '' },
  { name: '1920x1080', viewport: { width: 1920, height: 1080 }, touch: false, hash: '&big=1' },
];
const themes = ['light', 'dark'];

const types = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.wasm': 'application/wasm' };

/** A static server for the built page (port chosen by the system). */
function serve(dir) {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const file = normalize(join(dir, path.endsWith('/') ? `${path}index.html` : path));
    if (!file.startsWith(dir + sep)) return void res.writeHead(403).end();
    stat(file).then(
      () => {
        res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' });
        createReadStream(file).pipe(res);
      },
      () => res.writeHead(404).end(),
    );
  });
  return new Promise((r) => server.listen(0, '127.0.0.1', () => r(server)));
}

/** The Training view after 30 single epochs (seeded data and weights: the same picture every time). */
async function trainSome(page) {
  await page.waitForSelector('#tab-train canvas.neuron-map', { state: 'attached' });
  await page.waitForFunction(() => (document.getElementById('train-status')?.dataset.kernels ?? '') !== '');
  for (let e = 1; e <= 30; e++) {
    await page.click('#train-step');
    await page.waitForFunction((n) => Number(document.getElementById('epoch')?.dataset.value) === n, e);
  }
  // one more frame for the drawings
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

const dist = await mkdtemp(join(tmpdir(), 'nabla-screenshots-'));
await build({
  configFile: join(root, 'packages', 'explorer', 'vite.config.ts'),
  build: { outDir: dist, emptyOutDir: true },
  logLevel: 'error',
});
const server = await serve(dist);
const url = `http://127.0.0.1:${server.address().port}/`;
const browser = await chromium.launch({ executablePath, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
await mkdir(out, { recursive: true });
const only = process.env.ONLY; // e.g. ONLY=forward-390 for one file while working on the page
try {
  for (const room of rooms)
    for (const theme of themes)
      for (const view of views) {
        const file = `${view.name}-${room.name}-${theme}.png`;
        if (only && !file.startsWith(only)) continue;
        const context = await browser.newContext({
          viewport: room.viewport,
          colorScheme: theme,
          hasTouch: room.touch,
          isMobile: room.touch,
        });
        const page = await context.newPage();
        page.on('pageerror', (e) => process.stderr.write(`${file}: ${e.message}\n`));
        await page.goto(`${url}#${view.hash}${room.hash}`);
        await page.waitForSelector('.network-svg', { state: 'attached' });
        if (view.name === 'training') await trainSome(page);
        await page.evaluate(() => document.fonts.ready.then(() => undefined));
        await page.screenshot({ path: join(out, file), animations: 'disabled', caret: 'hide' });
        process.stdout.write(`${file}\n`);
        if (room.name === '1280x800' && theme === 'light') {
          await page.emulateMedia({ media: 'print' });
          await page.pdf({ path: join(out, `${view.name}-print.pdf`), format: 'A4', printBackground: true });
          process.stdout.write(`${view.name}-print.pdf\n`);
        }
        await context.close();
      }
} finally {
  await browser.close();
  server.close();
  await rm(dist, { recursive: true, force: true });
}
