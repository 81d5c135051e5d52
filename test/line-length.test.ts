// The line-length limit: Biome formats code to 120 columns (biome.json), but it does not break comments or string
// literals, so this test holds every line of the TypeScript and CSS sources to MAX_LINE, comments and strings included.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const MAX_LINE = 160;
const root = join(import.meta.dirname, '..');

describe('line length', () => {
  it(`no line of the sources is longer than ${MAX_LINE} characters`, () => {
    const files = execFileSync('git', ['ls-files', 'packages', 'test', 'bench', 'examples', 'scripts'], {
      cwd: root,
      encoding: 'utf8',
    })
      .split('\n')
      .filter((f) => /\.(ts|mts|mjs|cjs|js|css)$/.test(f) && !/\/generated\/|\.wasm\.ts$|\/dist\//.test(f));
    expect(files.length).toBeGreaterThan(100);
    const long: string[] = [];
    for (const f of files) {
      readFileSync(join(root, f), 'utf8')
        .split('\n')
        .forEach((line, i) => {
          if ([...line].length > MAX_LINE) long.push(`${f}:${i + 1} (${[...line].length})`);
        });
    }
    expect(long, `lines over ${MAX_LINE} characters`).toEqual([]);
  });
});
