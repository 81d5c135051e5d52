// The QTI 2.1 package of `nabla exercise --format qti` as a platform unpacks it: a zip whose imsmanifest.xml lists
// every item and the test, each file well-formed XML (xmllint; no QTI or IMS CP schema is to be had from the npm
// registry or Debian, so the schemas themselves are not checked here: the player test runs the items instead).
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateExercises } from '../../packages/nabla/src/teach/exercise-generate.js';
import { qtiFiles, qtiPackage } from '../../packages/nabla/src/teach/qti.js';
import { handWorkedSet } from '../helpers/platform.js';
import { haveTool, xmllintTool } from '../helpers/system-tools.js';
import { runCli } from '../helpers/teach.js';

const FIXTURE = join(import.meta.dirname, '..', 'fixtures', 'platform', 'hand-worked.qti-item.xml');
const variants = [1, 2].map((n) => ({
  id: `s${n}`,
  variant: n,
  set: generateExercises({ seed: 40 + n, count: 3, widths: [2, 2, 1], activations: ['relu', 'identity'] }),
}));

describe('the QTI package', () => {
  let dir = '';
  let files: Record<string, string> = {};
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'nabla-qti-'));
    const zip = unzipSync(qtiPackage(variants));
    files = Object.fromEntries(Object.entries(zip).map(([p, b]) => [p, strFromU8(b)]));
    for (const [p, text] of Object.entries(files)) {
      await mkdir(dirname(join(dir, p)), { recursive: true });
      await writeFile(join(dir, p), text);
    }
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('has the manifest, the test and one item per exercise and variant, each listed in the manifest', () => {
    expect(Object.keys(files).sort()).toEqual(
      [
        'imsmanifest.xml',
        'test.xml',
        ...[1, 2, 3].flatMap((e) => [1, 2].map((v) => `items/nabla-e${e}-v${v}.xml`)),
      ].sort(),
    );
    const hrefs = [...files['imsmanifest.xml']!.matchAll(/<file href="([^"]+)"/g)].map((m) => m[1]);
    expect(hrefs.sort()).toEqual(
      Object.keys(files)
        .filter((p) => p !== 'imsmanifest.xml')
        .sort(),
    );
    // one section per exercise, selecting one of its two variants
    expect(files['test.xml']!.match(/<selection select="1"/g)).toHaveLength(3);
  });

  it('gives the same bytes for the same variants', () => {
    expect(qtiPackage(variants)).toEqual(qtiPackage(variants));
  });

  it.skipIf(!haveTool(xmllintTool, 'the QTI well-formedness check'))('has only well-formed XML (xmllint)', () => {
    execFileSync('xmllint', ['--noout', '--nonet', ...Object.keys(files).map((p) => join(dir, p))], {
      timeout: 30_000,
    });
  });

  // regenerate on purpose: npx tsx test/helpers/write-platform-fixtures.ts
  it('writes the hand-worked item as the fixture holds it (regenerate it when the output changes on purpose)', async () => {
    const item = qtiFiles([{ id: 's1', variant: 1, set: handWorkedSet() }]).find((f) => f.path.startsWith('items/'))!;
    expect(item.text).toBe(await readFile(FIXTURE, 'utf8'));
  });
});

describe('nabla exercise --format moodle | qti', () => {
  it('writes moodle.xml or qti.zip with exercises.json, and no sheet', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'nabla-platform-cli-'));
    try {
      const moodle = await runCli(dir, 'exercise', '--seed', '7', '--count', '2', '--format', 'moodle', '--out', 'm');
      expect(moodle.status, moodle.stderr).toBe(0);
      expect((await readdir(join(dir, 'm'))).sort()).toEqual(['exercises.json', 'moodle.xml']);
      expect(await readFile(join(dir, 'm', 'moodle.xml'), 'utf8')).toContain('$course$/top/nabla seed 7/Exercise 2');
      const qti = await runCli(dir, 'exercise', '--seed', '7', '--count', '2', '--format', 'qti', '--out', 'q');
      expect(qti.status, qti.stderr).toBe(0);
      expect((await readdir(join(dir, 'q'))).sort()).toEqual(['exercises.json', 'qti.zip']);
      const zip = unzipSync(new Uint8Array(await readFile(join(dir, 'q', 'qti.zip'))));
      expect(Object.keys(zip)).toContain('items/nabla-e2-v1.xml');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
