// The library's options objects by principle (issue 21, 8–10): for every options object of the public API, a value
// of a wrong type for any key, an empty value where one is required, and an unknown key are refused with an
// OptionError naming the key; early stopping on val_accuracy; and a fit started from a fit's callback never hangs.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { createModel, exportOnnx, loadModel, type Model, NablaError } from 'nabla';
import { loadCsv, loadModelFile } from 'nabla/node';
import { describe, expect, it } from 'vitest';

/** JavaScript kinds of values, with examples of each (including the empty ones). */
const POOL = {
  number: [42, -3.5, 0],
  nonFinite: [Number.NaN, Number.POSITIVE_INFINITY],
  string: ['abc', ''],
  boolean: [true, false],
  null: [null],
  array: [[], [1, 'x']],
  object: [{}, { foo: 1 }],
  function: [() => 0],
} as const;
type Kind = keyof typeof POOL;

/**
 * A key of an options object as the documentation describes it: the kinds of value it takes, and which empty
 * values ('' / [] / {}) it refuses (a required name, list or record). Every other kind must be refused.
 */
interface KeySpec {
  takes: Kind[];
  refusesEmpty?: ('' | '[]' | '{}')[];
}

const EMPTY = { '': '', '[]': [], '{}': {} } as const;

/** Values a key must refuse: every value of a kind it does not take, and its required-non-empty empties. */
function wrongValues(spec: KeySpec): unknown[] {
  const kinds = (Object.keys(POOL) as Kind[]).filter((k) => !spec.takes.includes(k));
  return [...kinds.flatMap((k) => POOL[k]), ...(spec.refusesEmpty ?? []).map((e) => EMPTY[e])];
}

const xorX = [
  [0, 0],
  [0, 1],
  [1, 0],
  [1, 1],
];
const xorY = [0, 1, 1, 0];
const small = () => createModel({ inputs: 2, layers: [{ units: 2 }, { units: 1 }], dtype: 'float64', seed: 3 });

const dir = mkdtempSync(join(tmpdir(), 'nabla-principles-options-'));
const csv = join(dir, 'd.csv');
writeFileSync(csv, 'a,b,label\n0,1,x\n1,0,y\n1,1,x\n');
const modelFile = join(dir, 'm.json');
writeFileSync(modelFile, small().serialize());

/** Each options object of the public API: its keys (nested ones as paths) and how to call with options `o`. */
interface Entry {
  name: string;
  keys: Record<string, KeySpec>;
  /** Valid options the nested keys are set into (earlyStopping's patience, a layer's units). */
  base?: Record<string, unknown>;
  call: (o: Record<string, unknown>) => unknown;
}

/** `path` = value set into a copy of `base` (a.b or a[0].b). */
function withPath(base: Record<string, unknown>, path: string, value: unknown): Record<string, unknown> {
  const copy = structuredClone(base);
  const parts = path.split(/\.|\[(\d+)\]\.?/).filter((p) => p !== undefined && p !== '');
  let o: Record<string, unknown> = copy;
  parts.slice(0, -1).forEach((p, i) => {
    o[p] ??= /^\d+$/.test(parts[i + 1]!) ? [] : {};
    o = o[p] as Record<string, unknown>;
  });
  o[parts[parts.length - 1]!] = value;
  return copy;
}

const num: KeySpec = { takes: ['number'] };
const name: KeySpec = { takes: ['string'], refusesEmpty: [''] };
const flag: KeySpec = { takes: ['boolean'] };
const fn: KeySpec = { takes: ['function'] };
const record: KeySpec = { takes: ['object'] };
const labels: KeySpec = { takes: ['array'], refusesEmpty: ['[]'] };

