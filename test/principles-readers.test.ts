// Principles for the readers, tested by property (fast-check) over every reader they apply to: one JSON reader
// refuses duplicate and prototype keys; one consistency check of a loaded model; answer files name only what
// exists; one text decoder (UTF-8 ± BOM, UTF-16 with BOM, CRLF alike; invalid UTF-8 refused with its offset);
// endless inputs (/dev/zero) return at once. The contract: a NablaError with its code, one line, nothing half-done.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { DataError, exportOnnx, FormatError, NablaError, parseJson, parseModel, serializeModel } from 'nabla';
import { decodeText, loadCsv, loadNetworkFile, loadOnnx, readTextFile } from 'nabla/node';
import { createNetwork } from 'nabla/paper';
import { exercisesToJson, generateExercises, gradeAnswers, parseAnswerJson, parseExerciseFile } from 'nabla/teach';
import { afterAll, describe, expect, it } from 'vitest';
import { jsonFromText } from '../packages/cli/src/context.js';
import { loadModelFile } from '../packages/nabla/src/node/model-io.js';
import { importOnnx } from '../packages/nabla/src/onnx/import.js';
import { decodeModel, encodeModel } from '../packages/nabla/src/onnx/proto.js';
import { cliIn } from './helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'nabla-principles-readers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const cli = cliIn(() => dir);

/** The contract of a refusal: a NablaError of `code`, one line, no stack-trace lines, naming `names`. */
function refusedWith(f: () => unknown, code: string, ...names: (string | RegExp)[]): NablaError {
  let caught: unknown;
  try {
    f();
  } catch (e) {
    caught = e;
  }
  expect(caught, 'expected a refusal').toBeInstanceOf(NablaError);
  const e = caught as NablaError;
  expect(e.code).toBe(code);
  expect(e.message).not.toContain('\n');
  for (const n of names) {
    if (typeof n === 'string') expect(e.message).toContain(n);
    else expect(e.message).toMatch(n);
  }
  return e;
}

const modelText = serializeModel({
  network: createNetwork({ widths: [2, 3, 2], activation: ['tanh', 'identity'], seed: 3 }),
  meta: { classes: ['a', 'b'], loss: 'softmax-ce' },
});
const exerciseText = exercisesToJson(
  generateExercises({ seed: 2, count: 2, widths: [2, 2, 1], activations: ['relu', 'identity'] }),
);
const answerText = JSON.stringify({ exercises: [{ id: 1, f: [['1']], N: { '1': [['1'], ['2']] } }] });

/** Every JSON the library and CLI read, as (name, reader of the text) pairs. */
const jsonReaders: [string, string, (text: string) => unknown][] = [
  ['a model file (parseModel)', modelText, (t) => parseModel(t, { source: 'm.json' })],
  ['an exercise file (parseExerciseFile)', exerciseText, (t) => parseExerciseFile(t, 'ex.json')],
  ['an answer file (parseAnswerJson)', answerText, (t) => parseAnswerJson(t, 'answers.json')],
  ['a JSON input of the CLI (readJson)', '{"x": [1, 2], "y": {"z": 3}}', (t) => jsonFromText(t, 'x.json')],
];

/**
 * The offsets of the keys in a JSON text (a string followed by ':'), found by a scan of the test's own, and the
 * offsets of the objects' opening braces.
 */
function keyOffsets(t: string): { keys: { at: number; raw: string }[]; objects: number[] } {
  const keys: { at: number; raw: string }[] = [];
  const objects: number[] = [];
  for (let i = 0; i < t.length; i++) {
    if (t[i] === '{') objects.push(i);
    if (t[i] !== '"') continue;
    let j = i + 1;
    while (t[j] !== '"') j += t[j] === '\\' ? 2 : 1;
    if (/^\s*:/.test(t.slice(j + 1))) keys.push({ at: i, raw: t.slice(i, j + 1) });
    i = j;
  }
  return { keys, objects };
}

