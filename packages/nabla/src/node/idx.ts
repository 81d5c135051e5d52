/**
 * IDX files, the format of the original MNIST distribution, plain or gzipped (by the magic bytes 1f 8b): bytes 0–1
 * are 0, byte 2 the element type, byte 3 the number of dimensions d; then d big-endian uint32 sizes; then the
 * elements, big-endian, row-major.
 */
import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { checkDataset, type Dataset } from '../data/dataset.js';
import { DataError, LimitError } from '../errors.js';
import { limits } from '../limits.js';
import { readBinaryFile } from './read-file.js';

/**
 * The elements of an IDX file, in the typed array of its element type: Uint8Array (ubyte), Int8Array (byte), Int16Array (short),
 * Int32Array (int), Float32Array (float) or Float64Array (double).
 */
export type IdxData = Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;

/** A parsed IDX file: a d-dimensional array given by its sizes, its elements and their type. */
export interface IdxArray {
  /** Sizes of the dimensions, outermost first (e.g. [count, 28, 28]). */
  dims: number[];
  /** The elements in row-major order. */
  data: IdxData;
  /** The element type's name: 'ubyte', 'byte', 'short', 'int', 'float' or 'double'. */
  type: IdxTypeName;
}

/** The IDX element types by name: 0x08 ubyte, 0x09 byte, 0x0b short (16-bit), 0x0c int (32-bit), 0x0d float (32-bit), 0x0e double (64-bit). */
export type IdxTypeName = 'ubyte' | 'byte' | 'short' | 'int' | 'float' | 'double';

const TYPES: Record<number, { name: IdxTypeName; size: number; label: string }> = {
  8: { name: 'ubyte', size: 1, label: 'unsigned byte' },
  9: { name: 'byte', size: 1, label: 'signed byte' },
  11: { name: 'short', size: 2, label: 'short' },
  12: { name: 'int', size: 4, label: 'int' },
  13: { name: 'float', size: 4, label: 'float' },
  14: { name: 'double', size: 8, label: 'double' },
};

const hex = (b: number): string => `0x${b.toString(16).padStart(2, '0')}`;

/** Decompresses `bytes` when they start with the gzip magic 1f 8b; otherwise returns them as they are. */
export function maybeGunzip(bytes: Uint8Array, source = 'IDX data'): Uint8Array {
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      return gunzipSync(bytes, { maxOutputLength: limits.binaryFileBytes });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
        throw new LimitError(
          `${source}: decompresses to more than ${limits.binaryFileBytes.toLocaleString('en-US')} bytes (limits.binaryFileBytes)`,
        );
      }
      throw new DataError(
        `${source}: starts like a gzip file (1f 8b) but does not decompress: ${(e as Error).message}`,
      );
    }
  }
  return bytes;
}

