// Helpers for test/explorer.test.ts: read matrices from the explorer's DOM (the machine-readable data-value
// attributes on every entry) and run `nabla grad --json` in-process on the same network.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { buildExplorer, serveExplorer } from '../../packages/cli/src/commands/explore.js';
import { main } from '../../packages/cli/src/main.js';
import { CHROMIUM_PATH } from '../helpers/system-tools.js';

export type Rows = number[][];

/**
 * The entries of symbol `sym` ("D2", "W1", …) inside `scope`, as rows. An entry shown twice must show the same
 * number both times (the function throws otherwise).
 */
export async function readMatrix(page: Page, scope: string, sym: string): Promise<Rows> {
  const cells = await page.$$eval(`${scope} [data-sym="${sym}"][data-r][data-c][data-value]`, (els) =>
    els.map((e) => {
      const d = (e as HTMLElement).dataset;
      return { r: Number(d.r), c: Number(d.c), v: d.value! };
    }),
  );
  if (cells.length === 0) throw new Error(`no entries of ${sym} in ${scope}`);
  const rows: Rows = [];
  for (const { r, c, v } of cells) {
    const value = Number(v);
    rows[r] ??= [];
    const before = rows[r]![c];
    if (before !== undefined && before !== value)
      throw new Error(`${sym}[${r}][${c}] is shown as ${before} and as ${value}`);
    rows[r]![c] = value;
  }
  return rows;
}

export interface GradJson {
  f: Rows;
  N: Record<string, Rows>;
  S: Record<string, Rows>;
  dS: Record<string, Rows>;
  D: Record<string, Rows>;
  gradW: Record<string, Rows>;
}

/** `nabla grad --json` on a model file and inputs written to a temporary folder (main() in-process). */
export async function cliGrad(model: object, samples: number[][], v?: number[]): Promise<GradJson> {
  const dir = await mkdtemp(join(tmpdir(), 'nabla-explorer-cli-'));
  try {
    await writeFile(join(dir, 'model.json'), JSON.stringify(model));
    await writeFile(join(dir, 'x.json'), JSON.stringify(samples));
    const args = ['grad', '--model', 'model.json', '--input', 'x.json', '--json'];
    if (v) {
      await writeFile(join(dir, 'v.json'), JSON.stringify(v));
      args.push('--delta', 'v.json');
    }
    let out = '';
    let err = '';
    const status = await main(args, {
      stdout: { write: (s: string) => (out += s) },
      stderr: { write: (s: string) => (err += s) },
      cwd: dir,
    });
    if (status !== 0) throw new Error(`nabla grad failed (${status}): ${err}`);
    // the explorer shows the homogeneous network of §3; for an affine model that is the "homogeneous" part
    const j = JSON.parse(out) as GradJson & { homogeneous?: { gradW: Record<string, Rows> } };
    if (j.homogeneous) j.gradW = j.homogeneous.gradW;
    return j;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Matrices equal to within `ulps` units in the last place of the larger entry (Chromium's V8 and Node's V8 may
 * round a transcendental such as tanh one ulp apart; anything beyond a few ulps is a real difference).
 */
export function expectCloseUlps(actual: Rows, expected: Rows | undefined, label: string, ulps = 4): void {
  expect(expected, `${label}: no reference`).toBeDefined();
  expect(
    actual.map((r) => r.length),
    `${label}: shape`,
  ).toEqual(expected!.map((r) => r.length));
  actual.forEach((row, r) =>
    row.forEach((a, c) => {
      const b = expected![r]![c]!;
      const tol = ulps * Number.EPSILON * Math.max(Math.abs(a), Math.abs(b), Number.MIN_VALUE);
      expect(Math.abs(a - b), `${label}[${r}][${c}]: ${a} vs ${b}`).toBeLessThanOrEqual(tol);
    }),
  );
}

/** The explorer built with Vite into a temporary folder and served by `nabla explore`'s static server, and Chromium. */
export interface ExplorerRig {
  url: string;
  browser: Browser;
  close(): Promise<void>;
}

export async function startExplorer(): Promise<ExplorerRig> {
  const dir = await mkdtemp(join(tmpdir(), 'nabla-explorer-'));
  await buildExplorer(join(dir, 'explorer'));
  const server = await serveExplorer(join(dir, 'explorer'), { port: 0 });
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
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
  return {
    url: server.url,
    browser,
    async close() {
      await browser.close();
      await server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Records every console error or warning and uncaught exception of `page` into `into`, each starting with `label`. */
export function collectProblems(page: Page, label: string, into: string[]): void {
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') into.push(`${label}: console.${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => into.push(`${label}: ${e.message}`));
}
