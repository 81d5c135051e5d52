// Principles for files, the explore server and results, tested by property (fast-check): every OS error on an
// output path is one line naming the path and the cause, and leaves nothing behind (real errors, and mocked ones
// root cannot produce); writes through a symbolic link keep the link; predict and evaluate never return NaN or
// ±Infinity; the explore server closes the file of every aborted download; an aborted fit changes nothing.
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { createModel, DataError, Model, NonFiniteError, serializeModel } from 'nabla';
import { checkWritable, saveModelFile, saveNetworkFile, saveOnnx, writeFileAtomic, writeFilesAtomic } from 'nabla/node';
import { createNetwork } from 'nabla/paper';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { serveExplorer } from '../packages/cli/src/commands/explore.js';
import { cliIn } from './helpers/cli.js';

/** The OS error that open() and mkdir() of node:fs/promises fail with, when set. */
const inject: { code: string | undefined } = { code: undefined };

vi.mock('node:fs/promises', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs/promises')>();
  const failing = <F extends (...a: never[]) => Promise<unknown>>(f: F) =>
    ((...a: Parameters<F>) => {
      if (inject.code === undefined) return f(...a);
      return Promise.reject(
        Object.assign(new Error(`${inject.code}: injected, open '${String(a[0])}'`), {
          code: inject.code,
          syscall: 'open',
          path: String(a[0]),
        }),
      );
    }) as F;
  const mocked = { ...fs, open: failing(fs.open), mkdir: failing(fs.mkdir) };
  return { ...mocked, default: mocked };
});