/** Parses an IDX file's bytes (gzipped or not). `source` names the file in error messages. */
export function parseIdx(buffer: Uint8Array, source = 'IDX data'): IdxArray {
  const bytes = maybeGunzip(buffer, source);
  if (bytes.length < 4)
    throw new DataError(`${source}: ${bytes.length} bytes is too short for an IDX header (4 bytes at least)`);
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    throw new DataError(
      `${source}: not an IDX file: the first two bytes are ${hex(bytes[0]!)} ${hex(bytes[1]!)}, expected 0x00 0x00`,
    );
  }
  const type = TYPES[bytes[2]!];
  if (type === undefined) {
    const known = Object.entries(TYPES)
      .map(([code, t]) => `${hex(Number(code))} (${t.label})`)
      .join(', ');
    throw new DataError(`${source}: unknown IDX element type ${hex(bytes[2]!)}; expected one of ${known}`);
  }
  const d = bytes[3]!;
  if (d === 0) throw new DataError(`${source}: the IDX header declares 0 dimensions, expected at least 1`);
  const headerBytes = 4 + 4 * d;
  if (bytes.length < headerBytes) {
    throw new DataError(
      `${source}: truncated IDX header: ${d} dimensions need ${headerBytes} bytes, found ${bytes.length}`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims: number[] = [];
  for (let k = 0; k < d; k++) dims.push(view.getUint32(4 + 4 * k, false));
  const n = dims.reduce((a, b) => a * b, 1);
  const expected = headerBytes + n * type.size;
  if (bytes.length !== expected) {
    throw new DataError(
      `${source}: ${bytes.length < expected ? 'truncated' : 'too long'}: expected ${expected} ` +
        `bytes (${headerBytes}-byte header + ${dims.join('×')} ${type.label}s of ${type.size} ` +
        `bytes), found ${bytes.length}`,
    );
  }
  const data = readElements(view, headerBytes, n, type.name, type.size);
  return { dims, data, type: type.name };
}

/** The multi-byte element types: their array and their big-endian reader. */
const WIDE = {
  short: { Array: Int16Array, get: (v: DataView, o: number) => v.getInt16(o, false) },
  int: { Array: Int32Array, get: (v: DataView, o: number) => v.getInt32(o, false) },
  float: { Array: Float32Array, get: (v: DataView, o: number) => v.getFloat32(o, false) },
  double: { Array: Float64Array, get: (v: DataView, o: number) => v.getFloat64(o, false) },
} as const;

function readElements(view: DataView, at: number, n: number, type: IdxTypeName, size: number): IdxData {
  const src = new Uint8Array(view.buffer, view.byteOffset + at, n * size);
  if (type === 'ubyte') return src.slice();
  if (type === 'byte') return new Int8Array(src.slice().buffer);
  const { Array: Arr, get } = WIDE[type];
  const out = new Arr(n);
  for (let i = 0; i < n; i++) out[i] = get(view, at + size * i);
  return out;
}

/**
 * The label file that belongs to an image file, by name: in the base name, `images` → `labels` and
 * `idx3` → `idx1` (train-images-idx3-ubyte.gz → train-labels-idx1-ubyte.gz, digits-images.idx3 →
 * digits-labels.idx1). Returns the candidates to try: the result, then the same with `.gz` added or removed.
 */
export function labelPathCandidates(imagesPath: string): string[] {
  const name = basename(imagesPath);
  const at = name.lastIndexOf('images');
  if (at < 0) return [];
  const labels = `${name.slice(0, at)}labels${name.slice(at + 'images'.length)}`.replace('idx3', 'idx1');
  const first = join(dirname(imagesPath), labels);
  const other = first.endsWith('.gz') ? first.slice(0, -3) : `${first}.gz`;
  return [first, other];
}

function readBytes(path: string, what: string): Uint8Array {
  return readBinaryFile(path, path, `an IDX ${what} file`);
}

/**
 * A classification set from an IDX image file (dims [count, ...], any element type) and an IDX label
 * file (dims [count], integer type). Unsigned-byte images are divided by 255 so that features lie in
 * [0, 1]; images of any other type are used as stored. Classes are 0 … max label. When `labelsPath` is
 * omitted it is inferred from the image file's name (see `labelPathCandidates`).
 */
export function loadIdxDataset(imagesPath: string, labelsPath?: string): Dataset {
  let labelFile = labelsPath;
  if (labelFile === undefined) {
    const candidates = labelPathCandidates(imagesPath);
    if (candidates.length === 0) {
      throw new DataError(
        `${imagesPath}: cannot infer the label file (the name has no "images" to replace by "labels"); give the labels path explicitly`,
      );
    }
    labelFile = candidates.find((p) => existsSync(p));
    if (labelFile === undefined) {
      throw new DataError(
        `no label file for ${imagesPath}: tried ${candidates.join(' and ')}; give the labels path explicitly`,
      );
    }
  }
  return idxDataset(
    readBytes(imagesPath, 'images'),
    readBytes(labelFile, 'labels'),
    basename(imagesPath),
    basename(labelFile),
  );
}

/**
 * A classification set from the bytes of an IDX image file and an IDX label file (see `loadIdxDataset`); the names
 * start the error messages. Every value is checked before the set is returned.
 */
export function idxDataset(
  imageBytes: Uint8Array,
  labelBytes: Uint8Array,
  imgName = 'images',
  lblName = 'labels',
): Dataset {
  const images = parseIdx(imageBytes, imgName);
  const lbl = parseIdx(labelBytes, lblName);

  if (images.dims.length < 2) {
    throw new DataError(
      `${imgName}: images need at least 2 dimensions (count × features…), found ${images.dims.length} (${images.dims.join('×')})`,
    );
  }
  if (lbl.dims.length !== 1)
    throw new DataError(
      `${lblName}: labels need 1 dimension (count), found ${lbl.dims.length} (${lbl.dims.join('×')})`,
    );
  if (lbl.type === 'float' || lbl.type === 'double')
    throw new DataError(`${lblName}: labels must have an integer element type, found ${lbl.type}`);
  const count = images.dims[0]!;
  if (lbl.dims[0] !== count)
    throw new DataError(
      `${imgName} holds ${count} images but ${lblName} holds ${lbl.dims[0]} labels; expected the same count`,
    );
  if (count === 0) throw new DataError(`${imgName}: no images`);
  const inputs = images.dims.slice(1).reduce((a, b) => a * b, 1);

  const x = new Float32Array(images.data.length);
  const divisor = images.type === 'ubyte' ? 255 : 1;
  for (let i = 0; i < x.length; i++) {
    const v = images.data[i]! / divisor;
    // float and double images are checked before training: a NaN or an infinity is refused, as is a double beyond float32
    if (!Number.isFinite(v) || !Number.isFinite(Math.fround(v))) {
      throw new DataError(
        `${imgName}: image ${Math.floor(i / inputs) + 1}, element ${(i % inputs) + 1} is ${v}; ` +
          `expected finite numbers${Number.isFinite(v) ? ' within the float32 range' : ''}`,
      );
    }
    x[i] = v;
  }
  const labels = new Int32Array(count);
  let max = 0;
  for (let s = 0; s < count; s++) {
    const l = lbl.data[s]!;
    if (l < 0) throw new DataError(`${lblName}: label ${s + 1} is ${l}, expected a class index ≥ 0`);
    if (l >= limits.classes) {
      throw new LimitError(
        `${lblName}: label ${s + 1} is ${l.toLocaleString('en-US')}, which would make ` +
          `${(l + 1).toLocaleString('en-US')} classes; at most ` +
          `${limits.classes.toLocaleString('en-US')} are supported (limits.classes)`,
      );
    }
    labels[s] = l;
    if (l > max) max = l;
  }
  const classes = Array.from({ length: max + 1 }, (_, j) => j);
  return checkDataset({
    name: imgName,
    x,
    inputs,
    count,
    task: 'classification',
    labels,
    classes,
    outputs: classes.length,
  });
}
