// docs/lecturer.md's class walk-through runs as printed from the repository root (here: in a temporary folder
// holding a copy of examples/teach), and its gradebook is what the commands write.
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runCli } from './helpers/teach.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'nabla-class-docs-'));
  await cp('examples/teach', join(dir, 'examples', 'teach'), { recursive: true });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

it("the lecturer's class walk-through: each command runs, and writes the gradebook the docs show", async () => {
  const doc = await readFile('docs/lecturer.md', 'utf8');
  const block = /<!-- class walk-through -->\n```sh\n([\s\S]*?)```/.exec(doc)![1]!;
  const commands = block.trim().split('\n');
  expect(commands).toHaveLength(2);
  for (const line of commands) {
    expect(line.startsWith('npm run nabla -- ')).toBe(true);
    const r = await runCli(dir, ...line.slice('npm run nabla -- '.length).split(' '));
    expect(r.stderr, line).toBe('');
    expect(r.status, line).toBe(0);
  }
  const shown = /<!-- gradebook.csv -->\n```csv\n([\s\S]*?)```/.exec(doc)![1]!;
  expect(await readFile(join(dir, 'course', 'report', 'gradebook.csv'), 'utf8')).toBe(shown);
}, 60_000);

it("the docs' example of very small networks redraws a student's variant, as printed", async () => {
  const doc = await readFile('docs/lecturer.md', 'utf8');
  const options = /with very small networks\n\(`([^`]+)`\) it does/.exec(doc)![1]!;
  const r = await runCli(dir, 'exercise', '--variants', '10', ...options.split(' '), '--out', 'small');
  expect(r.stderr, options).toBe('');
  expect(r.status).toBe(0);
  const cls = JSON.parse(await readFile(join(dir, 'small', 'class.json'), 'utf8'));
  expect(cls.students.some((s: { redraw: number }) => s.redraw > 0)).toBe(true);
});
