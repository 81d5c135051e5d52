/**
 * Grading a class: each student's answers against their own variant (check.ts), a student who answered another
 * student's variant flagged (the file names another id or variant, or its answers are right for another variant
 * rather than their own), and per exercise (and form) and step (N_1 … f, Δ_k … Δ_1, ∇_{W_k} f … ∇_{W_1} f) how many
 * students made each classic mistake.
 */
import { DataError } from '../errors.js';
import type { RMatrix } from '../exact/matrix.js';
import { formatRational } from '../exact/rational.js';
import type { AnswerSet } from './answers.js';
import { type ExerciseGrade, type GradeReport, givenEquals, gradeAnswers } from './check.js';
import type { ClassSet, ClassVariant } from './class-types.js';
import { exerciseTitle } from './exercise-sheet.js';
import {
  type Ask,
  activationRegistry,
  answerOf,
  askName,
  askSymbol,
  type Exercise,
  type ExerciseForm,
  type ExerciseKind,
  exerciseForms,
  solve,
} from './exercise-types.js';
import { type MistakeId, mistakeTitles } from './mistakes.js';

/** One student's answer file: the id it is for (from its name), where it came from, the answers. */
export interface StudentAnswers {
  /** The student's id (the file's name without its extension, or the folder's name). */
  id: string;
  /** The file or folder, for messages. */
  source: string;
  /** The answers read from it. */
  answers: AnswerSet;
  /**
   * Every entry right within |given − exact| ≤ tolerance · max(1, |exact|) (answers typed into a platform's numeric
   * fields); default: fractions exactly, decimals within 1e-9 (as `nabla check`).
   */
  tolerance?: number;
  /**
   * The variant a course platform drew for each exercise (exercise → variant number; Moodle's random questions):
   * each such exercise is graded against that variant's, not the student's own.
   */
  drawn?: ReadonlyMap<number, number>;
}

/** One student's grade: their variant, their answers graded against it, and why they are flagged, if they are. */
export interface StudentGrade {
  /** The student's id. */
  id: string;
  /** Their variant's number in the class file. */
  variant: number;
  /** Their answer file, or undefined when none was handed in. */
  source: string | undefined;
  /** Their answers graded against their own variant, or the drawn ones (undefined without an answer file). */
  report: GradeReport | undefined;
  /** Why the answers look like another student's variant (empty when they do not). */
  flags: string[];
  /** The variant the platform drew per exercise, when it drew them (exercise → variant number). */
  drawn?: ReadonlyMap<number, number>;
}

/**
 * How many students made each classic mistake at one step (a matrix asked, e.g. Δ_2) of one exercise, and how many
 * got it right. A matrix asked by two exercises (∇_{W_1} f by the recursion and by a form) is two steps, and so is
 * one exercise answered in two forms (variants draw their form).
 */
export interface StepCount {
  /** The exercise asking it (its number). */
  exercise: number;
  /** What that exercise asks. */
  kind: ExerciseKind;
  /** For kind 'form': the form. */
  form?: ExerciseForm;
  /** The exercise's title, as the sheet gives it: "backpropagation", "the Kronecker form, eq. (4)". */
  exerciseTitle: string;
  /** The matrix by its file name: "D_2", "gradW_1", "f". */
  step: string;
  /** Its symbol: "Δ_2", "∇_{W_1} f". */
  symbol: string;
  /** Students graded at this step (handed in, not flagged, given this exercise in this form). */
  graded: number;
  /** Of these, right. */
  right: number;
  /** Wrong with no classic mistake recognised. */
  unexplained: number;
  /** Missing (not handed in for this exercise). */
  missing: number;
  /** Unreadable somewhere: an entry that is not a number, rows of different lengths (status 'unreadable'). */
  unreadable: number;
  /** Per classic mistake: how many students' answers at this step match it (a matrix matching two counts for both). */
  mistakes: {
    /** The mistake (mistakes.ts). */
    id: MistakeId;
    /** Its title, e.g. "Σ' forgotten". */
    title: string;
    /** How many students' answers at this step match it. */
    students: number;
  }[];
}

