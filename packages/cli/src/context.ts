/**
 * What every command receives: where to print, how to resolve and read the files named on the command line.
 * Commands never touch process.stdout / process.cwd() directly, so tests can run `main()` in-process.
 */
import { resolve } from 'node:path';
import { DataError, jsonErrorText, limits, parseJson } from 'nabla';
import { checkFileSize, decodeText, readTextFile } from 'nabla/node';

export interface Writer {
  write(chunk: string): unknown;
}

export interface CliIO {
  stdout: Writer;
  stderr: Writer;
  /** Standard input, for `-` as an input file (default: process.stdin). */
  stdin?: AsyncIterable<string | Uint8Array>;
  /** Working directory for relative paths (default: process.cwd()). */
  cwd?: string;
}

export interface CommandContext {
  io: CliIO;
  /** Writes `text` and a newline to stdout. */
  print(text?: string): void;
  /** A path from the command line, resolved against the working directory. */
  resolve(path: string): string;
  /**
   * Reads a file as text (`-` or /dev/stdin: standard input, read once however often it is asked for); a missing or unreadable
   * file is a DataError naming the path as given, a file beyond `limits.textFileBytes` a LimitError.
   */
  readText(path: string): Promise<string>;
  /** Reads a JSON file (`-`: standard input); bad JSON is a DataError saying where (line, column). */
  readJson(path: string): Promise<unknown>;
}

export function createContext(io: CliIO): CommandContext {
  const cwd = io.cwd ?? process.cwd();
  let stdinText: Promise<string> | undefined;
  const ctx: CommandContext = {
    io,
    print: (text = '') => void io.stdout.write(`${text}\n`),
    resolve: (p) => resolve(cwd, p),
    async readText(p) {
      if (p === '-' || p === '/dev/stdin') return (stdinText ??= readStdin(io.stdin ?? process.stdin));
      return readTextFile(ctx.resolve(p), p);
    },
    async readJson(p) {
      return jsonFromText(await ctx.readText(p), p);
    },
  };
  return ctx;
}

/** The JSON value of `text` read from `source`; empty text or bad JSON is a DataError saying where. */
export function jsonFromText(text: string, source: string): unknown {
  if (text.trim() === '') throw new DataError(`${source}: the file is empty; expected JSON`, { path: source });
  const r = parseJson(text);
  if (!r.ok) throw new DataError(`${source}: ${jsonErrorText(r)}`, { path: source });
  return r.value;
}

async function readStdin(stream: AsyncIterable<string | Uint8Array>): Promise<string> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const c of stream) {
    const b = typeof c === 'string' ? Buffer.from(c) : Buffer.from(c.buffer, c.byteOffset, c.byteLength);
    bytes += b.length;
    checkFileSize(bytes, limits.textFileBytes, 'textFileBytes', 'standard input');
    chunks.push(b);
  }
  return decodeText(Buffer.concat(chunks), 'standard input');
}
