// The LaTeX that `nabla explain --format tex` and `nabla exercise --format tex` write compiles with pdflatex and
// nothing beyond Debian's texlive-latex-base. Where pdflatex is missing it skips and says why, except under
// NABLA_REQUIRE_TOOLS=1 (.ci/run installs it), where it fails.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { haveTool, pdflatexTool } from './helpers/system-tools.js';
import { runCli } from './helpers/teach.js';

const havePdflatex = haveTool(pdflatexTool, 'the LaTeX tests');

const run = promisify(execFile);
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'nabla-latex-'));
  await writeFile(
    join(dir, 'model.json'),
    JSON.stringify({
      version: 1,
      widths: [2, 3, 1],
      layers: [
        {
          W: [
            [1, -0.5],
            [2, 0.25],
            [-1.5, 1],
          ],
          activation: ['relu', 'square', 'cubic'],
        },
        { W: [[1.5, -1, 0.5]], activation: 'leaky_relu' },
      ],
    }),
  );
  await writeFile(
    join(dir, 'smooth.json'),
    JSON.stringify({
      version: 1,
      widths: [2, 2, 1],
      layers: [
        {
          W: [
            [0.5, -1],
            [1, 2],
          ],
          activation: 'tanh',
        },
        { W: [[1, -1]], activation: 'sigmoid' },
      ],
    }),
  );
  await writeFile(join(dir, 'x.json'), JSON.stringify([0.5, -1]));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function pdflatex(file: string): Promise<void> {
  try {
    // TEXMFVAR keeps any generated font files out of $HOME
    await run('pdflatex', ['-interaction=nonstopmode', '-halt-on-error', '-no-shell-escape', file], {
      cwd: dir,
      env: { ...process.env, TEXMFVAR: join(dir, 'texmf-var') },
      timeout: 60_000,
    });
  } catch (e) {
    const log = await readFile(join(dir, file.replace(/\.tex$/, '.log')), 'utf8').catch(() => '');
    const error = log
      .split('\n')
      .filter((l) => l.startsWith('!') || /^l\.\d+/.test(l))
      .join('\n');
    throw new Error(`pdflatex failed on ${file}:\n${error || (e as Error).message}`);
  }
  expect((await stat(join(dir, file.replace(/\.tex$/, '.pdf')))).size).toBeGreaterThan(1000);
}

describe.skipIf(!havePdflatex)('LaTeX output compiles with pdflatex (texlive-latex-base)', () => {
  it('a derivation with every form, exact fractions', async () => {
    const r = await runCli(
      dir,
      'explain',
      '--model',
      'model.json',
      '--input',
      'x.json',
      '--exact',
      '--form',
      'all',
      '--poly',
      'cubic=x^3 - x',
      '--out',
      'exact.tex',
    );
    expect(r.stderr).toBe('');
    const tex = await readFile(join(dir, 'exact.tex'), 'utf8');
    expect(tex).toMatch(/^[\x20-\x7e\n]*$/); // plain ASCII: no encoding packages needed
    expect(tex).toContain('\\frac{');
    await pdflatex('exact.tex');
  });

  it('a derivation in decimals', async () => {
    const r = await runCli(
      dir,
      'explain',
      '--model',
      'smooth.json',
      '--input',
      'x.json',
      '--form',
      'all',
      '--format',
      'tex',
      '--out',
      'decimals.tex',
    );
    expect(r.status).toBe(0);
    await pdflatex('decimals.tex');
  });

  it('an exercise sheet and its answer key', async () => {
    const r = await runCli(
      dir,
      'exercise',
      '--seed',
      '5',
      '--count',
      '3',
      '--widths',
      '2,2,2,1',
      '--activations',
      'leaky_relu,square,identity',
      '--format',
      'tex',
      '--out',
      '.',
    );
    expect(r.stderr).toBe('');
    for (const f of ['exercises.tex', 'answers.tex']) {
      expect(await readFile(join(dir, f), 'utf8')).toMatch(/^[\x20-\x7e\n]*$/);
      await pdflatex(f);
    }
  });
});
