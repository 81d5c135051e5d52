/**
 * Writing a file so that a crash never leaves it half-written: a temporary file beside the target, flushed and
 * renamed over it; leftovers of dead processes are removed by the next write. A symbolic link is written through
 * (the link stays). Every OS error is one line naming the path and the cause (os-errors.ts).
 */
import { randomBytes } from 'node:crypto';
import { constants, type Stats } from 'node:fs';
import { access, lstat, mkdir, open, readdir, readlink, rename, rm, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { DataError } from '../errors.js';
import { fileError } from './os-errors.js';

function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'; // exists, but not ours to signal
  }
}

/** Removes the temporary files of `path` left by processes that are no longer running. */
async function removeStale(path: string): Promise<void> {
  const dir = dirname(path);
  const base = basename(path).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = new RegExp(`^\\.${base}\\.(\\d+)\\.[0-9a-f]+\\.tmp$`);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return; // the write below reports a missing folder
  }
  for (const name of names) {
    const m = pattern.exec(name);
    if (!m) continue;
    const pid = Number(m[1]);
    if (pid !== process.pid && !running(pid)) await unlink(join(dir, name)).catch(() => undefined);
  }
}

/** Throws the `DataError` of ERR_INVALID_ARG_VALUE for a path that is no file name: not a string, empty, or with a NUL. */
function validPath(path: string, name: string): void {
  if (typeof path !== 'string' || path === '' || path.includes('\0')) {
    throw fileError(
      Object.assign(new Error('invalid path'), { code: 'ERR_INVALID_ARG_VALUE' }),
      'write',
      name,
      String(path),
    );
  }
}

/** The file a path names after following its symbolic links (the path itself when it is none or does not exist). */
async function linkTarget(path: string): Promise<string> {
  let p = path;
  for (let hops = 0; hops < 40; hops++) {
    const st = await lstat(p).catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') return undefined;
      throw e;
    });
    if (!st?.isSymbolicLink()) return p;
    p = resolve(dirname(p), await readlink(p));
  }
  throw Object.assign(new Error('too many symbolic links'), { code: 'ELOOP' });
}

/** The file a write to `path` goes to (a symbolic link's target), after checking the path itself. */
async function writeTarget(path: string, name: string): Promise<string> {
  try {
    validPath(path, name);
    return await linkTarget(path);
  } catch (e) {
    throw e instanceof DataError ? e : fileError(e, 'write', name, path);
  }
}

/**
 * Writes `data` to `path` atomically (errors name `name`, default the path, and say what is wrong). A symbolic link
 * is followed: its target gets the new contents and the link is kept.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array, name = path): Promise<void> {
  const target = await writeTarget(path, name);
  await removeStale(target);
  const tmp = join(dirname(target), `.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    const fh = await open(tmp, 'wx');
    try {
      await fh.writeFile(data);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, target);
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    throw fileError(e, 'write', name, path);
  }
}

/** Throws unless `folder` exists, is a folder and is writable (messages name `name`, the path as typed). */
async function checkFolder(folder: string, name: string, path: string): Promise<void> {
  let dir: Stats;
  try {
    dir = await stat(folder);
  } catch (e) {
    throw fileError(e, 'write', name, path);
  }
  if (!dir.isDirectory()) throw new DataError(`${name}: cannot write (${dirname(name)} is not a folder)`, { path });
  try {
    await access(folder, constants.W_OK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EROFS') throw fileError(e, 'write', name, path);
    throw new DataError(`${name}: permission denied (the folder ${dirname(name)} is not writable)`, { path });
  }
}

/**
 * Checks, before any work starts, that `path` can be written: its folder exists and is writable, and the path is
 * not a folder itself. Throws the same `DataError` a write would (naming `name`, default the path).
 */
export async function checkWritable(path: string, name = path): Promise<void> {
  const target = await writeTarget(path, name);
  await checkFolder(dirname(target), name, path);
  if ((await stat(target).catch(() => undefined))?.isDirectory())
    throw new DataError(`${name}: is a directory`, { path });
}

/**
 * Writes several files into the folder `dir` as a set: all of them go to a temporary folder beside it first, and only
 * when every one is written are they moved into place (the folder is created when missing). A name may hold a
 * subfolder ("sheets/s001.md", created when missing). A failure while writing leaves nothing of the set behind.
 * `name` is the folder as the user typed it, for messages.
 */
export async function writeFilesAtomic(
  dir: string,
  files: readonly { name: string; data: string | Uint8Array }[],
  name = dir,
): Promise<void> {
  validPath(dir, name);
  const parent = dirname(dir);
  await checkFolder(parent, name, dir);
  const existing = await stat(dir).catch(() => undefined);
  if (existing && !existing.isDirectory()) throw new DataError(`${name}: is a file, expected a folder`, { path: dir });
  const tmp = join(parent, `.${basename(dir)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await mkdir(tmp);
    for (const f of files) {
      await mkdir(dirname(join(tmp, f.name)), { recursive: true });
      await writeFileAtomic(join(tmp, f.name), f.data, join(name, f.name));
    }
    if (!existing) {
      await rename(tmp, dir);
      return;
    }
    for (const f of files) {
      const target = (await stat(join(dir, f.name)).catch(() => undefined))?.isDirectory();
      if (target) throw new DataError(`${join(name, f.name)}: is a directory`, { path: join(dir, f.name) });
      const folder = dirname(join(dir, f.name));
      if ((await stat(folder).catch(() => undefined))?.isDirectory() === false)
        throw new DataError(`${dirname(join(name, f.name))}: is a file, expected a folder`, { path: folder });
    }
    for (const f of files) {
      await mkdir(dirname(join(dir, f.name)), { recursive: true });
      await rename(join(tmp, f.name), join(dir, f.name));
    }
  } catch (e) {
    if (e instanceof DataError) throw e;
    throw fileError(e, 'write', name, dir);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}
