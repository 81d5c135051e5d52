/**
 * The one mapping of operating-system errors to messages, for every file nabla reads or writes: a `DataError`
 * of one line naming the path (as the user gave it) and the cause in words, never a bare errno code.
 */
import { statSync } from 'node:fs';
import { dirname } from 'node:path';
import { DataError } from '../errors.js';

/**
 * ENOENT on writing: the folder is missing, or it exists and the file system would not create a file in it (a
 * virtual file system such as /proc). `folder` is the parent as the user gave it, `real` the one to look at.
 */
function noSuchFolder(folder: string, real: string): string {
  const st = (() => {
    try {
      return statSync(real);
    } catch {
      return undefined;
    }
  })();
  if (st === undefined) return `the folder ${folder} does not exist`;
  if (!st.isDirectory()) return `${folder} is not a folder`;
  return (
    `the folder ${folder} exists, but the file system refused to create the file in it: ENOENT, no such file or ` +
    'directory; virtual file systems such as /proc take no new files'
  );
}

/** The cause of an OS error in words, by its code; `folder` and `real` are the path's parent, for ENOENT on writing. */
const CAUSES: Readonly<Record<string, (action: 'read' | 'write', folder: string, real: string) => string>> = {
  ENOENT: (action, folder, real) => (action === 'read' ? 'no such file' : noSuchFolder(folder, real)),
  EACCES: () => 'permission denied',
  EPERM: () => 'operation not permitted (the file or its folder is protected)',
  EROFS: () => 'the file system is read-only',
  ENOSPC: () => 'no space left on the device',
  EDQUOT: () => 'the disk quota is exhausted',
  EFBIG: () => 'the file is too large for the file system',
  EISDIR: () => 'is a directory',
  ENOTDIR: () => 'a part of the path is not a folder',
  ELOOP: () => 'too many symbolic links (a symbolic link that points to itself?)',
  ENAMETOOLONG: () => 'the name is too long',
  EMFILE: () => 'too many open files in this process',
  ENFILE: () => 'too many open files on the system',
  EBUSY: () => 'the file is busy (in use by another program)',
  ETXTBSY: () => 'the file is busy (a program being run)',
  EIO: () => 'an input/output error of the device',
  EXDEV: () => 'the temporary file and the target are on different file systems',
  EEXIST: () => 'a file of that name already exists',
  EINVAL: () => 'an invalid argument (the name or the kind of file is not supported here)',
  ENXIO: () => 'no such device',
  ENODEV: () => 'no such device',
  EAGAIN: () => 'the file is not ready (try again)',
  ERR_INVALID_ARG_VALUE: () => 'the path is not a valid file name: it is empty or holds a NUL character',
  ERR_INVALID_ARG_TYPE: () => 'the path is not a valid file name',
  ERR_FS_FILE_TOO_LARGE: () => 'the file is too large to read at once',
};

/** The code of an OS error (`ENOENT`, …), or undefined for anything else. */
export function osErrorCode(e: unknown): string | undefined {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^(E[A-Z0-9]+|ERR_[A-Z0-9_]+)$/.test(code) ? code : undefined;
}

/** The cause in words of an OS error `e` (by its code, else its message without it); `path`: `name` resolved. */
export function osErrorCause(e: unknown, action: 'read' | 'write', name: string, path = name): string {
  const code = osErrorCode(e);
  const cause = code !== undefined ? CAUSES[code] : undefined;
  if (cause) return cause(action, dirname(name), dirname(path));
  const message = e instanceof Error ? e.message : String(e);
  // "EXYZ: some words, open '/x'" → "some words"
  const words = message
    .replace(/^[A-Z_0-9]+:\s*/, '')
    .replace(/,\s*\w+ '.*'$/, '')
    .trim();
  return `cannot ${action}: ${words || 'an operating-system error'}${code ? ` (${code})` : ''}`;
}

/**
 * The `DataError` for an OS error while reading or writing `path`, one line naming `name` (the path as the user gave
 * it) and the cause: "data.csv: no such file", "out/m.json: cannot write (the file system is read-only)".
 */
export function fileError(e: unknown, action: 'read' | 'write', name: string, path = name): DataError {
  const code = osErrorCode(e);
  const cause = osErrorCause(e, action, name, path);
  const plain = action === 'read' || code === 'EISDIR' || code === 'EACCES' || cause.startsWith('cannot ');
  return new DataError(`${name}: ${plain ? cause : `cannot write (${cause})`}`, { path });
}
