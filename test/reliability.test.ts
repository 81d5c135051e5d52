// Issue 11's cases, one by one, as a user meets them through the CLI: every bad input is refused with one line
// (never "internal error", never a huge echo), before any work starts and before any output file is opened; no
// run loses or corrupts a model. Expected messages are written by hand here.

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadNetworkFile } from 'nabla/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firstNonFinite } from '../packages/nabla/src/linalg/matrix.js';
import { cliIn, type CliRun as Result } from './helpers/cli.js';
import { idx } from './helpers/idx.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'nabla-reliability-'));
  // a small trained model of 2 inputs and 2 classes, the subject of the predict cases
  expect(
    (await run('train', '--data', 'synthetic:xor', '--layers', '2,4,2', '--epochs', '2', '--out', 'm.json', '--quiet'))
      .status,
  ).toBe(0);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
const { run } = cliIn(() => dir);

/** One clean line on stderr, exit status `status`, and nothing that looks like a crash. */
function refused(r: Result, status: number, pattern: RegExp): void {
  expect(r.status, r.stderr).toBe(status);
  expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(r.stderr).not.toMatch(/internal error| {4}at /);
  expect(r.stderr).toMatch(pattern);
}

const file = async (name: string, text: string | Buffer) => {
  await writeFile(join(dir, name), text);
  return name;
};

describe('predict reads CSV with the same reader as train', () => {
  it('refuses ragged rows and unterminated quotes naming the line and the column', async () => {
    refused(
      await run('predict', '--model', 'm.json', '--input', await file('ragged.csv', 'a,b\n1,2\n3\n')),
      1,
      /^nabla predict: ragged\.csv: line 3 has 1 field, expected 2 like the header \[a, b\]: column "b" is missing\n$/,
    );
    refused(
      await run('predict', '--model', 'm.json', '--input', await file('quote.csv', 'a,b\n"1,2\n')),
      1,
      /^nabla predict: quote\.csv: not valid CSV \(near line 2\): a quoted field is never closed/,
    );
  });

  it('reads numbers as train does: 0x10 is refused, a BOM is stripped, a headerless file keeps its first row', async () => {
    refused(
      await run('predict', '--model', 'm.json', '--input', await file('hex.csv', 'a,b\n0x10,2\n')),
      1,
      /line 2, column "a": "0x10" is not a number/,
    );
    const bom = await run(
      'predict',
      '--model',
      'm.json',
      '--input',
      await file('bom.csv', '\ufeffa,b,y\r\n1,2,1\r\n'),
      '--target',
      'y',
    );
    expect(bom.stderr).toBe('');
    expect(bom.stdout.trim().split('\n')).toHaveLength(2); // the header and one prediction
    const bare = await run('predict', '--model', 'm.json', '--input', await file('bare.csv', '1,2\n3,4\n5,6\n'));
    expect(bare.stdout.trim().split('\n')).toHaveLength(4); // the header and three predictions: no row lost
    // told explicitly that there is a header, the numeric first row is one (and so two predictions remain)
    const told = await run('predict', '--model', 'm.json', '--input', 'bare.csv', '--header');
    expect(told.stdout.trim().split('\n')).toHaveLength(3);
  });

  it('reads - (standard input) once, as JSON or, with --format csv, as CSV; the two give the same predictions', async () => {
    const json = await run('predict', '--model', 'm.json', '--input', '-', { stdin: '[[1, 2], [3, 4]]' });
    const csv = await run('predict', '--model', 'm.json', '--input', '-', '--format', 'csv', { stdin: '1,2\n3,4\n' });
    expect(json.stderr + csv.stderr).toBe('');
    expect(json.stdout.trim().split('\n')).toHaveLength(3);
    expect(csv.stdout).toBe(json.stdout);
  });

  it('reads /dev/stdin from a pipe (a separate process: the input is read once)', () => {
    const r = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        resolve('packages/cli/src/main.ts'),
        'predict',
        '--model',
        join(dir, 'm.json'),
        '--input',
        '/dev/stdin',
      ],
      {
        input: '[[1, 2], [3, 4]]',
        encoding: 'utf8',
        cwd: resolve('.'),
      },
    );
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(3);
  });

  it('refuses an output into a missing folder or onto a folder before reading the input', async () => {
    await mkdir(join(dir, 'adir'), { recursive: true });
    refused(
      await run('predict', '--model', 'm.json', '--input', 'bare.csv', '--out', 'nowhere/p.csv'),
      1,
      /^nabla predict: nowhere\/p\.csv: cannot write \(the folder nowhere does not exist\)\n$|folder .*nowhere does not exist/,
    );
    refused(
      await run('predict', '--model', 'm.json', '--input', 'bare.csv', '--out', 'adir'),
      1,
      /adir: is a directory/,
    );
    expect((await readdir(dir)).filter((f) => f.includes('.tmp'))).toEqual([]);
  });
});