/** A graded class: each student's grade in class order, and the mistake counts per step. */
export interface ClassGrade {
  /** The course seed of the class file. */
  courseSeed: number;
  /** One per student of the class file, in its order (also those who handed nothing in). */
  students: StudentGrade[];
  /**
   * One per exercise (and form) and step asked, by exercise and then in the order a student computes them: the
   * forward pass, then Δ_k … Δ_1, then ∇_{W_i} f.
   */
  steps: StepCount[];
}

const KEY_ORDER = ['N', 'S', 'dS', 'f', 'D', 'gradW'];

/** The order of steps: the forward pass layer by layer (N, Σ, Σ' of each layer, then f), then Δ_k … Δ_1, ∇_k … ∇_1. */
function stepOrder(a: Ask, b: Ask): number {
  const forward = (x: Ask) => ['N', 'S', 'dS', 'f'].includes(x.key);
  if (forward(a) && forward(b)) {
    const ia = a.key === 'f' ? Number.POSITIVE_INFINITY : a.index!;
    const ib = b.key === 'f' ? Number.POSITIVE_INFINITY : b.index!;
    return ia - ib || KEY_ORDER.indexOf(a.key) - KEY_ORDER.indexOf(b.key);
  }
  return KEY_ORDER.indexOf(a.key) - KEY_ORDER.indexOf(b.key) || (b.index ?? 0) - (a.index ?? 0);
}

/** Each variant's exact answers, by "<exercise>.<matrix>". */
function answersOf(v: ClassVariant): Map<string, RMatrix> {
  const registry = activationRegistry(v.set.polynomials);
  const out = new Map<string, RMatrix>();
  for (const ex of v.set.exercises) {
    const sol = solve(ex, registry);
    for (const a of ex.asks) out.set(`${ex.id}.${askName(a)}`, answerOf(sol, a));
  }
  return out;
}

/** The variants' answers indexed by "<exercise>.<matrix>" and then by the exact value as text. */
type AnswerIndex = Map<string, Map<string, number[]>>;

function indexAnswers(keys: readonly Map<string, RMatrix>[]): AnswerIndex {
  const index: AnswerIndex = new Map();
  keys.forEach((key, j) => {
    for (const [name, m] of key) {
      let byValue = index.get(name);
      if (!byValue) index.set(name, (byValue = new Map()));
      const text = m.toStrings().join(';');
      byValue.set(text, [...(byValue.get(text) ?? []), j]);
    }
  });
  return index;
}

/**
 * How many given matrices equal each variant's answers (variant index → count): an exact matrix (fractions and
 * integers, no tolerance) is looked up by its value, others compared with every variant's.
 */
function rightPerVariant(
  answers: AnswerSet,
  keys: readonly Map<string, RMatrix>[],
  index: AnswerIndex,
  tolerance: number | undefined,
): Map<number, number> {
  const counts = new Map<number, number>();
  for (const m of answers.matrices) {
    if (m.problems.length > 0) continue;
    const name = `${m.exercise}.${askName(m.ask)}`;
    const byValue = index.get(name);
    if (!byValue) continue;
    const exact = tolerance === undefined && m.rows.every((row) => row.every((e) => !e.decimal));
    const hits = exact
      ? (byValue.get(m.rows.map((row) => row.map((e) => formatRational(e.value!)).join(',')).join(';')) ?? [])
      : keys.flatMap((key, j) => (givenEquals(m, key.get(name)!, tolerance) ? [j] : []));
    for (const j of hits) counts.set(j, (counts.get(j) ?? 0) + 1);
  }
  return counts;
}

