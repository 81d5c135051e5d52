// The README, run as printed: every line of every ```sh block (and a ```ts block's `run: …`), with bash, in a
// fresh copy of the working tree whose node_modules links to this one's; each line exits 0 or the status its
// trailing comment names (`# exits 1: …`). `npm ci && ` is dropped; `npm test` and `explore` are skipped (the CI
// and test/explore-server.test.ts cover them).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..');
const SKIPPED: Readonly<Record<string, string>> = {
  'npm ci && npm test': '.ci/run (npm ci, then npm test, on a fresh clone)',
  'npm run nabla -- explore': 'test/explore-server.test.ts',
};

interface Line {
  block: number;
  text: string;
  command: string;
  status: number;
}

/** The README's commands in order: each sh line (comments kept for bash, the expected status read from them). */
function commands(readme: string): Line[][] {
  const blocks: Line[][] = [];
  const fence = /^```(\w*)\n([\s\S]*?)^```$/gm;
  for (const m of readme.matchAll(fence)) {
    const lang = m[1]!;
    const body = m[2]!;
    const lines: string[] = [];
    if (lang === 'sh') lines.push(...body.split('\n').filter((l) => l.trim() !== '' && !l.trimStart().startsWith('#')));
    if (lang === 'ts') {
      const run = /run: (npx tsx [\w./-]+)/.exec(body.split('\n')[0] ?? '');
      if (run) lines.push(run[1]!);
    }
    if (lines.length === 0) continue;
    blocks.push(
      lines.map((text) => {
        const exits = /#\s*exits (\d+):/.exec(text);
        const command = text.replace(/^npm ci && /, '');
        return { block: blocks.length, text, command, status: exits ? Number(exits[1]) : 0 };
      }),
    );
  }
  return blocks;
}

const copy = mkdtempSync(join(tmpdir(), 'nabla-readme-'));
afterAll(() => rmSync(copy, { recursive: true, force: true }));

describe('the README, every command as printed, in a fresh copy of the repository', () => {
  it('finds the commands, the skipped ones named above', () => {
    const all = commands(readFileSync(join(root, 'README.md'), 'utf8')).flat();
    expect(all.length).toBeGreaterThan(20);
    expect(all.filter((l) => l.status === 1).map((l) => l.command)).toEqual([
      expect.stringContaining('nabla -- check'),
    ]);
    for (const skipped of Object.keys(SKIPPED))
      expect(all.map((l) => l.text.split('  ')[0]!.trim())).toContain(skipped);
  });

  it('each one exits as the README says', () => {
    const tar = spawnSync(
      'bash',
      [
        '-c',
        `tar -C "${root}" --exclude=./node_modules --exclude=./dist --exclude=./packages/native/build --exclude=./.git -cf - . | tar -C "${copy}" -xf -`,
      ],
      { encoding: 'utf8' },
    );
    expect(tar.status, tar.stderr).toBe(0);
    symlinkSync(join(root, 'node_modules'), join(copy, 'node_modules'));
    const readme = readFileSync(join(copy, 'README.md'), 'utf8');
    const failures: string[] = [];
    let ran = 0;
    for (const block of commands(readme)) {
      const run = block.filter((l) => !(l.text.split('  ')[0]!.trim() in SKIPPED));
      if (run.length === 0) continue;
      const statusFile = join(copy, `.readme-status-${block[0]!.block}`);
      const script = [`cd "${copy}"`, ...run.map((l) => `${l.command}\necho "$?" >> "${statusFile}"`)].join('\n');
      const env = { ...process.env };
      delete env.NABLA_KERNELS; // as a newcomer's shell: the automatic choice
      const r = spawnSync('bash', ['-c', script], { encoding: 'utf8', env, maxBuffer: 64 << 20 });
      const statuses = existsSync(statusFile) ? readFileSync(statusFile, 'utf8').trim().split('\n').map(Number) : [];
      run.forEach((l, j) => {
        ran++;
        if (statuses[j] !== l.status)
          failures.push(
            `${l.text}\n  exited ${statuses[j]}, expected ${l.status}\n${(r.stderr || r.stdout).slice(-1500)}`,
          );
      });
    }
    expect(failures).toEqual([]);
    expect(ran).toBeGreaterThan(20);
  }, 300_000);
});
