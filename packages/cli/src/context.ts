/**
 * What every command receives: where to print, how to resolve and read the files named on the command line.
 * Commands never touch process.stdout / process.cwd() directly, so tests can run `main()` in-process.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { DataError } from 'nabla';
import { jsonErrorText, parseJson } from 'nabla/io';

export interface Writer {
  write(chunk: string): unknown;
}

export interface CliIO {
  stdout: Writer;
  stderr: Writer;
  /** Working directory for relative paths (default: process.cwd()). */
  cwd?: string;
}

export interface CommandContext {
  io: CliIO;
  /** Writes `text` and a newline to stdout. */
  print(text?: string): void;
  /** A path from the command line, resolved against the working directory. */
  resolve(path: string): string;
  /** Reads a file as text; a missing or unreadable file is a DataError naming the path as given. */
  readText(path: string): Promise<string>;
  /** Reads a JSON file; bad JSON is a DataError saying where (line, column). */
  readJson(path: string): Promise<unknown>;
}

export function createContext(io: CliIO): CommandContext {
  const cwd = io.cwd ?? process.cwd();
  const ctx: CommandContext = {
    io,
    print: (text = '') => void io.stdout.write(`${text}\n`),
    resolve: (p) => resolve(cwd, p),
    async readText(p) {
      try {
        return await readFile(ctx.resolve(p), 'utf8');
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') throw new DataError(`${p}: no such file`, { path: p });
        if (code === 'EISDIR') throw new DataError(`${p}: is a directory, not a file`, { path: p });
        if (code === 'EACCES' || code === 'EPERM') throw new DataError(`${p}: permission denied`, { path: p });
        throw new DataError(`${p}: cannot read (${code ?? (e as Error).message})`, { path: p });
      }
    },
    async readJson(p) {
      const text = await ctx.readText(p);
      if (text.trim() === '') throw new DataError(`${p}: the file is empty; expected JSON`, { path: p });
      const r = parseJson(text);
      if (!r.ok) throw new DataError(`${p}: ${jsonErrorText(r)}`, { path: p });
      return r.value;
    },
  };
  return ctx;
}
