// Property-based fuzzing of every reader a user's file goes through: thousands of generated and mutated
// inputs each, seeded, asserting that each one is either read or refused with a NablaError — never another
// exception (a TypeError, a RangeError, csv-parse's or zod's own error) and never a hang (the test's timeout
// bounds the time). Where a file is read, what it promises is used once, so a check at load time that lets a bad
// value through is found too.
import fc from 'fast-check';
import { NablaError, parseModel, serializeModel } from 'nabla';
import { createNetwork } from 'nabla/paper';
import {
  exercisesToJson,
  generateExercises,
  gradeAnswers,
  parseAnswerCsv,
  parseAnswerJson,
  parseExerciseFile,
} from 'nabla/teach';
import { fit, makeSynthetic, parseCsv, parseCsvFeatures } from 'nabla/train';
import { describe, expect, it } from 'vitest';
import { readCsvTable } from '../packages/nabla/src/csv/table.js';
import { idxDataset, parseIdx } from '../packages/nabla/src/node/idx.js';
import { createOptimizer } from '../packages/nabla/src/train/optimizer.js';

/** Counts of the inputs each property runs (printed in the closing note of issue 11). */
const FUZZ_RUNS = {
  csv: 3000,
  idx: 3000,
  modelJson: 2000,
  optimizerState: 2000,
  exerciseFile: 1000,
  answerJson: 2000,
  answerCsv: 2000,
} as const;

/** Runs `read`; passes when it returns or throws a NablaError, fails with the input on anything else. */
function cleanly(read: () => unknown, input: unknown): boolean {
  try {
    read();
    return true;
  } catch (e) {
    if (e instanceof NablaError) return true;
    throw new Error(`not a NablaError for input ${JSON.stringify(input)?.slice(0, 300)}: ${String(e)}`);
  }
}

/** Edits of a text: insert, delete or replace a piece at a position (positions as fractions of the length). */
function mutatedText(base: string, pieces: fc.Arbitrary<string>): fc.Arbitrary<string> {
  const edit = fc.record({ at: fc.double({ min: 0, max: 1, noNaN: true }), del: fc.nat({ max: 8 }), put: pieces });
  return fc.array(edit, { minLength: 1, maxLength: 6 }).map((edits) => {
    let s = base;
    for (const e of edits) {
      const i = Math.floor(e.at * s.length);
      s = s.slice(0, i) + e.put + s.slice(i + e.del);
    }
    return s;
  });
}

/** Edits of bytes: flip, insert, delete, truncate. */
function mutatedBytes(base: Uint8Array): fc.Arbitrary<Uint8Array> {
  const edit = fc.record({
    kind: fc.constantFrom('set', 'insert', 'delete', 'truncate'),
    at: fc.double({ min: 0, max: 1, noNaN: true }),
    byte: fc.integer({ min: 0, max: 255 }),
  });
  return fc.array(edit, { minLength: 1, maxLength: 5 }).map((edits) => {
    let b = Array.from(base);
    for (const e of edits) {
      const i = Math.floor(e.at * b.length);
      if (e.kind === 'set' && b.length > 0) b[Math.min(i, b.length - 1)] = e.byte;
      else if (e.kind === 'insert') b.splice(i, 0, e.byte);
      else if (e.kind === 'delete') b.splice(i, 1);
      else b = b.slice(0, i);
    }
    return Uint8Array.from(b);
  });
}

/** A JSON path into `value` and a replacement there (a random JSON value or a nasty one). */
function mutatedJson(base: unknown): fc.Arbitrary<unknown> {
  const paths: (string | number)[][] = [];
  const walk = (v: unknown, path: (string | number)[]) => {
    paths.push(path);
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...path, i]));
    else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, [...path, k]);
  };
  walk(base, []);
  const nasty = fc.constantFrom<unknown>(
    null,
    -1,
    0,
    1e308,
    -1e-320,
    2 ** 31 - 1,
    1.5,
    '',
    'NaN',
    '1/0',
    '__proto__',
    [],
    {},
    [[]],
    { __proto__: 1 },
    true,
  );
  const replacement = fc.oneof(nasty, fc.jsonValue({ maxDepth: 2 }));
  const edit = fc.record({ path: fc.constantFrom(...paths), value: replacement, drop: fc.boolean() });
  return fc.array(edit, { minLength: 1, maxLength: 3 }).map((edits) => {
    let doc = structuredClone(base) as unknown;
    for (const e of edits) doc = setAt(doc, e.path, structuredClone(e.value), e.drop);
    return doc;
  });
}

