// The same kernels and training in a browser (Chromium through playwright-core), test/browser/entry.ts bundled by
// esbuild for the browser and served cross-origin isolated by a tiny node:http server, on two pages: as the browser
// is (WASM kernels agree with refKernels, a spiral fit lowers its loss), and with WebAssembly SIMD removed
// (createWasmKernels rejects clearly, a Model falls back to the reference kernels, saying why, and still learns).
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { builtinModules } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { build, type Metafile } from 'esbuild';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Checks, FitCheck } from './browser/entry.js';
import { CHROMIUM_PATH as CHROMIUM, chromiumTool, haveTool } from './helpers/system-tools.js';

const haveChromium = haveTool(chromiumTool, 'the browser tests');
const root = resolve('.');
const entry = resolve('test/browser/entry.ts');

/** Every Node built-in, with and without the node: prefix. */
const builtins = new Set(builtinModules.flatMap((m) => (m.startsWith('node:') ? [m] : [m, `node:${m}`])));

/** The import chains (entry → … → file) that reach a Node built-in `target`, from the bundle's metafile. */
function chainsTo(meta: Metafile, target: string): string[] {
  const start = relative(root, entry);
  const chains: string[] = [];
  const seen = new Set<string>([start]);
  const queue: string[][] = [[start]];
  while (queue.length > 0) {
    const path = queue.shift()!;
    const file = path[path.length - 1]!;
    for (const imp of meta.inputs[file]?.imports ?? []) {
      if (imp.external && imp.path === target) chains.push([...path, target].join(' → '));
      else if (!imp.external && !seen.has(imp.path)) {
        seen.add(imp.path);
        queue.push([...path, imp.path]);
      }
    }
  }
  return chains;
}

/** Bundles entry.ts into `dir`; throws with the import chain when a Node built-in stays in the browser bundle. */
async function bundle(dir: string): Promise<void> {
  let meta: Metafile;
  try {
    const r = await build({
      entryPoints: [entry],
      bundle: true,
      platform: 'browser',
      format: 'esm',
      target: 'es2022',
      outfile: join(dir, 'bundle.js'),
      external: [...builtins],
      metafile: true,
      logLevel: 'silent',
      absWorkingDir: root,
    });
    meta = r.metafile;
  } catch (e) {
    const errors = (e as { errors?: { text: string; location?: { file: string; line: number } | null }[] }).errors;
    const text =
      errors?.map((m) => `${m.location ? `${m.location.file}:${m.location.line}: ` : ''}${m.text}`).join('\n') ??
      String(e);
    throw new Error(`esbuild could not bundle test/browser/entry.ts for the browser:\n${text}`);
  }
  const left = Object.values(meta.outputs).flatMap((o) => o.imports.filter((i) => i.external && builtins.has(i.path)));
  if (left.length > 0) {
    const lines = [...new Set(left.map((i) => i.path))].flatMap((b) => chainsTo(meta, b).map((c) => `  ${c}`));
    throw new Error(
      `the browser bundle still imports Node built-ins (they would fail to load in a page):\n${lines.join('\n')}`,
    );
  }
}

const INDEX_HTML = `<!doctype html>
<html><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>nabla browser check</title></head>
<body><script type="module" src="/bundle.js"></script></body></html>
`;

/** Any module with the SIMD opcode prefix byte 0xfd counts as a SIMD module: validate says no, compile refuses. */
const NO_SIMD = `(() => {
  const bytesOf = (b) => b instanceof ArrayBuffer ? new Uint8Array(b) : ArrayBuffer.isView(b) ? new Uint8Array(b.buffer, b.byteOffset, b.byteLength) : null;
  const simd = (b) => { const u = bytesOf(b); return u !== null && u.includes(0xfd); };
  const W = WebAssembly;
  const validate = W.validate, compile = W.compile, instantiate = W.instantiate, Module = W.Module;
  const refuse = () => new W.CompileError('WebAssembly SIMD is disabled on this page (test)');
  W.validate = function (b) { return simd(b) ? false : validate.call(W, b); };
  W.compile = function (b) { return simd(b) ? Promise.reject(refuse()) : compile.call(W, b); };
  W.instantiate = function (b, i) { return simd(b) ? Promise.reject(refuse()) : instantiate.call(W, b, i); };
  W.Module = new Proxy(Module, { construct(t, args) { if (simd(args[0])) throw refuse(); return Reflect.construct(t, args); } });
})();`;

let dir: string | undefined;
let server: Server | undefined;
let browser: Browser | undefined;
let origin = '';