describe('limits: absurd sizes are refused at once, naming the limit and the value', () => {
  it('a 20 MB cell is not echoed: the message quotes a short excerpt', async () => {
    await file('cell.csv', `a,y\n${'7'.repeat(20_000_000)},1\n`);
    const r = await run('train', '--data', join(dir, 'cell.csv'), '--epochs', '1', '--out', 'cell.json', '--quiet');
    refused(
      r,
      1,
      /line 2, column "a": a cell of 20,000,000 characters \("7{20}"… \(20,000,000 characters\)\); at most 1,000 are supported \(limits\.cellLength\)/,
    );
    expect(r.stderr.length).toBeLessThan(300);
    expect(existsSync(join(dir, 'cell.json'))).toBe(false);
  });

  it('an IDX label file that claims 2³¹−1 classes', async () => {
    await file('big-images.idx3', idx(0x08, [2, 2], [0, 255, 255, 0]));
    await file('big-labels.idx1', idx(0x0c, [2], [0, 2 ** 31 - 1]));
    refused(
      await run('train', '--data', join(dir, 'big-images.idx3'), '--epochs', '1', '--out', 'big.json', '--quiet'),
      1,
      /big-labels\.idx1: label 2 is 2,147,483,647, which would make 2,147,483,648 classes; at most 100,000 are supported \(limits\.classes\)/,
    );
  });

  it('a 100,000-layer model', async () => {
    const k = 100_000;
    await file(
      'deep.json',
      JSON.stringify({
        widths: Array(k + 1).fill(1),
        layers: Array.from({ length: k }, () => ({ W: [[0.5]], activation: 'tanh' })),
      }),
    );
    await file('x1.json', '[3]');
    const r = await run('grad', '--model', 'deep.json', '--input', 'x1.json');
    refused(r, 1, /^nabla grad: deep\.json: widths: 100,000 layers; at most 1,000 are supported \(limits\.layers\)\n$/);
  });

  it('an exact derivation through 30 square layers', async () => {
    const k = 30;
    await file(
      'squares.json',
      JSON.stringify({
        widths: Array(k + 1).fill(1),
        layers: Array.from({ length: k }, () => ({ W: [[2]], activation: 'square' })),
      }),
    );
    const r = await run('explain', '--model', 'squares.json', '--input', 'x1.json', '--exact');
    refused(r, 1, /exact arithmetic: Σ_\d+, row 1 is a fraction of more than 1,000 digits \(limits\.exactDigits\)/);
  });

  it('an exercise file beyond the exercise size', async () => {
    expect((await run('exercise', '--out', 'ex', '--count', '1', '--seed', '2')).status).toBe(0);
    const set = JSON.parse(await readFile(join(dir, 'ex/exercises.json'), 'utf8'));
    set.exercises[0].widths = [2, 2, 2, 2, 2, 2, 1];
    await file('ex6.json', JSON.stringify(set));
    await file('none.json', '{"exercises": []}');
    const r = await run('check', '--exercise', 'ex6.json', '--answer', 'none.json');
    refused(
      r,
      1,
      new RegExp(
        /ex6\.json: exercise 1: widths \[2, 2, 2, 2, 2, 2, 1\]: /.source +
          /an exercise has at most 4 layers and widths up to 5 \(limits\.exerciseLayers, limits\.exerciseWidth\)/
            .source,
      ),
    );
  });
});

describe('bad data is refused before training', () => {
  it('NaN or Infinity in IDX float images: named by image and element, no banner, no output file', async () => {
    await file('f-images.idx3', idx(0x0d, [2, 3], [0.5, 0.25, 0, 1, Infinity, 0]));
    await file('f-labels.idx1', idx(0x08, [2], [0, 1]));
    const r = await run('train', '--data', join(dir, 'f-images.idx3'), '--epochs', '1', '--out', 'f.json', '--quiet');
    refused(r, 1, /^nabla train: f-images\.idx3: image 2, element 2 is Infinity; expected finite numbers\n$/);
    expect(r.stdout).toBe('');
    expect(existsSync(join(dir, 'f.json'))).toBe(false);
  });
});

