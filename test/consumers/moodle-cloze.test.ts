// The Moodle XML of `nabla exercise --format moodle` through Moodle's own Cloze parser (moodle-cloze.php runs
// qtype_multianswer_extract_question and the regexes of a Moodle source tree named by MOODLE_DIR): every entry a
// NUMERICAL subquestion worth 1 mark whose first answer is the hand-worked value with full credit, the classic
// mistakes' values with 0 and the catalogue's feedback decoded intact; then graded as Moodle's NUMERICAL type
// grades (the first answer whose tolerance interval holds the response).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateExercises } from '../../packages/nabla/src/teach/exercise-generate.js';
import { moodleXml } from '../../packages/nabla/src/teach/moodle.js';
import { FORGOT_DSIGMA, HAND_ANSWERS, handWorkedSet } from '../helpers/platform.js';
import { haveTool, phpTool, xmllintTool } from '../helpers/system-tools.js';

const FIXTURE = join(import.meta.dirname, '..', 'fixtures', 'platform', 'hand-worked.moodle.xml');
const HARNESS = join(import.meta.dirname, 'moodle-cloze.php');
const moodleDir = process.env.MOODLE_DIR;

/** Moodle's source is GPL and not in this repository: the parser runs when MOODLE_DIR names a checkout. */
function haveMoodle(): boolean {
  if (!haveTool(phpTool, "Moodle's Cloze parser")) return false;
  if (moodleDir && existsSync(join(moodleDir, 'question/type/multianswer/questiontype.php'))) return true;
  const reason = "Moodle's Cloze parser: MOODLE_DIR does not name a Moodle source tree (git clone moodle/moodle)";
  if (process.env.NABLA_REQUIRE_MOODLE === '1') throw new Error(`${reason}; NABLA_REQUIRE_MOODLE=1 forbids skipping`);
  process.stderr.write(`skipped: ${reason}\n`);
  return false;
}

interface Answer {
  answer: string;
  tolerance: string | null;
  fraction: number;
  feedback: string;
}
interface Parsed {
  validated: boolean;
  questions: {
    name: string;
    category: string;
    defaultmark: number;
    text: string;
    subquestions: { qtype: string; defaultmark: number; answers: Answer[] }[];
    errors: Record<string, string> | null;
  }[];
}

