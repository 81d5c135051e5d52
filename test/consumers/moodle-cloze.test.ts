// The Moodle XML of `nabla exercise --format moodle` imported and graded by Moodle's own code: moodle-cloze.php
// runs Moodle's XML import (qformat_xml, which calls the Cloze parser qtype_multianswer_extract_question), saves
// each NUMERICAL subquestion as qtype_numerical does, and grades responses with qtype_multianswer_question and
// qtype_numerical_question, all loaded at run time from a Moodle source tree named by MOODLE_DIR.
//
// How to run it (Moodle's code is GPL and cannot be committed here, and the full moodle/moodle repository, 1.36 GB,
// is too large to fetch in CI, so CI skips this part; without MOODLE_DIR it skips with the reason printed):
//   MOODLE_DIR=/path/to/moodle npx vitest run test/consumers/moodle-cloze.test.ts
// where /path/to/moodle is a Moodle 4.x source tree (a release download or a checkout; only the files listed in
// moodle-cloze.php's MOODLE_FILES and the English language files are read). Verified with Moodle 4.5.6
// (Build 20250811, version 2024100706.00): the files of commit b6e90f4291b8a456c305efc5347d72a803fc9389 of
// github.com/paulkennethsq1/hrsq1, an unmodified 4.5.6 tree. docs/lecturer.md ("Moodle and other platforms") says
// more. NABLA_REQUIRE_MOODLE=1 makes a missing MOODLE_DIR fail instead of skip.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateExercises } from '../../packages/nabla/src/teach/exercise-generate.js';
import { clozeField, moodleXml } from '../../packages/nabla/src/teach/moodle.js';
import { formatDecimal } from '../../packages/nabla/src/teach/numbers.js';
import { QUIZ_DIGITS, type QuizValue, quizQuestions } from '../../packages/nabla/src/teach/quiz-questions.js';
import { FORGOT_DSIGMA, HAND_ANSWERS, handWorkedSet } from '../helpers/platform.js';
import { haveTool, phpTool, xmllintTool } from '../helpers/system-tools.js';

const FIXTURE = join(import.meta.dirname, '..', 'fixtures', 'platform', 'hand-worked.moodle.xml');
const HARNESS = join(import.meta.dirname, 'moodle-cloze.php');
const moodleDir = process.env.MOODLE_DIR;

/** Moodle's source is GPL and not in this repository: the import runs when MOODLE_DIR names a Moodle tree. */
function haveMoodle(): boolean {
  if (!haveTool(phpTool, "Moodle's XML import and Cloze parser")) return false;
  if (moodleDir && existsSync(join(moodleDir, 'question/format/xml/format.php'))) return true;
  const reason =
    "Moodle's XML import and Cloze parser: MOODLE_DIR does not name a Moodle 4.x source tree " +
    '(see the header of test/consumers/moodle-cloze.test.ts)';
  if (process.env.NABLA_REQUIRE_MOODLE === '1') throw new Error(`${reason}; NABLA_REQUIRE_MOODLE=1 forbids skipping`);
  process.stderr.write(`skipped: ${reason}\n`);
  return false;
}

interface Answer {
  answer: string;
  tolerance: string;
  fraction: number;
  feedback: string;
}
interface Graded {
  question: number;
  fraction: number;
  state: string;
  subquestions: Record<string, { fraction: number | string; state: string; feedback: string | null }>;
}
interface Imported {
  importerrors: number;
  importoutput: string;
  debugging: string[];
  questions: {
    name: string;
    category: string;
    defaultmark: number;
    penalty: number;
    text: string;
    subquestions: { key: number; qtype: string; defaultmark: number; answers: Answer[]; notice: unknown }[];
  }[];
  graded: Graded[];
}
type Responses = { question: number; responses: Record<string, string> }[];

let dir = '';