const dir = mkdtempSync(join(tmpdir(), 'nabla-principles-files-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const cli = cliIn(() => dir);

const net = createNetwork({ widths: [2, 2, 1], activation: ['tanh', 'identity'], seed: 1 });
const model = createModel({ inputs: 2, layers: [{ units: 2, activation: 'tanh' }, { units: 1 }], seed: 1 });

/** Every output path of the library: (name, write to `path` naming it `name`). */
const outputs: [string, (path: string, name: string) => Promise<unknown>][] = [
  ['writeFileAtomic', (p, n) => writeFileAtomic(p, 'text', n)],
  [
    'writeFilesAtomic',
    (p, n) =>
      writeFilesAtomic(
        p,
        [
          { name: 'a.md', data: 'a' },
          { name: 'b.json', data: '{}' },
        ],
        n,
      ),
  ],
  ['saveNetworkFile', (p, n) => saveNetworkFile(p, { network: net }, { source: n })],
  ['saveModelFile', (p) => saveModelFile(p, model)],
  ['saveOnnx', (p, n) => saveOnnx(p, { network: net }, { source: n })],
  ['checkWritable', (p, n) => checkWritable(p, n)],
];

/** The cause in words that each error must be reported with (the test's own table, not the library's). */
const words: Record<string, RegExp> = {
  ENOTDIR: /not a folder/,
  ELOOP: /symbolic link/,
  EISDIR: /is a (directory|file, expected a folder)/,
  ENOENT: /does not exist/,
  ERR_INVALID_ARG_VALUE: /not a valid file name/,
  EACCES: /permission denied/,
  EPERM: /not permitted/,
  EROFS: /read-only/,
  ENOSPC: /no space left/,
  EDQUOT: /quota/,
  EIO: /input\/output error/,
};

/** A fresh folder with the real traps: a file where a folder is expected, a symbolic-link loop, a folder. */
let cases = 0;
function traps(): {
  root: string;
  paths: Record<'ENOTDIR' | 'ELOOP' | 'EISDIR' | 'ENOENT' | 'ERR_INVALID_ARG_VALUE', string>;
} {
  const root = join(dir, `case${cases++}`);
  mkdirSync(root);
  writeFileSync(join(root, 'a-file'), 'x');
  symlinkSync('loop', join(root, 'loop'));
  mkdirSync(join(root, 'a-folder'));
  writeFileSync(join(root, 'a-folder', 'keep'), 'k');
  return {
    root,
    paths: {
      ENOTDIR: join(root, 'a-file', 'out.json'),
      ELOOP: join(root, 'loop', 'out.json'),
      EISDIR: join(root, 'a-folder'),
      ENOENT: join(root, 'missing', 'out.json'),
      ERR_INVALID_ARG_VALUE: join(root, 'nul\0.json'),
    },
  };
}

/** Every file under `root`, for "nothing left behind". */
function listing(root: string): string[] {
  return readdirSync(root, { recursive: true, encoding: 'utf8' }).sort();
}

function expectOneLine(e: unknown, name: string, cause: RegExp): void {
  expect(e).toBeInstanceOf(DataError);
  const m = (e as Error).message;
  expect(m.startsWith(`${name}: `), m).toBe(true);
  expect(m.split(`${name}: `).length, m).toBe(2); // named once, not wrapped twice
  expect(m).not.toContain('\n');
  expect(m).toMatch(cause);
  expect(m).not.toMatch(/internal error/);
  // no bare code: the code may only follow the words
  expect(m.slice(name.length)).not.toMatch(/^: \(?(E[A-Z]+|ERR_[A-Z_]+)\)?$/);
  expect(m).not.toMatch(/cannot write \((E[A-Z]+|ERR_[A-Z_]+)\)/);
}

describe('principles 7 & 14: every OS error on every output path', () => {
  it('real errors (ENOTDIR, ELOOP, EISDIR, ENOENT, a NUL in the name): one line with the path and the cause, nothing left', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: outputs.length - 1 }),
        fc.constantFrom('ENOTDIR', 'ELOOP', 'EISDIR', 'ENOENT', 'ERR_INVALID_ARG_VALUE') as fc.Arbitrary<
          keyof ReturnType<typeof traps>['paths']
        >,
        async (o, code) => {
          const [fn, write] = outputs[o]!;
          if (fn === 'writeFilesAtomic' && code === 'EISDIR') return; // a folder is what it writes into
          const t = traps();
          const before = listing(t.root);
          const path = t.paths[code];
          // saveModelFile names the path itself; the others the name given
          const name = fn === 'saveModelFile' ? path : `given/${code}`;
          const e = await write(path, name).then(
            () => undefined,
            (x: unknown) => x,
          );
          expectOneLine(e, name, words[code]!);
          expect(listing(t.root)).toEqual(before);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('injected errors (EACCES, EPERM, EROFS, ENOSPC, EDQUOT, EIO from open/mkdir): one line with the cause, nothing left', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: outputs.length - 2 }),
        fc.constantFrom('EACCES', 'EPERM', 'EROFS', 'ENOSPC', 'EDQUOT', 'EIO'),
        async (o, code) => {
          const [, write] = outputs[o]!;
          const t = traps();
          const before = listing(t.root);
          const path = join(t.root, 'out.json');
          inject.code = code;
          const e = await write(path, path)
            .then(
              () => undefined,
              (x: unknown) => x,
            )
            .finally(() => (inject.code = undefined));
          expectOneLine(e, path, words[code]!);
          expect(listing(t.root)).toEqual(before);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('the CLI outputs (exercise --out, export --out, init --out): exit 1, one line, no "internal error", nothing on stdout', async () => {
    writeFileSync(join(dir, 'm.json'), serializeModel({ network: net }));
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(
          ['exercise', '--out'],
          ['export', '--model', 'm.json', '--out'],
          ['init', '--widths', '2,1', '--out'],
        ),
        fc.constantFrom('ENOTDIR', 'ELOOP', 'ENOENT', 'EROFS', 'ENOSPC', 'EPERM'),
        async (command, code) => {
          const t = traps();
          const real = { ENOTDIR: 'a-file/out', ELOOP: 'loop/out', ENOENT: 'missing/out' } as Record<string, string>;
          // each output's own extension (option-rules.ts refuses another one before any file is touched)
          const ext = ({ exercise: '', export: '.onnx', init: '.json' } as Record<string, string>)[command[0]!];
          const rel = join(t.root.slice(dir.length + 1), (real[code] ?? 'out') + ext);
          inject.code = real[code] ? undefined : code;
          const r = await cli.run(...command, rel).finally(() => (inject.code = undefined));
          expect(r.status).toBe(1);
          expect(r.stdout).toBe('');
          expect(r.stderr).toMatch(
            new RegExp(`^nabla ${command[0]}: ${rel.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}[^\\n]*\\n$`),
          );
          expect(r.stderr).toMatch(words[code]!);
          expect(r.stderr).not.toMatch(/internal error/);
          expect(existsSync(join(dir, rel))).toBe(false);
        },
      ),
      { numRuns: 30 },
    );
  });

  /** /proc exists, but the kernel creates no file in it (open with O_CREAT fails with ENOENT), even for root. */
  const procRefuses = process.platform === 'linux' && existsSync('/proc/self');
  if (!procRefuses) process.stderr.write('skipped: init --out /proc/x.json needs Linux with /proc mounted\n');
  it.skipIf(!procRefuses)(
    'init --out /proc/x.json (a folder that exists, where no file can be created): the real cause, not "does not exist"',
    async () => {
      const r = await cli.run('init', '--widths', '2,1', '--out', '/proc/x.json');
      expect(r.status).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(
        'nabla init: /proc/x.json: cannot write (the folder /proc exists, but the file system refused to create ' +
          'the file in it: ENOENT, no such file or directory; virtual file systems such as /proc take no new files)\n',
      );
      expect(existsSync('/proc/x.json')).toBe(false);
      // a folder that does not exist is still named as such
      const missing = await cli.run('init', '--widths', '2,1', '--out', join(dir, 'no-such-folder', 'x.json'));
      expect(missing.status).toBe(1);
      expect(missing.stderr).toMatch(/: cannot write \(the folder .*no-such-folder does not exist\)\n$/);
    },
  );

  it('saveModelFile through a symbolic link writes the target and keeps the link (also a chain of links)', async () => {
    const root = join(dir, 'links');
    mkdirSync(root);
    writeFileSync(join(root, 'target.json'), 'old');
    symlinkSync('target.json', join(root, 'link1.json'));
    symlinkSync('link1.json', join(root, 'link2.json'));
    await saveModelFile(join(root, 'link2.json'), model);
    expect(lstatSync(join(root, 'link2.json')).isSymbolicLink()).toBe(true);
    expect(lstatSync(join(root, 'link1.json')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(root, 'link1.json'))).toBe('target.json');
    expect(readFileSync(join(root, 'target.json'), 'utf8')).toBe(model.serialize());
    expect(readdirSync(root).sort()).toEqual(['link1.json', 'link2.json', 'target.json']);
    // a dangling link: the file is created where it points
    symlinkSync('new.json', join(root, 'dangling.json'));
    await saveModelFile(join(root, 'dangling.json'), model);
    expect(lstatSync(join(root, 'dangling.json')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(root, 'new.json'), 'utf8')).toBe(model.serialize());
  });
});