function parse(path: string): Parsed {
  const out = execFileSync('php', [HARNESS, path], {
    env: { ...process.env, MOODLE_DIR: moodleDir },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return JSON.parse(out) as Parsed;
}

/** Moodle's NUMERICAL grading: the first answer whose [answer − tolerance, answer + tolerance] holds the response. */
function grade(answers: Answer[], response: number): Answer | undefined {
  return answers.find((a) => Math.abs(response - Number(a.answer)) <= Number(a.tolerance ?? 0));
}

describe('the Moodle XML fixture', () => {
  it('is what moodleXml writes for the hand-worked exercise (regenerate it when the output changes on purpose)', async () => {
    expect(moodleXml([{ id: 's1', variant: 1, set: handWorkedSet() }])).toBe(await readFile(FIXTURE, 'utf8'));
  });

  it.skipIf(!haveTool(xmllintTool, 'the Moodle XML well-formedness check'))('is well-formed XML (xmllint)', () => {
    execFileSync('xmllint', ['--noout', '--nonet', FIXTURE], { timeout: 30_000 });
  });
});

describe.skipIf(!haveMoodle())("Moodle's Cloze parser (MOODLE_DIR)", () => {
  let dir = '';
  let hand = ''; // written fresh (the fixture test above pins it to the fixture)
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'nabla-moodle-'));
    hand = join(dir, 'hand-worked.xml');
    await writeFile(hand, moodleXml([{ id: 's1', variant: 1, set: handWorkedSet() }]));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads one NUMERICAL subquestion per entry, the right value first with full credit', () => {
    const parsed = parse(hand);
    expect(parsed.questions).toHaveLength(1);
    const q = parsed.questions[0]!;
    expect(q.category).toBe('$course$/top/nabla/Exercise 1');
    expect(q.errors ?? {}).toEqual({});
    const right = Object.values(HAND_ANSWERS).flatMap((rows) => rows.flat());
    expect(q.subquestions).toHaveLength(right.length); // 9 entries, 9 marks
    expect(q.defaultmark).toBe(9);
    q.subquestions.forEach((s, j) => {
      expect(s.qtype).toBe('numerical');
      expect(s.defaultmark).toBe(1);
      expect(Number(s.answers[0]!.answer)).toBe(right[j]);
      expect(s.answers[0]!.fraction).toBe(1);
      for (const a of s.answers.slice(1)) {
        expect(a.fraction).toBe(0);
        expect(a.feedback).not.toBe('');
      }
    });
    // every field became a placeholder, in order; nothing of the Cloze syntax is left in the text
    expect([...q.text.matchAll(/\{#(\d+)\}/g)].map((m) => Number(m[1]))).toEqual(right.map((_, j) => j + 1));
    expect(q.text).not.toContain('NUMERICAL');
  });

  it("grades the right answers 1 each, and Δ_1 (1, 1) = 3 with 0 and the feedback naming ∘ Σ'_1 forgotten", () => {
    const q = parse(hand).questions[0]!;
    const right = Object.values(HAND_ANSWERS).flatMap((rows) => rows.flat());
    q.subquestions.forEach((s, j) => {
      expect(grade(s.answers, right[j]!)?.fraction).toBe(1);
    });
    const d1 = q.subquestions[1]!; // Δ_2 is field 1, Δ_1 (1, 1) field 2
    const chosen = grade(d1.answers, 3);
    expect(chosen?.fraction).toBe(0);
    expect(chosen?.feedback).toContain(FORGOT_DSIGMA);
    // 1/2 typed as 0.5004 is right, as 0.502 is no answer Moodle knows (0 marks, no feedback)
    expect(grade(q.subquestions[2]!.answers, 0.5004)?.fraction).toBe(1);
    expect(grade(q.subquestions[2]!.answers, 0.502)).toBeUndefined();
  });

  it("keeps the catalogue's wording through Moodle's decoding: braces, primes, ᵀ and ·", () => {
    const q = parse(hand).questions[0]!;
    const feedback = q.subquestions.flatMap((s) => s.answers.map((a) => a.feedback));
    // ∇_{W_2} f has braces, which end a Cloze answer unless escaped
    expect(feedback.some((f) => f.includes('∇_{W_1} f = (W_2ᵀ·Δ_2)·Σ_0ᵀ'))).toBe(true);
  });

  it('reads every question of a generated class: one category per exercise, every subquestion numerical', async () => {
    const variants = [1, 2, 3].map((n) => ({
      id: String(n),
      variant: n,
      set: generateExercises({ seed: 100 + n, count: 3, widths: [2, 3, 1], activations: ['leaky_relu', 'square'] }),
    }));
    const path = join(dir, 'class.xml');
    await writeFile(path, moodleXml(variants));
    const parsed = parse(path);
    expect(parsed.questions).toHaveLength(9);
    expect(new Set(parsed.questions.map((q) => q.category))).toEqual(
      new Set([1, 2, 3].map((e) => `$course$/top/nabla/Exercise ${e}`)),
    );
    for (const q of parsed.questions) {
      expect(q.errors ?? {}).toEqual({});
      const asked = variants[0]!.set.exercises.find((e) => q.category.endsWith(`Exercise ${e.id}`))!;
      const entries = asked.asks.reduce(
        (s, a) =>
          s +
          (a.key === 'gradW'
            ? asked.widths[a.index!]! * asked.widths[a.index! - 1]!
            : a.key === 'f'
              ? 1
              : asked.widths[a.index!]!),
        0,
      );
      expect(q.subquestions).toHaveLength(entries);
      for (const s of q.subquestions) {
        expect(s.qtype).toBe('numerical');
        expect(s.answers[0]!.fraction).toBe(1);
        expect(s.answers.every((a) => /^-?\d/.test(a.answer))).toBe(true);
      }
    }
  });
});