function setAt(doc: unknown, path: readonly (string | number)[], value: unknown, drop: boolean): unknown {
  if (path.length === 0) return value;
  if (doc === null || typeof doc !== 'object') return doc;
  let node = doc as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (next === null || typeof next !== 'object') return doc; // an earlier edit replaced this part
    node = next as Record<string | number, unknown>;
  }
  const last = path[path.length - 1]!;
  if (drop && !Array.isArray(node)) delete node[last];
  else node[last] = value;
  return doc;
}

const csvPieces = fc.oneof(
  fc.constantFrom(
    ',',
    '\n',
    '\r\n',
    '"',
    '""',
    '\ufeff',
    '0x10',
    '1e999',
    '-',
    '.',
    'Infinity',
    'NaN',
    ' ',
    '#',
    '\t',
    '\u0000',
    'label',
    '1/2',
    '9'.repeat(1200),
  ),
  fc.string({ maxLength: 6 }),
  fc.double().map(String),
);
const csvBase = 'x1,x2,label\n0.5,-1,a\n1e-3,2,b\n"3",4,a\n';

describe('fuzz: CSV (the one reader, in each of its uses)', () => {
  it(`${FUZZ_RUNS.csv} mutated and generated files: parseCsv (both tasks), parseCsvFeatures, readCsvTable`, () => {
    const text = fc.oneof(
      mutatedText(csvBase, csvPieces),
      fc.array(csvPieces, { maxLength: 20 }).map((p) => p.join('')),
    );
    fc.assert(
      fc.property(text, fc.option(fc.boolean(), { nil: undefined }), (t, header) => {
        const h = header === undefined ? {} : { header };
        return (
          cleanly(() => parseCsv(t, { source: 'f.csv', task: 'classification', ...h }), t) &&
          cleanly(() => parseCsv(t, { source: 'f.csv', task: 'regression', target: 'x2', ...h }), t) &&
          cleanly(() => parseCsvFeatures(t, { source: 'f.csv', width: 2, drop: 'label', ...h }), t) &&
          cleanly(() => readCsvTable(t, { source: 'f.csv', ...h }), t)
        );
      }),
      { seed: 11, numRuns: FUZZ_RUNS.csv },
    );
  }, 120_000);
});

describe('fuzz: IDX', () => {
  const header = (type: number, dims: number[]) => {
    const h = new Uint8Array(4 + 4 * dims.length);
    h[2] = type;
    h[3] = dims.length;
    const v = new DataView(h.buffer);
    dims.forEach((n, k) => v.setUint32(4 + 4 * k, n, false));
    return h;
  };
  const images = Uint8Array.from([...header(0x08, [3, 2, 2]), ...Array.from({ length: 12 }, (_, i) => i * 20)]);
  const floats = (() => {
    const h = header(0x0d, [3, 4]);
    const b = new Uint8Array(h.length + 48);
    b.set(h);
    const v = new DataView(b.buffer);
    for (let i = 0; i < 12; i++) v.setFloat32(h.length + 4 * i, i / 7 - 0.5, false);
    return b;
  })();
  const labels = Uint8Array.from([...header(0x08, [3]), 0, 2, 1]);

  it(`${FUZZ_RUNS.idx} mutated image and label files (ubyte and float images), and random bytes`, () => {
    const pair = fc.oneof(
      fc.tuple(mutatedBytes(images), fc.constant(labels)),
      fc.tuple(mutatedBytes(floats), fc.constant(labels)),
      fc.tuple(fc.constant(images), mutatedBytes(labels)),
      fc.tuple(fc.uint8Array({ maxLength: 64 }), fc.uint8Array({ maxLength: 16 })),
    );
    fc.assert(
      fc.property(
        pair,
        ([img, lbl]) =>
          cleanly(() => parseIdx(img, 'i.idx3'), img) &&
          cleanly(() => idxDataset(img, lbl, 'i.idx3', 'l.idx1'), [img, lbl]),
      ),
      { seed: 12, numRuns: FUZZ_RUNS.idx },
    );
  }, 120_000);
});