/** Moodle's import of `xmlPath`, and its grading of the responses. */
async function moodle(xmlPath: string, responses: Responses = []): Promise<Imported> {
  const resp = join(dir, 'responses.json');
  await writeFile(resp, JSON.stringify(responses));
  const out = execFileSync('php', [HARNESS, xmlPath, resp], {
    env: { ...process.env, MOODLE_DIR: moodleDir },
    encoding: 'utf8',
    timeout: 120_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(out) as Imported;
}

/** One response per field, from 1, in field order. */
function fields(values: readonly string[]): Record<string, string> {
  return Object.fromEntries(values.map((v, j) => [String(j + 1), v]));
}

const RIGHT = Object.values(HAND_ANSWERS).flatMap((rows) => rows.flat());

describe('the Moodle XML fixture', () => {
  // regenerate on purpose: npx tsx test/helpers/write-platform-fixtures.ts
  it('is what moodleXml writes for the hand-worked exercise (regenerate it on purpose)', async () => {
    expect(moodleXml([{ id: 's1', variant: 1, set: handWorkedSet() }])).toBe(await readFile(FIXTURE, 'utf8'));
  });

  it.skipIf(!haveTool(xmllintTool, 'the Moodle XML well-formedness check'))('is well-formed XML (xmllint)', () => {
    execFileSync('xmllint', ['--noout', '--nonet', FIXTURE], { timeout: 30_000 });
  });
});

describe.skipIf(!haveMoodle())("Moodle's XML import and grading (MOODLE_DIR)", () => {
  let hand = ''; // written fresh (the fixture test above pins it to the fixture)
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'nabla-moodle-'));
    hand = join(dir, 'hand-worked.xml');
    await writeFile(hand, moodleXml([{ id: 's1', variant: 1, set: handWorkedSet() }]));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('imports one Cloze question of 9 NUMERICAL subquestions, the right value first with full credit', async () => {
    const m = await moodle(hand);
    expect(m.importerrors).toBe(0);
    expect(m.importoutput).toBe('');
    expect(m.debugging).toEqual([]);
    expect(m.questions).toHaveLength(1);
    const q = m.questions[0]!;
    expect(q.category).toBe('$course$/top/nabla/Exercise 1');
    expect(q.name).toBe('Exercise 1, variant 1 (s1): backpropagation');
    expect(q.defaultmark).toBe(9);
    expect(q.penalty).toBe(0.3333333);
    expect(q.subquestions).toHaveLength(9);
    q.subquestions.forEach((s, j) => {
      expect(s.qtype).toBe('numerical');
      expect(s.defaultmark).toBe(1);
      expect(s.notice).toBeNull();
      // stored as Moodle stores them: the value, an absolute tolerance of 0.001 · max(1, |value|)
      expect(Number(s.answers[0]!.answer)).toBe(RIGHT[j]);
      expect(Number(s.answers[0]!.tolerance)).toBe(0.001 * Math.max(1, Math.abs(RIGHT[j]!)));
      expect(s.answers[0]!.fraction).toBe(1);
      expect(s.answers[0]!.feedback).toBe('');
      expect(s.answers.length).toBeGreaterThan(1);
      for (const a of s.answers.slice(1)) {
        expect(a.fraction).toBe(0);
        expect(a.feedback).not.toBe('');
      }
    });
    // every field became a placeholder, in order; nothing of the Cloze syntax is left in the text
    expect([...q.text.matchAll(/\{#(\d+)\}/g)].map((x) => Number(x[1]))).toEqual(RIGHT.map((_, j) => j + 1));
    expect(q.text).not.toContain('NUMERICAL');
    // the given matrices reach Moodle as TeX for MathJax
    expect(q.text).toContain('\\(W_{1} = \\begin{bmatrix}1 &amp; -1 \\\\ 2 &amp; 1\\end{bmatrix}');
  });

  it("grades the hand-worked right answers 9/9, and Δ_1 (1, 1) = 3 with 8/9 and the Σ' feedback", async () => {
    const typed = ['1', '0', '0.5', '0', '4', '0', '0', '0.5', '1'];
    const mistake = ['1', '3', '0.5', '0', '4', '0', '0', '0.5', '1'];
    const m = await moodle(hand, [
      { question: 0, responses: fields(typed) },
      { question: 0, responses: fields(mistake) },
    ]);
    const [right, wrong] = m.graded;
    expect(right!.fraction).toBe(1);
    expect(right!.state).toBe('gradedright');
    for (const s of Object.values(right!.subquestions))
      expect(s).toEqual({ fraction: 1, state: 'gradedright', feedback: '' });
    expect(wrong!.fraction).toBeCloseTo(8 / 9, 12);
    expect(wrong!.state).toBe('gradedpartial');
    expect(wrong!.subquestions['2']!.state).toBe('gradedwrong');
    expect(wrong!.subquestions['2']!.feedback).toContain(FORGOT_DSIGMA);
    expect(wrong!.subquestions['3']!.feedback).toBe('');
  });

  it('reads decimals as Moodle does: 0.5004 for 1/2 right, 0.502 no answer, 0,5 and 1/2 not 0.5', async () => {
    // field 3 is Δ_1 (2, 1) = 1/2
    const with3 = (x: string) => ({ question: 0, responses: { '3': x } });
    const m = await moodle(hand, [with3('0.5004'), with3('0.502'), with3('-0.5'), with3('0,5'), with3('1/2')]);
    const at3 = m.graded.map((g) => g.subquestions['3']!);
    expect(at3[0]).toEqual({ fraction: 1, state: 'gradedright', feedback: '' });
    expect(at3[1]).toEqual({ fraction: 0, state: 'gradedwrong', feedback: null });
    expect(at3[2]!.state).toBe('gradedwrong');
    expect(at3[2]!.feedback).toBe('The sign flipped: this entry has the opposite sign');
    // English Moodle takes "," as the thousands separator (0,5 → 5) and reads "1/2" as 1 with an unknown unit
    expect(at3[3]!.state).toBe('gradedwrong');
    expect(at3[4]!.state).toBe('gradedwrong');
    // the other fields were left empty: 1 of 9 marks
    expect(m.graded[0]!.fraction).toBeCloseTo(1 / 9, 12);
  });

  it("keeps the catalogue's wording through Moodle's decoding: braces, primes, ᵀ and ·", async () => {
    const q = (await moodle(hand)).questions[0]!;
    const feedback = q.subquestions.flatMap((s) => s.answers.map((a) => a.feedback));
    // ∇_{W_1} f has braces, which end a Cloze answer unless escaped
    expect(feedback).toContain(
      "Σ' forgotten: ∘ Σ'_1 left out of Δ_1: ∇_{W_1} f = (W_2ᵀ·Δ_2)·Σ_0ᵀ; or An index shifted by one layer: " +
        "Σ'_2 used instead of Σ'_1: W_2ᵀ·(Δ_2 ∘ Σ'_2)·Σ_0ᵀ",
    );
  });

  it('takes exponents and feedback with markup and every Cloze delimiter (clozeField)', async () => {
    const value = (x: number, tolerance: number): QuizValue => ({
      exact: String(x),
      text: formatDecimal(x, QUIZ_DIGITS),
      tolerance: formatDecimal(tolerance, 6),
      low: x - tolerance,
      high: x + tolerance,
    });
    const nasty = 'a < b & c > d } ~ # \\ { "q" / Σ\'_1 \\';
    const field = clozeField({
      row: 1,
      col: 1,
      right: value(1.5e-7, 0.001),
      mistakes: [{ ...value(-2.5e12, 2.5e9), feedback: [nasty, 'and ~}'] }],
    });
    expect(field).toMatch(/^\{1:NUMERICAL:=1\.5e-7:0\.001~%0%-2\.5e12:2\.5e9#/);
    const text = `<p>x = ${field}, then \\(\\frac{1}{2}\\)</p>`;
    const xml = join(dir, 'field.xml');
    const escaped = text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    await writeFile(
      xml,
      `<?xml version="1.0" encoding="UTF-8"?>\n<quiz><question type="cloze"><name><text>f</text></name>` +
        `<questiontext format="html"><text>${escaped}</text></questiontext></question></quiz>\n`,
    );
    const m = await moodle(xml, [
      { question: 0, responses: { '1': '1.5e-7' } },
      { question: 0, responses: { '1': '-2500000000000' } },
    ]);
    expect(m.importerrors).toBe(0);
    const s = m.questions[0]!.subquestions;
    expect(s).toHaveLength(1);
    expect(m.questions[0]!.text).toBe('<p>x = {#1}, then \\(\\frac{1}{2}\\)</p>');
    expect(s[0]!.answers.map((a) => [Number(a.answer), Number(a.tolerance), a.fraction])).toEqual([
      [1.5e-7, 0.001, 1],
      [-2.5e12, 2.5e9, 0],
    ]);
    // the feedback is stored as HTML that shows the text as written (by hand: markup escaped once)
    expect(s[0]!.answers[1]!.feedback).toBe("a &lt; b &amp; c &gt; d } ~ # \\ { &quot;q&quot; / Σ'_1 \\; or and ~}");
    expect(m.graded[0]!.subquestions['1']!.state).toBe('gradedright');
    expect(m.graded[1]!.subquestions['1']!.state).toBe('gradedwrong');
    expect(m.graded[1]!.subquestions['1']!.feedback).toBe(s[0]!.answers[1]!.feedback);
  });

  it('refuses a fraction as a NUMERICAL answer: the import reports it, no question', async () => {
    const xml = join(dir, 'fraction.xml');
    await writeFile(
      xml,
      '<?xml version="1.0" encoding="UTF-8"?>\n<quiz><question type="cloze"><name><text>f</text></name>' +
        '<questiontext format="html"><text>x = {1:NUMERICAL:=3/4:0.001}</text></questiontext></question></quiz>\n',
    );
    const m = await moodle(xml);
    expect(m.importerrors).toBe(1);
    expect(m.questions).toEqual([]);
    expect(m.importoutput).toContain('Invalid embedded answers (Cloze) question (The answer must be a number');
  });

  it('imports a class: a category per exercise; right values score 1, each mistake 0 with feedback', async () => {
    const variants = [1, 2, 3].map((n) => ({
      id: String(n),
      variant: n,
      set: generateExercises({ seed: 100 + n, count: 3, widths: [2, 3, 1], activations: ['leaky_relu', 'square'] }),
    }));
    const path = join(dir, 'class.xml');
    await writeFile(path, moodleXml(variants));
    // the questions in file order: by exercise, then by variant
    const asked = [1, 2, 3].flatMap((e) => variants.map((v) => quizQuestions(v.set).find((q) => q.exercise.id === e)!));
    const entries = asked.map((q) => q.matrices.flatMap((mx) => mx.entries));
    const responses: Responses = entries.flatMap((es, i) => [
      { question: i, responses: fields(es.map((e) => e.right.text)) },
      // the first mistake of each entry that has one, the right value elsewhere
      { question: i, responses: fields(es.map((e) => (e.mistakes[0] ?? e.right).text)) },
    ]);
    const m = await moodle(path, responses);
    expect(m.importerrors).toBe(0);
    expect(m.questions).toHaveLength(9);
    expect(m.questions.map((q) => q.category)).toEqual(
      [1, 2, 3].flatMap((e) => [1, 2, 3].map(() => `$course$/top/nabla/Exercise ${e}`)),
    );
    let mistakesSeen = 0;
    m.questions.forEach((q, i) => {
      const es = entries[i]!;
      expect(q.subquestions).toHaveLength(es.length);
      expect(q.defaultmark).toBe(es.length);
      for (const s of q.subquestions) expect(s.qtype).toBe('numerical');
      const [right, wrong] = [m.graded[2 * i]!, m.graded[2 * i + 1]!];
      expect(right.fraction).toBe(1);
      es.forEach((e, j) => {
        const g = wrong.subquestions[String(j + 1)]!;
        if (e.mistakes.length === 0) {
          expect(g.state).toBe('gradedright');
          return;
        }
        mistakesSeen++;
        expect(g.state).toBe('gradedwrong');
        expect(g.feedback).toBe(q.subquestions[j]!.answers[1]!.feedback);
        expect(g.feedback).toContain(e.mistakes[0]!.feedback[0]!.split(':')[0]!);
      });
      const withMistake = es.filter((e) => e.mistakes.length > 0).length;
      expect(wrong.fraction).toBeCloseTo((es.length - withMistake) / es.length, 12);
    });
    expect(mistakesSeen).toBeGreaterThan(20);
  });
});
