// A training process killed with SIGKILL at random moments while it saves its model: the target file is
// always either the previous model, byte for byte, or a complete valid new one; never truncated. The temporary
// files the killed processes leave behind are removed by the next run that writes the same target.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, watch } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadNetworkFile } from 'nabla/node';
import { Rng } from 'nabla/paper';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const KILLS = 14;
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'nabla-kill-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const temporaries = () => readdirSync(dir).filter((f) => f.endsWith('.tmp'));

/**
 * Starts `nabla train` on a wide network (a model file of tens of MB, so that saving takes a while) and kills it
 * `delay` ms after its temporary file appears; resolves with whether the temporary file was still there at the kill.
 */
function trainAndKill(
  seed: number,
  delay: number | undefined,
): Promise<{ killedDuringSave: boolean; code: number | null }> {
  const args = [
    '--import',
    'tsx',
    resolve('packages/cli/src/main.ts'),
    'train',
    '--data',
    'synthetic:xor',
    '--layers',
    '2,700,700,2',
    '--epochs',
    '1',
    '--seed',
    String(seed),
    '--out',
    join(dir, 'model.json'),
    '--quiet',
  ];
  const before = new Set(temporaries());
  const child = spawn(process.execPath, args, { cwd: resolve('.'), stdio: 'ignore' });
  return new Promise((done) => {
    let killedDuringSave = false;
    let armed = false;
    // the folder is watched (not polled): the kill is timed from the moment the temporary file appears, even on a
    // machine busy with other tests
    const watcher = watch(dir, (_event, name) => {
      if (delay === undefined || armed || !name || !String(name).endsWith('.tmp') || before.has(String(name))) return;
      armed = true;
      const kill = () => {
        killedDuringSave = temporaries().some((f) => !before.has(f));
        child.kill('SIGKILL');
      };
      if (delay === 0) kill();
      else setTimeout(kill, delay);
    });
    child.on('exit', (code) => {
      watcher.close();
      done({ killedDuringSave, code });
    });
  });
}

describe('SIGKILL during a save', () => {
  it(`${KILLS} kills at random moments: the target is absent, the old model or a complete new one`, async () => {
    const rng = new Rng(2026);
    let previous: Buffer | undefined;
    let during = 0;
    let replaced = 0;
    for (let run = 0; run < KILLS; run++) {
      // mostly at once or within the few milliseconds of the write; every third kill later, after the rename may have happened
      const delay =
        run % 3 === 2 ? Math.floor(rng.uniform(100, 400)) : run % 3 === 1 ? 0 : Math.floor(rng.uniform(1, 10));
      const { killedDuringSave } = await trainAndKill(run + 1, delay);
      if (killedDuringSave) during++;
      const target = join(dir, 'model.json');
      if (!existsSync(target)) {
        expect(previous, `run ${run}: the target vanished`).toBeUndefined();
        continue;
      }
      const now = readFileSync(target);
      if (previous === undefined || !now.equals(previous)) {
        // a new file: it must be complete and valid
        const m = await loadNetworkFile(target);
        expect(m.network.n).toEqual([3, 701, 701, 2]);
        replaced++;
      }
      previous = now;
    }
    // the kills did land inside the save window (the temporary file existed when the process died)
    expect(during).toBeGreaterThanOrEqual(KILLS / 3);
    process.stderr.write(
      `kill-during-save: ${KILLS} kills, ${during} while the temporary file existed, ${replaced} after a complete new model was in place\n`,
    );
    expect(temporaries().length).toBeGreaterThan(0); // what the killed runs left

    // the next run that writes the target removes what the killed ones left
    const { code } = await trainAndKill(99, undefined);
    expect(code).toBe(0);
    expect(temporaries()).toEqual([]);
    expect((await loadNetworkFile(join(dir, 'model.json'))).network.n).toEqual([3, 701, 701, 2]);
  }, 600_000);
});
