import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadDataset } from '../packages/cli/src/data/load.js';
import { DataError } from '../packages/nabla/src/errors.js';
import { labelPathCandidates, loadIdxDataset, parseIdx } from '../packages/nabla/src/node/idx.js';
import { idx } from './helpers/idx.js';

/** An IDX file: magic 0 0 type d, d big-endian uint32 dims, big-endian elements. */

// Three 2×2 "images" and their labels.
const pixels = [0, 255, 51, 102, 10, 20, 30, 40, 255, 255, 0, 0];
const labelValues = [2, 0, 1];

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'nabla-idx-'));
  writeFileSync(join(dir, 'train-images-idx3-ubyte'), idx(0x08, [3, 2, 2], pixels));
  writeFileSync(join(dir, 'train-labels-idx1-ubyte'), idx(0x08, [3], labelValues));
  writeFileSync(join(dir, 't10k-images-idx3-ubyte.gz'), gzipSync(idx(0x08, [3, 2, 2], pixels)));
  writeFileSync(join(dir, 't10k-labels-idx1-ubyte.gz'), gzipSync(idx(0x08, [3], labelValues)));
  writeFileSync(join(dir, 'digits-images.idx3'), idx(0x0d, [3, 4], [0.5, -1, 2, 0, 1, 1, 1, 1, 0, 0, 0, 0.25]));
  writeFileSync(join(dir, 'digits-labels.idx1'), idx(0x08, [3], [0, 1, 0]));
  writeFileSync(join(dir, 'lonely-images-idx3-ubyte.gz'), gzipSync(idx(0x08, [1, 1, 1], [1])));
  writeFileSync(join(dir, 'short-images-idx3-ubyte'), idx(0x08, [3, 2, 2], pixels).subarray(0, 20));
  writeFileSync(join(dir, 'short-labels-idx1-ubyte'), idx(0x08, [3], labelValues));
  writeFileSync(join(dir, 'odd-images-idx3-ubyte'), idx(0x08, [3, 2, 2], pixels));
  writeFileSync(join(dir, 'odd-labels-idx1-ubyte'), idx(0x08, [2], [0, 1]));
});

describe('parseIdx', () => {
  it('round-trips every element type, plain and gzipped', () => {
    const cases: [number, string, number[]][] = [
      [0x08, 'ubyte', [0, 1, 254, 255]],
      [0x09, 'byte', [-128, -1, 0, 127]],
      [0x0b, 'short', [-32768, -2, 3, 32767]],
      [0x0c, 'int', [-2147483648, -5, 6, 2147483647]],
      [0x0d, 'float', [0.5, -1.25, 2 ** 40, 0]],
      [0x0e, 'double', [0.1, -1e-300, Math.PI, 0]],
    ];
    for (const [code, type, values] of cases) {
      for (const bytes of [idx(code, [2, 2], values), gzipSync(idx(code, [2, 2], values))]) {
        const a = parseIdx(bytes);
        expect(a.type).toBe(type);
        expect(a.dims).toEqual([2, 2]);
        expect(Array.from(a.data)).toEqual(values);
      }
    }
  });

  it('rejects what is not IDX, naming the found and expected bytes', () => {
    expect(() => parseIdx(Buffer.from([0, 0, 8]), 'a.idx')).toThrow(
      new DataError('a.idx: 3 bytes is too short for an IDX header (4 bytes at least)'),
    );
    expect(() => parseIdx(Buffer.from('PK\x03\x04rest'), 'a.idx')).toThrow(
      new DataError('a.idx: not an IDX file: the first two bytes are 0x50 0x4b, expected 0x00 0x00'),
    );
    expect(() => parseIdx(Buffer.from([0, 0, 0x0a, 1, 0, 0, 0, 0]), 'a.idx')).toThrow(
      new DataError(
        'a.idx: unknown IDX element type 0x0a; expected one of 0x08 (unsigned byte), 0x09 (signed byte), 0x0b (short), 0x0c (int), 0x0d (float), 0x0e (double)',
      ),
    );
    expect(() => parseIdx(Buffer.from([0, 0, 8, 0]), 'a.idx')).toThrow(
      new DataError('a.idx: the IDX header declares 0 dimensions, expected at least 1'),
    );
    expect(() => parseIdx(Buffer.from([0, 0, 8, 3, 0, 0, 0, 1]), 'a.idx')).toThrow(
      new DataError('a.idx: truncated IDX header: 3 dimensions need 16 bytes, found 8'),
    );
    expect(() => parseIdx(idx(0x08, [3, 2, 2], pixels).subarray(0, 20), 'a.idx')).toThrow(
      new DataError('a.idx: truncated: expected 28 bytes (16-byte header + 3×2×2 unsigned bytes of 1 bytes), found 20'),
    );
    expect(() => parseIdx(Buffer.concat([idx(0x0d, [2], [1, 2]), Buffer.from([0])]), 'a.idx')).toThrow(
      new DataError('a.idx: too long: expected 16 bytes (8-byte header + 2 floats of 4 bytes), found 17'),
    );
    expect(() => parseIdx(Buffer.from([0x1f, 0x8b, 1, 2, 3]), 'a.gz')).toThrow(
      /^a\.gz: starts like a gzip file \(1f 8b\) but does not decompress: /,
    );
  });
});

