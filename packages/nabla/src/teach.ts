/**
 * `nabla/teach`, for the lecturer: worked derivations (`explain`), exercise sheets with exact answer keys, and
 * grading with the classic mistakes named (`gradeAnswers`, `gradeTyped`), in Markdown, LaTeX or HTML (KaTeX).
 * @packageDocumentation
 */

export { answerKey } from './teach/answer-key.js';
export type { AnswerSet } from './teach/answers.js';
export { csvAnswerName, parseAnswerCsv, parseAnswerJson, parseGivenEntry } from './teach/answers.js';
export type { GradeReport, MatrixGrade, MistakeMatch } from './teach/check.js';
export { gradeAnswers } from './teach/check.js';
export { answerFileProblems, gradeClass } from './teach/class-check.js';
export { parseClassFile } from './teach/class-file.js';
export type { ClassSet } from './teach/class-types.js';
export { classVariants } from './teach/class-variants.js';
export type { ExplainForm } from './teach/derivation-types.js';
export type { Block, Doc, DocFormat, Inline } from './teach/doc.js';
export { parseExerciseFile } from './teach/exercise-file.js';
export { generateExercises } from './teach/exercise-generate.js';
export { exerciseSheet } from './teach/exercise-sheet.js';
export type { Ask, Exercise, ExerciseKind, Solution } from './teach/exercise-types.js';
export {
  activationRegistry,
  answerOf,
  askName,
  askShape,
  askSymbol,
  asksFor,
  askTex,
  exerciseKinds,
  solve,
} from './teach/exercise-types.js';
export { exercisesToJson } from './teach/exercises.js';
export { explain } from './teach/explain.js';
export type { MoodleOptions } from './teach/moodle.js';
export { moodleXml } from './teach/moodle.js';
export { formatDecimal } from './teach/numbers.js';
export { qtiPackage } from './teach/qti.js';
export { renderMarkdown } from './teach/render-md.js';
export { renderLatex } from './teach/render-tex.js';
export { parseResultsCsv } from './teach/results-csv.js';
export { parseRoster } from './teach/roster.js';
export { DECIMAL_ANSWER_TOLERANCE, decimalRegistry, exerciseIsExact } from './teach/rounded-activation.js';
export { readStudentLink, studentLink } from './teach/student-link.js';
export type { TypedGrade } from './teach/typed-answer.js';
export { gradeTyped } from './teach/typed-answer.js';