describe('principle 11: predict and evaluate never return NaN or ±Infinity', () => {
  /** A float32 model 2-3-1 (relu, identity) with every weight `w`, and inputs scaled by `std`. */
  function modelWith(w: number, std = 1): Model {
    const W1 = [
      [w, w],
      [w, -w],
      [-w, w],
    ];
    const W2 = [[w, w, w]];
    return Model.fromJSON({
      format: 'nabla-model',
      version: 1,
      dtype: 'float32',
      widths: [2, 3, 1],
      layers: [
        { W: W1, activation: 'relu' },
        { W: W2, activation: 'identity' },
      ],
      loss: 'mse',
      preprocessing: { standardize: { mean: [0, 0], std: [std, 1] } },
    });
  }

  const F32_MAX = 3.4028234663852886e38;
  /**
   * Where a float32 forward pass of modelWith(w) overflows, computed here in float64: per layer, the (neuron, sample)
   * pairs where a product W_rc·a_c or the sum N_r leaves the float32 range (or an earlier value already did).
   */
  function overflows(w: number, x: number[][]): Set<string>[] {
    const W = [
      [
        [w, w],
        [w, -w],
        [-w, w],
      ],
      [[w, w, w]],
    ];
    const out: Set<string>[] = [new Set(), new Set()];
    x.forEach((sample, s) => {
      let a = sample;
      let bad = false;
      W.forEach((Wi, l) => {
        const N = Wi.map((row, r) => {
          const terms = row.map((v, c) => v * a[c]!);
          const sum = terms.reduce((p, q) => p + q, 0);
          if (bad || terms.some((t) => Math.abs(t) > F32_MAX) || Math.abs(sum) > F32_MAX) out[l]!.add(`${r + 1},${s}`);
          return sum;
        });
        if (out[l]!.size > 0 && [...out[l]!].some((k) => k.endsWith(`,${s}`))) bad = true;
        a = l === 0 ? N.map((v) => Math.max(v, 0)) : N;
      });
    });
    return out;
  }

  it('for any weight and input magnitudes: finite outputs, or a NonFiniteError naming the layer, neuron and sample', () => {
    let refusals = 0;
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 38 }),
        fc.integer({ min: 0, max: 38 }),
        fc.integer({ min: 0, max: 3 }),
        (we, xe, bad) => {
          const w = 3 * 10 ** we;
          const m = modelWith(w);
          const x = [
            [1, 1],
            [1, 1],
            [1, 1],
            [1, 1],
          ];
          x[bad] = [3 * 10 ** xe, 3 * 10 ** xe];
          const where = overflows(w, x);
          const first = where.findIndex((set) => set.size > 0);
          for (const call of [
            () => m.predict(x),
            () =>
              m.evaluate(
                x,
                x.map(() => [1]),
              ),
          ]) {
            try {
              const out = call();
              const numbers = Array.isArray(out) ? out.flat() : [out.loss, out.regression!.mae, out.regression!.rmse];
              expect(numbers.every(Number.isFinite)).toBe(true);
              expect(first).toBe(-1);
            } catch (e) {
              refusals++;
              expect(e).toBeInstanceOf(NonFiniteError);
              const m2 =
                /^(?:predict|evaluate): N_(\d) \(layer \1, neuron (\d)\) of sample (\d) is (-?Infinity|NaN): /.exec(
                  (e as Error).message,
                );
              expect(m2, (e as Error).message).not.toBeNull();
              expect(Number(m2![1]) - 1).toBe(first);
              expect(where[first]!.has(`${m2![2]},${m2![3]}`)).toBe(true);
            }
          }
        },
      ),
      { numRuns: 150 },
    );
    expect(refusals).toBeGreaterThan(0);
  });

  it('the float32 overflow and the std of 1e-300 of the issue', () => {
    // N_1 = W_1·x: 3e20·3e20 ≈ 1.8e41 > 3.4e38 (float32), at layer 1 for sample 0
    expect(() => modelWith(3e20).predict([[3e20, 3e20]])).toThrow(
      /^predict: N_1 \(layer 1, neuron 1\) of sample 0 is Infinity: the product W_1·Σ_0 overflowed the float32 range/,
    );
    expect(() =>
      modelWith(1, 1e-300).predict([
        [1, 2],
        [0.5, 1],
      ]),
    ).toThrow(
      "predict: sample 0, input 1 is Infinity after the model's input scaling; the input or the " +
        'scaling (a standard deviation near 0, such as 1e-300) is beyond the float32 range',
    );
    expect(() => modelWith(1, 1e-300).evaluate([[1, 2]], [[1]])).toThrow(NonFiniteError);
  });
});

