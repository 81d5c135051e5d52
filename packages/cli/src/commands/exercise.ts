/**
 * `nabla exercise`: an exercise sheet, its answer key (exact fractions) and exercises.json for `nabla check`;
 * same options and seed, same files byte for byte.
 *   nabla exercise [--seed N] [--count K] [--widths 2,2,1] [--activations relu,identity] [--kinds forward,backward,form]
 *                  [--format md|tex|html] [--out DIR] [--poly NAME=POLY …]
 */
import { join } from 'node:path';
import { type Command, Option } from 'commander';
import { OptionError } from 'nabla';
import { writeFilesAtomic } from 'nabla/node';
import {
  answerKey,
  type DocFormat,
  type ExerciseKind,
  exerciseKinds,
  exerciseSheet,
  exercisesToJson,
  generateExercises,
  moodleXml,
  qtiPackage,
} from 'nabla/teach';
import { polynomialsFrom } from '../activation-options.js';
import type { CommandContext } from '../context.js';
import { OutputOption } from '../option-rules.js';
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
}

export function register(program: Command, ctx: CommandContext): void {
  program
    .command('exercise')
    .summary('write an exercise sheet, its exact answer key and exercises.json (for nabla check)')
    .description(
      'Generate small networks with readable numbers (weights in {-2, …, 2} and halves) and questions on the forward pass, the ' +
        'recursion Δ_i and ∇_{W_i} f, or one form of the gradient; write exercises.<ext>, answers.<ext> (exact fractions, with ' +
        'the working) and exercises.json to --out. The same seed gives the same files byte for byte.',
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
      new OutputOption('--out <dir>', 'folder for the three files (created if missing)', { folder: true }).default(
        'exercises',
      ),
    )
    .option(
      '--poly <name=polynomial>',
      'a polynomial activation to use by name, e.g. cubic="x^3 - x" (repeatable)',
      collect,
      [],
    )
    .action(async (opts: ExerciseCliOptions) => {
      if (opts.out === '-')
        throw new OptionError(
          '--out -: exercise writes a set of files (sheet, answer key, exercises.json); give a folder',
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
      const set = generateExercises({ seed, count, widths, activations, polynomials, kinds: kinds as ExerciseKind[] });
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
      // the sheet, its key and the JSON are written as one set: all of them, or none
      await writeFilesAtomic(ctx.resolve(opts.out), files, opts.out);
      ctx.print(
        `${set.exercises.length} exercise${set.exercises.length === 1 ? '' : 's'} (seed ${seed}) ` +
          `written to ${files.map((f) => join(opts.out, f.name)).join(', ')}`,
      );
    });
}