describe('--resume uses the saved optimizer and its state is checked when the file is read', () => {
  beforeAll(async () => {
    expect(
      (
        await run(
          'train',
          '--data',
          'synthetic:xor',
          '--layers',
          '2,4,2',
          '--epochs',
          '2',
          '--save-optimizer',
          '--out',
          'state.json',
          '--quiet',
        )
      ).status,
    ).toBe(0);
  });
  const resume = (name: string, ...flags: string[]) =>
    run(
      'train',
      '--data',
      'synthetic:xor',
      '--resume',
      name,
      '--epochs',
      '1',
      '--out',
      'resumed.json',
      '--quiet',
      ...flags,
    );
  async function edited(
    name: string,
    // biome-ignore lint/suspicious/noExplicitAny: the test edits any part of a parsed model file
    change: (f: { optimizer: Record<string, any>; training: Record<string, unknown> }) => void,
  ): Promise<string> {
    const f = JSON.parse(await readFile(join(dir, 'state.json'), 'utf8'));
    change(f);
    return file(name, JSON.stringify(f));
  }

  it('refuses a conflicting --optimizer and sgd flags for an Adam state (usage errors, exit 2)', async () => {
    refused(
      await resume('state.json', '--optimizer', 'sgd'),
      2,
      /--optimizer sgd conflicts with --resume state\.json, whose state is adam's; resuming continues with adam/,
    );
    refused(
      await resume('state.json', '--momentum', '0.9'),
      2,
      /--momentum applies to --optimizer sgd; this run uses the saved adam state of --resume state\.json/,
    );
  });

  it('refuses a state that cannot be resumed, before the training banner', async () => {
    // biome-ignore lint/suspicious/noExplicitAny: the test edits any part of a parsed model file
    const cases: [string, (f: any) => void, RegExp][] = [
      ['sgd-name.json', (f) => (f.optimizer.name = 'sgd'), /optimizer\.options\.beta1: sgd has no option "beta1"/],
      [
        'beta.json',
        (f) => (f.optimizer.options.beta1 = 5),
        /optimizer\.options\.beta1: adam option beta1 = 5; expected a number in \[0, 0\.999999\]/,
      ],
      [
        'eps.json',
        (f) => (f.optimizer.options.eps = 0),
        /optimizer\.options\.eps: adam option eps = 0; expected a number in \(0, 1\]/,
      ],
      [
        'lr.json',
        (f) => (f.training.learningRate = 'fast'),
        /training\.learningRate: expected a positive number, found "fast"/,
      ],
      [
        'v.json',
        (f) => (f.optimizer.state.v[0][0][0] = -1),
        /optimizer\.state\.v\[0\]\[0\]\[0\]: -1 is negative; the second moment v is a running mean of squares/,
      ],
      [
        'slot.json',
        (f) => delete f.optimizer.state.v,
        /optimizer\.state: adam after \d+ steps needs its slot "v", which is missing/,
      ],
    ];
    for (const [name, change, pattern] of cases) {
      const r = await resume(await edited(name, change));
      refused(r, 1, pattern);
      expect(r.stdout, name).toBe('');
    }
  });
});

describe('divergence never replaces a good model', () => {
  it.each(['sgd', 'adam', 'adamw'])(
    '%s: stops with a diagnosis; the existing --out is unchanged and the finite fallback goes beside it',
    async (optimizer) => {
      const out = `good-${optimizer}.json`;
      expect(
        (
          await run(
            'train',
            '--data',
            'synthetic:gaussians',
            '--layers',
            '2,16,2',
            '--optimizer',
            optimizer,
            '--epochs',
            '2',
            '--out',
            out,
            '--quiet',
          )
        ).status,
      ).toBe(0);
      const before = await readFile(join(dir, out));
      const lr = optimizer === 'sgd' ? '1e12' : '1e6';
      const r = await run(
        'train',
        '--data',
        'synthetic:gaussians',
        '--layers',
        '2,16,2',
        '--optimizer',
        optimizer,
        '--lr',
        lr,
        '--epochs',
        '5',
        '--out',
        out,
        '--quiet',
      );
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(
        new RegExp(`training diverged at epoch \\d+.*the learning rate ${Number(lr)} is probably too high`),
      );
      expect(r.stderr).toMatch(
        new RegExp(
          `written to good-${optimizer}\\.diverged\\.json \\(good-${optimizer}\\.json, which was already there, is unchanged\\)`,
        ),
      );
      expect((await readFile(join(dir, out))).equals(before)).toBe(true);
      const fallback = await loadNetworkFile(join(dir, `good-${optimizer}.diverged.json`));
      for (const i of fallback.network.W.indices()) expect(firstNonFinite(fallback.network.W.get(i))).toBeUndefined();
      const ev = await run('eval', '--model', `good-${optimizer}.diverged.json`, '--data', 'synthetic:gaussians');
      expect(ev.status).toBe(0); // the fallback's loss is finite
    },
  );

  it('the train --plot target is checked before training, like --out', async () => {
    const r = await run(
      'train',
      '--data',
      'synthetic:xor',
      '--epochs',
      '1',
      '--out',
      'p.json',
      '--plot',
      'missing/curves.svg',
      '--quiet',
    );
    refused(r, 1, /missing\/curves\.svg: cannot write \(the folder .*missing does not exist\)/);
    expect(r.stdout).toBe('');
    expect(existsSync(join(dir, 'p.json'))).toBe(false);
  });

  it('leaves no temporary files behind in the folder of its outputs', async () => {
    const names = await readdir(dir);
    expect(names.filter((f) => /\.tmp$/.test(f))).toEqual([]);
    expect((await stat(dir)).isDirectory()).toBe(true);
  });
});