describe('loadIdxDataset', () => {
  it('loads plain MNIST-style files, scaling bytes by 1/255', () => {
    const ds = loadIdxDataset(join(dir, 'train-images-idx3-ubyte'));
    expect(ds.name).toBe('train-images-idx3-ubyte');
    expect([ds.count, ds.inputs, ds.outputs]).toEqual([3, 4, 3]);
    expect(ds.classes).toEqual([0, 1, 2]);
    expect(Array.from(ds.labels!)).toEqual(labelValues);
    expect(ds.x).toBeInstanceOf(Float32Array);
    expect(Array.from(ds.x)).toEqual(Array.from(Float32Array.from(pixels, (v) => v / 255)));
  });

  it('loads gzipped files and infers the gzipped label file', () => {
    const ds = loadIdxDataset(join(dir, 't10k-images-idx3-ubyte.gz'));
    expect(Array.from(ds.labels!)).toEqual(labelValues);
    expect(ds.x[1]).toBe(1);
    const viaSpec = loadDataset(join(dir, 't10k-images-idx3-ubyte.gz'));
    expect(Array.from(viaSpec.train.x)).toEqual(Array.from(ds.x));
  });

  it('handles -images.idx3 names and float images (used as stored)', () => {
    const ds = loadIdxDataset(join(dir, 'digits-images.idx3'));
    expect(ds.classes).toEqual([0, 1]);
    expect(Array.from(ds.x.subarray(0, 4))).toEqual([0.5, -1, 2, 0]);
    expect(loadDataset(join(dir, 'digits-images.idx3')).train.count).toBe(3);
  });

  it('accepts an explicit label file', () => {
    const ds = loadIdxDataset(join(dir, 'odd-images-idx3-ubyte'), join(dir, 'train-labels-idx1-ubyte'));
    expect(Array.from(ds.labels!)).toEqual(labelValues);
  });

  it('infers label paths by name', () => {
    expect(labelPathCandidates('/d/train-images-idx3-ubyte.gz')).toEqual([
      '/d/train-labels-idx1-ubyte.gz',
      '/d/train-labels-idx1-ubyte',
    ]);
    expect(labelPathCandidates('/d/t10k-images-idx3-ubyte')).toEqual([
      '/d/t10k-labels-idx1-ubyte',
      '/d/t10k-labels-idx1-ubyte.gz',
    ]);
    expect(labelPathCandidates('/images/x-images.idx3')).toEqual(['/images/x-labels.idx1', '/images/x-labels.idx1.gz']);
    expect(labelPathCandidates('/d/pictures.idx3')).toEqual([]);
  });

  it('names both tried label paths, and mismatched or truncated files', () => {
    const img = join(dir, 'lonely-images-idx3-ubyte.gz');
    expect(() => loadIdxDataset(img)).toThrow(
      new DataError(
        `no label file for ${img}: tried ${join(dir, 'lonely-labels-idx1-ubyte.gz')} and ` +
          `${join(dir, 'lonely-labels-idx1-ubyte')}; give the labels path explicitly`,
      ),
    );
    expect(() => loadIdxDataset(join(dir, 'short-images-idx3-ubyte'))).toThrow(
      new DataError(
        'short-images-idx3-ubyte: truncated: expected 28 bytes (16-byte header + 3×2×2 unsigned bytes of 1 bytes), found 20',
      ),
    );
    expect(() => loadIdxDataset(join(dir, 'odd-images-idx3-ubyte'))).toThrow(
      new DataError(
        'odd-images-idx3-ubyte holds 3 images but odd-labels-idx1-ubyte holds 2 labels; expected the same count',
      ),
    );
    expect(() => loadIdxDataset(join(dir, 'train-labels-idx1-ubyte'), join(dir, 'train-labels-idx1-ubyte'))).toThrow(
      new DataError('train-labels-idx1-ubyte: images need at least 2 dimensions (count × features…), found 1 (3)'),
    );
    expect(() => loadIdxDataset(join(dir, 'pictures.idx3'))).toThrow(
      new DataError(
        `${join(dir, 'pictures.idx3')}: cannot infer the label file (the name has no "images" to replace by "labels"); give the labels path explicitly`,
      ),
    );
  });
});