describe('principle 3: one JSON reader, duplicate and prototype keys refused with their path', () => {
  it.each(jsonReaders)('%s: every key given twice in its object is refused, naming it', (_name, text, read) => {
    expect(() => read(text)).not.toThrow();
    const { keys } = keyOffsets(text);
    fc.assert(
      fc.property(fc.nat({ max: keys.length - 1 }), (j) => {
        const k = keys[j]!;
        // the key again right after its own value's start: "k": v  →  "k": <dup>, "k": v ; in the same object
        const doubled = `${text.slice(0, k.at)}${k.raw}: 0, ${text.slice(k.at)}`;
        const e = refusedWith(
          () => read(doubled),
          read === jsonReaders[0]![2] ? 'format' : 'data',
          `the key ${JSON.stringify(JSON.parse(k.raw))}`,
          'twice',
        );
        expect(e.message.split(': ')[0]).toMatch(/^(m|ex|answers|x)\.json$/);
      }),
      { numRuns: 60 },
    );
  });

  it.each(jsonReaders)(
    '%s: __proto__, constructor and prototype keys are refused in every object',
    (_name, text, read) => {
      const { objects } = keyOffsets(text);
      fc.assert(
        fc.property(
          fc.nat({ max: objects.length - 1 }),
          fc.constantFrom('__proto__', 'constructor', 'prototype'),
          (j, key) => {
            const at = objects[j]! + 1;
            const bad = `${text.slice(0, at)}"${key}": {"polluted": 1}, ${text.slice(at)}`;
            refusedWith(() => read(bad), read === jsonReaders[0]![2] ? 'format' : 'data', `"${key}"`, 'not allowed');
            expect(({} as Record<string, unknown>).polluted).toBeUndefined();
          },
        ),
        { numRuns: 40 },
      );
    },
  );

  it('valid JSON without repeated keys reads exactly as JSON.parse reads it', () => {
    fc.assert(
      fc.property(fc.json(), (t) => {
        const r = parseJson(t);
        const hasBad = /"(__proto__|constructor|prototype)"\s*:/.test(t);
        if (!hasBad) expect(r).toEqual({ ok: true, value: JSON.parse(t) });
      }),
      { numRuns: 500 },
    );
  });

  it('the path of a repeated key is named: x[1].c.d', () => {
    const r = parseJson('{"x": [{"b": 1}, {"b": 2, "c": {"d": 1, "d": 2}}]}');
    expect(r).toMatchObject({ ok: false, path: 'x[1].c.d' });
  });

  it('the CLI refuses a model file with a repeated key in one line before any output', async () => {
    writeFileSync(join(dir, 'dup.json'), modelText.replace('"version": 1,', '"version": 1, "version": 1,'));
    const r = await cli.run('predict', '--model', 'dup.json', '--input', 'nothing.csv');
    expect(r.stdout).toBe('');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(
      /^nabla predict: dup\.json: version: the key "version" appears twice in one object; give each key once\n$/,
    );
  });
});