const ENTRIES: Entry[] = [
  {
    name: 'createModel',
    keys: {
      inputs: num,
      layers: { takes: ['array'], refusesEmpty: ['[]'] },
      bias: flag,
      loss: name,
      classes: labels,
      dtype: name,
      seed: num,
      init: name,
      activations: record,
      inputScaling: { takes: ['object'], refusesEmpty: ['{}'] },
      description: { takes: ['string'] },
      inputShape: { takes: ['array', 'number'], refusesEmpty: ['[]'] },
      'layers[0].units': num,
      'layers[0].activation': { takes: ['string', 'array', 'object'], refusesEmpty: ['', '[]', '{}'] },
    },
    base: { layers: [{ units: 1 }] },
    call: (o) => createModel({ inputs: 2, layers: [{ units: 1 }], ...o } as never),
  },
  ...(['fitSync', 'fit'] as const).map(
    (f): Entry => ({
      name: f,
      keys: {
        epochs: num,
        batchSize: num,
        optimizer: name,
        learningRate: num,
        optimizerOptions: record,
        schedule: { takes: ['string', 'object'], refusesEmpty: ['', '{}'] },
        clipNorm: num,
        regularization: { takes: ['object'], refusesEmpty: ['{}'] },
        validationData: { takes: ['array', 'object'], refusesEmpty: ['[]', '{}'] },
        validationSplit: num,
        shuffle: flag,
        seed: num,
        standardize: flag,
        earlyStopping: { takes: ['object'], refusesEmpty: ['{}'] },
        'earlyStopping.patience': num,
        'earlyStopping.minDelta': num,
        'earlyStopping.monitor': name,
        onEpochBegin: fn,
        onEpochEnd: fn,
        onBatchBegin: fn,
        onBatchEnd: fn,
        onTrainBegin: fn,
        signal: { takes: ['object'], refusesEmpty: ['{}'] },
        kernels: { takes: ['string', 'object'], refusesEmpty: ['', '{}'] },
        threads: { takes: ['string', 'number'], refusesEmpty: [''] },
        trainingNotes: record,
        sliceMs: num,
        loss: name,
      },
      base: { earlyStopping: { patience: 1 } },
      call: (o) => {
        const base = { epochs: 1, ...o };
        if (f === 'fit') return small().fit(xorX, xorY, base as never);
        return small().fitSync(xorX, xorY, base as never);
      },
    }),
  ),
  {
    name: 'evaluate',
    keys: { loss: name, kernels: { takes: ['string', 'object'], refusesEmpty: ['', '{}'] } },
    call: (o) => createModel({ inputs: 2, layers: [1], loss: 'mse' }).evaluate(xorX, xorY, o as never),
  },
  {
    name: 'gradient',
    keys: {
      forms: { takes: ['string', 'array'], refusesEmpty: ['', '[]'] },
      seed: { takes: ['array', 'object'], refusesEmpty: ['[]', '{}'] },
    },
    call: (o) => small().gradient([0.5, -1], o as never),
  },
  ...(['loadModel', 'loadModelFile'] as const).map(
    (f): Entry => ({
      name: f,
      keys: { source: name, activations: record, training: flag, dtype: name },
      call: (o) => (f === 'loadModel' ? loadModel(small().serialize(), o as never) : loadModelFile(modelFile, o)),
    }),
  ),
  {
    name: 'exportOnnx',
    keys: { polynomials: record, graphName: name, output: name },
    call: (o) => exportOnnx(small(), o as never),
  },
  {
    name: 'loadCsv',
    keys: { source: name, target: name, task: name, classes: labels, header: flag },
    call: (o) => loadCsv(csv, o as never),
  },
];

/** The error `call` throws or rejects with (undefined when it returns). */
async function failure(call: () => unknown): Promise<unknown> {
  try {
    await call();
    return undefined;
  } catch (e) {
    return e;
  }
}

/** The contract: an OptionError (code 'option') whose message names `key`; no TypeError, no silent acceptance. */
function expectRefused(e: unknown, key: string, value: unknown): void {
  const shown = typeof value === 'function' ? 'a function' : (JSON.stringify(value) ?? String(value));
  if (!(e instanceof NablaError)) {
    throw new Error(`${key} = ${shown}: expected a NablaError, got ${e === undefined ? 'no error' : String(e)}`);
  }
  expect(e.code, `${key} = ${shown}: ${e.message}`).toBe('option');
  expect(e.message, `${key} = ${shown}`).toContain(key);
}

