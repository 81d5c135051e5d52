/**
 * Reading input files (Node), one way for every reader: the size is checked against the documented limit before a
 * byte is read, and a missing, unreadable or wrong kind of path is a `DataError` naming it as the user gave it.
 */
import { readFileSync, statSync } from 'node:fs';
import { DataError, LimitError } from '../errors.js';
import { limits } from '../limits.js';

function readError(e: unknown, name: string, path: string, what: string): DataError {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new DataError(`${name}: no such file`, { path });
  if (code === 'EISDIR') return new DataError(`${name}: is a directory, not ${what}`, { path });
  if (code === 'ENOTDIR') return new DataError(`${name}: a part of the path is not a folder`, { path });
  if (code === 'EACCES' || code === 'EPERM') return new DataError(`${name}: permission denied`, { path });
  return new DataError(`${name}: cannot read (${code ?? (e as Error).message})`, { path });
}

/** `bytes` of a file refused above `limit`: the message names the limit. */
export function checkFileSize(bytes: number, limit: number, limitName: string, name: string): void {
  if (bytes > limit) {
    throw new LimitError(`${name}: ${bytes.toLocaleString('en-US')} bytes; at most ${limit.toLocaleString('en-US')} are supported for this kind of file (limits.${limitName})`);
  }
}

function readChecked(path: string, name: string, what: string, limit: number, limitName: string): Buffer {
  try {
    const st = statSync(path);
    if (st.isDirectory()) throw Object.assign(new Error('directory'), { code: 'EISDIR' });
    // a regular file's size is known before reading; pipes and devices are checked after
    if (st.isFile()) checkFileSize(st.size, limit, limitName, name);
    const bytes = readFileSync(path);
    checkFileSize(bytes.length, limit, limitName, name);
    return bytes;
  } catch (e) {
    if (e instanceof LimitError) throw e;
    throw readError(e, name, path, what);
  }
}

/** A text file (UTF-8) of at most `limits.textFileBytes`; `name` is the path as the user gave it, `what` the kind of file expected. */
export function readTextFile(path: string, name = path, what = 'a file'): string {
  return readChecked(path, name, what, limits.textFileBytes, 'textFileBytes').toString('utf8');
}

/** A binary file of at most `limits.binaryFileBytes`. */
export function readBinaryFile(path: string, name = path, what = 'a file'): Uint8Array {
  return readChecked(path, name, what, limits.binaryFileBytes, 'binaryFileBytes');
}
