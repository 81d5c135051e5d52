/**
 * Reading input files (Node), one way for every reader: folders, devices and sockets refused; a file's size checked
 * against its limit before a byte is read, and at most limit + 1 bytes ever read; text decoded by io/text.ts; an OS
 * error is a `DataError` naming the path and the cause in words (os-errors.ts).
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { DataError, LimitError } from '../errors.js';
import { decodeText } from '../io/text.js';
import { limits } from '../limits.js';
import { fileError } from './os-errors.js';

/** `bytes` of a file refused above `limit`: the message names the limit. */
export function checkFileSize(bytes: number, limit: number, limitName: string, name: string): void {
  if (bytes > limit) {
    throw new LimitError(
      `${name}: ${bytes.toLocaleString('en-US')} bytes; at most ${limit.toLocaleString('en-US')} are supported for this kind of file (limits.${limitName})`,
    );
  }
}

function over(limit: number, limitName: string, name: string): LimitError {
  return new LimitError(
    `${name}: more than ${limit.toLocaleString('en-US')} bytes; at most ` +
      `${limit.toLocaleString('en-US')} are supported for this kind of file ` +
      `(limits.${limitName})`,
  );
}

/** Reads up to limit + 1 bytes from `fd` (a regular file of `size` bytes, or a pipe when size is undefined). */
function readCapped(fd: number, size: number | undefined, limit: number, limitName: string, name: string): Buffer {
  const chunks: Buffer[] = [];
  let total = 0;
  let chunk = Buffer.allocUnsafe(Math.min(limit + 1, Math.max(size ?? 0, 64 * 1024) + 1));
  for (;;) {
    if (total > limit) throw over(limit, limitName, name);
    const n = readSync(fd, chunk, 0, Math.min(chunk.length, limit + 1 - total), null);
    if (n === 0) break;
    chunks.push(chunk.subarray(0, n));
    total += n;
    if (n === chunk.length) chunk = Buffer.allocUnsafe(Math.min(limit + 1, Math.max(chunk.length, 64 * 1024)));
    else chunk = chunk.subarray(n);
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total);
}

function readChecked(path: string, name: string, what: string, limit: number, limitName: string): Buffer {
  let fd: number;
  try {
    if (typeof path !== 'string' || path === '')
      throw Object.assign(new Error('empty path'), { code: 'ERR_INVALID_ARG_VALUE' });
    fd = openSync(path, 'r');
  } catch (e) {
    throw fileError(e, 'read', name, path);
  }
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) throw new DataError(`${name}: is a directory, not ${what}`, { path });
    if (st.isCharacterDevice() || st.isBlockDevice() || st.isSocket()) {
      throw new DataError(`${name}: is a device or socket, not ${what} (expected a regular file or a pipe)`, { path });
    }
    if (st.isFile()) checkFileSize(st.size, limit, limitName, name);
    return readCapped(fd, st.isFile() ? st.size : undefined, limit, limitName, name);
  } catch (e) {
    if (e instanceof DataError || e instanceof LimitError) throw e;
    throw fileError(e, 'read', name, path);
  } finally {
    closeSync(fd);
  }
}

/**
 * A text file of at most `limits.textFileBytes`, decoded by `decodeText` (UTF-8, or UTF-16 with a BOM); `name` is the
 * path as the user gave it, `what` the kind of file expected.
 */
export function readTextFile(path: string, name = path, what = 'a file'): string {
  return decodeText(readChecked(path, name, what, limits.textFileBytes, 'textFileBytes'), name);
}

/** A binary file of at most `limits.binaryFileBytes`. */
export function readBinaryFile(path: string, name = path, what = 'a file'): Uint8Array {
  return readChecked(path, name, what, limits.binaryFileBytes, 'binaryFileBytes');
}