describe('every options object refuses wrong types, empty values and unknown keys with an OptionError', () => {
  for (const entry of ENTRIES) {
    it(`${entry.name}: a wrong-typed or empty value of any key names the key`, async () => {
      const cases = Object.entries(entry.keys).flatMap(([key, spec]) => wrongValues(spec).map((v) => [key, v]));
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...cases), async ([key, value]) => {
          const k = key as string;
          const base = k.includes('.') ? (entry.base ?? {}) : {};
          expectRefused(await failure(() => entry.call(withPath(base, k, value))), k, value);
        }),
        { numRuns: Math.min(cases.length * 3, 150) },
      );
    });
    it(`${entry.name}: an unknown key is refused, naming it`, async () => {
      const known = new Set(Object.keys(entry.keys).concat('input_shape'));
      await fc.assert(
        fc.asyncProperty(
          fc.string({ minLength: 1, maxLength: 12 }).filter((k) => !known.has(k)),
          fc.constantFrom(...Object.values(POOL).flat()),
          async (key, value) => {
            const e = await failure(() => entry.call({ [key]: value }));
            expectRefused(e, key, value);
            expect((e as Error).message).toMatch(/^unknown /);
          },
        ),
        { numRuns: 40 },
      );
    });
  }
  it("the issue's examples, each with the value and what was expected", async () => {
    const msg = async (f: () => unknown) => ((await failure(f)) as Error).message;
    expect(await msg(() => createModel({ inputs: 2, layers: [1], dtype: 'float16' as 'float32' }))).toBe(
      "dtype = \"float16\"; expected one of: 'float32', 'float64'",
    );
    expect(await msg(() => createModel({ inputs: 2, layers: [1], bias: 'no' as never }))).toBe(
      'bias = "no"; expected true or false',
    );
    expect(await msg(() => createModel({ inputs: 2, layers: [1], seed: Number.NaN }))).toBe(
      'seed = NaN; expected a finite number',
    );
    expect(await msg(() => small().fit(xorX, xorY, { signal: 'abc' as never }))).toBe(
      'signal = "abc"; expected an AbortSignal (an object with a boolean aborted)',
    );
    expect(await msg(() => small().fitSync(xorX, xorY, { onEpochEnd: 5 as never }))).toBe(
      'onEpochEnd = 5; expected a function',
    );
    expect(await msg(() => createModel({ inputs: 2, layers: [{ units: 1, activation: 42 as never }] }))).toMatch(
      /^layers\[0\]\.activation = 42; expected an activation's name/,
    );
    for (const es of [5, true]) {
      expect(await msg(() => small().fitSync(xorX, xorY, { earlyStopping: es as never }))).toBe(
        `earlyStopping = ${es}; expected { patience, minDelta?, monitor?: 'val_loss' | 'loss' | 'val_accuracy' }`,
      );
    }
    expect(await msg(() => small().fitSync(xorX, xorY, { earlyStopping: { patiense: 5 } as never }))).toBe(
      'unknown earlyStopping option "patiense"; expected one of: patience, minDelta, monitor',
    );
  });
});

describe('loadCsv(path) with no options', () => {
  it('reads the last column as class labels, as nabla train does', () => {
    const ds = loadCsv(csv);
    expect([ds.task, ds.count, ds.inputs, ds.classes]).toEqual(['classification', 3, 2, ['x', 'y']]);
  });
});

