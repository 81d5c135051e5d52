/**
 * `nabla exercise`: an exercise sheet, its answer key (exact fractions) and exercises.json for `nabla check`;
 * for a class (`--roster` or `--variants`), a sheet per student, one answer key and class.json for
 * `nabla check --class`. Same options and seed, same files byte for byte.
 *   nabla exercise [--seed N] [--count K] [--widths 2,2,1] [--activations relu,identity] [--kinds forward,backward,form]
 *                  [--format md|tex|html] [--out DIR] [--poly NAME=POLY …] [--roster FILE | --variants N]
 *                  [--explorer URL]   (with a class: links.csv, each student's link to the explorer's "Your turn")
 */
import { join } from 'node:path';
import { type Command, Option } from 'commander';
import { stringify } from 'csv-stringify/sync';
import { limits, OptionError } from 'nabla';
import { writeFilesAtomic } from 'nabla/node';
import {
  answerKey,
  classVariants,
  type DocFormat,
  type ExerciseKind,
  exerciseKinds,
  exerciseSheet,
  exercisesToJson,
  generateExercises,
  moodleXml,
  parseRoster,
  qtiPackage,
  studentLink,
} from 'nabla/teach';
import { polynomialsFrom } from '../activation-options.js';
import type { CommandContext } from '../context.js';
import { checkExerciseOutput } from '../exercise-output.js';
import { InputOption, OutputOption } from '../option-rules.js';
import { collect, parseInteger, parseIntList } from '../options.js';
import { documentText } from '../render/document.js';

interface ExerciseCliOptions {
  seed: string;
  count: string;
  widths: string;
  activations: string;
  kinds: string;
  format: DocFormat | 'moodle' | 'qti';
  out: string;
  poly: string[];
  roster?: string;
  idColumn?: string;
  variants?: string;
  explorer?: string;
}

export function register(program: Command, ctx: CommandContext): void {
  program
    .command('exercise')
    .summary('write an exercise sheet, its exact answer key and exercises.json (for nabla check)')
    .description(
      'Generate small networks with readable numbers (weights in {-2, …, 2} and halves) and questions on the forward pass, the ' +
        'recursion Δ_i and ∇_{W_i} f, or one form of the gradient; write exercises.<ext>, answers.<ext> (exact fractions, with ' +
        'the working) and exercises.json to --out. The same seed gives the same files byte for byte. For a class, ' +
        '--roster or --variants: a variant per student (its seed derived from --seed and the id by SHA-256), ' +
        'written as ' +
        'sheets/<id>.<ext>, one answers.<ext> for the class and class.json (for nabla check --class).',
    )
    .option('--seed <n>', 'seed of the random draws', '1')
    .option('--count <k>', 'number of exercises (1–50)', '3')
    .option('--widths <list>', 'n_0,…,n_k with n_k = 1 (at most 4 layers, widths up to 5)', '2,2,1')
    .option(
      '--activations <list>',
      'one activation per layer, or one for all: identity, relu, leaky_relu, square or a --poly name',
      'relu,identity',
    )
    .option(
      '--kinds <list>',
      `question kinds, cycled over the exercises: ${exerciseKinds.join(', ')}`,
      exerciseKinds.join(','),
    )
    .addOption(
      new Option(
        '--format <format>',
        'md, tex (pdflatex) or html (self-contained, KaTeX); moodle (Moodle XML, Cloze questions) or qti ' +
          '(QTI 2.1 package) for a course platform, written with exercises.json',
      )
        .choices(['md', 'tex', 'html', 'moodle', 'qti'])
        .default('md'),
    )
    .addOption(
      new OutputOption('--out <dir>', 'folder for the files written (created if missing)', { folder: true }).default(
        'exercises',
      ),
    )
    .option(
      '--poly <name=polynomial>',
      'a polynomial activation to use by name, e.g. cubic="x^3 - x" (repeatable)',
      collect,
      [],
    )
    .addOption(
      new InputOption(
        '--roster <file>',
        'students, one id per line or a CSV with a column named id: a variant and a sheet per student',
      ),
    )
    .option(
      '--id-column <name>',
      'with --roster: the header\'s column holding the ids (default: "id", else the first of "ID number", ' +
        '"Username", "Email address", as in a Moodle participants export)',
    )
    .option('--variants <n>', `numbered variants 1 … n (up to ${limits.classSize}), without a roster`)
    .option(
      '--explorer <url>',
      "with --roster or --variants: the explorer's http(s) address; also writes links.csv (id, variant, the link " +
        "that opens the student's variant in the explorer's Your turn)",
    )
    .action(async (opts: ExerciseCliOptions) => {
      if (opts.out === '-')
        throw new OptionError(
          '--out -: exercise writes a set of files (sheets, answer key, exercises.json or class.json); give a folder',
        );
      const seed = parseInteger('--seed', opts.seed, '7');
      const count = parseInteger('--count', opts.count, '3', { min: 1, max: 50 });
      const widths = parseIntList('--widths', opts.widths, '2,2,1', 2);
      const activations = opts.activations.split(',').map((s) => s.trim());
      if (activations.some((a) => a === ''))
        throw new OptionError(
          `--activations ${JSON.stringify(opts.activations)}: an empty name (example: --activations relu,identity)`,
        );
      const kinds = opts.kinds.split(',').map((s) => s.trim());
      for (const kind of kinds) {
        if (!exerciseKinds.includes(kind as ExerciseKind))
          throw new OptionError(
            `--kinds ${JSON.stringify(opts.kinds)}: "${kind}" is not one of ${exerciseKinds.join(', ')}`,
          );
      }
      const polys = polynomialsFrom(opts.poly);
      const polynomials = Object.fromEntries(
        Object.entries(polys).map(([name, a]) => [name, a.polynomial!.toString()]),
      );
      const options = { seed, count, widths, activations, polynomials, kinds: kinds as ExerciseKind[] };
      if (opts.idColumn !== undefined && opts.roster === undefined)
        throw new OptionError(
          `--id-column ${opts.idColumn}: names the roster's column of ids; give --roster FILE with it`,
        );
      if (opts.explorer !== undefined && opts.roster === undefined && opts.variants === undefined)
        throw new OptionError(
          `--explorer ${opts.explorer}: the links are one per student; give --roster FILE or --variants N with it`,
        );
      // the address is checked before the class is drawn
      if (opts.explorer !== undefined) explorerLink(opts.explorer, options, { id: '1', variant: 1, redraw: 0 });
      if (opts.roster !== undefined || opts.variants !== undefined) {
        await writeClass(ctx, opts, options);
        return;
      }
      const set = generateExercises(options);
      const ext = opts.format;
      const variants = [{ id: '1', variant: 1, set }];
      const category = `nabla seed ${seed}`;
      const files: { name: string; data: string | Uint8Array }[] =
        ext === 'moodle'
          ? [{ name: 'moodle.xml', data: moodleXml(variants, { category }) }]
          : ext === 'qti'
            ? [{ name: 'qti.zip', data: qtiPackage(variants, category) }]
            : [
                { name: `exercises.${ext}`, data: await documentText(exerciseSheet(set), ext) },
                { name: `answers.${ext}`, data: await documentText(answerKey(set), ext) },
              ];
      files.push({ name: 'exercises.json', data: exercisesToJson(set) });
      await checkExerciseOutput(ctx.resolve(opts.out), opts.out, files, false);
      // the sheet, its key and the JSON are written as one set: all of them, or none
      await writeFilesAtomic(ctx.resolve(opts.out), files, opts.out);
      ctx.print(
        `${set.exercises.length} exercise${set.exercises.length === 1 ? '' : 's'} (seed ${seed}) ` +
          `written to ${files.map((f) => join(opts.out, f.name)).join(', ')}`,
      );
    });
}

