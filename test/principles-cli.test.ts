// The CLI's principles over every command and every option as commander registers them (not a hand list): an empty
// value is refused, two outputs naming one file are refused, an output naming a file an input option reads is
// refused, an output's name must end in an extension it writes (and agree with --format), `--x` with `--no-x` is
// refused, and nothing is printed or written before every check.
import { mkdtempSync } from 'node:fs';
import { mkdir, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProgram } from '../packages/cli/src/main.js';
import { InputOption, OutputOption } from '../packages/cli/src/option-rules.js';
import { NonFiniteError, OptionError } from '../packages/nabla/src/errors.js';
import { workedGradient } from '../packages/nabla/src/grad/worked.js';
import { fromColumns, fromRows } from '../packages/nabla/src/linalg/matrix.js';
import { getActivation } from '../packages/nabla/src/net/activation.js';
import { Column } from '../packages/nabla/src/net/column.js';
import { Network } from '../packages/nabla/src/net/network.js';
import { exportOnnx } from '../packages/nabla/src/onnx/export.js';
import { type CliRun, cliIn } from './helpers/cli.js';

/** Values of the mandatory options that are not files (an unknown one shows up as a failing guard below). */
const requiredValues: Record<string, string> = { '--widths': '2,2,1' };
const program = createProgram({ stdout: { write: () => true }, stderr: { write: () => true } });
const commandList = program.commands.map((c) => ({
  name: c.name(),
  valued: c.options.filter((o) => o.required || o.optional).map((o) => o.long!),
  flags: c.options.filter((o) => !o.required && !o.optional).map((o) => o.long!),
  outputs: c.options.filter((o): o is OutputOption => o instanceof OutputOption),
  inputs: c.options.filter((o): o is InputOption => o instanceof InputOption),
  options: c.options,
  negatable: c.options
    .filter((o) => o.negate)
    .map((n) => [c.options.find((o) => !o.negate && o.attributeName() === n.attributeName())?.long, n.long!] as const)
    .filter((pair): pair is readonly [string, string] => pair[0] !== undefined),
  /** What the command cannot start without (mandatory options; an input may name a file not there: checked later). */
  required: c.options
    .filter((o) => o.mandatory && !(o instanceof OutputOption))
    .flatMap((o) => [o.long!, o instanceof InputOption ? `needed${o.long}.dat` : (requiredValues[o.long!] ?? '?')]),
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
    expect(train.inputs.map((o) => o.long)).toEqual(['--data', '--test', '--model', '--resume']);
    const inputs = commandList.flatMap((c) => c.inputs.map((o) => `${c.name} ${o.long}`));
    expect(inputs).toEqual(
      expect.arrayContaining([
        'predict --model',
        'predict --input',
        'export --model',
        'import --from',
        'check --answer',
      ]),
    );
    expect(train.negatable).toEqual(expect.arrayContaining([['--header', '--no-header']]));
    for (const c of commandList) expect(c.required, c.name).not.toContain('?');
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
            // not both of a pair --x / --no-x: that is refused for itself (below)
            fc.subarray(
              c.flags.filter((f) => !['--help', '--debug'].includes(f) && !c.negatable.some((p) => p[1] === f)),
            ),
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

describe('no output names a file an input option reads', () => {
  const pairs = commandList.flatMap((c) =>
    c.outputs.filter((o) => !o.output.folder).flatMap((out) => c.inputs.map((input) => ({ c, out, input }))),
  );
  it('every command with inputs and outputs has its pairs here', () => {
    // a guard on the enumeration: the commands that read and write files (hand-checked against their sources)
    const names = [...new Set(pairs.map((p) => p.c.name))].sort();
    expect(names).toEqual(['explain', 'export', 'import', 'predict', 'train']);
  });
  it(`each of ${pairs.length} (output, input) pairs, however the path is spelled`, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...pairs),
        fc.constantFrom('plain', 'dot', 'up', 'absolute', 'link'),
        fc.boolean(),
        async ({ c, out, input }, spelling, exists) => {
          await freshDir();
          await mkdir(join(dir, 'sub'));
          const ext = Object.keys(out.output.extensions ?? { '.json': '' })[0]!; // a name the output may write
          const name = `same${ext}`;
          if (exists) await writeFile(join(dir, name), 'the input: must stay as it is');
          await symlink(join(dir, name), join(dir, 'link'));
          const spelled = {
            plain: name,
            dot: `./${name}`,
            up: `sub/../${name}`,
            absolute: join(dir, name),
            link: 'link',
          };
          const args = c.required.slice();
          const at = args.indexOf(input.long!);
          if (at >= 0) args.splice(at, 2); // the input under test replaces its placeholder
          const before = (await readdir(dir)).sort();
          const r = await run(c.name, ...args, input.long!, name, out.long!, spelled[spelling]);
          expectRefusal(r, c.name, [out.long!, input.long!, 'would overwrite'], 2);
          expect((await readdir(dir)).sort()).toEqual(before);
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe("an output's name ends in an extension it writes, agreeing with --format", () => {
  const files = commandList.flatMap((c) =>
    c.outputs.filter((o) => o.output.extensions && !o.output.folder).map((out) => ({ c, out })),
  );
  it('every file output declares its extensions', () => {
    const undeclared = commandList.flatMap((c) =>
      c.outputs.filter((o) => !o.output.folder && !o.output.extensions).map((o) => `${c.name} ${o.long}`),
    );
    expect(undeclared).toEqual([]);
    expect(files.length).toBeGreaterThanOrEqual(8);
  });
  it(`each of ${files.length} file outputs: another extension is refused, naming the accepted ones`, async () => {
    const others = ['.txt', '.pdf', '.gif', '.jsn', '.onnx', '.csv', '.json', '.md', '.svg', '.html', ''];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...files), fc.constantFrom(...others), async ({ c, out }, ext) => {
        const accepted = Object.keys(out.output.extensions!);
        fc.pre(!accepted.includes(ext));
        await freshDir();
        const r = await run(c.name, ...c.required, out.long!, `written${ext}`);
        expectRefusal(r, c.name, [out.long!, `written${ext}`, ...accepted], 2);
        expect(await readdir(dir)).toEqual([]);
      }),
      { numRuns: 60 },
    );
  });
  it('an explicit format contradicting the extension is refused, naming both', async () => {
    const contradictions = files.flatMap(({ c, out }) => {
      const option = c.options.find((o) => o.attributeName() === out.output.formatOption);
      if (!option?.argChoices) return [];
      const exts = Object.entries(out.output.extensions!);
      return option.argChoices.flatMap((format) =>
        exts.filter(([, f]) => f !== format).map(([ext]) => ({ c, out, flag: option.long!, format, ext })),
      );
    });
    expect(contradictions.map((x) => `${x.c.name} ${x.flag} ${x.format} ${x.ext}`)).toContain(
      'explain --format tex .html',
    );
    for (const { c, out, flag, format, ext } of contradictions) {
      await freshDir();
      const r = await run(c.name, ...c.required, flag, format, out.long!, `d${ext}`);
      expectRefusal(r, c.name, [flag, format, `d${ext}`, 'contradict'], 2);
    }
  });
});

describe('a flag and its negation together are refused', () => {
  const pairs = commandList.flatMap((c) => c.negatable.map(([pos, neg]) => ({ c, pos, neg })));
  it(`each of ${pairs.length} pairs --x / --no-x, in either order`, async () => {
    expect(pairs.length).toBeGreaterThanOrEqual(4); // train, eval and predict's --header, train's --save-optimizer
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...pairs), fc.boolean(), async ({ c, pos, neg }, swap) => {
        await freshDir();
        const r = await run(c.name, ...c.required, ...(swap ? [neg, pos] : [pos, neg]));
        expectRefusal(r, c.name, [pos, neg, 'contradict'], 2);
        expect(await readdir(dir)).toEqual([]);
      }),
      { numRuns: 30 },
    );
  });
});

