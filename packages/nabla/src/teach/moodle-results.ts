/**
 * Moodle's quiz Responses report, downloaded as CSV, read as a class's answers (docs/lecturer.md, "4b"). As Moodle
 * 4.5 writes it (mod/quiz/report/responses, attempts_report::add_user_columns … and the CSV dataformat): "Last name",
 * "First name", the site's identity fields ("ID number", "Username", "Email address", …), "Status", "Started",
 * "Completed", "Duration", "Grade/10.00", maybe "Feedback", then per question slot N "Question N" (the question's
 * text as plain text), "Response N" and maybe "Right answer N". A Cloze question's response reads
 * `part 1: 0.5; part 2: ; part 3: -1` (qtype_multianswer_question::summarise_response, each part as typed), its
 * text starts with nabla's marker (moodle.ts, moodleMarker), which names the exercise and the variant Moodle drew.
 */
import type { CsvTable } from '../csv/table.js';
import { DataError, excerpt, listExcerpt } from '../errors.js';
import { type GivenEntry, type GivenMatrix, parseGivenEntry, where } from './answers.js';
import { classIdsText, type StudentAnswers } from './class-check.js';
import type { ClassSet } from './class-types.js';
import { askShape, type Exercise } from './exercise-types.js';
import { readMoodleMarker } from './moodle.js';
import { quizFields } from './quiz-questions.js';
import { idColumnName, MOODLE_ID_COLUMNS } from './roster.js';
import { DECIMAL_ANSWER_TOLERANCE } from './rounded-activation.js';

/** The attempt columns after the identity fields: Moodle 4.5's names, and older ones (State, Started on, Time taken). */
const STATUS = ['Status', 'State'];
const FIXED = new Set([...STATUS, 'Started', 'Started on', 'Completed', 'Duration', 'Time taken', 'Feedback']);
const SLOT = /^(Question|Response|Right answer) (.+)$/;
/** What Moodle's NUMERICAL field reads as a plain number (no units, no thousands separators). */
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Whether a header is a Moodle Responses report's: it starts with "Last name", "First name". */
export function isMoodleResponses(columns: readonly string[]): boolean {
  return columns[0] === 'Last name' && columns[1] === 'First name';
}

interface Slot {
  label: string;
  question: number;
  response: number;
}

/** The slots of the header (each "Response N" with its "Question N"), the identity columns and the status column. */
function readHeader(table: CsvTable, source: string) {
  const at = `${source}: line ${table.headerLine}`;
  const status = table.columns.findIndex((c) => STATUS.includes(c));
  if (status < 0)
    throw new DataError(
      `${at}: no column "Status" in a Moodle Responses report (found ${listExcerpt(table.columns)}); download the ` +
        "report of Quiz → Results → Responses as CSV, in English, and don't change it",
    );
  const identity = table.columns.slice(2, status);
  const labels = new Map<string, { question?: number; response?: number }>();
  table.columns.forEach((c, j) => {
    if (j <= status || FIXED.has(c) || /^Grade\/\d/.test(c)) return;
    const m = SLOT.exec(c);
    if (!m)
      throw new DataError(
        `${at}: unknown column ${excerpt(c)} after "Status"; a Moodle Responses report has there "Started", ` +
          '"Completed", "Duration", "Grade/…", "Feedback", and "Question N", "Response N", "Right answer N" per ' +
          'question',
      );
    const s = labels.get(m[2]!) ?? {};
    labels.set(m[2]!, s);
    if (m[1] === 'Question') s.question = j;
    if (m[1] === 'Response') s.response = j;
  });
  const slots: Slot[] = [];
  for (const [label, s] of labels) {
    if (s.response === undefined)
      throw new DataError(
        `${at}: no column "Response ${label}"; tick "response" under "Show the" in the Responses report's options`,
      );
    if (s.question === undefined)
      throw new DataError(
        `${at}: no column "Question ${label}" (the question's text names the variant drawn); tick "question ` +
          'text" under "Show the" in the Responses report\'s options',
      );
    slots.push({ label, question: s.question, response: s.response });
  }
  if (slots.length === 0)
    throw new DataError(`${at}: no column "Response 1"; tick "response" under "Show the" in the report's options`);
  return { status, identity, slots };
}

/**
 * A Cloze response summary as the parts' texts: "part 1: a; part 2: b" → ["a", "b"]; undefined when it is not n
 * parts numbered 1 … n. Moodle trims the whole summary, so the last part's separator may end without its space.
 */
export function clozeParts(summary: string, n: number): string[] | undefined {
  if (!summary.startsWith('part 1:')) return undefined;
  const parts: string[] = [];
  let from = 'part 1:'.length;
  for (let i = 2; i <= n + 1; i++) {
    const next = i <= n ? summary.indexOf(`; part ${i}:`, from) : summary.length;
    if (next < 0) return undefined;
    parts.push(summary.slice(from, next).trim());
    from = next + `; part ${i}:`.length;
  }
  return parts;
}

function entry(text: string): GivenEntry {
  return NUMBER.test(text) ? parseGivenEntry(text) : { text, value: undefined, decimal: true };
}