/** `--roster` or `--variants`: a sheet per student, one answer key for the class, and class.json. */
async function writeClass(
  ctx: CommandContext,
  opts: ExerciseCliOptions,
  options: Omit<Parameters<typeof classVariants>[0], 'ids'>,
): Promise<void> {
  if (opts.roster !== undefined && opts.variants !== undefined)
    throw new OptionError(
      `--roster ${opts.roster} and --variants ${opts.variants} contradict each other: give a roster (a variant per ` +
        'id) or a number of variants (ids 1 … n), not both',
    );
  const ids =
    opts.roster !== undefined
      ? parseRoster(
          await ctx.readText(opts.roster),
          opts.roster,
          opts.idColumn === undefined ? {} : { idColumn: opts.idColumn },
        )
      : Array.from(
          { length: parseInteger('--variants', opts.variants!, '30', { min: 1, max: limits.classSize }) },
          (_, j) => String(j + 1),
        );
  const cls = classVariants({ ...options, ids });
  const ext = opts.format;
  const files: { name: string; data: string | Uint8Array }[] = [];
  if (ext === 'moodle')
    files.push({ name: 'moodle.xml', data: moodleXml(cls.variants, { category: classCategory(cls.courseSeed) }) });
  else if (ext === 'qti')
    files.push({ name: 'qti.zip', data: qtiPackage(cls.variants, classCategory(cls.courseSeed)) });
  else {
    for (const v of cls.variants)
      files.push({ name: `sheets/${v.id}.${ext}`, data: await documentText(exerciseSheet(v), ext) });
    files.push({ name: `answers.${ext}`, data: await documentText(answerKey(cls), ext) });
  }
  files.push({ name: 'class.json', data: exercisesToJson(cls) });
  if (opts.explorer !== undefined) {
    const url = opts.explorer;
    const rows = cls.variants.map((v) => [v.id, v.variant, explorerLink(url, options, v)]);
    files.push({ name: 'links.csv', data: stringify(rows, { header: true, columns: ['id', 'variant', 'link'] }) });
  }
  await checkExerciseOutput(ctx.resolve(opts.out), opts.out, files, true);
  // every sheet, the key and class.json are written as one set: all of them, or none
  await writeFilesAtomic(ctx.resolve(opts.out), files, opts.out);
  const n = cls.variants.length;
  const what =
    ext === 'moodle' || ext === 'qti'
      ? join(opts.out, ext === 'moodle' ? 'moodle.xml' : 'qti.zip')
      : `${join(opts.out, 'sheets')}/<id>.${ext} (${n} sheet${n === 1 ? '' : 's'}), ${join(opts.out, `answers.${ext}`)}`;
  const links = opts.explorer === undefined ? '' : `, ${join(opts.out, 'links.csv')}`;
  ctx.print(
    `${n} variant${n === 1 ? '' : 's'} (course seed ${cls.courseSeed}) written to ${what}, ` +
      `${join(opts.out, 'class.json')}${links}`,
  );
}

/** A student's link to the explorer (`studentLink`), a bad address named by its flag. */
function explorerLink(
  url: string,
  options: Parameters<typeof studentLink>[1],
  student: Parameters<typeof studentLink>[2],
): string {
  try {
    return studentLink(url, options, student);
  } catch (e) {
    if (e instanceof OptionError) throw new OptionError(`--explorer: ${e.message}`);
    throw e;
  }
}

/** The question category of a class in Moodle and the QTI test's title. */
function classCategory(courseSeed: number): string {
  return `nabla course seed ${courseSeed}`;
}