describe("earlyStopping monitor 'val_accuracy' (Keras's mode max)", () => {
  // linearly separable data: the accuracy reaches 1 and cannot grow after, while the loss keeps falling
  const x = Array.from({ length: 40 }, (_, s) => [(s % 20) / 10 - 1, Math.floor(s / 20) * 0.1]);
  const y = x.map(([a]) => (a! > 0 ? 1 : 0));
  const run = (monitor: 'val_accuracy' | 'val_loss') =>
    createModel({ inputs: 2, layers: [{ units: 1 }], loss: 'bce', dtype: 'float64', seed: 1 }).fitSync(x, y, {
      epochs: 60,
      learningRate: 1,
      optimizer: 'sgd',
      validationData: [x, y],
      earlyStopping: { patience: 3, monitor },
    });
  it('stops `patience` epochs after the best validation accuracy, keeping that epoch', () => {
    const h = run('val_accuracy');
    // the validation accuracies (counts of 40 samples), and the Keras rule worked by hand on them, patience 3:
    // epochs 1–4 improve; 5 and 6 do not (0.95 again), 7 does (1); 8, 9, 10 do not: stop after 10, keep epoch 7
    expect(h.history.val_accuracy).toEqual([0.35, 0.7, 0.875, 0.95, 0.95, 0.95, 1, 1, 1, 1]);
    expect(h.stopReason).toBe('early-stopping');
    expect(h.bestEpoch).toBe(7);
    // under val_loss the same run keeps improving and trains every epoch: the monitor is not read as val_loss
    const byLoss = run('val_loss');
    expect([byLoss.stopReason, byLoss.history.loss.length]).toEqual(['completed', 60]);
  });
  it('is refused without validation data or on regression targets', () => {
    const m = createModel({ inputs: 2, layers: [1] });
    expect(() => m.fitSync(x, y, { earlyStopping: { patience: 1, monitor: 'val_accuracy' } })).toThrow(
      /^earlyStopping.monitor = 'val_accuracy' needs validation data .*; this run has no validation data$/,
    );
  });
});

/** `p`, or a failure after `ms` milliseconds: a hang fails the test instead of hanging the run. */
function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer after ${ms} ms (a hang)`)), ms);
  });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

/** The kernel sets that run here ('native' only where the addon loads). */
async function available(set: 'native' | 'wasm' | 'ref'): Promise<boolean> {
  const e = await failure(() => createModel({ inputs: 2, layers: [1] }).fit(xorX, xorY, { epochs: 1, kernels: set }));
  return e === undefined;
}

describe('a fit started from a fit callback never hangs', () => {
  for (const set of ['native', 'wasm', 'ref'] as const) {
    it(`${set} kernels: another model trains; the same model is refused; later fits run`, async (ctx) => {
      if (!(await available(set))) ctx.skip(); // the native addon does not load on this machine
      const outer: Model = createModel({ inputs: 2, layers: [{ units: 3 }, { units: 1 }], seed: 2 });
      const other: Model = createModel({ inputs: 2, layers: [{ units: 3 }, { units: 1 }], seed: 5 });
      const nested: unknown[] = [];
      const h = await within(
        outer.fit(xorX, xorY, {
          epochs: 2,
          kernels: set,
          onEpochEnd: async () => {
            nested.push(await failure(() => other.fit(xorX, xorY, { epochs: 1, kernels: set })));
            nested.push(await failure(() => outer.fit(xorX, xorY, { epochs: 1, kernels: set })));
            nested.push(await failure(() => outer.fitSync(xorX, xorY, { epochs: 1, kernels: set })));
          },
        }),
        20_000,
        'outer fit',
      );
      expect(h.stopReason).toBe('completed');
      expect([outer.epochs, other.epochs]).toEqual([2, 2]);
      expect(nested.filter((_, i) => i % 3 === 0)).toEqual([undefined, undefined]);
      for (const e of nested.filter((_, i) => i % 3 !== 0)) {
        expect(e).toBeInstanceOf(NablaError);
        expect((e as NablaError).code).toBe('unsupported');
        expect((e as Error).message).toMatch(/^fit(Sync)?: this model is already training/);
      }
      // after it, fits of both models run to the end
      await within(outer.fit(xorX, xorY, { epochs: 1, kernels: set }), 20_000, 'a later fit');
      await within(other.fit(xorX, xorY, { epochs: 1, kernels: set }), 20_000, 'a later fit');
      expect([outer.epochs, other.epochs]).toEqual([3, 3]);
    });
  }
});
