/**
 * Writing a file so that a crash never leaves it half-written: the data go to a temporary file beside the
 * target (`.NAME.PID.HEX.tmp`), which is flushed and renamed over the target, so the target holds the old file or
 * the complete new one. A process killed before the rename leaves its temporary file behind; the next write of
 * the same target removes those whose process is no longer running.
 */
import { randomBytes } from 'node:crypto';
import { constants, type Stats } from 'node:fs';
import { access, mkdir, open, readdir, rename, rm, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { DataError } from '../errors.js';

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

/** Writes `data` to `path` atomically (errors name `name`, default the path, and say what is wrong). */
export async function writeFileAtomic(path: string, data: string | Uint8Array, name = path): Promise<void> {
  await removeStale(path);
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    const fh = await open(tmp, 'wx');
    try {
      await fh.writeFile(data);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, path);
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new DataError(`${name}: cannot write (the folder ${dirname(name)} does not exist)`, { path });
    if (code === 'EISDIR') throw new DataError(`${name}: is a directory`, { path });
    if (code === 'EACCES' || code === 'EPERM') throw new DataError(`${name}: permission denied`, { path });
    throw new DataError(`${name}: cannot write (${code ?? (e as Error).message})`, { path });
  }
}

/** Throws unless `folder` exists, is a folder and is writable (messages name `name`, the path as typed). */
async function checkFolder(folder: string, name: string, path: string): Promise<void> {
  let dir: Stats;
  try {
    dir = await stat(folder);
  } catch {
    throw new DataError(`${name}: cannot write (the folder ${dirname(name)} does not exist)`, { path });
  }
  if (!dir.isDirectory()) throw new DataError(`${name}: cannot write (${dirname(name)} is not a folder)`, { path });
  try {
    await access(folder, constants.W_OK);
  } catch {
    throw new DataError(`${name}: permission denied (the folder ${dirname(name)} is not writable)`, { path });
  }
}

/**
 * Checks, before any work starts, that `path` can be written: its folder exists and is writable, and the path is
 * not a folder itself. Throws the same `DataError` a write would (naming `name`, default the path).
 */
export async function checkWritable(path: string, name = path): Promise<void> {
  await checkFolder(dirname(path), name, path);
  if ((await stat(path).catch(() => undefined))?.isDirectory()) throw new DataError(`${name}: is a directory`, { path });
}

/**
 * Writes several files into the folder `dir` as a set: all of them go to a temporary folder beside it first, and only
 * when every one is written are they moved into place (the folder is created when missing). A failure while writing
 * leaves nothing of the set behind. `name` is the folder as the user typed it, for messages.
 */
export async function writeFilesAtomic(dir: string, files: readonly { name: string; data: string | Uint8Array }[], name = dir): Promise<void> {
  const parent = dirname(dir);
  await checkFolder(parent, name, dir);
  const existing = await stat(dir).catch(() => undefined);
  if (existing && !existing.isDirectory()) throw new DataError(`${name}: is a file, expected a folder`, { path: dir });
  const tmp = join(parent, `.${basename(dir)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await mkdir(tmp);
    for (const f of files) await writeFileAtomic(join(tmp, f.name), f.data, join(name, f.name));
    if (!existing) {
      await rename(tmp, dir);
      return;
    }
    for (const f of files) {
      const target = (await stat(join(dir, f.name)).catch(() => undefined))?.isDirectory();
      if (target) throw new DataError(`${join(name, f.name)}: is a directory`, { path: join(dir, f.name) });
    }
    for (const f of files) await rename(join(tmp, f.name), join(dir, f.name));
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}
