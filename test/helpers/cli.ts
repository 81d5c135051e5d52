// Running the CLI in-process through main(), as the CLI tests do: stdout and stderr captured, the working
// directory the test's temporary folder, and (optionally) a text on standard input.
import { expect } from 'vitest';
import { main } from '../../packages/cli/src/main.js';

export interface CliRun {
  status: number;
  stdout: string;
  stderr: string;
}

/** An argument of `run`: a command-line word, or `{ stdin }`, the text the command reads as standard input. */
export type CliArg = string | { stdin: string };

/** `run` and `ok` in the folder `dir()` returns (a function: the folder is usually made in beforeAll). */
export function cliIn(dir: () => string): {
  run: (...args: CliArg[]) => Promise<CliRun>;
  ok: (...args: string[]) => Promise<string>;
} {
  async function run(...args: CliArg[]): Promise<CliRun> {
    let stdout = '';
    let stderr = '';
    const input = args.find((a): a is { stdin: string } => typeof a !== 'string');
    const argv = args.filter((a): a is string => typeof a === 'string');
    const stdin = input
      ? (async function* () {
          yield input.stdin;
        })()
      : undefined;
    const status = await main(argv, {
      stdout: { write: (s: string) => (stdout += s) },
      stderr: { write: (s: string) => (stderr += s) },
      cwd: dir(),
      ...(stdin ? { stdin } : {}),
    });
    return { status, stdout, stderr };
  }
  /** Runs and expects success (exit 0, nothing on stderr); returns stdout. */
  async function ok(...args: string[]): Promise<string> {
    const r = await run(...args);
    expect(r.stderr, `nabla ${args.join(' ')}`).toBe('');
    expect(r.status).toBe(0);
    return r.stdout;
  }
  return { run, ok };
}
