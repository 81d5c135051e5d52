/**
 * The one text decoder of every file nabla reads: UTF-8 (a byte-order mark dropped), UTF-16 LE/BE with its
 * byte-order mark; UTF-32 refused by name; invalid UTF-8 refused as a `DataError` naming the source and the byte
 * offset, rather than read as U+FFFD. Browser-safe (TextDecoder only).
 */
import { DataError } from '../errors.js';

/** The encoding a file's first bytes announce by a byte-order mark, or undefined (then UTF-8 is assumed). */
function byteOrderMark(b: Uint8Array): 'utf-8' | 'utf-16le' | 'utf-16be' | 'utf-32le' | 'utf-32be' | undefined {
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return 'utf-8';
  if (b[0] === 0xff && b[1] === 0xfe && b[2] === 0 && b[3] === 0) return 'utf-32le';
  if (b[0] === 0 && b[1] === 0 && b[2] === 0xfe && b[3] === 0xff) return 'utf-32be';
  if (b[0] === 0xff && b[1] === 0xfe) return 'utf-16le';
  if (b[0] === 0xfe && b[1] === 0xff) return 'utf-16be';
  return undefined;
}

/** The offset of the first byte that is not part of a valid UTF-8 sequence (only called once decoding failed). */
export function invalidUtf8Offset(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i]!;
    if (c < 0x80) {
      i++;
      continue;
    }
    // the sequence length and the allowed range of its second byte (no overlongs, no surrogates, ≤ U+10FFFF)
    let n: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) n = 2;
    else if (c >= 0xe0 && c <= 0xef) {
      n = 3;
      if (c === 0xe0) lo = 0xa0;
      if (c === 0xed) hi = 0x9f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      n = 4;
      if (c === 0xf0) lo = 0x90;
      if (c === 0xf4) hi = 0x8f;
    } else return i;
    for (let j = 1; j < n; j++) {
      const d = b[i + j];
      if (d === undefined) return i;
      if (j === 1 ? d < lo || d > hi : d < 0x80 || d > 0xbf) return i;
    }
    i += n;
  }
  return -1;
}

/**
 * The text of a file's bytes (see the file header): UTF-8 with or without BOM, or UTF-16 with its BOM. Throws a
 * `DataError` naming `source` and what was found for invalid UTF-8 or an unsupported encoding.
 */
export function decodeText(bytes: Uint8Array, source: string): string {
  const bom = byteOrderMark(bytes);
  if (bom === 'utf-32le' || bom === 'utf-32be') {
    throw new DataError(
      `${source}: the file is ${bom.toUpperCase()} (by its byte-order mark); expected UTF-8 (or UTF-16 with a byte-order mark)`,
      { path: source },
    );
  }
  if (bom === 'utf-16le' || bom === 'utf-16be') {
    if ((bytes.length - 2) % 2 !== 0) {
      throw new DataError(
        `${source}: the file is ${bom.toUpperCase()} (by its byte-order mark) but has an odd number of bytes (${bytes.length}); it is cut short or not UTF-16`,
        { path: source },
      );
    }
    try {
      return new TextDecoder(bom, { fatal: true, ignoreBOM: false }).decode(bytes);
    } catch {
      throw new DataError(
        `${source}: the file starts with the byte-order mark of ${bom.toUpperCase()} but is not valid ${bom.toUpperCase()} (an unpaired surrogate)`,
        { path: source },
      );
    }
  }
  try {
    // ignoreBOM: false drops a leading UTF-8 BOM
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    const at = invalidUtf8Offset(bytes);
    const shown = Array.from(bytes.subarray(at, at + 4), (x) => x.toString(16).padStart(2, '0').toUpperCase()).join(
      ' ',
    );
    throw new DataError(
      `${source}: not valid UTF-8 at byte ${at.toLocaleString('en-US')} (bytes ${shown}); save the file as UTF-8 (or UTF-16 with a byte-order mark)`,
      { path: source, offset: at },
    );
  }
}