describe('docs/limits.md', () => {
  it('lists every limit with the value the code uses', async () => {
    const { limits } = await import('nabla');
    const doc = await readFile(resolve('docs/limits.md'), 'utf8');
    for (const [name, value] of Object.entries(limits)) {
      const row = doc.split('\n').find((l) => l.startsWith(`| \`${name}\` |`));
      expect(row, name).toBeDefined();
      expect(row!.split('|')[2]!.trim().split(' ')[0]!.replace(/,/g, ''), name).toBe(String(value));
    }
  });
});

describe('no "internal error" for any command line', () => {
  it('400 generated command lines of every command, with good and bad flags, values and files', async () => {
    const fc = (await import('fast-check')).default;
    await writeFile(join(dir, 'x2.json'), '[0.5, -1]');
    await writeFile(join(dir, 'bad.json'), '{"widths": [2, "a"]}');
    await writeFile(join(dir, 'small.csv'), 'a,b,y\n1,2,0\n3,4,1\n5,6,0\n');
    const files = [
      'm.json',
      'x2.json',
      'bad.json',
      'small.csv',
      'bare.csv',
      'ragged.csv',
      'nowhere/x.json',
      'adir',
      '-',
      '',
    ];
    const value = fc.oneof(
      fc.constantFrom(
        ...files,
        '0',
        '-1',
        '1e9',
        'NaN',
        '2,3',
        '2,0,1',
        'relu',
        'tanh;identity',
        'xx',
        'synthetic:xor',
        'synthetic:nope',
        'mnist',
        '0.5',
        '1',
      ),
      fc.string({ maxLength: 5 }),
    );
    const flag = fc.constantFrom(
      '--model',
      '--input',
      '--out',
      '--data',
      '--test',
      '--target',
      '--layers',
      '--widths',
      '--activation',
      '--epochs',
      '--batch-size',
      '--lr',
      '--seed',
      '--form',
      '--format',
      '--precision',
      '--delta',
      '--optimizer',
      '--momentum',
      '--schedule',
      '--dtype',
      '--validation-split',
      '--patience',
      '--count',
      '--kinds',
      '--exercise',
      '--answer',
      '--poly',
      '--threads',
      '--kernels',
    );
    const bare = fc.constantFrom(
      '--exact',
      '--affine',
      '--no-affine',
      '--quiet',
      '--json',
      '--standardize',
      '--nesterov',
      '--no-header',
      '--header',
      '--save-optimizer',
      '--bogus',
    );
    const command = fc.constantFrom(
      'init',
      'grad',
      'predict',
      'eval',
      'explain',
      'train',
      'check',
      'exercise',
      'nonsense',
    );
    const argv = fc
      .tuple(
        command,
        fc.array(
          fc.oneof(
            fc.tuple(flag, value).map(([f, v]) => [f, v]),
            bare.map((b) => [b]),
          ),
          { maxLength: 6 },
        ),
      )
      .map(([c, parts]) => {
        const args = [c, ...parts.flat()];
        // keep every run short: one epoch of small data, never MNIST's default job
        if (c === 'train') args.push('--epochs', '1', '--data', 'synthetic:xor', '--quiet');
        if (c === 'exercise') args.push('--out', join(dir, 'fuzz-ex'));
        return args;
      });
    await fc.assert(
      fc.asyncProperty(argv, async (args) => {
        const r = await run(...args);
        expect(r.stderr, args.join(' ')).not.toMatch(/internal error|\n\s+at /);
        expect([0, 1, 2], args.join(' ')).toContain(r.status);
      }),
      { seed: 411, numRuns: 400 },
    );
  }, 600_000);
});

describe('- as an output', () => {
  it('is standard output for predict, and refused for train and exercise, whose outputs are files', async () => {
    const p = await run('predict', '--model', 'm.json', '--input', await file('x-out.json', '[0.5, -1]'), '--out', '-');
    expect(p.status).toBe(0);
    expect(p.stdout.split('\n')[0]).toBe('class,p_0,p_1');
    refused(
      await run('train', '--data', 'synthetic:xor', '--out', '-', '--quiet'),
      2,
      /--out -: train prints its progress on standard output; give the model a file name/,
    );
    refused(await run('exercise', '--out', '-'), 2, /--out -: exercise writes a set of files/);
  });
});