describe('principle 3: the parts of a loaded model agree (model file and ONNX)', () => {
  const outputs = (n: number) => createNetwork({ widths: [2, 3, n], activation: ['tanh', 'identity'], seed: 1 });
  const labelsOf = (count: number) => Array.from({ length: count }, (_, j) => `c${j}`);
  // n_k outputs stand for n_k classes, and one output for two (a binary classifier); no other count fits
  const fits = (count: number, n: number) => count === n || (n === 1 && count === 2);

  it('class labels vs output width: refused in a model file exactly when they do not fit, naming both', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 7 }), (n, count) => {
        const good = JSON.parse(serializeModel({ network: outputs(n) })) as Record<string, unknown>;
        good.classes = labelsOf(count);
        const text = JSON.stringify(good);
        if (fits(count, n)) expect(parseModel(text).meta.classes).toEqual(labelsOf(count));
        else
          refusedWith(
            () => parseModel(text, { source: 'm.json' }),
            'format',
            'm.json: classes:',
            `${count} class label`,
            `n_2 = ${n}`,
          );
      }),
      { numRuns: 60 },
    );
  });

  it('class labels vs output width: refused in an ONNX file (its metadata) by the same check', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 6 }), (n, count) => {
        const proto = decodeModel(exportOnnx({ network: outputs(n) }), 'm.onnx');
        proto.metadataProps = proto.metadataProps.filter((p) => p.key !== 'classes');
        proto.metadataProps.push({
          $typeName: 'onnx.StringStringEntryProto',
          key: 'classes',
          value: JSON.stringify(labelsOf(count)),
        } as never);
        const bytes = encodeModel(proto);
        if (fits(count, n)) expect(importOnnx(bytes).meta.classes).toEqual(labelsOf(count));
        else
          refusedWith(
            () => importOnnx(bytes, { source: 'm.onnx' }),
            'format',
            'm.onnx: classes:',
            `${count} class label`,
          );
      }),
      { numRuns: 40 },
    );
  });

  it('standardizer lengths and layer shapes: any length off by one is refused naming its path', () => {
    const base = JSON.parse(
      serializeModel({ network: outputs(2), meta: { preprocessing: { standardize: { mean: [0, 0], std: [1, 1] } } } }),
    ) as {
      layers: { W: number[][] }[];
      preprocessing: { standardize: { mean: number[]; std: number[] } };
    };
    const parts: [string, (f: typeof base) => number[] | number[][]][] = [
      ['preprocessing.standardize.mean', (f) => f.preprocessing.standardize.mean],
      ['preprocessing.standardize.std', (f) => f.preprocessing.standardize.std],
      ['layers[0].W', (f) => f.layers[0]!.W],
      ['layers[1].W', (f) => f.layers[1]!.W],
      ['layers[1].W[0]', (f) => f.layers[1]!.W[0]!],
    ];
    fc.assert(
      fc.property(fc.nat({ max: parts.length - 1 }), fc.boolean(), (j, longer) => {
        const f = structuredClone(base);
        const [path, get] = parts[j]!;
        const a = get(f) as unknown[];
        if (longer) a.push(structuredClone(a[0]));
        else a.pop();
        refusedWith(() => parseModel(JSON.stringify(f), { source: 'm.json' }), 'format', `m.json: ${path}`);
      }),
      { numRuns: 40 },
    );
  });
});

describe('principle 5: answer files may not name what does not exist', () => {
  const set = parseExerciseFile(exerciseText, 'ex.json');
  const keys = ['N', 'S', 'dS', 'D', 'gradW'] as const;

  it('a matrix of a layer the network does not have (index 0 or > k) is refused naming it; 1 … k are graded', () => {
    fc.assert(
      fc.property(fc.constantFrom(...keys), fc.integer({ min: 0, max: 12 }), fc.constantFrom(1, 2), (key, i, id) => {
        const answers = parseAnswerJson(
          JSON.stringify({ exercises: [{ id, [key]: { [String(i)]: [['1']] } }] }),
          'answers.json',
        );
        const k = set.exercises.find((e) => e.id === id)!.widths.length - 1;
        if (i >= 1 && i <= k) expect(gradeAnswers(set, answers).total).toBeGreaterThan(0);
        else
          refusedWith(
            () => gradeAnswers(set, answers),
            'data',
            `answers.json: exercise ${id}:`,
            'does not exist',
            `k = ${k}`,
          );
      }),
      { numRuns: 80 },
    );
  });

  it('nabla check refuses N_7 of a two-layer network and a top-level __proto__, before printing anything', async () => {
    writeFileSync(join(dir, 'ex.json'), exerciseText);
    writeFileSync(join(dir, 'n7.json'), JSON.stringify({ exercises: [{ id: 1, N: { '7': [['1']] } }] }));
    writeFileSync(join(dir, 'proto.json'), '{"__proto__": {"x": 1}, "exercises": []}');
    writeFileSync(join(dir, 'other.json'), '{"exercises": [], "extra": 1}');
    const n7 = await cli.run('check', '--exercise', 'ex.json', '--answer', 'n7.json');
    expect(n7).toEqual({
      status: 1,
      stdout: '',
      stderr:
        'nabla check: n7.json: exercise 1: N_7 does not exist; the network has k = 2 layers, so N_i exists for i = 1 … 2\n',
    });
    const proto = await cli.run('check', '--exercise', 'ex.json', '--answer', 'proto.json');
    expect(proto).toEqual({
      status: 1,
      stdout: '',
      stderr: 'nabla check: proto.json: __proto__: the key "__proto__" is not allowed\n',
    });
    const other = await cli.run('check', '--exercise', 'ex.json', '--answer', 'other.json');
    expect(other).toEqual({
      status: 1,
      stdout: '',
      stderr:
        'nabla check: other.json: unknown key "extra" at the top level; expected {"exercises": […]}, with "student" ' +
        'and "variant" in a class\'s answer file\n',
    });
  });
});

