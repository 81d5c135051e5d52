/**
 * The `nabla` command line. `main(argv, io)` runs one command and returns the exit status (0 success, 1 bad data
 * or an internal error, 2 a usage error) instead of exiting, so tests run it in-process. Every error is one line
 * on stderr, `nabla <command>: <what is wrong>`; the stack trace only with --debug.
 */
import { readFileSync, realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { Command, CommanderError } from 'commander';
import { NablaError, OptionError, UnsupportedError } from 'nabla';
import { fileError } from 'nabla/node';
import { cliAdvice } from './advice.js';
import { commands } from './commands/index.js';
import { type CliIO, createContext } from './context.js';
import { applyOptionRules } from './option-rules.js';

export type { CliIO, CommandContext, Writer } from './context.js';

function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version?: unknown;
    };
    return typeof pkg.version === 'string' ? pkg.version : '0.0.0';
  } catch {
    return '0.0.0';
  }
}

/** Builds the program with every command registered (a fresh one per run: commander keeps parse state). */
export function createProgram(io: CliIO): Command {
  const ctx = createContext(io);
  const program = new Command('nabla')
    .description(
      'Feed-forward networks and their gradients in the matrix notation of N. M. Mishachev, "Backpropagation in matrix notation".',
    )
    .version(packageVersion(), '-V, --version', 'print the version')
    .option('--debug', 'print the stack trace of errors')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => void io.stdout.write(s),
      // Errors are reported by main() as one line; commander's own error output is dropped.
      writeErr: () => undefined,
      outputError: () => undefined,
    });
  for (const c of commands) c.register(program, ctx);
  applyOptionRules(program, ctx); // every option of every command: one set of rules
  return program;
}

/** Exit status for an error: 2 for usage mistakes, 1 for bad data and everything else. */
function exitStatus(e: unknown): number {
  if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
  if (e instanceof OptionError || e instanceof UnsupportedError) return 2;
  return 1;
}

/** An error of the file system (with an errno-style code and the syscall that failed). */
function isOsError(e: unknown): e is NodeJS.ErrnoException & { dest?: string } {
  return (
    e instanceof Error &&
    typeof (e as NodeJS.ErrnoException).code === 'string' &&
    typeof (e as NodeJS.ErrnoException).syscall === 'string'
  );
}

function oneLine(s: string): string {
  return s.replace(/\s*\n\s*/g, ' ').trim();
}

export async function main(
  argv: readonly string[],
  io: CliIO = { stdout: process.stdout, stderr: process.stderr },
): Promise<number> {
  const program = createProgram(io);
  const known = program.commands.map((c) => c.name());
  let command = argv.find((a) => known.includes(a));
  program.hook('preAction', (_program, action) => {
    command = action.name();
  });
  const debug = argv.includes('--debug');
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (e) {
    const status = exitStatus(e);
    if (status === 0) return 0;
    const prefix = command ? `nabla ${command}` : 'nabla';
    let message: string;
    if (e instanceof CommanderError) {
      message =
        e.code === 'commander.help'
          ? `expected a command (${known.join(', ')}); see nabla --help`
          : e.message.replace(/^error: /, '');
    } else if (e instanceof NablaError) {
      message = cliAdvice(e.message);
    } else if (isOsError(e)) {
      // an OS error that no command mapped itself: still one line with the path and the cause in words
      const reading = ['open', 'read', 'scandir', 'stat', 'lstat', 'access', 'realpath'].includes(e.syscall ?? '');
      message = fileError(e, reading ? 'read' : 'write', e.path ?? e.dest ?? '(a file)').message;
    } else {
      const err = e instanceof Error ? e : new Error(String(e));
      message = `internal error: ${err.message}${debug ? '' : ' (run with --debug for the stack trace)'}`;
    }
    io.stderr.write(`${prefix}: ${oneLine(message)}\n`);
    if (debug && e instanceof Error && e.stack && !(e instanceof CommanderError)) io.stderr.write(`${e.stack}\n`);
    return status;
  }
}

/** True when this file is the program being run (`tsx src/cli/main.ts`, `node dist/cli/main.js`), not imported. */
function isEntryPoint(): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return import.meta.url === pathToFileURL(realpathSync(entry)).href;
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  // A closed pipe (`nabla grad … | head`) is not an error.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
  });
  process.exitCode = await main(process.argv.slice(2));
}
