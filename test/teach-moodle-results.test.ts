// `nabla check --class responses.csv` on Moodle's quiz Responses report, downloaded as CSV, for the class of
// examples/teach (roster.csv, course seed 2026, `--format moodle`). The fixture test/fixtures/platform/
// moodle-responses.csv was written by Moodle 4.5.6's own code (test/consumers/moodle-responses.php, from the attempts
// of moodle-attempts.json: each student of examples/teach/answers/ typing their answers as decimals to 6 significant
// digits into the questions of their own variant, s006's attempt still in progress). What made each column, in Moodle:
// - "Last name", "First name", "ID number", "Email address": attempts_report::add_user_columns while downloading
//   (mod/quiz/classes/local/reports/attempts_report.php), the identity fields of the site (here idnumber, email);
// - "Status", "Started", "Completed", "Duration", "Grade/10.00": add_state_column, add_time_columns,
//   add_grade_columns (strings attemptstate, startedon, timecompleted, attemptduration of mod/quiz/lang/en/quiz.php,
//   gradenoun of lang/en/moodle.php); "Finished" and "In progress" are quiz_attempt_state_name's statefinished and
//   stateinprogress;
// - "Question N": qtype_multianswer_question::get_question_summary (the text as plain text by html_to_text, each
//   field "_____"), which starts with nabla's marker "[nabla: exercise 1, variant 1, seed 327314479]";
// - "Response N": qtype_multianswer_question::summarise_response, "part 1: -7; part 2: 0.5; …" (string
//   subqresponse "part {$a->i}: {$a->response}", joined by "; "), trimmed by quiz_last_responses_table::data_col,
//   so a blank last part ends "part 4:"; "-" where there is none (an attempt not finished);
// - the file: core_table\base_export_format::format_text on every cell (newlines → 3 spaces, tags stripped), then
//   OpenSpout's CSV writer as dataformat_csv does: a UTF-8 byte-order mark, commas, fields with a space quoted.
// With MOODLE_DIR (see test/consumers/moodle-cloze.test.ts) the fixture is written again by Moodle's code and must
// come out byte for byte the same.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clozeParts } from '../packages/nabla/src/teach/moodle-results.js';
import { haveTool, phpTool } from './helpers/system-tools.js';
import { runCli } from './helpers/teach.js';

const FIXTURES = resolve(import.meta.dirname, 'fixtures', 'platform');
const FIXTURE = join(FIXTURES, 'moodle-responses.csv');
const ANSWERS = resolve(import.meta.dirname, '..', 'examples', 'teach', 'answers');
let dir = '';
let fixture = '';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'nabla-moodle-results-'));
  const roster = resolve(import.meta.dirname, '..', 'examples', 'teach', 'roster.csv');
  const r = await runCli(dir, 'exercise', '--roster', roster, '--seed', '2026', '--format', 'moodle', '--out', 'c');
  expect(r.status).toBe(0);
  fixture = await readFile(FIXTURE, 'utf8');
}, 120_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

