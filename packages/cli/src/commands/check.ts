/**
 * `nabla check`: grade a student's answers entry by entry and name the classic mistake a wrong matrix matches.
 * Exit status 0 when every asked matrix is right, 1 otherwise (also unreadable files), 2 for usage mistakes.
 * With --class, grade a class: a gradebook and a class report written to --out, exit status 0 once written.
 *   nabla check --exercise exercises.json --answer answers.json|answers/   (a JSON file, or a folder of CSV files)
 *   nabla check --exercise class.json --class answers/ [--out class-report]
 */
import { readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { type Command, Option } from 'commander';
import { DataError, NablaError, OptionError } from 'nabla';
import { writeFilesAtomic } from 'nabla/node';
import {
  type AnswerSet,
  answerFileProblems,
  type ClassSet,
  csvAnswerName,
  type GradeReport,
  gradeAnswers,
  gradeClass,
  type MatrixGrade,
  parseAnswerCsv,
  parseAnswerJson,
  parseClassFile,
  parseExerciseFile,
  parseResultsCsv,
} from 'nabla/teach';
import type { CommandContext } from '../context.js';
import { InputOption, OutputOption } from '../option-rules.js';
import { gradebookCsv, reportHtml, reportJson } from '../render/class-report.js';

interface CheckCliOptions {
  exercise: string;
  answer?: string;
  class?: string;
  idColumn?: string;
  out?: string;
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
      else if (m.status === 'unreadable') {
        out.push(`${label}unreadable:`);
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
        "within 1e-9·max(1,|x|)), and say which classic mistake a wrong matrix matches: Σ' forgotten, W and Wᵀ swapped, " +
        'the product in the wrong order, an index shifted by one layer, the transpose on the wrong factor, … ' +
        'Answers: a JSON file {"exercises": [{"id": 1, "D": {"2": [["1"]]}, "gradW": {"1": [[…]]}}]} or a folder of CSV ' +
        'files named <exercise>.<matrix>_<i>.csv (see docs/lecturer.md). Exit status 0: all right; 1: something wrong. ' +
        'With --class (and class.json as --exercise): every student against their own variant, written to --out as ' +
        'gradebook.csv, report.html (a chart of the classic mistakes by step) and report.json; exit status 0 once ' +
        'written.',
    )
    .addOption(
      new InputOption(
        '--exercise <path>',
        'exercises.json written by nabla exercise (class.json with --class)',
      ).makeOptionMandatory(),
    )
    .addOption(
      new InputOption('--answer <path>', "the student's answers: a JSON file, a CSV file or a folder of CSV files"),
    )
    .addOption(
      new InputOption(
        '--class <path>',
        'grade a class: a folder of answer files (<id>.json or a folder <id>/ of CSV files, one per student), or a ' +
          "results CSV: Moodle's quiz Responses report, or nabla's own (id, variant, exercise, matrix, row, col, " +
          'response)',
      ),
    )
    .addOption(
      new Option(
        '--id-column <name>',
        'with a Moodle Responses report: the column holding the roster\'s ids (default: the first of "ID number", ' +
          '"Username", "Email address")',
      ),
    )
    .addOption(
      new OutputOption(
        '--out <dir>',
        'with --class: folder for gradebook.csv, report.html and report.json (default class-report)',
        { folder: true },
      ),
    )
    .action(async (opts: CheckCliOptions) => {
      if ((opts.answer === undefined) === (opts.class === undefined))
        throw new OptionError(
          opts.answer === undefined
            ? "required option --answer <path> (one student's answers) or --class <path> (a class's answer files) not specified"
            : `--answer ${opts.answer} and --class ${opts.class} contradict each other: give one`,
        );
      if (opts.class !== undefined) {
        await checkClass(ctx, opts, opts.class, opts.out ?? 'class-report');
        return;
      }
      if (opts.out !== undefined)
        throw new OptionError(`--out ${opts.out}: only --class writes files; one student's check prints its report`);
      if (opts.idColumn !== undefined)
        throw new OptionError(`--id-column ${opts.idColumn}: only for a Moodle Responses report (--class results.csv)`);
      const set = parseExerciseFile(await ctx.readText(opts.exercise), opts.exercise);
      const answers = await readAnswers(ctx, opts.answer!);
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

/** The answer files of a class folder: <id>.json, or a folder <id>/ of CSV files; names starting with a dot skipped. */
async function readClassAnswers(
  ctx: CommandContext,
  folder: string,
  cls: ClassSet,
  idColumn: string | undefined,
): Promise<Parameters<typeof gradeClass>[1]> {
  let names: string[];
  try {
    if (!(await stat(ctx.resolve(folder))).isDirectory()) {
      if (folder.toLowerCase().endsWith('.csv'))
        return parseResultsCsv(await ctx.readText(folder), folder, cls, idColumn === undefined ? {} : { idColumn });
      throw new DataError(
        `${folder}: is a file; --class expects a folder of answer files (<id>.json) or a results CSV (.csv)`,
      );
    }
    names = (await readdir(ctx.resolve(folder))).filter((n) => !n.startsWith('.')).sort();
  } catch (e) {
    if (e instanceof NablaError) throw e;
    await ctx.readText(folder); // the one message for a missing or unreadable path
    throw e;
  }
  if (idColumn !== undefined)
    throw new OptionError(`--id-column ${idColumn}: only for a Moodle Responses report (--class results.csv)`);
  if (names.length === 0)
    throw new DataError(`${folder}: no answer files; expected one per student, named <id>.json (or a folder <id>/)`);
  // every file is read before any problem is reported, so that one line names them all: first which files are
  // answer files of which student (the library says which ids the class refuses), then each of those is read
  const files: { name: string; id: string; source: string; isDir: boolean; answer: boolean }[] = [];
  for (const name of names) {
    const source = join(folder, name);
    const isDir = (await stat(ctx.resolve(source)).catch(() => undefined))?.isDirectory() ?? false;
    const answer = isDir || name.toLowerCase().endsWith('.json');
    files.push({ name, id: isDir ? name : name.slice(0, -5), source, isDir, answer });
  }
  const refused = new Map(
    answerFileProblems(
      cls,
      files.filter((f) => f.answer),
    ).map((p) => [p.source, p.message]),
  );
  const problems: { name: string; message: string }[] = [];
  const out: { id: string; source: string; answers: AnswerSet }[] = [];
  for (const f of files) {
    const message = !f.answer
      ? `${f.source}: not an answer file; the folder may hold only <id>.json files and <id>/ folders of CSV files`
      : refused.get(f.source);
    if (message !== undefined) {
      problems.push({ name: f.name, message });
      continue;
    }
    try {
      const answers = f.isDir
        ? await readAnswers(ctx, f.source)
        : parseAnswerJson(await ctx.readText(f.source), f.source);
      out.push({ id: f.id, source: f.source, answers });
    } catch (e) {
      if (!(e instanceof NablaError) || e instanceof OptionError) throw e;
      problems.push({ name: f.name, message: e.message });
    }
  }
  if (problems.length === 1) throw new DataError(problems[0]!.message);
  if (problems.length > 1) {
    // files with the same problem are named together: "a.txt, b.txt (not an answer file; …)"
    const groups = new Map<string, string[]>();
    for (const { name, message } of problems.slice(0, MAX_NAMED)) {
      const own = join(folder, name);
      const text = message.startsWith(`${own}: `)
        ? message.slice(own.length + 2)
        : message.startsWith(`${folder}/`)
          ? message.slice(folder.length + 1)
          : message;
      groups.set(text, [...(groups.get(text) ?? []), name]);
    }
    const shown = [...groups].map(([text, names]) => `${names.join(', ')} (${text})`);
    const more = problems.length > MAX_NAMED ? `; and ${problems.length - MAX_NAMED} more` : '';
    throw new DataError(`${folder}: ${problems.length} files cannot be graded: ${shown.join('; ')}${more}`);
  }
  return out;
}

/** At most this many files' problems are named in the line that refuses an answers folder. */
const MAX_NAMED = 5;

/** `--class`: grade every student against their own variant; write the gradebook and the report as one set. */
async function checkClass(ctx: CommandContext, opts: CheckCliOptions, folder: string, out: string): Promise<void> {
  const cls = parseClassFile(await ctx.readText(opts.exercise), opts.exercise);
  const grade = gradeClass(cls, await readClassAnswers(ctx, folder, cls, opts.idColumn));
  const files = [
    { name: 'gradebook.csv', data: gradebookCsv(grade) },
    { name: 'report.html', data: await reportHtml(grade) },
    { name: 'report.json', data: reportJson(grade) },
  ];
  await writeFilesAtomic(ctx.resolve(out), files, out);
  const handed = grade.students.filter((s) => s.report).length;
  const flagged = grade.students.filter((s) => s.flags.length > 0).length;
  ctx.print(
    `${handed} of ${grade.students.length} students graded` +
      `${flagged > 0 ? `, ${flagged} flagged (answered another student's variant)` : ''}: ` +
      files.map((f) => join(out, f.name)).join(', '),
  );
}
