/**
 * Moodle XML for the question bank: one category per exercise, one Embedded Answers (Cloze) question per variant.
 * Each asked matrix is a grid of NUMERICAL subquestions `{1:NUMERICAL:=value:tolerance~%0%mistake:tolerance#…}`,
 * one mark per entry; an entry equal to a classic mistake's value gets 0 and feedback naming the mistake
 * (quiz-questions.ts). The given matrices are TeX for Moodle's MathJax filter, `\( … \)`. The text starts with a
 * marker naming exercise, variant and seed, which Moodle's results export carries back (moodleMarker).
 *
 * Cloze syntax, as Moodle's parser reads it (question/type/multianswer/questiontype.php, ANSWER_REGEX and
 * qtype_multianswer_extract_question; run against Moodle 4.5 in test/consumers/moodle-cloze.test.ts): a NUMERICAL
 * answer must match `-?digits[.digits][e±digits]` (no fractions) and `:tolerance` is an absolute tolerance; an
 * answer's feedback runs to the next `~` or `}` not preceded by `\`, is then HTML-entity-decoded once, and is
 * stored as the feedback's HTML. So feedback is written as HTML (markup escaped), and every `&` of that HTML and
 * every Cloze delimiter (`}`, `~`, `#`, `\`, `{`, `/`) as a numeric character reference, which the decoding undoes.
 */
import { XMLBuilder } from 'fast-xml-parser';
import { math } from './doc.js';
import { exerciseTitle } from './exercise-sheet.js';
import {
  blocksHtml,
  inlineHtml,
  type QuizEntry,
  type QuizMatrix,
  type QuizValue,
  type QuizVariant,
  quizInstruction,
  quizQuestions,
} from './quiz-questions.js';

/** Options of `moodleXml`. */
export interface MoodleOptions {
  /** The name of the category holding one sub-category per exercise (default "nabla"). */
  category?: string;
}

/**
 * Feedback text for a Cloze answer: its HTML (`&`, `<`, `>`, `"` escaped), then every `&` and Cloze delimiter of
 * that HTML as a numeric character reference, so that Moodle's single html_entity_decode gives back the HTML.
 */
export function clozeText(s: string): string {
  const html = s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  return html.replace(/[&}~#\\/{]/g, (ch) => `&#${ch.codePointAt(0)};`);
}

function clozeAnswer(v: QuizValue, fraction: string, feedback: string): string {
  return `${fraction}${v.text}:${v.tolerance}${feedback === '' ? '' : `#${clozeText(feedback)}`}`;
}

/** One entry's field: `{1:NUMERICAL:=right:tolerance~%0%mistake:tolerance#feedback~…}`, one mark. */
export function clozeField(e: QuizEntry): string {
  const answers = [
    clozeAnswer(e.right, '=', ''),
    ...e.mistakes.map((x) => clozeAnswer(x, '%0%', x.feedback.join('; or '))),
  ];
  return `{1:NUMERICAL:${answers.join('~')}}`;
}

/**
 * The first line of every question's text, `[nabla: exercise 1, variant 3, seed 2864207361]`: Moodle's quiz
 * Responses report shows no question name, only the question's text as plain text (the "Question N" column), so
 * this line is how a results export names the variant each student was drawn (moodle-results.ts reads it back).
 */
export function moodleMarker(exercise: number, variant: number, seed: number): string {
  return `[nabla: exercise ${exercise}, variant ${variant}, seed ${seed}]`;
}

/** The exercise, variant and seed of the marker a question's text starts with (leading space allowed), if it does. */
export function readMoodleMarker(text: string): { exercise: number; variant: number; seed: number } | undefined {
  const m = /^\s*\[nabla: exercise (\d{1,6}), variant (\d{1,9}), seed (\d{1,10})\]/.exec(text);
  return m ? { exercise: Number(m[1]), variant: Number(m[2]), seed: Number(m[3]) } : undefined;
}

/** One field per entry, in a table shaped like the matrix, in the order of quizFields (Cloze parts 1, 2, …). */
function matrixHtml(m: QuizMatrix): string {
  const rows: string[] = [];
  for (let r = 1; r <= m.rows; r++) {
    const cells = m.entries.filter((e) => e.row === r).map((e) => `<td>${clozeField(e)}</td>`);
    rows.push(`<tr>${cells.join('')}</tr>`);
  }
  return `<p>${inlineHtml([math(`${m.tex} =`)])}</p>\n<table class="nabla-matrix">${rows.join('')}</table>`;
}

/**
 * The variants' exercises as Moodle XML (question bank import, "Moodle XML format"): a category per exercise
 * ("nabla/Exercise 1"), in it one Cloze question per variant, one mark per matrix entry.
 */
export function moodleXml(variants: readonly QuizVariant[], options: MoodleOptions = {}): string {
  const root = options.category ?? 'nabla';
  const byExercise = new Map<number, unknown[]>();
  for (const v of variants) {
    for (const q of quizQuestions(v.set)) {
      const ex = q.exercise;
      const html = [
        `<p>${moodleMarker(ex.id, v.variant, v.set.seed)}</p>`,
        blocksHtml(q.body),
        `<p>${inlineHtml(quizInstruction())}</p>`,
        ...q.matrices.map((m) => matrixHtml(m)),
      ].join('\n');
      const list = byExercise.get(ex.id) ?? [];
      byExercise.set(ex.id, list);
      list.push({
        '@_type': 'cloze',
        name: { text: `Exercise ${ex.id}, variant ${v.variant} (${v.id}): ${exerciseTitle(ex)}` },
        questiontext: { '@_format': 'html', text: html },
        generalfeedback: { '@_format': 'html', text: '' },
        penalty: '0.3333333',
        hidden: '0',
      });
    }
  }
  const questions: unknown[] = [];
  for (const [id, list] of [...byExercise].sort((a, b) => a[0] - b[0])) {
    questions.push({
      '@_type': 'category',
      category: { text: `$course$/top/${root}/Exercise ${id}` },
      info: { '@_format': 'html', text: `Exercise ${id}: one question per variant (nabla).` },
    });
    questions.push(...list);
  }
  const builder = new XMLBuilder({
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    format: true,
    indentBy: '  ',
    suppressBooleanAttributes: false,
  });
  const xml = builder.build({ quiz: { question: questions } }) as string;
  return `<?xml version="1.0" encoding="UTF-8"?>\n${xml}`;
}