beforeAll(async () => {
  if (!haveChromium) return;
  dir = await mkdtemp(join(tmpdir(), 'nabla-browser-'));
  await bundle(dir);
  await writeFile(join(dir, 'index.html'), INDEX_HTML);
  const files: Record<string, [string, Buffer]> = {
    '/': ['text/html; charset=utf-8', await readFile(join(dir, 'index.html'))],
    '/bundle.js': ['text/javascript; charset=utf-8', await readFile(join(dir, 'bundle.js'))],
  };
  server = createServer((req, res) => {
    const f = files[(req.url ?? '/').split('?')[0]!];
    if (!f) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, {
      'Content-Type': f[0],
      'Cache-Control': 'no-store',
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Embedder-Policy': 'require-corp',
    });
    res.end(f[1]);
  });
  await new Promise<void>((ok, fail) => {
    server!.once('error', fail);
    server!.listen(0, '127.0.0.1', () => ok());
  });
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
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
}, 30_000);

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((ok) => (server ? server.close(() => ok()) : ok()));
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Opens the page (optionally with an init script), runs the checks, and collects console errors and page errors. */
async function runPage(initScript?: string): Promise<{ checks: Checks; problems: string[] }> {
  const context = await browser!.newContext();
  const problems: string[] = [];
  try {
    const page: Page = await context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console.error: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText ?? ''}`));
    if (initScript) await page.addInitScript({ content: initScript });
    await page.goto(`${origin}/`);
    await page.waitForFunction('typeof window.runChecks === "function"');
    const checks = (await page.evaluate('window.runChecks()')) as Checks;
    return { checks, problems };
  } finally {
    await context.close();
  }
}

function expectFalls(f: FitCheck): void {
  expect(f.stopReason, f.kernels).toBe('completed');
  expect(f.losses.every(Number.isFinite), `${f.kernels} losses ${f.losses}`).toBe(true);
  const first = f.losses[0]!;
  const last = f.losses[f.losses.length - 1]!;
  expect(last, `${f.kernels}: loss ${first} → ${last}`).toBeLessThan(0.8 * first);
}

describe.skipIf(!haveChromium)('in the browser (Chromium)', () => {
  it('the WASM kernels run there: matmul agrees with refKernels, and spiral training lowers the loss', async () => {
    const { checks, problems } = await runPage();
    expect(problems).toEqual([]);
    expect(checks.env.simdSupported).toBe(true);
    expect(checks.wasm, JSON.stringify(checks.wasm)).toMatchObject({ ok: true });
    if (!checks.wasm.ok) return;
    expect(checks.wasm.relaxed).toBe(checks.env.relaxedSimdSupported);
    expect(checks.wasm.name).toBe(checks.wasm.relaxed ? 'wasm-relaxed' : 'wasm-simd');
    expect(checks.matmul.length).toBeGreaterThan(0);
    for (const m of checks.matmul) expect(m.relErr, `${m.shape} (${m.path})`).toBeLessThanOrEqual(1e-5);
    if (checks.threaded) {
      expect(checks.threaded.splitCalls).toBeGreaterThan(0);
      expect(checks.threaded.bitIdentical, 'split product equals the one-thread product bit for bit').toBe(true);
      expect(checks.threaded.relErr).toBeLessThanOrEqual(1e-5);
    }
    expect(checks.selected.isWasm).toBe(true);
    expectFalls(checks.fitWasm!);
    expectFalls(checks.fitRef);
    expectFalls(checks.fitSelected);
    // same network, data and seed: float32 kernels that differ only in rounding stay close over a few epochs
    const lw = checks.fitWasm!.losses;
    const lr = checks.fitRef.losses;
    expect(Math.abs(lw[lw.length - 1]! - lr[lr.length - 1]!)).toBeLessThan(0.05 * lr[lr.length - 1]!);
  });

  it('without WebAssembly SIMD: createWasmKernels rejects clearly, and training falls back to the reference kernels', async () => {
    const { checks, problems } = await runPage(NO_SIMD);
    expect(problems).toEqual([]);
    expect(checks.env.simdSupported).toBe(false);
    expect(checks.wasm.ok).toBe(false);
    if (checks.wasm.ok) return;
    expect(checks.wasm.isUnsupportedError).toBe(true);
    expect(checks.wasm.code).toBe('unsupported');
    expect(checks.wasm.message).toMatch(/no WebAssembly SIMD/);
    expect(checks.wasm.message).toMatch(/refKernels/);
    expect(checks.matmul).toEqual([]);
    expect(checks.fitWasm).toBeNull();
    expect(checks.selected.isWasm).toBe(false);
    expect(checks.selected.description).toBe('ref');
    expect(checks.selected.notice).toMatch(/no WebAssembly SIMD/);
    expectFalls(checks.fitRef);
    expectFalls(checks.fitSelected);
  });
});
