/**
 * The answer file a student hands in from the explorer: `<id>.json` in the format `nabla check --class` reads
 * (docs/lecturer.md, "4. The answers"): `{"student": id, "variant": n, "exercises": [{"id": 1, "N": {"1": [[…]]}, …}]}`,
 * every typed matrix with its entries as typed; a matrix left blank everywhere is left out (graded as missing).
 */
import type { Exercise } from 'nabla/teach';
import { askName } from 'nabla/teach';
import type { TypedEntries } from '../student-typed.js';

/** The typed grid that answers `name` of exercise `ex` ("2.D_1"); f(X;W) = Σ_k is typed as Σ_k. */
export function typedFor(typed: TypedEntries, ex: Exercise, name: string): string[][] | undefined {
  const key = name === 'f' ? `S_${ex.widths.length - 1}` : name;
  const rows = typed.get(`${ex.id}.${key}`);
  return rows?.some((row) => row.some((t) => t.trim() !== '')) ? rows : undefined;
}

/** The answer file's text: one exercise per line. */
export function handInText(
  student: { id: string; variant: number },
  exercises: readonly Exercise[],
  typed: TypedEntries,
): string {
  const lines = exercises.map((ex) => {
    const out: Record<string, unknown> = { id: ex.id };
    for (const a of ex.asks) {
      const rows = typedFor(typed, ex, askName(a));
      if (!rows) continue;
      if (a.key === 'f') out.f = rows;
      else ((out[a.key] ??= {}) as Record<string, unknown>)[String(a.index)] = rows;
    }
    return `  ${JSON.stringify(out)}`;
  });
  const head = `{"student": ${JSON.stringify(student.id)}, "variant": ${student.variant}, "exercises": [`;
  return `${head}\n${lines.join(',\n')}\n]}\n`;
}

/** How many of the matrices asked have an entry typed, and how many are asked. */
export function typedCount(exercises: readonly Exercise[], typed: TypedEntries): { typed: number; asked: number } {
  let n = 0;
  let asked = 0;
  for (const ex of exercises)
    for (const a of ex.asks) {
      asked++;
      if (typedFor(typed, ex, askName(a))) n++;
    }
  return { typed: n, asked };
}
