/**
 * `nabla/teach`, for the lecturer: worked derivations (`explain`), exercise sheets with exact answer keys
 * (`generateExercises`, `exerciseSheet`, `answerKey`), and grading a student's answers with the classic mistakes
 * named (`gradeAnswers`, `gradeTyped`). Documents render as Markdown, LaTeX or HTML (KaTeX).
 *
 * @packageDocumentation
 */
export type { Doc, Block, Inline, DocFormat } from './teach/doc.js';
export { renderMarkdown } from './teach/render-md.js';
export { renderLatex } from './teach/render-tex.js';
export { formatDecimal } from './teach/numbers.js';
export { explain } from './teach/explain.js';
export type { ExplainForm } from './teach/derivation-types.js';
export { exerciseKinds, askName, askSymbol, askTex, askShape, activationRegistry, solve, answerOf, asksFor,
} from './teach/exercise-types.js';
export type { ExerciseKind, Ask, Exercise, Solution } from './teach/exercise-types.js';
export { generateExercises } from './teach/exercise-generate.js';
export { exerciseSheet } from './teach/exercise-sheet.js';
export { answerKey } from './teach/answer-key.js';
export { exercisesToJson } from './teach/exercises.js';
export { parseExerciseFile } from './teach/exercise-file.js';
export { parseAnswerJson, parseAnswerCsv, csvAnswerName, parseGivenEntry } from './teach/answers.js';
export type { AnswerSet } from './teach/answers.js';
export { gradeAnswers } from './teach/check.js';
export type { GradeReport, MatrixGrade, MistakeMatch } from './teach/check.js';
export { gradeTyped } from './teach/typed-answer.js';
export type { TypedGrade } from './teach/typed-answer.js';
export { decimalRegistry, exerciseIsExact, DECIMAL_ANSWER_TOLERANCE } from './teach/rounded-activation.js';
