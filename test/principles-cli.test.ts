// The CLI's principles over every command and every option as commander registers them (not a hand list): an empty
// value is refused, two outputs naming one file are refused, and nothing is printed or written before every check.
import { mkdtempSync } from 'node:fs';
import { mkdir, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProgram } from '../packages/cli/src/main.js';
import { OutputOption } from '../packages/cli/src/option-rules.js';
import { type CliRun, cliIn } from './helpers/cli.js';

const program = createProgram({ stdout: { write: () => true }, stderr: { write: () => true } });
const commandList = program.commands.map((c) => ({
  name: c.name(),
  valued: c.options.filter((o) => o.required || o.optional).map((o) => o.long!),
  flags: c.options.filter((o) => !o.required && !o.optional).map((o) => o.long!),
  outputs: c.options.filter((o): o is OutputOption => o instanceof OutputOption),
}));

const root = mkdtempSync(join(tmpdir(), 'nabla-principles-cli-'));
let dir: string; // each case runs in a fresh folder
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});
const { run } = cliIn(() => dir);
let serial = 0;
async function freshDir(): Promise<string> {
  dir = join(root, `case-${serial++}`);
  await mkdir(dir);
  return dir;
}

/** The contract of a refusal: the exit status, one stderr line naming `names`, nothing on stdout. */
function expectRefusal(r: CliRun, command: string, names: readonly string[], status?: number): void {
  const what = `${r.stderr}${r.stdout}`;
  expect(r.status, what).not.toBe(0);
  if (status !== undefined) expect(r.status, what).toBe(status);
  expect(r.stdout).toBe('');
  expect(r.stderr.split('\n'), r.stderr).toHaveLength(2); // one line and its newline
  expect(r.stderr.startsWith(`nabla ${command}: `), r.stderr).toBe(true);
  for (const n of names) expect(r.stderr).toContain(n);
  expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
}

describe('the options as commander has them', () => {
  it('are found: every command, the options that take a value and the outputs', () => {
    // a guard on the enumeration the properties below run over (hand-checked against the commands' sources)
    const names = commandList.map((c) => c.name);
    expect(names).toEqual(expect.arrayContaining(['train', 'eval', 'predict', 'grad', 'explain', 'exercise']));
    const train = commandList.find((c) => c.name === 'train')!;
    expect(train.valued).toEqual(expect.arrayContaining(['--layers', '--model', '--resume', '--test', '--out']));
    expect(train.outputs.map((o) => o.long)).toEqual(['--out', '--plot', '--checkpoint']);
    expect(commandList.reduce((s, c) => s + c.valued.length, 0)).toBeGreaterThan(60);
  });
});

describe('an empty value is refused, for every option of every command', () => {
  for (const c of commandList) {
    it(`nabla ${c.name}: each of ${c.valued.length} options`, async () => {
      for (const flag of c.valued) {
        await fc.assert(
          fc.asyncProperty(
            fc.constantFrom('', ' ', '  ', '\t'),
            fc.boolean(),
            fc.subarray(c.flags.filter((f) => !['--help', '--debug'].includes(f))),
            async (empty, joined, before) => {
              await freshDir();
              const r = await run(c.name, ...before, ...(joined ? [`${flag}=${empty}`] : [flag, empty]));
              expectRefusal(r, c.name, [flag, 'empty'], 2);
              expect(await readdir(dir)).toEqual([]); // no file created
            },
          ),
          { numRuns: 4 },
        );
      }
    });
  }
});

// what a command needs besides its outputs to start at all, kept fast (a run that got through would write files)
const baseArgs: Record<string, string[]> = {
  train: ['--data', 'synthetic:xor', '--epochs', '1', '--quiet', '--layers', '2,3,2'],
};

