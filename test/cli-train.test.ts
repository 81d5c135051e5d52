// `nabla train`, `nabla eval`, `nabla predict` in-process through main(), on small real and synthetic data.

import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadNetworkFile } from 'nabla/node';
import { makeSynthetic } from 'nabla/train';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firstNonFinite } from '../packages/nabla/src/linalg/matrix.js';
import { cliIn } from './helpers/cli.js';

let dir: string;
const iris = resolve('examples/data/iris.csv');
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'nabla-train-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
const { run } = cliIn(() => dir);

describe('nabla train', () => {
  it('the same command and seed write byte-identical model files; another seed does not', async () => {
    const args = [
      'train',
      '--data',
      'synthetic:moons',
      '--layers',
      '2,8,2',
      '--epochs',
      '3',
      '--batch-size',
      '16',
      '--quiet',
    ];
    expect((await run(...args, '--seed', '3', '--out', 'a.json')).status).toBe(0);
    expect((await run(...args, '--seed', '3', '--out', 'b.json')).status).toBe(0);
    expect((await run(...args, '--seed', '4', '--out', 'c.json')).status).toBe(0);
    const [a, b, c] = await Promise.all(['a.json', 'b.json', 'c.json'].map((f) => readFile(join(dir, f))));
    expect(a!.equals(b!)).toBe(true);
    expect(a!.equals(c!)).toBe(false);
  });

  it('trains on a real CSV with standardisation, and eval/predict apply the stored preprocessing', async () => {
    const r = await run(
      'train',
      '--data',
      iris,
      '--standardize',
      '--layers',
      '4,8,3',
      '--epochs',
      '60',
      '--lr',
      '0.02',
      '--batch-size',
      '16',
      '--out',
      'iris.json',
      '--quiet',
    );
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/epoch 60\/60 {2}loss \d\.\d{4} {2}acc \d+\.\d\d%/);
    expect(r.stdout).toContain('model written to iris.json');
    const model = await loadNetworkFile(join(dir, 'iris.json'));
    expect(model.meta.classes).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(model.meta.preprocessing?.standardize?.mean).toHaveLength(4);
    expect(model.meta.loss).toBe('softmax-ce');
    expect(model.affine?.m).toEqual([4, 8, 3]);
    expect(model.meta.history).toHaveLength(60);

    const ev = await run('eval', '--model', 'iris.json', '--data', iris);
    expect(ev.status).toBe(0);
    const acc = Number(/accuracy: (\d+\.\d+)%/.exec(ev.stdout)![1]);
    expect(acc).toBeGreaterThan(90);
    expect(ev.stdout).toMatch(/confusion matrix/);
    expect(ev.stdout).toMatch(/setosa\s+50\s+0\s+0/);

    // predict: the first rows of each class, as raw (unstandardised) CSV features
    const csv = (await readFile(iris, 'utf8')).split('\n');
    await writeFile(join(dir, 'samples.csv'), [csv[0], csv[1], csv[51], csv[101]].join('\n'));
    const p = await run('predict', '--model', 'iris.json', '--input', 'samples.csv', '--target', 'species');
    expect(p.status).toBe(0);
    const lines = p.stdout.trim().split('\n');
    expect(lines[0]).toBe('class,p_setosa,p_versicolor,p_virginica');
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(['setosa', 'versicolor', 'virginica']);
    for (const l of lines.slice(1)) {
      const ps = l.split(',').slice(1).map(Number);
      expect(Math.abs(ps.reduce((s, v) => s + v, 0) - 1)).toBeLessThan(1e-9);
    }
    const pj = await run(
      'predict',
      '--model',
      'iris.json',
      '--input',
      'samples.csv',
      '--target',
      'species',
      '--out',
      'pred.json',
    );
    expect(pj.status).toBe(0);
    expect(JSON.parse(await readFile(join(dir, 'pred.json'), 'utf8'))).toHaveLength(3);
  });

  it('resumes from a saved optimizer state, counting epochs on', async () => {
    const base = ['--data', 'synthetic:circles', '--layers', '2,6,2', '--batch-size', '32', '--quiet'];
    expect((await run('train', ...base, '--epochs', '2', '--save-optimizer', '--out', 'r1.json')).status).toBe(0);
    const r = await run(
      'train',
      '--data',
      'synthetic:circles',
      '--resume',
      'r1.json',
      '--epochs',
      '3',
      '--save-optimizer',
      '--out',
      'r2.json',
      '--quiet',
    );
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/epoch 5\/5/);
    const m = await loadNetworkFile(join(dir, 'r2.json'));
    expect(m.meta.history!.map((h) => h['epoch'])).toEqual([1, 2, 3, 4, 5]);
    expect(m.meta.optimizer!.name).toBe('adam');
    expect(m.meta.optimizer!.step).toBeGreaterThan(0);
  });

  it('2 epochs, then --resume for 3 more, gives exactly the weights of 5 epochs in one go (no shuffling)', async () => {
    const base = [
      '--data',
      'synthetic:spiral',
      '--layers',
      '2,8,2',
      '--batch-size',
      '25',
      '--no-shuffle',
      '--optimizer',
      'adamw',
      '--schedule',
      'constant',
      '--quiet',
    ];
    expect((await run('train', ...base, '--epochs', '5', '--out', 'once.json')).status).toBe(0);
    expect((await run('train', ...base, '--epochs', '2', '--save-optimizer', '--out', 'part.json')).status).toBe(0);
    expect(
      (
        await run(
          'train',
          '--data',
          'synthetic:spiral',
          '--resume',
          'part.json',
          '--batch-size',
          '25',
          '--no-shuffle',
          '--schedule',
          'constant',
          '--epochs',
          '3',
          '--out',
          'rest.json',
          '--quiet',
        )
      ).status,
    ).toBe(0);
    const once = await loadNetworkFile(join(dir, 'once.json'));
    const rest = await loadNetworkFile(join(dir, 'rest.json'));
    for (const i of once.network.W.indices())
      expect(Array.from(rest.network.W.get(i).data)).toEqual(Array.from(once.network.W.get(i).data));
  });

  it('--resume from the checkpoint of epoch 2 of a 3-epoch run writes the byte-identical model file (shuffled, cosine, split)', async () => {
    const base = [
      '--data',
      iris,
      '--layers',
      '4,6,3',
      '--batch-size',
      '16',
      '--seed',
      '7',
      '--validation-split',
      '0.2',
      '--standardize',
      '--quiet',
    ];
    const once = await run('train', ...base, '--epochs', '3', '--checkpoint', 'ck-{epoch}.json', '--out', 'full.json');
    expect(once.status).toBe(0);
    expect(['ck-1.json', 'ck-2.json', 'ck-3.json'].every((f) => existsSync(join(dir, f)))).toBe(true);
    // only --resume and the remaining epochs (and the data and its split, which the file does not name): optimizer,
    // η, cosine schedule, batch size and seed are the saved run's; the shuffles continue, the schedule counts on
    const r = await run(
      'train',
      '--data',
      iris,
      '--validation-split',
      '0.2',
      '--resume',
      'ck-2.json',
      '--epochs',
      '1',
      '--out',
      'resumed.json',
      '--quiet',
    );
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/seed 7/);
    expect(r.stdout).toMatch(/epoch 3\/3/);
    const [full, resumed] = await Promise.all([readFile(join(dir, 'full.json')), readFile(join(dir, 'resumed.json'))]);
    expect(resumed.equals(full)).toBe(true);
    expect(JSON.parse(full.toString()).optimizer.name).toBe('adam');
    // the same with the model started anew from the checkpoint's weights (--model): other weights
    expect(
      (
        await run(
          'train',
          '--data',
          iris,
          '--validation-split',
          '0.2',
          '--model',
          'ck-2.json',
          '--epochs',
          '1',
          '--out',
          'anew.json',
          '--quiet',
        )
      ).status,
    ).toBe(0);
    const anew = await loadNetworkFile(join(dir, 'anew.json'));
    const ref = await loadNetworkFile(join(dir, 'full.json'));
    expect(Array.from(anew.network.W.get(1).data)).not.toEqual(Array.from(ref.network.W.get(1).data));
    expect(anew.meta.history!.map((h) => h['epoch'])).toEqual([1]);
  });

  it('--no-save-optimizer writes the weights alone, and --resume of that file says what to do', async () => {
    expect(
      (
        await run(
          'train',
          '--data',
          'synthetic:xor',
          '--layers',
          '2,4,2',
          '--epochs',
          '1',
          '--no-save-optimizer',
          '--out',
          'lean.json',
          '--quiet',
        )
      ).status,
    ).toBe(0);
    expect((await loadNetworkFile(join(dir, 'lean.json'))).meta.optimizer).toBeUndefined();
    const r = await run(
      'train',
      '--data',
      'synthetic:xor',
      '--resume',
      'lean.json',
      '--epochs',
      '1',
      '--out',
      'x.json',
      '--quiet',
    );
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(
      /--resume lean\.json: the model has no optimizer state .*start anew from its weights with --model/,
    );
  });

  it('eval of an .onnx model (which names no loss) takes --loss; the loss matches one computed by hand from predict', async () => {
    const onnx = resolve('examples/models/mlp.onnx');
    const no = await run('eval', '--model', onnx, '--data', 'synthetic:moons');
    expect(no.status).toBe(2);
    expect(no.stderr).toMatch(/the model names no loss; give it with --loss mse \| softmax-ce \| bce/);
    const r = await run('eval', '--model', onnx, '--data', 'synthetic:moons', '--loss', 'bce', '--json');
    expect(r.status).toBe(0);
    const ev = JSON.parse(r.stdout) as { loss: number; count: number; accuracy: number };
    const moons = makeSynthetic('moons');
    const xs = Array.from({ length: moons.count }, (_, s) => Array.from(moons.x.subarray(2 * s, 2 * s + 2)));
    await writeFile(join(dir, 'moons.json'), JSON.stringify(xs));
    const p = await run('predict', '--model', onnx, '--input', 'moons.json');
    const f = p.stdout.trim().split('\n').slice(1).map(Number);
    expect(f).toHaveLength(moons.count);
    // bce on the logit f: log(1 + e^f) − y·f, averaged
    const bce = f.reduce((s, v, j) => s + Math.log1p(Math.exp(v)) - moons.labels![j]! * v, 0) / f.length;
    expect(ev.count).toBe(moons.count);
    expect(Math.abs(ev.loss - bce)).toBeLessThan(1e-5);
  });

  it('stops a diverging run with a diagnosis, exit 1, and keeps the last good model', async () => {
    const r = await run(
      'train',
      '--data',
      'synthetic:gaussians',
      '--layers',
      '2,16,2',
      '--optimizer',
      'sgd',
      '--lr',
      '1e12',
      '--epochs',
      '5',
      '--out',
      'bad.json',
      '--quiet',
    );
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(
      new RegExp(
        /training diverged at epoch \d+, batch \d+: .*(is (NaN|Infinity|-Infinity)|more than 10000× its first value)/
          .source + /.*learning rate 1000000000000 is probably too high/.source,
      ),
    );
    const m = await loadNetworkFile(join(dir, 'bad.json'));
    for (const i of m.network.W.indices()) expect(firstNonFinite(m.network.W.get(i))).toBeUndefined();
  });

  it('eval exits 1 when the loss is not finite (f overflows to Infinity on these inputs)', async () => {
    await writeFile(
      join(dir, 'huge.json'),
      JSON.stringify({ widths: [1, 1], layers: [{ W: [[1e308]], activation: 'identity' }], loss: 'mse' }),
    );
    await writeFile(join(dir, 'far.csv'), 'x,y\n10,0\n');
    const r = await run('eval', '--model', 'huge.json', '--data', join(dir, 'far.csv'));
    expect(r.status).toBe(1);
    // the library names where it overflowed (model/finite.ts): the layer, the neuron and the sample
    expect(r.stderr).toBe(
      'nabla eval: evaluate: N_1 (layer 1, neuron 1) of sample 0 is Infinity: the product ' +
        'W_1·Σ_0 overflowed the float64 range; the inputs or the weights of layer 1 are too large ' +
        'for this model\n',
    );
  });

  it('refuses flags that would not apply (exit 2), instead of ignoring them', async () => {
    const cases: [string[], string][] = [
      [
        ['--optimizer', 'adam', '--momentum', '0.9'],
        '--momentum applies to --optimizer sgd; this run uses --optimizer adam',
      ],
      [
        ['--optimizer', 'adamw', '--nesterov'],
        '--nesterov applies to --optimizer sgd; this run uses --optimizer adamw',
      ],
      [
        ['--schedule', 'cosine', '--gamma', '0.5'],
        '--gamma applies to --schedule step; this run uses --schedule cosine',
      ],
      [['--step-size', '2'], '--step-size applies to --schedule step; this run uses --schedule cosine'],
      [['--target', 'y'], '--target names a column of a CSV file; --data synthetic:xor has no columns'],
      [['--task', 'regression'], '--task applies to CSV data; --data synthetic:xor defines its own task'],
    ];
    for (const [flags, message] of cases) {
      const r = await run(
        'train',
        '--data',
        'synthetic:xor',
        '--layers',
        '2,4,2',
        '--epochs',
        '1',
        '--out',
        'never.json',
        '--quiet',
        ...flags,
      );
      expect(r, flags.join(' ')).toEqual({ status: 2, stdout: '', stderr: `nabla train: ${message}\n` });
    }
  });

  it('train checks --out and --plot before it reads the data or trains', async () => {
    const out = await run(
      'train',
      '--data',
      'synthetic:xor',
      '--layers',
      '2,4,2',
      '--epochs',
      '1',
      '--out',
      'missing/m.json',
      '--quiet',
    );
    expect(out).toEqual({
      status: 1,
      stdout: '',
      stderr: 'nabla train: missing/m.json: cannot write (the folder missing does not exist)\n',
    });
    const plot = await run(
      'train',
      '--data',
      'synthetic:xor',
      '--layers',
      '2,4,2',
      '--epochs',
      '1',
      '--out',
      'ok.json',
      '--plot',
      'missing/c.svg',
      '--quiet',
    );
    expect(plot).toEqual({
      status: 1,
      stdout: '',
      stderr: 'nabla train: missing/c.svg: cannot write (the folder missing does not exist)\n',
    });
    expect(existsSync(join(dir, 'ok.json'))).toBe(false);
  });

  it('predict --out into a missing folder or onto a directory: one clear line, exit 1, no temporary file left', async () => {
    await writeFile(
      join(dir, 'lin.json'),
      JSON.stringify({ widths: [2, 1], layers: [{ W: [[1, -1]], activation: 'identity' }] }),
    );
    await writeFile(
      join(dir, 'two.json'),
      JSON.stringify([
        [1, 2],
        [3, 4],
      ]),
    );
    const missing = await run('predict', '--model', 'lin.json', '--input', 'two.json', '--out', 'nowhere/p.csv');
    expect(missing).toEqual({
      status: 1,
      stdout: '',
      stderr: 'nabla predict: nowhere/p.csv: cannot write (the folder nowhere does not exist)\n',
    });
    await mkdir(join(dir, 'outdir'), { recursive: true });
    const folder = await run('predict', '--model', 'lin.json', '--input', 'two.json', '--out', 'outdir');
    expect(folder.status).toBe(1);
    expect(folder.stderr).toBe('nabla predict: outdir: is a directory\n');
    expect((await readdir(dir)).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('writes the curves as SVG', async () => {
    expect(
      (
        await run(
          'train',
          '--data',
          'synthetic:xor',
          '--layers',
          '2,4,2',
          '--epochs',
          '3',
          '--out',
          'x.json',
          '--plot',
          'curve.svg',
          '--quiet',
        )
      ).status,
    ).toBe(0);
    const svg = await readFile(join(dir, 'curve.svg'), 'utf8');
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('epoch');
  });

  it('bad options and files get one line on stderr and the right exit status', async () => {
    const cases: [string[], number, RegExp][] = [
      [['train', '--lr', 'abc'], 2, /^nabla train: --lr "abc" is not a number \(example: --lr 0\.001\)\n$/],
      [['train', '--data', 'nope.csv'], 1, /^nabla train: .*nope\.csv.*\n$/],
      [
        ['train', '--data', 'synthetic:xor', '--layers', '3,4,2'],
        2,
        /^nabla train: --layers 3,4,2: n_0 = 3 but the data have 2 features per sample\n$/,
      ],
      // (without --loss the library's default for a sigmoid output is mse, which trains)
      [
        [
          'train',
          '--data',
          'synthetic:xor',
          '--layers',
          '2,4,2',
          '--activation',
          'tanh;sigmoid',
          '--loss',
          'softmax-ce',
        ],
        2,
        /must be identity/,
      ],
      [['train', '--data', 'synthetic:xor', '--optimizer', 'rmsprop'], 2, /rmsprop/],
      [['train', '--data', 'synthetic:xor', '--patience', '2'], 2, /--patience needs validation data/],
      [['train', '--data', 'synthetic:xor', '--plot', 'curve.gif', '--epochs', '1', '--quiet'], 2, /\.svg or \.png/],
      [['eval', '--model', 'missing.json', '--data', 'mnist'], 1, /missing\.json: no such file/],
    ];
    for (const [args, status, re] of cases) {
      const r = await run(...args);
      expect(r.status, args.join(' ')).toBe(status);
      expect(r.stderr, args.join(' ')).toMatch(re);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
    }
    expect(existsSync(join(dir, 'model.json'))).toBe(false);
  });
});