/** One exercise's response as given matrices: blank everywhere → none (missing); each entry as Moodle reads it. */
function matricesOf(ex: Exercise, parts: readonly string[], source: string): GivenMatrix[] {
  const fields = quizFields(ex);
  return ex.asks.flatMap((ask) => {
    const mine = fields.flatMap((f, j) => (f.ask === ask ? [{ ...f, text: parts[j]! }] : []));
    if (mine.every((f) => f.text === '')) return [];
    const [rows, cols] = askShape(ask, ex.widths);
    const grid = Array.from({ length: rows }, () => new Array<GivenEntry>(cols));
    const problems: string[] = [];
    for (const f of mine) {
      grid[f.row - 1]![f.col - 1] = entry(f.text);
      if (!NUMBER.test(f.text))
        problems.push(
          `${where(source, ex.id, ask)}, row ${f.row}, column ${f.col}: ` +
            (f.text === '' ? 'left blank' : `${JSON.stringify(f.text)} is not a decimal number like 0.75`),
        );
    }
    return [{ exercise: ex.id, ask, rows: grid, source, problems }];
  });
}

/**
 * Reads a Moodle Responses report (see the module comment) into one answer set per student with a finished
 * attempt, each exercise graded against the variant Moodle drew for it (`drawn`), within DECIMAL_ANSWER_TOLERANCE.
 * The student's id is read from `idColumn`, by default the first of MOODLE_ID_COLUMNS present. Rows of attempts not
 * finished are skipped, and so are questions whose text carries no nabla marker. Throws DataError, naming the line
 * and column, for an unknown column, a missing id column, an id not in the class, two finished attempts of one
 * student, a marker of another class, or a response that is not the question's parts.
 */
export function parseMoodleResponses(
  table: CsvTable,
  source: string,
  cls: ClassSet,
  idColumn: string | undefined,
): StudentAnswers[] {
  const { status, identity, slots } = readHeader(table, source);
  const at = `${source}: line ${table.headerLine}`;
  const found = idColumnName(identity, idColumn, false);
  const idName = idColumn ?? found;
  if (found === undefined || idName === undefined)
    throw new DataError(
      `${at}: ${idName === undefined ? `none of the columns ${MOODLE_ID_COLUMNS.join(', ')}` : 'no column'}` +
        `${idName === undefined ? '' : ` ${excerpt(idName)}`} ` +
        `to match the roster's ids (identity columns: ${identity.length === 0 ? 'none' : listExcerpt(identity)}); ` +
        'name the column with idColumn, or show it in the report (Site administration → Users → Show user identity)',
    );
  const idAt = table.columns.indexOf(idName);
  const byId = new Map(cls.variants.map((v) => [v.id, v]));
  const byNumber = new Map(cls.variants.map((v) => [v.variant, v]));
  const out: StudentAnswers[] = [];
  const seen = new Map<string, number>();
  let marked = false;
  for (const { fields, line } of table.rows) {
    if (fields[status] !== 'Finished') continue;
    const here = `${source}: line ${line}`;
    const id = fields[idAt]!;
    if (!byId.has(id)) {
      throw new DataError(
        `${here}: ${idName} ${JSON.stringify(id)} is not a student of the class (${classIdsText(cls)}); ` +
          `idColumn names the column holding the roster's ids (here ${JSON.stringify(idName)})`,
      );
    }
    const earlier = seen.get(id);
    if (earlier !== undefined)
      throw new DataError(
        `${here}: a second finished attempt of ${id} (the first on line ${earlier}); tick "Show at most one ` +
          'finished attempt per user" in the Responses report\'s options, so that one attempt per student is graded',
      );
    seen.set(id, line);
    const drawn = new Map<number, number>();
    const matrices: GivenMatrix[] = [];
    const src = `${here} (${id})`;
    for (const slot of slots) {
      const marker = readMoodleMarker(fields[slot.question]!);
      if (!marker) continue;
      marked = true;
      const col = `${here}, column "Question ${slot.label}"`;
      const v = byNumber.get(marker.variant);
      const ex = v?.set.exercises.find((e) => e.id === marker.exercise);
      if (!v || v.seed !== marker.seed || !ex)
        throw new DataError(
          `${col}: the question is exercise ${marker.exercise} of variant ${marker.variant} with seed ` +
            `${marker.seed}, ` +
            `which the class file does not have${v ? ` (its variant ${v.variant} has seed ${v.seed})` : ''}; the ` +
            'quiz was made from another class.json',
        );
      if (drawn.has(ex.id))
        throw new DataError(`${col}: a second question of exercise ${ex.id} in one attempt; grade one per exercise`);
      drawn.set(ex.id, v.variant);
      const response = fields[slot.response]!;
      const n = quizFields(ex).length;
      const parts = response === '-' ? new Array<string>(n).fill('') : clozeParts(response, n);
      if (!parts)
        throw new DataError(
          `${here}, column "Response ${slot.label}": ${excerpt(response)} is not the ${n} parts of exercise ` +
            `${ex.id} as Moodle writes them ("part 1: …; part 2: …; … part ${n}: …")`,
        );
      matrices.push(...matricesOf(ex, parts, src));
    }
    out.push({
      id,
      source: src,
      tolerance: DECIMAL_ANSWER_TOLERANCE,
      answers: { matrices },
      drawn,
    });
  }
  if (!marked)
    throw new DataError(
      `${source}: no "Question N" column starts with nabla's marker "[nabla: exercise …, variant …, seed …]"; ` +
        'import the questions written by nabla exercise --format moodle, and tick "question text" in the report',
    );
  return out;
}