describe('two outputs of one command naming the same file are refused', () => {
  for (const c of commandList.filter((c) => c.outputs.length > 1)) {
    it(`nabla ${c.name}: every pair of ${c.outputs.map((o) => o.long).join(', ')}`, async () => {
      expect(baseArgs[c.name], `add the arguments nabla ${c.name} needs to baseArgs`).toBeDefined();
      const pairs = c.outputs.flatMap((a, i) => c.outputs.slice(i + 1).map((b) => [a, b] as const));
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...pairs),
          fc.constantFrom('same.svg', 'same.png', 'same.json'),
          fc.constantFrom('plain', 'dot', 'up', 'absolute', 'link', 'placeholder'),
          fc.boolean(),
          async ([a, b], name, spelling, swap) => {
            await freshDir();
            await mkdir(join(dir, 'sub'));
            await symlink(join(dir, name), join(dir, 'link')); // dangling: the file is not there yet
            const other = {
              plain: name,
              dot: `./${name}`,
              up: `sub/../${name}`,
              absolute: join(dir, name),
              link: 'link',
              placeholder: name,
            }[spelling];
            let [va, vb]: string[] = [name, other];
            // an output with a placeholder ({epoch}) stands for every file it names: m{epoch}.json covers m3.json
            const ph = [a, b].find((o) => o.output.placeholder !== undefined);
            if (spelling === 'placeholder' && ph) {
              const pattern = name.replace('.', `${ph.output.placeholder}.`);
              const instance = name.replace('.', '3.');
              [va, vb] = ph === a ? [pattern, instance] : [instance, pattern];
            } else if (swap) [va, vb] = [vb, va];
            const before = (await readdir(dir)).sort();
            const r = await run(c.name, ...baseArgs[c.name]!, a.long!, va, b.long!, vb);
            expectRefusal(r, c.name, [a.long!, b.long!, 'the same file'], 2);
            expect((await readdir(dir)).sort()).toEqual(before);
          },
        ),
        { numRuns: 30 },
      );
    });
  }
});

describe('check first, then work: nothing printed or written before a refusal', () => {
  const files: Record<string, string> = {
    'three.csv': 'a,b,c,y\n1,2,3,x\n3,4,5,z\n5,6,7,x\n',
    'two.csv': 'a,b,y\n1,2,x\n3,4,z\n5,6,x\n',
    'other.csv': 'a,c,y\n1,2,x\n3,4,z\n',
    'one.csv': 'a,b,y\n1,2,x\n3,4,x\n5,6,x\n',
    'x3.json': '[[1, 2, 3]]',
  };
  const data = join(root, 'data');
  beforeAll(async () => {
    dir = data;
    await mkdir(data);
    for (const [name, text] of Object.entries(files)) await writeFile(join(data, name), text);
    // a model taking 4 features (2 classes), made by the CLI itself
    const r = await run('init', '--widths', '4,3,2', '--affine', '--out', 'm4.json');
    expect(r.status, r.stderr).toBe(0);
  });
  const p = (name: string) => join(data, name);

  const cases: [string, string[], string[]][] = [
    ['train: a --model taking 4 features on 3', ['train', '--data', p('three.csv'), '--model', p('m4.json')], ['4']],
    ['train: a one-class target', ['train', '--data', p('one.csv')], ['one.csv']],
    [
      'train: a --test file with other columns',
      ['train', '--data', p('two.csv'), '--test', p('other.csv')],
      ['--test'],
    ],
    ['train: an unwritable --plot', ['train', '--data', 'synthetic:xor', '--plot', 'nowhere/c.svg'], ['nowhere']],
    ['train: an unwritable --checkpoint', ['train', '--data', 'synthetic:xor', '--checkpoint', 'no/m.json'], ['no']],
    ['eval: a model taking 4 features on 3', ['eval', '--model', p('m4.json'), '--data', p('three.csv')], ['4']],
    [
      'eval: --target on synthetic data',
      ['eval', '--model', p('m4.json'), '--data', 'synthetic:xor', '--target', 'y'],
      ['--target'],
    ],
    [
      'predict: samples of 3 for a model of 4',
      ['predict', '--model', p('m4.json'), '--input', p('x3.json'), '--out', 'p.csv'],
      ['4'],
    ],
    [
      'export: a --poly name given twice',
      ['export', '--model', p('m4.json'), '--out', 'm.onnx', '--poly', 'c=x^3', '--poly', 'c=x^2'],
      ['c'],
    ],
    ['exercise: --out names a file', ['exercise', '--out', p('two.csv')], ['folder']],
  ];
  for (const [what, argv, names] of cases) {
    it(what, async () => {
      await freshDir(); // the outputs (model.json by default, p.csv, m.onnx, …) would land here
      const r = await run(...argv, ...(argv[0] === 'train' ? ['--epochs', '1', '--quiet'] : []));
      expectRefusal(r, argv[0]!, names);
      expect(await readdir(dir)).toEqual([]);
    });
  }
});
