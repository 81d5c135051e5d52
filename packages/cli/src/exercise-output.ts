/**
 * `nabla exercise --out DIR` into a folder that already holds its output: a rerun of the same command (the same
 * files, class.json byte for byte) may write over it, but a class is never written over another one, nor beside
 * files it would not replace (an old links.csv, the sheets of students no longer on the roster), and an exercise
 * set never into a class's folder. Nothing is deleted: the lecturer chooses a new folder or removes the old one.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DataError } from 'nabla';

/** The names nabla exercise writes at the top of --out (besides the folder sheets/). */
const OUTPUT = /^(class\.json|exercises\.json|links\.csv|moodle\.xml|qti\.zip|(answers|exercises)\.(md|tex|html))$/;
/** What only a class writes: a plain exercise set is refused over these. */
const CLASS_ONLY = new Set(['class.json', 'links.csv', 'sheets']);

/** "class.json of course seed 11 (10 students)", or "class.json" when it cannot be read as one. */
function describeClassJson(text: string): string {
  try {
    const v = JSON.parse(text) as { seed?: unknown; students?: unknown };
    if (typeof v.seed === 'number' && Array.isArray(v.students))
      return `class.json of course seed ${v.seed} (${v.students.length} student${v.students.length === 1 ? '' : 's'})`;
  } catch {
    // described by its name alone
  }
  return 'class.json';
}

/**
 * Throws a DataError naming `out` and what it holds when writing `files` there would leave it inconsistent (see the
 * module comment); `isClass` says whether `files` is a class's set. A missing folder, or one without nabla's output,
 * passes.
 */
export async function checkExerciseOutput(
  dir: string,
  out: string,
  files: readonly { name: string; data: string | Uint8Array }[],
  isClass: boolean,
): Promise<void> {
  const names = await readdir(dir).catch(() => undefined);
  if (!names) return; // missing, or not a folder: the write reports it
  const writes = new Map(files.map((f) => [f.name, f.data]));
  const held: string[] = [];
  let stale = false;
  let other = false;
  for (const name of names.sort()) {
    if (name === 'sheets') {
      const sheets = (await readdir(join(dir, name)).catch(() => [] as string[])).filter((n) => !n.startsWith('.'));
      if (sheets.length === 0) continue;
      held.splice(
        held[0]?.startsWith('class.json') ? 1 : 0,
        0,
        `${sheets.length} sheet${sheets.length === 1 ? '' : 's'}`,
      );
      if (!isClass || sheets.some((n) => !writes.has(`sheets/${n}`))) stale = true;
      continue;
    }
    if (!OUTPUT.test(name)) continue; // the lecturer's own files are left alone
    if (name === 'class.json') {
      const text = await readFile(join(dir, name), 'utf8').catch(() => '');
      held.unshift(describeClassJson(text)); // first: what the folder is
      if (!isClass || text !== writes.get(name)) other = true;
      continue;
    }
    held.push(name);
    if (isClass ? !writes.has(name) : CLASS_ONLY.has(name)) stale = true;
  }
  if (!stale && !other) return;
  const what = other
    ? isClass
      ? 'another class'
      : 'a class'
    : `files this ${isClass ? 'class' : 'exercise set'} would not replace`;
  throw new DataError(`${out}: holds ${what} (${held.join(', ')}); choose a new --out or remove it`);
}