/** Why a student's answers look like another variant's (empty when they do not). */
function flagsOf(
  s: StudentAnswers,
  own: ClassVariant,
  cls: ClassSet,
  keys: readonly Map<string, RMatrix>[],
  index: AnswerIndex,
  report: GradeReport,
): string[] {
  const flags: string[] = [];
  const byNumber = (n: number) => cls.variants.find((v) => v.variant === n);
  if (s.answers.student !== undefined && s.answers.student !== s.id)
    flags.push(`the file names student ${JSON.stringify(s.answers.student)}, not ${JSON.stringify(s.id)}`);
  if (s.answers.variant !== undefined && s.answers.variant !== own.variant) {
    const other = byNumber(s.answers.variant);
    flags.push(
      `the file says variant ${s.answers.variant}${other ? ` (student ${other.id}'s)` : ' (no such variant)'}, ` +
        `but ${s.id} has variant ${own.variant}`,
    );
  }
  // right for another variant rather than their own: at least half the matrices asked, and more than their own
  let found: { v: ClassVariant; right: number } | undefined;
  for (const [j, right] of rightPerVariant(s.answers, keys, index, s.tolerance)) {
    const v = cls.variants[j]!;
    if (
      (s.drawn || v !== own) &&
      (!found || right > found.right || (right === found.right && v.variant < found.v.variant))
    )
      found = { v, right };
  }
  if (found && found.right > report.right && found.right >= Math.max(2, Math.ceil(report.total / 2)))
    flags.push(
      `the answers are right for variant ${found.v.variant} (student ${found.v.id}'s): ${found.right} of ` +
        `${report.total} matrices, against ${report.right} for ` +
        (s.drawn ? 'the variants drawn for them' : `their own variant ${own.variant}`),
    );
  return flags;
}

/** The class's ids for messages: "33 ids: s001, s002, … s033". */
export function classIdsText(cls: ClassSet): string {
  const ids = cls.variants.map((v) => v.id);
  const shown = ids.length <= 3 ? ids.join(', ') : `${ids[0]}, ${ids[1]}, … ${ids[ids.length - 1]}`;
  return `${ids.length} id${ids.length === 1 ? '' : 's'}: ${shown}`;
}

/** An answer file that cannot be graded for the class: its source and why. */
export interface AnswerFileProblem {
  /** The answer file (or folder), as the caller named it. */
  source: string;
  /** One line: the file, what is wrong with it, and what is expected. */
  message: string;
}

/**
 * The answer files (their student ids and sources, in order) that cannot be graded for the class: an id that is not
 * in the class, or a second file for one id. Every such file is named, so that one message can list them all.
 */
export function answerFileProblems(
  cls: ClassSet,
  files: readonly Pick<StudentAnswers, 'id' | 'source'>[],
): AnswerFileProblem[] {
  const ids = new Set(cls.variants.map((v) => v.id));
  const first = new Map<string, string>();
  const problems: AnswerFileProblem[] = [];
  for (const f of files) {
    const earlier = first.get(f.id);
    if (!ids.has(f.id))
      problems.push({
        source: f.source,
        message:
          `${f.source}: there is no student ${JSON.stringify(f.id)} in the class (${classIdsText(cls)}); ` +
          'name each answer file by the id of its student',
      });
    else if (earlier !== undefined)
      problems.push({
        source: f.source,
        message: `${f.source}: a second answer file for student ${f.id} (the first is ${earlier})`,
      });
    else first.set(f.id, f.source);
  }
  return problems;
}

/**
 * Grades a class: each answer file against its student's own variant, flagging a student who answered another
 * variant; counts per step how many students made each classic mistake. Throws DataError naming every answer file
 * whose id is not in the class, or that is a second file for one id (answerFileProblems).
 */
export function gradeClass(cls: ClassSet, answers: readonly StudentAnswers[]): ClassGrade {
  const problems = answerFileProblems(cls, answers);
  if (problems.length > 0) throw new DataError(problems.map((p) => p.message).join('; '));
  const files = new Map(answers.map((s) => [s.id, s]));
  const keys = cls.variants.map(answersOf);
  const index = indexAnswers(keys);
  const students = cls.variants.map((v): StudentGrade => {
    const s = files.get(v.id);
    if (!s) return { id: v.id, variant: v.variant, source: undefined, report: undefined, flags: [] };
    const set = s.drawn ? drawnSet(cls, v, s.drawn) : v.set;
    const report = gradeAnswers(set, s.answers, s.tolerance === undefined ? {} : { tolerance: s.tolerance });
    const flags = flagsOf(s, v, cls, keys, index, report);
    return { id: v.id, variant: v.variant, source: s.source, report, flags, ...(s.drawn ? { drawn: s.drawn } : {}) };
  });
  return { courseSeed: cls.courseSeed, students, steps: stepCounts(cls, students) };
}

/** The student's exercises with each drawn one taken from the variant the platform drew. */
function drawnSet(cls: ClassSet, own: ClassVariant, drawn: ReadonlyMap<number, number>): ClassVariant['set'] {
  const exercises = own.set.exercises.map((ex) => {
    const n = drawn.get(ex.id);
    const v = n === undefined ? undefined : cls.variants.find((x) => x.variant === n);
    return v?.set.exercises.find((e) => e.id === ex.id) ?? ex;
  });
  return { ...own.set, exercises };
}

/** An exercise as the report groups it: its number, kind, form and layer (the asks follow from these). */
function groupOf(ex: Exercise): string {
  return `${ex.id} ${ex.kind} ${ex.form ?? ''} ${ex.layer ?? ''}`;
}

function stepCounts(cls: ClassSet, students: readonly StudentGrade[]): StepCount[] {
  const groups = new Map<string, Exercise>();
  for (const v of cls.variants)
    for (const ex of v.set.exercises) if (!groups.has(groupOf(ex))) groups.set(groupOf(ex), ex);
  const formOrder = (ex: Exercise) => (ex.form === undefined ? -1 : exerciseForms.indexOf(ex.form));
  const sorted = [...groups.values()].sort(
    (a, b) => a.id - b.id || formOrder(a) - formOrder(b) || (a.layer ?? 0) - (b.layer ?? 0),
  );
  const counted = students.filter((s) => s.report && s.flags.length === 0);
  return sorted.flatMap((ex) => {
    const answered = counted.flatMap((s) => s.report!.exercises.filter((e) => groupOf(e.exercise) === groupOf(ex)));
    return [...ex.asks].sort(stepOrder).map((ask) => countStep(ex, ask, answered));
  });
}

/** One step's counts over the students' grades of one exercise (in one form). */
function countStep(ex: Exercise, ask: Ask, answered: readonly ExerciseGrade[]): StepCount {
  const step = askName(ask);
  const mistakes = new Map<MistakeId, number>();
  let right = 0;
  let unexplained = 0;
  let missing = 0;
  let unreadable = 0;
  for (const e of answered) {
    const grades = e.matrices.filter((m) => askName(m.ask) === step);
    if (grades.every((m) => m.status === 'right')) right++;
    if (grades.some((m) => m.status === 'missing')) missing++;
    if (grades.some((m) => m.status === 'unreadable')) unreadable++;
    if (grades.some((m) => m.status === 'wrong' && m.mistakes.length === 0)) unexplained++;
    const ids = new Set(grades.flatMap((m) => m.mistakes.map((x) => x.id)));
    for (const id of ids) mistakes.set(id, (mistakes.get(id) ?? 0) + 1);
  }
  return {
    exercise: ex.id,
    kind: ex.kind,
    ...(ex.form === undefined ? {} : { form: ex.form }),
    exerciseTitle: exerciseTitle(ex),
    step,
    symbol: askSymbol(ask),
    graded: answered.length,
    right,
    unexplained,
    missing,
    unreadable,
    mistakes: (Object.keys(mistakeTitles) as MistakeId[])
      .filter((id) => mistakes.has(id))
      .map((id) => ({ id, title: mistakeTitles[id], students: mistakes.get(id)! })),
  };
}
