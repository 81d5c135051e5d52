/**
 * Helpers of the lecturer-tool tests: run the CLI in-process, and read numbers back out of generated Markdown
 * (displayed chains `$$ \begin{aligned} lhs &= … \end{aligned} $$` and their bmatrix environments).
 */
import { main } from '../../packages/cli/src/main.js';

export interface Run {
  status: number;
  stdout: string;
  stderr: string;
}

export async function runCli(cwd: string, ...args: string[]): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const status = await main(args, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    cwd,
  });
  return { status, stdout, stderr };
}

/** One displayed chain: segments[0] is the left-hand side, the rest the right-hand sides in order. */
export interface Display {
  segments: string[];
  source: string;
}

export function displays(md: string): Display[] {
  const out: Display[] = [];
  for (const m of md.matchAll(/\$\$\n([\s\S]*?)\n\$\$/g)) {
    const body = m[1]!;
    const aligned = /^\\begin\{aligned\}\n([\s\S]*)\n\\end\{aligned\}$/.exec(body);
    if (!aligned) {
      out.push({ segments: [body], source: body });
      continue;
    }
    const segments = aligned[1]!
      .split(/ \\\\\n/)
      .flatMap((line, j) => (j === 0 ? line.split(' &= ') : [line.replace(/^&= /, '')]));
    out.push({ segments, source: body });
  }
  return out;
}

/** A number as the derivation prints it: 3, -2, \frac{3}{4}, -\frac{3}{4}, 0.5, 1.5\times 10^{-7}. */
export function texNumber(s: string): number {
  const t = s.trim();
  const frac = /^(-)?\\frac\{(\d+)\}\{(\d+)\}$/.exec(t);
  if (frac) return (frac[1] ? -1 : 1) * (Number(frac[2]) / Number(frac[3]));
  const dec = /^(-?\d+(?:\.\d+)?)(?:\\times 10\^\{(-?\d+)\})?$/.exec(t);
  if (dec) return Number(dec[1]) * (dec[2] === undefined ? 1 : 10 ** Number(dec[2]));
  throw new Error(`not a number as the derivation prints numbers: ${JSON.stringify(s)}`);
}

/** Every bmatrix in a TeX string, as rows of numbers. */
export function bmatrices(tex: string): number[][][] {
  return [...tex.matchAll(/\\begin\{bmatrix\}([\s\S]*?)\\end\{bmatrix\}/g)].map((m) =>
    m[1]!.split(/\\\\(?:\[[^\]]*\])?/).map((row) => row.split('&').map(texNumber)),
  );
}

/** Whether printed numbers equal the reference values to the printed precision (`rel`) or exactly-ish. */
export function closeTo(printed: number[][], ref: readonly (readonly number[])[], rel: number): boolean {
  if (printed.length !== ref.length || printed.some((r, i) => r.length !== ref[i]!.length)) return false;
  return printed.every((r, i) =>
    r.every((v, j) => Math.abs(v - ref[i]![j]!) <= rel * Math.abs(ref[i]![j]!) + 1e-300 + (rel > 1e-9 ? 0 : 1e-12)),
  );
}
