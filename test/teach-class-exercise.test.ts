// `nabla exercise --roster` / `--variants`: a sheet per student, one answer key and class.json; 200 ids give 200
// distinct variants, a rerun is byte-identical, appending an id leaves every other file of the class as it was (the
// key gains a section), and bad rosters or contradicting options are refused with one line and no file written.
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseClassFile } from 'nabla/teach';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './helpers/teach.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'nabla-class-exercise-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const ids = (n: number) => Array.from({ length: n }, (_, j) => `s${String(j + 1).padStart(3, '0')}`);

async function files(out: string): Promise<Record<string, string>> {
  const got: Record<string, string> = {};
  for (const f of await readdir(join(dir, out), { recursive: true, withFileTypes: true })) {
    if (!f.isFile()) continue;
    const path = join(f.parentPath, f.name);
    got[path.slice(join(dir, out).length + 1)] = await readFile(path, 'utf8');
  }
  return got;
}

async function ok(...args: string[]): Promise<string> {
  const r = await runCli(dir, 'exercise', ...args);
  expect(r.stderr, `nabla exercise ${args.join(' ')}`).toBe('');
  expect(r.status).toBe(0);
  return r.stdout;
}

describe('nabla exercise --roster', () => {
  it('200 ids: 200 sheets, one key, class.json; no two variants alike; a rerun writes the same bytes', async () => {
    await writeFile(
      join(dir, 'r200.csv'),
      `id,name\n${ids(200)
        .map((id) => `${id},Student ${id}`)
        .join('\n')}\n`,
    );
    expect(await ok('--roster', 'r200.csv', '--seed', '7', '--out', 'a')).toBe(
      '200 variants (course seed 7) written to a/sheets/<id>.md (200 sheets), a/answers.md, a/class.json\n',
    );
    const a = await files('a');
    expect(Object.keys(a).sort()).toEqual(['answers.md', 'class.json', ...ids(200).map((id) => `sheets/${id}.md`)]);
    const cls = parseClassFile(a['class.json']!, 'class.json');
    expect(cls.courseSeed).toBe(7);
    expect(cls.variants.map((v) => v.id)).toEqual(ids(200));
    // the networks and inputs of each student's sheet, read from class.json: all 200 differ
    const networks = cls.variants.map((v) =>
      JSON.stringify(v.set.exercises.map((e) => [e.W.map((W) => W.toStrings()), e.X.toStrings(), e.kind])),
    );
    expect(new Set(networks).size).toBe(200);
    // each sheet names its student and variant
    expect(a['sheets/s042.md']).toContain('Student s042, variant 42 (seed ');
    expect(a['sheets/s042.md']).toContain('"student": "s042"');
    expect(a['answers.md']).toContain('## Student s200 (variant 200, seed ');
    await ok('--roster', 'r200.csv', '--seed', '7', '--out', 'b');
    expect(await files('b')).toEqual(a);
  });

  it("appending an id changes no other student's files; --variants N numbers the ids 1 … N", async () => {
    await writeFile(join(dir, 'r5.txt'), `${ids(5).join('\n')}\n`);
    await writeFile(join(dir, 'r6.txt'), `${ids(5).join('\n')}\nlate-enrolment\n`);
    await ok('--roster', 'r5.txt', '--out', 'c5', '--format', 'tex');
    await ok('--roster', 'r6.txt', '--out', 'c6', '--format', 'tex');
    const [c5, c6] = [await files('c5'), await files('c6')];
    for (const id of ids(5)) expect(c6[`sheets/${id}.tex`]).toBe(c5[`sheets/${id}.tex`]);
    expect(c6['sheets/late-enrolment.tex']).toContain('Student late-enrolment, variant 6');
    const [k5, k6] = [parseClassFile(c5['class.json']!, 'c5'), parseClassFile(c6['class.json']!, 'c6')];
    expect(k6.variants.slice(0, 5)).toEqual(k5.variants);
    await ok('--variants', '3', '--out', 'v3');
    expect(Object.keys(await files('v3')).sort()).toEqual([
      'answers.md',
      'class.json',
      'sheets/1.md',
      'sheets/2.md',
      'sheets/3.md',
    ]);
  });

  it('refuses a bad roster and contradicting options with one line, writing nothing', async () => {
    await writeFile(join(dir, 'dup.csv'), 'name,id\nAda,s1\nAlan,s2\nGrace,s1\n');
    await writeFile(join(dir, 'empty-id.txt'), 's1\n""\ns3\n');
    await writeFile(join(dir, 'slash.txt'), 's1\n../evil\n');
    await writeFile(join(dir, 'case.txt'), 'S1\ns1\n');
    await writeFile(join(dir, 'semicolons.csv'), 'id;name\ns1;Ada\ns2;Alan\n');
    await writeFile(join(dir, 'tabs.csv'), '\ufeffid\tname\ns1\tAda\n');
    const cases: [string[], string][] = [
      [['--roster', 'dup.csv'], 'nabla exercise: dup.csv: line 4: the id "s1" appears twice (first at line 2)\n'],
      [['--roster', 'empty-id.txt'], 'nabla exercise: empty-id.txt: line 2: the id is empty\n'],
      [['--roster', 'slash.txt'], 'nabla exercise: slash.txt: line 2: the id "../evil" has a character an id may '],
      [
        ['--roster', 'dup.csv', '--variants', '3'],
        'nabla exercise: --roster dup.csv and --variants 3 contradict each other: give a roster (a variant per id) ' +
          'or a number of variants (ids 1 … n), not both\n',
      ],
      [['--variants', '0'], 'nabla exercise: --variants "0": '],
      [
        ['--roster', 'semicolons.csv'],
        "nabla exercise: semicolons.csv: line 1: separated by ';'; expected commas (save as CSV UTF-8 with commas)\n",
      ],
      [
        ['--roster', 'tabs.csv'],
        'nabla exercise: tabs.csv: line 1: separated by tabs; expected commas (save as CSV UTF-8 with commas)\n',
      ],
      [
        ['--roster', 'case.txt'],
        'nabla exercise: case.txt: line 2: the id "s1" differs from "S1" (line 1) only in case; ids must differ in ' +
          "more than case (an id names the student's files, and some file systems ignore case)\n",
      ],
      [['--roster', 'missing.csv'], 'nabla exercise: missing.csv: '],
    ];
    for (const [args, stderr] of cases) {
      const r = await runCli(dir, 'exercise', ...args, '--out', 'refused');
      expect(r.stdout, args.join(' ')).toBe('');
      expect(r.stderr.startsWith(stderr), `${args.join(' ')}: ${r.stderr}`).toBe(true);
      expect(r.stderr.split('\n')).toHaveLength(2); // one line
      expect(r.status).toBeGreaterThan(0);
      expect(await readdir(dir)).not.toContain('refused');
    }
  });

  it('refuses a class over another class, or beside files it would not replace; a rerun is allowed', async () => {
    await writeFile(join(dir, 'r10.txt'), `${ids(10).join('\n')}\n`);
    await writeFile(join(dir, 'r3.txt'), `${ids(3).join('\n')}\n`);
    const link = ['--explorer', 'https://example.org/nabla/'];
    await ok('--roster', 'r10.txt', '--seed', '11', ...link, '--out', 'course');
    await writeFile(join(dir, 'course', 'notes.txt'), 'my own notes');
    const before = await files('course');
    // the very same command again: allowed, the same bytes
    await ok('--roster', 'r10.txt', '--seed', '11', ...link, '--out', 'course');
    expect(await files('course')).toEqual(before);
    const held = 'class.json of course seed 11 (10 students), 10 sheets, answers.md, links.csv';
    const cases: [string[], string][] = [
      [['--roster', 'r3.txt', '--seed', '12'], `course: holds another class (${held})`],
      [['--roster', 'r3.txt', '--seed', '11', ...link], `course: holds another class (${held})`],
      [['--roster', 'r10.txt', '--seed', '11'], `course: holds files this class would not replace (${held})`],
      [
        ['--roster', 'r10.txt', '--seed', '11', ...link, '--format', 'tex'],
        `course: holds files this class would not replace (${held})`,
      ],
      [[], `course: holds a class (${held})`],
    ];
    for (const [args, message] of cases) {
      const r = await runCli(dir, 'exercise', ...args, '--out', 'course');
      expect(r, args.join(' ')).toEqual({
        status: 1,
        stdout: '',
        stderr: `nabla exercise: ${message}; choose a new --out or remove it\n`,
      });
      expect(await files('course'), args.join(' ')).toEqual(before);
    }
    // a class into an exercise set's folder
    await ok('--out', 'plain');
    const r = await runCli(dir, 'exercise', '--variants', '2', '--out', 'plain');
    expect(r.stderr).toBe(
      'nabla exercise: plain: holds files this class would not replace (answers.md, exercises.json, exercises.md); ' +
        'choose a new --out or remove it\n',
    );
    const empty = await runCli(dir, 'exercise', '--variants', '2', '--out', '');
    expect(empty.stderr).toBe(
      'nabla exercise: --out "": the value is empty; expected <dir> (folder for the files written (created if ' +
        'missing))\n',
    );
  });

  it('reads a Moodle participants export as a roster: "ID number", or the column --id-column names', async () => {
    await writeFile(
      join(dir, 'participants.csv'),
      '"First name","Last name","ID number","Email address"\nAda,Lovelace,s001,ada@example.org\n' +
        'Alan,Turing,s002,alan@example.org\n',
    );
    await ok('--roster', 'participants.csv', '--out', 'part-a');
    const a = parseClassFile(await readFile(join(dir, 'part-a', 'class.json'), 'utf8'), 'a');
    expect(a.variants.map((v) => v.id)).toEqual(['s001', 's002']);
    await ok('--roster', 'participants.csv', '--id-column', 'Email address', '--out', 'part-b');
    const b = parseClassFile(await readFile(join(dir, 'part-b', 'class.json'), 'utf8'), 'b');
    expect(b.variants.map((v) => v.id)).toEqual(['ada@example.org', 'alan@example.org']);
    const cases: [string[], number, string][] = [
      [
        ['--roster', 'participants.csv', '--id-column', 'Student'],
        1,
        'nabla exercise: participants.csv: line 1: no column "Student" in the header [First name, Last name, ID ' +
          "number, Email address]; --id-column names the roster's column of ids\n",
      ],
      [
        ['--variants', '2', '--id-column', 'ID number'],
        2, // a usage mistake
        "nabla exercise: --id-column ID number: names the roster's column of ids; give --roster FILE with it\n",
      ],
    ];
    for (const [args, status, stderr] of cases) {
      expect(await runCli(dir, 'exercise', ...args, '--out', 'part-refused')).toEqual({ status, stdout: '', stderr });
      expect(await readdir(dir)).not.toContain('part-refused');
    }
  });
});
