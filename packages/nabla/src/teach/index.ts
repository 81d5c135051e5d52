/**
 * For the lecturer: worked derivations (explain), exercise sheets with exact answer keys (exercises), and
 * grading a student's answers with the classic mistakes named (check). Documents render as Markdown, LaTeX
 * or HTML (KaTeX).
 */
export { heading, paragraph, equation, math, code, docFormats, equationTex } from './doc.js';
export type { Doc, Block, Inline, DocFormat } from './doc.js';
export { renderMarkdown } from './render-md.js';
export { renderLatex, texText } from './render-tex.js';
export { formatDecimal, texDecimal, texFloatMatrix, texExactMatrix, texDifference } from './numbers.js';
export { buildDerivation } from './derivation.js';
export type { ExplainForm, ColumnInfo, DerivationProblem, DerivationOptions } from './derivation-types.js';
export { stepBlock } from './step-block.js';
export { networkBlocks, nestedTex, productTex } from './network-function.js';
export { forwardBlocks } from './forward-pass.js';
export { formBlocks, formsFor } from './gradient-forms.js';
export type { FormBlocksOptions } from './gradient-forms.js';
export { agreementBlocks } from './agreement.js';
export { explain, exactProblem, floatProblem, exactColumns, floatColumns } from './explain.js';
export type { ExplainOptions } from './explain.js';
export {
  exerciseKinds,
  exerciseForms,
  answerKeys,
  askName,
  askSymbol,
  askTex,
  askShape,
  parseAskName,
  activationRegistry,
  solve,
  answerOf,
  asksFor,
} from './exercise-types.js';
export type { ExerciseKind, ExerciseForm, AnswerKey, Ask, Exercise, ExerciseSet, Solution } from './exercise-types.js';
export { generateExercises, MAX_EXERCISE_LAYERS, MAX_EXERCISE_WIDTH } from './exercise-generate.js';
export type { GenerateOptions } from './exercise-generate.js';
export { exerciseSheet, answerSkeleton } from './exercise-sheet.js';
export { answerKey } from './answer-key.js';
export { exercisesToJson, compactJson, EXERCISE_FORMAT, EXERCISE_FORMAT_VERSION } from './exercises.js';
export { parseExerciseFile } from './exercise-file.js';
export { parseAnswerJson, parseAnswerCsv, csvAnswerName, parseGivenEntry } from './answers.js';
export type { AnswerSet, GivenMatrix, GivenEntry } from './answers.js';
export { mistakenVariants, mistakeTitles } from './mistakes.js';
export type { MistakeId, Variant, GivenValues } from './mistakes.js';
export { gradeAnswers, givenEquals, entryMatches, matchMistakes, DECIMAL_TOLERANCE } from './check.js';
export type { GradeReport, ExerciseGrade, MatrixGrade, MatrixStatus, WrongEntry, MistakeMatch } from './check.js';
export { gradeTyped, answerText } from './typed-answer.js';
export type { TypedGrade, TypedEntry, TypedEntryStatus, TypedStatus, TypedOptions } from './typed-answer.js';
export { roundedActivation, decimalRegistry, decimalActivationNames, exerciseIsExact, DECIMAL_ANSWER_TOLERANCE } from './rounded-activation.js';
