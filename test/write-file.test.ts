// nabla/node's atomic writer: clear errors for a missing folder or a directory as the target, and temporary files
// left by a process that died before its rename are removed by the next write of the same target (a live
// process's are kept).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataError } from 'nabla';
import { writeFileAtomic, writeFilesAtomic } from 'nabla/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'nabla-write-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The pid of a process that has exited (so that no process has it, for a while). */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((r) => child.on('exit', r));
  return child.pid!;
}

describe('writeFileAtomic', () => {
  it('names what is wrong with the target', async () => {
    const missing = writeFileAtomic(join(dir, 'no-such-folder', 'm.json'), 'x');
    await expect(missing).rejects.toBeInstanceOf(DataError);
    await expect(missing).rejects.toThrow(
      `${join(dir, 'no-such-folder', 'm.json')}: cannot write (the folder ${join(dir, 'no-such-folder')} does not exist)`,
    );
    await mkdir(join(dir, 'a-folder'));
    await expect(writeFileAtomic(join(dir, 'a-folder'), 'x', 'a-folder')).rejects.toThrow('a-folder: is a directory');
  });

  it('removes the temporary files of dead processes, keeps a live one’s, and writes the file whole', async () => {
    const dead = await deadPid();
    const live = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 20000)']);
    try {
      await writeFile(join(dir, `.m.json.${dead}.0badc0de.tmp`), '{"half');
      await writeFile(join(dir, `.m.json.${live.pid}.cafe.tmp`), '{"in progress');
      await writeFile(join(dir, `.other.json.${dead}.beef.tmp`), 'not ours');
      await writeFileAtomic(join(dir, 'm.json'), '{"whole": true}\n');
      expect(await readFile(join(dir, 'm.json'), 'utf8')).toBe('{"whole": true}\n');
      const left = (await readdir(dir)).filter((n) => n.endsWith('.tmp')).sort();
      expect(left).toEqual([`.m.json.${live.pid}.cafe.tmp`, `.other.json.${dead}.beef.tmp`].sort());
      expect(existsSync(join(dir, `.m.json.${dead}.0badc0de.tmp`))).toBe(false);
    } finally {
      live.kill();
    }
  });

  it('writeFilesAtomic writes a set whole: a new folder with all of it, or nothing of it when one file cannot be placed', async () => {
    const files = [
      { name: 'exercises.md', data: 'sheet' },
      { name: 'answers.md', data: 'key' },
    ];
    await writeFilesAtomic(join(dir, 'set1'), files);
    expect((await readdir(join(dir, 'set1'))).sort()).toEqual(['answers.md', 'exercises.md']);
    await mkdir(join(dir, 'set2', 'answers.md'), { recursive: true }); // the key's name is taken by a folder
    await expect(writeFilesAtomic(join(dir, 'set2'), files, 'set2')).rejects.toThrow('set2/answers.md: is a directory');
    expect(await readdir(join(dir, 'set2'))).toEqual(['answers.md']); // no sheet without its key
    expect((await readdir(dir)).filter((n) => n.startsWith('.set2'))).toEqual([]); // and no temporary folder
  });
});