describe('principle 15: the explore server closes the file of an aborted download', () => {
  it.skipIf(process.platform !== 'linux')(
    '50 downloads aborted after their first bytes: the open files return to their count',
    async () => {
      const root = join(dir, 'site');
      mkdirSync(root);
      writeFileSync(join(root, 'big.bin'), Buffer.alloc(8 * 1024 * 1024, 7));
      const server = await serveExplorer(root, { port: 0 });
      const fds = () => readdirSync('/proc/self/fd').length;
      try {
        const baseline = fds();
        for (let j = 0; j < 50; j++) {
          await new Promise<void>((done) => {
            const req = get(`${server.url}big.bin`, (res) => {
              res.once('data', () => {
                req.destroy();
                done();
              });
            });
            req.on('error', () => done());
          });
        }
        // the server notices each closed connection; give it a moment
        for (let t = 0; t < 50 && fds() > baseline + 3; t++) await new Promise((r) => setTimeout(r, 20));
        expect(fds()).toBeLessThanOrEqual(baseline + 3);
      } finally {
        await server.close();
      }
    },
  );
});

describe('principle 16: a fit aborted before it starts reports no work', () => {
  it('no epoch in the history, model.epochs and the weights unchanged, after any earlier training', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 2 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 4 }),
        async (before, epochs, batchSize) => {
          const m = createModel({ inputs: 1, layers: [{ units: 2, activation: 'tanh' }, { units: 1 }], seed: 3 });
          const x = [[0], [1], [2], [3]];
          const y = [[0], [1], [2], [3]];
          if (before > 0) await m.fit(x, y, { epochs: before });
          const weights = JSON.stringify(m.toJSON().layers);
          const ac = new AbortController();
          ac.abort();
          const h = await m.fit(x, y, { epochs, batchSize, signal: ac.signal });
          expect(h.epoch).toEqual([]);
          expect(h.history.loss).toEqual([]);
          expect(h.stopReason).toBe('aborted');
          expect(m.epochs).toBe(before);
          expect(JSON.stringify(m.toJSON().layers)).toBe(weights);
        },
      ),
      { numRuns: 15 },
    );
  });
});
