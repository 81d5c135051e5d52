/**
 * Child process of `npm run bench` for the browser rows: bundles bench/browser/worker.ts with esbuild, serves it
 * and the data files from a local server with the cross-origin-isolation headers (COOP/COEP, so the worker may
 * share memory with its own worker thread for two threads), opens the page in Debian's Chromium (headless,
 * playwright-core) and reports the worker's epoch times as one `@@RESULT` line, like the Node rows.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { emit, type OptimizerKind, parseSpec, type TaskSpec, type TrainResult } from './common.js';

interface BrowserSpec {
  dataDir: string;
  task: TaskSpec;
  optimizer: OptimizerKind;
  threads: number;
}

const CHROMIUM = '/usr/bin/chromium';
const spec = parseSpec<BrowserSpec>();

const page = `<!doctype html><meta charset="utf-8"><title>nabla bench</title><script type="module">
const get = async (name) => new Uint8Array(await (await fetch('/data/' + name)).arrayBuffer());
const f32 = (b) => new Float32Array(b.buffer), i32 = (b) => new Int32Array(b.buffer);
const spec = ${JSON.stringify({ task: spec.task, optimizer: spec.optimizer, threads: spec.threads })};
const meta = await (await fetch('/data/meta.json')).json();
const data = { inputs: meta.inputs, classes: meta.classes, trainX: f32(await get('train_x.f32')), trainY: i32(await get('train_y.i32')),
  order: i32(await get('order.i32')), testX: f32(await get('test_x.f32')), testY: i32(await get('test_y.i32')) };
const all = f32(await get('init_' + spec.task.task + '.f32'));
const init = []; let off = 0;
for (let i = 1; i < spec.task.widths.length; i++) { const n = spec.task.widths[i] * spec.task.widths[i - 1]; init.push(all.slice(off, off + n)); off += n; }
const w = new Worker('/worker.js', { type: 'module' });
w.onmessage = (e) => { window.__result = e.data; };
w.onerror = (e) => { window.__result = { ok: false, error: String(e.message) }; };
w.postMessage({ ...spec, data, init });
</script>`;

async function main(): Promise<void> {
  const bundle = await build({
    entryPoints: [join(import.meta.dirname, 'browser/worker.ts')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'chrome120',
    write: false,
    logLevel: 'error',
  });
  const worker = bundle.outputFiles[0]!.text;
  const server = createServer((req, res) => {
    const headers = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };
    const url = req.url ?? '/';
    try {
      if (url === '/') res.writeHead(200, { ...headers, 'Content-Type': 'text/html' }).end(page);
      else if (url === '/worker.js') res.writeHead(200, { ...headers, 'Content-Type': 'text/javascript' }).end(worker);
      else if (/^\/data\/[\w.]+$/.test(url))
        res
          .writeHead(200, { ...headers, 'Content-Type': 'application/octet-stream' })
          .end(readFileSync(join(spec.dataDir, url.slice(6))));
      else res.writeHead(404).end();
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  try {
    const tab = await browser.newPage();
    await tab.goto(`http://127.0.0.1:${port}/`);
    const handle = await tab.waitForFunction(() => (window as unknown as { __result?: unknown }).__result, undefined, {
      timeout: 280_000,
      polling: 250,
    });
    const r = (await handle.jsonValue()) as {
      ok: boolean;
      error?: string;
      epochSeconds: number[];
      epoch1Loss: number;
      testAccuracy: number;
      threads: string;
      crossOriginIsolated: boolean;
    };
    if (!r.ok) throw new Error(r.error);
    const version = browser.version();
    const result: TrainResult = {
      library: `nabla 0.2.0 — fit() in a Web Worker of Chromium ${version}`,
      backend: 'wasm-relaxed (WebAssembly relaxed SIMD, FMA)',
      threads: r.threads,
      task: spec.task.task,
      optimizer: spec.optimizer,
      epochSeconds: r.epochSeconds,
      epoch1Loss: r.epoch1Loss,
      testAccuracy: r.testAccuracy,
      peakRssMB: Number.NaN,
      notes: [`cross-origin isolated: ${r.crossOriginIsolated}`, 'peak RSS not measured (several browser processes)'],
    };
    emit(result);
  } finally {
    await browser.close();
    server.close();
  }
}

await main();