describe('fuzz: model JSON and optimizer state', () => {
  const net = createNetwork({ widths: [2, 3, 2], activation: ['tanh', 'identity'], seed: 1 });
  const data = makeSynthetic('xor', { count: 16, seed: 1 });
  const trained = fit(net, data, { loss: 'softmax-ce', optimizer: 'adam', epochs: 1, batchSize: 8 });
  const text = serializeModel({
    network: trained.network,
    meta: { loss: 'softmax-ce', classes: [0, 1], optimizer: trained.optimizerState },
  });
  const doc = JSON.parse(text);

  it(`${FUZZ_RUNS.modelJson} model files: mutated text and mutated JSON trees`, () => {
    const input = fc.oneof(
      mutatedText(
        text,
        fc.oneof(
          fc.constantFrom('{', '}', '[', ']', ',', '"', ':', '1e999', 'NaN', '-', '"__proto__"'),
          fc.string({ maxLength: 4 }),
        ),
      ),
      mutatedJson(doc).map((d) => JSON.stringify(d)),
    );
    fc.assert(
      fc.property(input, (t) => cleanly(() => parseModel(t, { source: 'm.json' }), t)),
      { seed: 13, numRuns: FUZZ_RUNS.modelJson },
    );
  }, 120_000);

  it(`${FUZZ_RUNS.optimizerState} optimizer states: refused cleanly when read, or resumed without any error`, () => {
    const input = mutatedJson(doc.optimizer).map((o) => JSON.stringify({ ...doc, optimizer: o }));
    fc.assert(
      fc.property(input, (t) => {
        let m: ReturnType<typeof parseModel>;
        try {
          m = parseModel(t, { source: 'm.json' });
        } catch (e) {
          if (e instanceof NablaError) return true;
          throw e;
        }
        const s = m.meta.optimizer;
        if (s === undefined) return true;
        // loading promised a resumable state: resuming it must work, with no error of any kind
        const state = {
          name: s.name as 'adam',
          step: s.step,
          options: (s.options ?? {}) as Record<string, number>,
          state: s.state ?? {},
        };
        createOptimizer(s.name, {}, { state, W: m.network.W });
        return true;
      }),
      { seed: 14, numRuns: FUZZ_RUNS.optimizerState },
    );
  }, 120_000);
});

describe('fuzz: exercise and answer files', () => {
  const set = generateExercises({ seed: 3, count: 2, widths: [2, 2, 1], activations: ['relu', 'identity'] });
  const exText = exercisesToJson(set);
  const exDoc = JSON.parse(exText);

  it(`${FUZZ_RUNS.exerciseFile} exercise files (mutated JSON trees and text)`, () => {
    const input = fc.oneof(
      mutatedJson(exDoc).map((d) => JSON.stringify(d)),
      mutatedText(exText, fc.oneof(fc.constantFrom('"1/0"', '"-"', '99', '[', '}'), fc.string({ maxLength: 3 }))),
    );
    fc.assert(
      fc.property(input, (t) => cleanly(() => parseExerciseFile(t, 'exercises.json'), t)),
      { seed: 15, numRuns: FUZZ_RUNS.exerciseFile },
    );
  }, 120_000);

  const answers = {
    exercises: [
      { id: 1, N: { '1': [['1/2'], ['-1']] }, D: { '2': [['1']] } },
      { id: 2, f: [['0']] },
    ],
  };
  it(`${FUZZ_RUNS.answerJson} answer files (JSON), each graded against the set`, () => {
    fc.assert(
      fc.property(mutatedJson(answers), (d) =>
        cleanly(() => gradeAnswers(set, parseAnswerJson(JSON.stringify(d), 'answers.json')), d),
      ),
      { seed: 16, numRuns: FUZZ_RUNS.answerJson },
    );
  }, 120_000);

  it(`${FUZZ_RUNS.answerCsv} answer files (CSV matrices)`, () => {
    const input = fc.oneof(
      mutatedText('1/2,-1\n# a comment\n3,"4"\n', csvPieces),
      fc.array(csvPieces, { maxLength: 12 }).map((p) => p.join('')),
    );
    fc.assert(
      fc.property(input, (t) => cleanly(() => parseAnswerCsv(t, '1.N_1.csv', 1, { key: 'N', index: 1 }), t)),
      { seed: 17, numRuns: FUZZ_RUNS.answerCsv },
    );
  }, 120_000);

  it('the fuzzers are not vacuous: some inputs of each kind are read, and some are refused', () => {
    const outcomes = (read: () => unknown) => {
      try {
        read();
        return 'read';
      } catch (e) {
        expect(e).toBeInstanceOf(NablaError);
        return 'refused';
      }
    };
    expect(outcomes(() => parseCsv(csvBase, { source: 'f.csv', task: 'classification' }))).toBe('read');
    expect(outcomes(() => parseCsv(csvBase.replace('0.5', '0x5'), { source: 'f.csv', task: 'classification' }))).toBe(
      'refused',
    );
    expect(outcomes(() => parseExerciseFile(exText, 'e.json'))).toBe('read');
    expect(outcomes(() => parseExerciseFile(exText.replace('"nabla-exercises"', '"x"'), 'e.json'))).toBe('refused');
    const model = serializeModel({
      network: createNetwork({ widths: [2, 2], activation: 'tanh', seed: 1 }),
      meta: { optimizer: { name: 'sgd', step: 0, options: {}, state: {} } },
    });
    expect(outcomes(() => parseModel(model))).toBe('read');
    expect(outcomes(() => parseModel(model.replace('"sgd"', '"adagrad"')))).toBe('refused');
  });
});
