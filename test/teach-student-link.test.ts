// The student's link to the explorer (nabla/teach's studentLink and readStudentLink), without a browser: the link of
// `nabla exercise --explorer` read back gives each student exactly their variant of class.json (a redrawn id too);
// bad addresses and bad links get one line naming what is wrong; the explorer's address keeps the link's entries
// and the typed entries through its state (state.ts, student-typed.ts).
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { classVariants, exercisesToJson, parseClassFile, readStudentLink, studentLink } from 'nabla/teach';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeState, defaults, encodeState } from '../packages/explorer/src/state.js';
import { decodeTyped, encodeTyped } from '../packages/explorer/src/student-typed.js';
import { runCli } from './helpers/teach.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'nabla-student-link-cli-'));
  await writeFile(join(dir, 'roster.csv'), 'id\ns001\ns002\n');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const options = { seed: 2026, count: 3, widths: [2, 2, 1], activations: ['relu', 'identity'] };
/** A variant's exercises as class.json writes them (the seed included). */
const exercisesOf = (set: Parameters<typeof exercisesToJson>[0]) => exercisesToJson(set);

describe('studentLink and readStudentLink', () => {
  it('writes the id, variant, course seed and options, and reads back the very variant classVariants drew', () => {
    const cls = classVariants({ ...options, ids: ['s001', 'Zoë.K+1@uni'] });
    for (const v of cls.variants) {
      const link = studentLink('https://example.org/nabla/', options, v);
      const read = readStudentLink(new URL(link).hash)!;
      expect(read.problem).toBeUndefined();
      expect([read.variant!.id, read.variant!.variant, read.variant!.seed, read.variant!.redraw]).toEqual([
        v.id,
        v.variant,
        v.seed,
        0,
      ]);
      expect(exercisesOf(read.variant!.set)).toBe(exercisesOf(v.set));
    }
    expect(studentLink('https://example.org/nabla/', options, cls.variants[1]!)).toBe(
      'https://example.org/nabla/#tab=student&student=Zo%C3%AB.K%2B1%40uni&variant=2&course=2026&sn=2,2,1' +
        '&sact=relu,identity&scount=3&skinds=forward,backward,form',
    );
  });

  it('a redrawn id: redraw in the link, and the redrawn variant read back', () => {
    const small = { seed: 2026, count: 1, widths: [1, 1], activations: ['relu'], kinds: ['backward' as const] };
    const ids = Array.from({ length: 10 }, (_, j) => `s${String(j + 1).padStart(3, '0')}`);
    const cls = classVariants({ ...small, ids });
    const redrawn = cls.variants.filter((v) => v.redraw > 0);
    expect(redrawn.map((v) => [v.id, v.redraw])).toEqual([
      ['s007', 1],
      ['s008', 3],
      ['s010', 2],
    ]);
    for (const v of redrawn) {
      const link = studentLink('http://localhost:5173/', small, v);
      expect(link).toContain(`&redraw=${v.redraw}&`);
      expect(exercisesOf(readStudentLink(link.split('#')[1]!)!.variant!.set)).toBe(exercisesOf(v.set));
    }
  });

  it('refuses an address that is not an http(s) URL, one line each', () => {
    const bad = (url: string) => () => studentLink(url, options, { id: 's001', variant: 1, redraw: 0 });
    expect(bad('')).toThrow(/^the explorer's address is empty; expected its http\(s\) URL/);
    expect(bad('example.org/nabla')).toThrow(`the explorer's address "example.org/nabla" is not a URL`);
    expect(bad('file:///srv/nabla/index.html')).toThrow('expected an http or https URL, found file:');
    expect(bad('https://e.org/#student=x')).toThrow('its fragment sets "student", which every student\'s link sets');
    expect(studentLink('https://e.org/n/?v=2#grade=off&big=1', options, { id: 's', variant: 1, redraw: 0 })).toMatch(
      /^https:\/\/e\.org\/n\/\?v=2#grade=off&big=1&tab=student&student=s&variant=1&/,
    );
  });

  it('reads nothing without a student, and names the key of a link it cannot read', () => {
    expect(readStudentLink('#tab=student&ex=3')).toBeUndefined();
    const link = studentLink('https://e.org/', options, { id: 's001', variant: 1, redraw: 0 }).split('#')[1]!;
    const problem = (from: string, to: string) => readStudentLink(link.replace(from, to))!.problem;
    expect(problem('student=s001', 'student=.x')).toMatch(/^student: the id ".x" has a character/);
    expect(problem('&variant=1', '')).toBe("variant: missing (the student's variant number)");
    expect(problem('course=2026', 'course=2.5')).toBe(
      `course=2.5: expected the course seed, a whole number from ${Number.MIN_SAFE_INTEGER} to ${Number.MAX_SAFE_INTEGER}`,
    );
    expect(problem('scount=3', 'scount=0')).toBe(
      'scount=0: expected the number of exercises, a whole number from 1 to 50',
    );
    expect(problem('sn=2,2,1', 'sn=2,x,1')).toBe('sn=2,x,1: "x" is not a whole number; expected widths like 2,2,1');
    expect(problem('skinds=forward', 'skinds=sideways')).toBe(
      'skinds=sideways,backward,form: "sideways" is not one of forward, backward, form',
    );
    expect(problem('sact=relu,identity', 'sact=tanh')).toMatch(/^activation "tanh": exercises need exact activations/);
    expect(problem('sn=2,2,1', 'sn=2,2,2')).toMatch(/the last width must be 1/);
  });
});

describe('nabla exercise --explorer', () => {
  it('writes links.csv with the class: id, variant, link (quoted: the link has commas)', async () => {
    const r = await runCli(
      dir,
      'exercise',
      '--roster',
      'roster.csv',
      '--seed',
      '5',
      '--out',
      'c',
      '--explorer',
      'https://e.org/x/',
    );
    expect([r.status, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toMatch(/, c\/class\.json, c\/links\.csv\n$/);
    const csv = await readFile(join(dir, 'c', 'links.csv'), 'utf8');
    const tail = 'course=5&sn=2,2,1&sact=relu,identity&scount=3&skinds=forward,backward,form"';
    expect(csv).toBe(
      'id,variant,link\n' +
        `s001,1,"https://e.org/x/#tab=student&student=s001&variant=1&${tail}\n` +
        `s002,2,"https://e.org/x/#tab=student&student=s002&variant=2&${tail}\n`,
    );
    // each link reads back as its student's variant of class.json
    const cls = parseClassFile(await readFile(join(dir, 'c', 'class.json'), 'utf8'), 'class.json');
    for (const [j, line] of csv.trim().split('\n').slice(1).entries()) {
      const read = readStudentLink(line.split('#')[1]!.replace(/"$/, ''))!;
      expect(exercisesOf(read.variant!.set)).toBe(exercisesOf(cls.variants[j]!.set));
    }
  });

  it("docs/lecturer.md's example runs as printed and writes the rows it shows", async () => {
    const doc = await readFile('docs/lecturer.md', 'utf8');
    const line = /<!-- explorer links -->\n```sh\n(.*)\n```/.exec(doc)![1]!;
    await cp('examples/teach', join(dir, 'examples', 'teach'), { recursive: true });
    const r = await runCli(dir, ...line.replace(/^npm run nabla -- /, '').split(' '));
    expect([r.status, r.stderr]).toEqual([0, '']);
    const shown = /<!-- links.csv, first rows -->\n```csv\n([\s\S]*?)```/.exec(doc)![1]!;
    expect(shown.split('\n').length).toBeGreaterThan(2);
    expect((await readFile(join(dir, 'course', 'links.csv'), 'utf8')).startsWith(shown)).toBe(true);
  });

  it('also beside --format moodle and --variants', async () => {
    const r = await runCli(
      dir,
      'exercise',
      '--variants',
      '2',
      '--format',
      'moodle',
      '--out',
      'm',
      '--explorer',
      'http://127.0.0.1:8080/',
    );
    expect([r.status, r.stderr]).toEqual([0, '']);
    expect((await readdir(join(dir, 'm'))).sort()).toEqual(['class.json', 'links.csv', 'moodle.xml']);
  });

  it('refuses a bad address, and --explorer without a class, with one line and nothing written', async () => {
    for (const [args, message] of [
      [
        ['--explorer', 'ftp://e.org/'],
        /^nabla exercise: --explorer: the explorer's address "ftp:\/\/e.org\/": expected an http or https URL, found ftp:\n$/,
      ],
      [['--explorer', ''], /^nabla exercise: --explorer "": the value is empty/],
      [['--explorer', 'nabla.html'], /is not a URL; expected the explorer's http\(s\) URL/],
    ] as const) {
      const r = await runCli(dir, 'exercise', '--roster', 'roster.csv', '--out', 'bad', ...args);
      expect(r.status).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(message);
    }
    const r = await runCli(dir, 'exercise', '--out', 'bad', '--explorer', 'https://e.org/');
    expect([r.status, r.stdout]).toEqual([2, '']);
    expect(r.stderr).toBe(
      'nabla exercise: --explorer https://e.org/: the links are one per student; give --roster FILE or --variants N with it\n',
    );
    expect(await readdir(dir)).not.toContain('bad');
  });
});

describe("the explorer's address with a student's link", () => {
  const link = studentLink('https://e.org/', options, { id: 's001', variant: 1, redraw: 0 }).split('#')[1]!;

  it("keeps the link's entries, right after the tab, through decodeState and encodeState", () => {
    const { state, problems } = decodeState(`#${link}&exno=2&grade=off&answers=1`);
    expect(problems).toEqual([]);
    expect(state.studentLink).toBe(link.replace('tab=student&', ''));
    expect([state.tab, state.exNo, state.grade, state.exReveal]).toEqual(['student', 2, 'off', true]);
    expect(encodeState(state)).toBe(`${link}&answers=1&exno=2&grade=off`);
    expect(encodeState({ ...defaults, custom: [] })).toBe('');
  });

  it('keeps typed entries as typed, separators and all', () => {
    const typed = new Map([
      ['1.N_1', [['2'], [' -3/4 ']]],
      [
        '2.gradW_1',
        [
          ['0', ''],
          ['x,y;z~=%', '1.5'],
        ],
      ],
    ]);
    const text = encodeTyped(typed);
    expect(text).toBe('1.N_1=2~ -3/4 ;2.gradW_1=0,~x%2Cy%3Bz%7E%3D%25,1.5');
    expect(decodeTyped(text)).toEqual(typed);
    const { state } = decodeState(`#${link}&${encodeState({ ...defaults, custom: [], typed: text })}`);
    expect(decodeTyped(state.typed)).toEqual(typed);
    for (const bad of ['1.Q_1=2', '1.N_1=2,3~4', '1.N_1=%zz', 'N_1=2']) expect(decodeTyped(bad), bad).toBeUndefined();
  });
});