type Row = Record<string, string>;
async function gradebook(name: string): Promise<Row[]> {
  return parse(await readFile(join(dir, name, 'gradebook.csv'), 'utf8'), { columns: true }) as Row[];
}
/** The fixture's rows (without the byte-order mark), and rows back as CSV text (fields with a space quoted). */
const fixtureRows = () => parse(fixture.slice(1)) as string[][];
const quote = (c: string) => (/[ ",]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c);
const csvText = (rows: string[][]) => rows.map((row) => row.map(quote).join(',')).join('\n');

async function check(classArg: string, out: string, ...more: string[]) {
  return runCli(dir, 'check', '--exercise', 'c/class.json', '--class', classArg, '--out', out, ...more);
}

describe('a Moodle Responses report', () => {
  it('is what Moodle writes: a byte-order mark, the header of Moodle 4.5, Cloze responses as parts', () => {
    expect(fixture.startsWith('\uFEFF"Last name","First name","ID number","Email address",Status,Started,')).toBe(true);
    expect(fixture).toContain('"part 1: 0; part 2: 0; part 3: 1; part 4: -2"');
    expect(fixture).toContain('"[nabla: exercise 2, variant 3, seed ');
  });

  it('grades as the same answers handed in as answer files: every score, every mistake named', async () => {
    expect(
      (await runCli(dir, 'check', '--exercise', 'c/class.json', '--class', ANSWERS, '--out', 'files')).status,
    ).toBe(0);
    await writeFile(join(dir, 'responses.csv'), fixture);
    const r = await check('responses.csv', 'moodle');
    expect(r).toEqual({
      status: 0,
      stdout: expect.stringMatching(/^5 of 6 students graded, 1 flagged/),
      stderr: '',
    });
    const [files, moodle] = [await gradebook('files'), await gradebook('moodle')];
    expect(moodle.map((s) => s.id)).toEqual(['s001', 's002', 's003', 's004', 's005', 's006']);
    moodle.forEach((m, j) => {
      const f = files[j]!;
      for (const [k, v] of Object.entries(f))
        if (!['file', 'flag', 'variant'].includes(k)) expect([k, m[k]]).toEqual([k, v]);
      expect(m.flag === '').toBe(f.flag === '');
    });
    // by hand (examples/teach/README.md): s002 left Σ'_1 out of Δ_1 and carried it on, s003 flipped a sign
    expect(moodle.map((s) => s.total)).toEqual(['12', '10', '11', '12', '2', '']);
    expect(moodle[1]!['2.D_1']).toBe("wrong: Σ' forgotten; an index shifted by one layer");
    expect(moodle[2]!['2.gradW_1']).toBe('wrong: the sign flipped');
    expect(moodle[0]!.variant).toBe('e1 v1 e2 v1 e3 v1');
    expect(moodle[0]!.file).toBe('responses.csv: line 2 (s001)');
    expect(moodle[4]!.flag).toMatch(/^the answers are right for variant 4 \(student s004's\): 12 of 12 matrices/);
    expect(moodle[5]!.flag).toBe('no answer file'); // an attempt in progress is not graded
  });

  it('grades each exercise against the variant Moodle drew for it', async () => {
    // s003 drawn exercise 2 of variant 1, and answering it as s001 did (right)
    const rows = fixtureRows();
    const head = rows[0]!;
    const [q2, r2] = [head.indexOf('Question 2'), head.indexOf('Response 2')];
    rows[3]![q2] = rows[1]![q2]!;
    rows[3]![r2] = rows[1]![r2]!;
    await writeFile(join(dir, 'drawn.csv'), csvText(rows));
    expect((await check('drawn.csv', 'drawn')).status).toBe(0);
    const s003 = (await gradebook('drawn'))[2]!;
    expect([s003.variant, s003.exercise_2, s003.total, s003.flag]).toEqual(['e1 v3 e2 v1 e3 v3', '4', '12', '']);
  });

  it('names a response that is not a number, a blank entry, and takes --id-column', async () => {
    const typo = fixture
      .replace('"part 1: 1; part 2: 1; part 3: 0; part 4: 3;', '"part 1: 1; part 2: 1,0; part 3: 0; part 4: 3;')
      .replace(/s004@example\.org/g, 'someone@example.org')
      .replace(/s00(\d)@example\.org/g, 'x00$1@example.org');
    await writeFile(join(dir, 'typo.csv'), typo);
    expect((await check('typo.csv', 'typo')).status).toBe(0);
    const json = JSON.parse(await readFile(join(dir, 'typo', 'report.json'), 'utf8'));
    // part 2 of exercise 2 is Δ_1 (1, 1): the asked matrices Δ_2, Δ_1, ∇_{W_2} f, ∇_{W_1} f in order, row by row
    // one word for it everywhere: the gradebook (with the entry and why), report.json, report.html's step table
    expect((await gradebook('typo'))[0]!['2.D_1']).toBe(
      'unreadable: row 1, column 1: "1,0" is not a decimal number like 0.75',
    );
    expect(json.students[0].exercises[1].matrices[1].status).toBe('unreadable');
    const d1 = json.steps.find((x: { step: string }) => x.step === 'D_1');
    expect([d1.missing, d1.unreadable]).toEqual([0, 1]);
    const html = await readFile(join(dir, 'typo', 'report.html'), 'utf8');
    expect(html).toContain('<th>missing</th><th>unreadable</th>');
    expect(html).not.toContain('malformed');
    const r = await check('typo.csv', 'typo2', '--id-column', 'Email address');
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(
      'nabla check: typo.csv: line 2: Email address "x001@example.org" is not a student of the class (6 ids: s001, ' +
        's002, … s006); --id-column names the column holding the roster\'s ids (here "Email address")\n',
    );
  });

  it('refuses a header of neither format, a missing column, an unknown id, two attempts: one line, no file', async () => {
    const lines = fixture.split('\n');
    const cases: [string, string, string][] = [
      [
        'other.csv',
        'Surname,Email,Response 1\nx,y,z\n',
        'nabla check: other.csv: line 1: unknown column "Surname" (columns [Surname, Email, Response 1]); expected ' +
          "nabla's results columns id, variant, exercise, matrix, row, col, response, or a Moodle Responses report " +
          '(Last name, First name, …, Status, …, Question 1, Response 1, …; see docs/lecturer.md)\n',
      ],
      [
        'noq.csv',
        fixture.replace(/"Question (\d)"/g, '"Right answer $1"'),
        'nabla check: noq.csv: line 1: no column "Question 1" (the question\'s text names the variant drawn); tick ' +
          '"question text" under "Show the" in the Responses report\'s options\n',
      ],
      [
        'extra.csv',
        csvText(fixtureRows().map((row, j) => [...row.slice(0, 9), j === 0 ? 'Notes' : '', ...row.slice(9)])),
        'nabla check: extra.csv: line 1: unknown column "Notes" after "Status"; a Moodle Responses report has there ' +
          '"Started", "Completed", "Duration", "Grade/…", "Feedback", and "Question N", "Response N", "Right ' +
          'answer N" ' +
          'per question\n',
      ],
      [
        'unknown.csv',
        fixture.replace(',s002,', ',x999,'),
        'nabla check: unknown.csv: line 3: ID number "x999" is not a student of the class (6 ids: s001, s002, … ' +
          's006); --id-column names the column holding the roster\'s ids (here "ID number")\n',
      ],
      [
        'twice.csv',
        [...lines.slice(0, 3), lines[2]!, ...lines.slice(3)].join('\n'),
        'nabla check: twice.csv: line 4: a second finished attempt of s002 (the first on line 3); tick "Show at most ' +
          'one finished attempt per user" in the Responses report\'s options, so that one attempt per student is ' +
          'graded\n',
      ],
      [
        'parts.csv',
        fixture.replace('"part 1: 0; part 2: 0; part 3: 1; part 4: -2"', '"part 1: 0; part 2: 0"'),
        'nabla check: parts.csv: line 2, column "Response 3": "part 1: 0; part 2: 0" is not the 4 parts of ' +
          'exercise 3 as Moodle writes them ("part 1: …; part 2: …; … part 4: …")\n',
      ],
    ];
    for (const [file, text, stderr] of cases) {
      await writeFile(join(dir, file), text);
      const r = await check(file, 'bad');
      expect(r).toEqual({ status: 1, stdout: '', stderr });
      expect(await readdir(dir)).not.toContain('bad');
    }
  });
});

describe('clozeParts (a Cloze response summary)', () => {
  it('reads n parts, blank ones too, and refuses other shapes', () => {
    expect(clozeParts('part 1: 0.5; part 2: ; part 3: -1', 3)).toEqual(['0.5', '', '-1']);
    expect(clozeParts('part 1: ; part 2:', 2)).toEqual(['', '']);
    expect(clozeParts('part 1: 1; part 2: 2', 3)).toBeUndefined();
    expect(clozeParts('1; 2', 2)).toBeUndefined();
  });
});

const moodleDir = process.env.MOODLE_DIR;
const haveMoodle =
  haveTool(phpTool, "Moodle's Responses report") && !!moodleDir && existsSync(join(moodleDir, 'lib/openspout'));
if (!haveMoodle)
  process.stderr.write(
    "skipped: Moodle's Responses report: MOODLE_DIR does not name a Moodle 4.5 source tree (see the header of " +
      'test/consumers/moodle-cloze.test.ts)\n',
  );
describe.skipIf(!haveMoodle)("the fixture, written again by Moodle's code (MOODLE_DIR)", () => {
  it('comes out byte for byte the same', () => {
    const csv = execFileSync(
      'php',
      [
        join(import.meta.dirname, 'consumers', 'moodle-responses.php'),
        join(dir, 'c', 'moodle.xml'),
        join(FIXTURES, 'moodle-attempts.json'),
      ],
      { env: { ...process.env, MOODLE_DIR: moodleDir }, encoding: 'utf8', timeout: 120_000, maxBuffer: 1 << 26 },
    );
    expect(csv).toBe(fixture);
  });
});
