// `npm run docs` writes the API reference of the five entry points (`nabla`, `nabla/node`, `nabla/paper`, `nabla/teach`,
// `nabla/train`) with TypeDoc; its configuration treats a public name without a doc comment, a type a public name
// refers to that no entry point exports (and any other warning) as an error, so this test fails when one appears.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

const run = promisify(execFile);

it('TypeDoc documents every public name of every entry point, with no warning', async () => {
  const out = await mkdtemp(join(tmpdir(), 'nabla-docs-'));
  try {
    const r = await run(process.execPath, [resolve('node_modules/typedoc/bin/typedoc'), '--out', out], {
      timeout: 240_000,
    }).catch((e: { stdout: string; stderr: string }) => ({ stdout: e.stdout, stderr: e.stderr, failed: true }));
    expect('failed' in r ? `${r.stdout}${r.stderr}` : '').toBe('');
    expect((await stat(join(out, 'index.html'))).size).toBeGreaterThan(1000);
    expect((await stat(join(out, 'classes', 'index.Model.html'))).size).toBeGreaterThan(1000);
  } finally {
    await rm(out, { recursive: true, force: true });
  }
}, 300_000);