/** The bytes of `text` in an encoding, written here without TextEncoder's help for UTF-16. */
function encode(text: string, enc: 'utf8' | 'utf8-bom' | 'utf16le' | 'utf16be'): Uint8Array {
  if (enc === 'utf8') return Buffer.from(text, 'utf8');
  if (enc === 'utf8-bom') return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
  const out = new Uint8Array(2 + 2 * text.length);
  out[0] = enc === 'utf16le' ? 0xff : 0xfe;
  out[1] = enc === 'utf16le' ? 0xfe : 0xff;
  for (let j = 0; j < text.length; j++) {
    const c = text.charCodeAt(j);
    out[2 + 2 * j] = enc === 'utf16le' ? c & 0xff : c >> 8;
    out[3 + 2 * j] = enc === 'utf16le' ? c >> 8 : c & 0xff;
  }
  return out;
}

describe('principle 6: one text decoder for every file', () => {
  const cell = fc.oneof(
    fc.integer({ min: -999, max: 999 }).map(String),
    fc.double({ min: -100, max: 100, noNaN: true }).map((x) => x.toFixed(3)),
  );
  const table = fc.record({
    cols: fc.integer({ min: 1, max: 4 }),
    rows: fc.array(fc.array(cell, { minLength: 5, maxLength: 5 }), { minLength: 2, maxLength: 6 }),
    names: fc.array(fc.constantFrom('a', 'b', 'größe', 'x1', 'café', 'temp'), { minLength: 5, maxLength: 5 }),
    quoted: fc.boolean(),
    crlf: fc.boolean(),
  });

  it('a CSV reads the same in UTF-8, UTF-8 with BOM, UTF-16 LE and BE with BOM, with LF or CRLF, quoted numbers or not', () => {
    let n = 0;
    fc.assert(
      fc.property(
        table,
        fc.constantFrom('utf8-bom', 'utf16le', 'utf16be') as fc.Arbitrary<'utf8-bom' | 'utf16le' | 'utf16be'>,
        (t, enc) => {
          const names = t.names.slice(0, t.cols + 1).map((s, j) => `${s}${j}`);
          const q = (s: string) => (t.quoted ? `"${s}"` : s);
          const lines = [
            names.join(','),
            ...t.rows.map((r) =>
              r
                .slice(0, t.cols + 1)
                .map(q)
                .join(','),
            ),
          ];
          const plain = `${lines.join('\n')}\n`;
          const file = join(dir, `t${n++}.csv`);
          writeFileSync(file, encode(plain, 'utf8'));
          const want = loadCsv(file, { task: 'regression', source: 't.csv' });
          writeFileSync(file, encode(t.crlf ? plain.replace(/\n/g, '\r\n') : plain, enc));
          const got = loadCsv(file, { task: 'regression', source: 't.csv' });
          expect(got.featureNames).toEqual(names.slice(0, -1));
          expect(Array.from(got.x)).toEqual(Array.from(want.x));
          expect(Array.from(got.targets!)).toEqual(t.rows.map((r) => Number(r[t.cols])));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('invalid UTF-8 anywhere is refused naming the file and the byte offset, by every text reader', () => {
    const readers: [string, (path: string) => unknown][] = [
      ['CSV', (p) => loadCsv(p, { task: 'regression', source: 'bad.csv' })],
      ['text', (p) => readTextFile(p, 'bad.csv')],
    ];
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 40 }).filter((s) => !s.startsWith('\ufeff')),
        fc.nat(),
        fc.constantFrom([0xff], [0xc0, 0x80], [0xed, 0xa0, 0x80], [0xe2, 0x82], [0xf5, 0x80, 0x80, 0x80], [0x80]),
        fc.nat({ max: readers.length - 1 }),
        (s, pos, badBytes, r) => {
          const good = Buffer.from(s, 'utf8');
          // cut at a character boundary: the bytes of the first `chars` characters
          const chars = Math.min(pos % (s.length + 1), s.length);
          const at = Buffer.from(s.slice(0, chars), 'utf8').length;
          const bytes = Buffer.concat([good.subarray(0, at), Buffer.from(badBytes), good.subarray(at)]);
          if (bytes[0] === 0xff && bytes[1] === 0xfe) return; // that is a UTF-16 LE byte-order mark
          const file = join(dir, 'bad.csv');
          writeFileSync(file, bytes);
          refusedWith(
            () => readers[r]![1](file),
            'data',
            'bad.csv: not valid UTF-8',
            `at byte ${at.toLocaleString('en-US')}`,
          );
        },
      ),
      { numRuns: 200 },
    );
  });

  it('decodeText: the messages for invalid UTF-8 and UTF-32', () => {
    expect(decodeText(Buffer.from([0x5b, 0x31, 0x5d]), 'x')).toBe('[1]');
    expect(() => decodeText(Buffer.from([0x5b, 0x31, 0xff, 0x5d]), 'x.json')).toThrow(
      'x.json: not valid UTF-8 at byte 2 (bytes FF 5D); save the file as UTF-8 (or UTF-16 with a byte-order mark)',
    );
    expect(() => decodeText(Buffer.from([0xff, 0xfe, 0, 0, 0x41, 0, 0, 0]), 'x.csv')).toThrow(
      'x.csv: the file is UTF-32LE (by its byte-order mark); expected UTF-8',
    );
  });
});

describe('principle 12: readers of endless inputs return at once', () => {
  const endless: [string, () => Promise<unknown>][] = [
    ['loadModelFile', () => loadModelFile('/dev/zero')],
    ['loadNetworkFile', () => loadNetworkFile('/dev/zero')],
    ['loadOnnx', () => loadOnnx('/dev/zero')],
    ['loadCsv', async () => loadCsv('/dev/zero', { task: 'regression' })],
    ['readTextFile', async () => readTextFile('/dev/zero')],
  ];
  it.skipIf(process.platform === 'win32').each(endless)(
    '%s(/dev/zero) is refused within a second, naming the path',
    async (_name, read) => {
      const t0 = performance.now();
      const e = await read().then(
        () => undefined,
        (x: unknown) => x,
      );
      expect(performance.now() - t0).toBeLessThan(1000);
      expect(e).toBeInstanceOf(DataError);
      expect((e as Error).message).toMatch(
        /^\/dev\/zero: is a device or socket, not (a model file|an ONNX file|a CSV file|a file)/,
      );
    },
  );

  it('a model file that declares absurd widths is refused before its layers are walked', () => {
    const text = JSON.stringify({ widths: [1_000_000, 1_000_000, 1], layers: [] });
    refusedWith(() => parseModel(text, { source: 'big.json' }), 'format', 'big.json: widths:', 'limits.parameters');
    expect(FormatError).toBeDefined();
  });
});
