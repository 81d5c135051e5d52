/**
 * `nabla check`: grade a student's answers entry by entry and name the classic mistake a wrong matrix matches.
 * Exit status 0 when every asked matrix is right, 1 otherwise (also unreadable files), 2 for usage mistakes.
 *   nabla check --exercise exercises.json --answer answers.json|answers/   (a JSON file, or a folder of CSV files)
 */
import { readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Command } from 'commander';
import { DataError, NablaError } from 'nabla';
import {
  type AnswerSet,
  csvAnswerName,
  type GradeReport,
  gradeAnswers,
  type MatrixGrade,
  parseAnswerCsv,
  parseAnswerJson,
  parseExerciseFile,
} from 'nabla/teach';
import type { CommandContext } from '../context.js';
import { InputOption } from '../option-rules.js';

interface CheckCliOptions {
  exercise: string;
  answer: string;
}

async function readAnswers(ctx: CommandContext, path: string): Promise<AnswerSet> {
  let isDir = false;
  try {
    isDir = (await stat(ctx.resolve(path))).isDirectory();
  } catch {
    // readText reports the missing file
  }
  if (!isDir && !path.toLowerCase().endsWith('.csv')) return parseAnswerJson(await ctx.readText(path), path);
  const files = isDir
    ? (await readdir(ctx.resolve(path))).filter((f) => f.toLowerCase().endsWith('.csv')).sort()
    : [basename(path)];
  if (files.length === 0)
    throw new DataError(
      `${path}: no .csv files; expected one file per matrix named like 1.D_2.csv, 1.gradW_1.csv, 2.f.csv`,
    );
  const matrices = [];
  for (const f of files) {
    const name = csvAnswerName(f);
    const shown = isDir ? join(path, f) : path;
    if (!name)
      throw new DataError(
        `${shown}: the file name does not say which matrix it holds; expected <exercise>.<matrix>_<i>.csv like 1.D_2.csv, 1.gradW_1.csv, 2.N_1.csv or 2.f.csv`,
      );
    matrices.push(parseAnswerCsv(await ctx.readText(shown), shown, name.exercise, name.ask));
  }
  return { matrices };
}

function entriesText(m: MatrixGrade): string {
  const shown = m.wrong
    .slice(0, 6)
    .map(
      (w) =>
        `(${w.row},${w.col}) is ${w.given}, expected ${w.expected}${w.close ? ' (close: give the fraction, or 10 or more digits)' : ''}`,
    );
  const more = m.wrong.length > 6 ? `; and ${m.wrong.length - 6} more` : '';
  return `${shown.join('; ')}${more}`;
}

export function reportText(r: GradeReport): string {
  const out: string[] = [];
  const width = Math.max(...r.exercises.flatMap((e) => e.matrices.map((m) => m.symbol.length)), 4);
  for (const e of r.exercises) {
    const right = e.matrices.filter((m) => m.status === 'right').length;
    const what =
      e.exercise.kind === 'form'
        ? `∇_{W_${e.exercise.layer ?? 1}} f by the ${e.exercise.form} form`
        : e.exercise.kind === 'forward'
          ? 'the forward pass'
          : 'backpropagation';
    out.push(
      `exercise ${e.id} (${what}; widths [${e.exercise.widths.join(', ')}]): ${right} of ${e.matrices.length} right`,
    );
    const pad = ' '.repeat(width + 4);
    for (const m of e.matrices) {
      const label = `  ${m.symbol.padEnd(width)}  `;
      if (m.status === 'right') out.push(`${label}right`);
      else if (m.status === 'missing') out.push(`${label}missing (expected ${m.expected.rows}×${m.expected.cols})`);
      else if (m.status === 'malformed') {
        out.push(`${label}not graded:`);
        for (const p of m.problems) out.push(`${pad}${p}`);
      } else {
        if (m.wrong.length > 0)
          out.push(
            `${label}wrong in ${m.wrong.length} of ${m.entries} entr${m.entries === 1 ? 'y' : 'ies'}: ${entriesText(m)}`,
          );
        else out.push(`${label}wrong:`);
        for (const p of m.problems) out.push(`${pad}${p}`);
        if (m.mistakes.length > 0) {
          const [first, ...rest] = m.mistakes;
          out.push(`${pad}probably ${first!.title}: ${first!.detail}`);
          for (const x of rest) out.push(`${pad}or ${x.title}: ${x.detail}`);
        }
      }
    }
    if (e.extra.length > 0) out.push(`  (not asked, used only to trace mistakes: ${e.extra.join(', ')})`);
  }
  for (const u of r.unknown) out.push(u);
  out.push(`score: ${r.right} of ${r.total} matrices right`);
  return `${out.join('\n')}\n`;
}

export function register(program: Command, ctx: CommandContext): void {
  program
    .command('check')
    .summary("grade a student's answers to an exercise set; exit status 0 only when all are right")
    .description(
      "Compare a student's answers with the exact answers of exercises.json, entry by entry (fractions exactly, decimals " +
        "within 1e-9·max(1,|x|)), and say which classic mistake a wrong matrix matches: Σ' forgotten, W instead of Wᵀ, " +
        'the product in the wrong order, an index shifted by one layer, the transpose on the wrong factor, … ' +
        'Answers: a JSON file {"exercises": [{"id": 1, "D": {"2": [["1"]]}, "gradW": {"1": [[…]]}}]} or a folder of CSV ' +
        'files named <exercise>.<matrix>_<i>.csv (see docs/lecturer.md). Exit status 0: all right; 1: something wrong.',
    )
    .addOption(new InputOption('--exercise <path>', 'exercises.json written by nabla exercise').makeOptionMandatory())
    .addOption(
      new InputOption(
        '--answer <path>',
        "the student's answers: a JSON file, a CSV file or a folder of CSV files",
      ).makeOptionMandatory(),
    )
    .action(async (opts: CheckCliOptions) => {
      const set = parseExerciseFile(await ctx.readText(opts.exercise), opts.exercise);
      const answers = await readAnswers(ctx, opts.answer);
      const report = gradeAnswers(set, answers);
      ctx.io.stdout.write(reportText(report));
      if (!report.allRight) {
        throw new NablaError(
          'data',
          `${report.total - report.right} of ${report.total} matrices are not right (see above)`,
        );
      }
    });
}