describe('check first, then work: nothing printed or written before a refusal', () => {
  const files: Record<string, string> = {
    'three.csv': 'a,b,c,y\n1,2,3,x\n3,4,5,z\n5,6,7,x\n',
    'two.csv': 'a,b,y\n1,2,x\n3,4,z\n5,6,x\n',
    'other.csv': 'a,c,y\n1,2,x\n3,4,z\n',
    'one.csv': 'a,b,y\n1,2,x\n3,4,x\n5,6,x\n',
    'x3.json': '[[1, 2, 3]]',
    'bin.csv': 'a,b,y\n0,0,0\n0,1,1\n1,0,1\n1,1,0\n',
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
    [
      'train: a loss that does not fit the network (softmax-ce, one regression output)',
      ['train', '--data', p('bin.csv'), '--task', 'regression', '--loss', 'softmax-ce'],
      ['softmax-ce'],
    ],
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

// Never a silent non-finite result: the float worked gradient (nabla grad, explain, Model#gradient) refuses a NaN or
// an infinity, naming the symbol, its layer and the entry. The overflows are worked by hand: 1e308 + 1e308 > 1.8e308.
describe('the worked gradient never returns a non-finite number', () => {
  const identity = (w: number) => Column.uniform(getActivation('identity'), w);
  const refusal = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      return e;
    }
    throw new Error('no error');
  };
  it('an overflow in the forward pass: N_1 = 1e308 + 1e308', () => {
    const net = new Network([2, 1, 1], [fromRows([[1, 1]]), fromRows([[1]])], [identity(1), identity(1)]);
    const e = refusal(() => workedGradient(net, fromColumns([[1e308, 1e308]])));
    expect(e).toBeInstanceOf(NonFiniteError);
    expect((e as NonFiniteError).code).toBe('non-finite');
    expect((e as Error).message).toMatch(/^N_1 \(layer 1\) is Infinity at row 1, column 1: .*float64/);
  });
  it('an overflow in the gradient only: ∇W_1 = Δ_1·Xᵀ = 1e200·1e200 (N_1 = 1, N_2 = 1e200 are finite)', () => {
    const net = new Network([1, 1, 1], [fromRows([[1e-200]]), fromRows([[1e200]])], [identity(1), identity(1)]);
    const e = refusal(() => workedGradient(net, fromColumns([[1e200]]), { forms: 'all' }));
    expect(e).toBeInstanceOf(NonFiniteError);
    expect((e as Error).message).toMatch(/^∇W_1 \(layer 1\) is Infinity at row 1, column 1/);
  });
  it('float32 overflows at 3.4e38: N_1 = 1e20·1e20', () => {
    const f32 = new Network([1, 1], [fromRows([[1e20]], 'W', 'float32')], [identity(1)]);
    const e = refusal(() => workedGradient(f32, fromColumns([[1e20]], 'X', 'float32')));
    expect((e as Error).message).toMatch(/^N_1 \(layer 1\) is Infinity .*float32/);
  });
  it('finite results pass (a hand-worked gradient: ∇W_1 = W_2ᵀ·Xᵀ = 2·3)', () => {
    const net = new Network([1, 1, 1], [fromRows([[1]]), fromRows([[2]])], [identity(1), identity(1)]);
    expect(
      workedGradient(net, fromColumns([[3]]))
        .gradW.get(1)
        .toRows(),
    ).toEqual([[6]]);
  });
  it('nabla grad refuses with one line', async () => {
    await freshDir();
    await writeFile(join(dir, 'big.json'), '[1e308, 1e308]');
    await writeFile(
      join(dir, 'id.json'),
      JSON.stringify({
        format: 'nabla-model',
        version: 1,
        dtype: 'float64',
        widths: [2, 1, 1],
        layers: [
          { W: [[1, 1]], activation: 'identity' },
          { W: [[1]], activation: 'identity' },
        ],
      }),
    );
    expectRefusal(await run('grad', '--model', 'id.json', '--input', 'big.json'), 'grad', ['N_1', 'Infinity']);
  });
});

describe('a diverged run reports on one line', () => {
  it('the diagnosis and where the last finite weights went', async () => {
    await freshDir();
    const rows = Array.from({ length: 40 }, (_, i) => `${i},${i * 2},${i * 1000}`).join('\n');
    await writeFile(join(dir, 'reg.csv'), `a,b,y\n${rows}\n`);
    const r = await run(
      'train',
      ...[
        '--data',
        join(dir, 'reg.csv'),
        '--task',
        'regression',
        '--lr',
        '1e9',
        '--optimizer',
        'sgd',
        '--schedule',
        'constant',
      ],
      ...['--epochs', '50', '--quiet', '--out', 'div.json'],
    );
    expect(r.status).toBe(1);
    expect(r.stderr.split('\n'), r.stderr).toHaveLength(2); // one line and its newline
    expect(r.stderr).toMatch(
      /^nabla train: training diverged at epoch \d+.*; training stopped, and .* written to div\.json$/m,
    );
  });
});

describe('exportOnnx refuses what is not a model', () => {
  it.each([
    ['null', null],
    ['a plain object', { hello: 1 }],
    ['an empty object', {}],
    ['a number', 42],
    ['{ network } that is not a Network', { network: { n: [2, 1] } }],
  ])('%s', (_what, value) => {
    expect(() => exportOnnx(value as never)).toThrow(OptionError);
    expect(() => exportOnnx(value as never)).toThrow(/^exportOnnx: the model is .*; expected a Model/);
  });
});
