/**
 * The rules every option of every command goes through, in one place (applyOptionRules, called by createProgram):
 * an empty value is refused as it is read, naming the option and what it expects; a flag and its negation
 * (`--x` and `--no-x`) are refused together; before a command starts, the outputs it will write (options made with
 * OutputOption) must name different files, none of them a file an input option (InputOption) reads, each with an
 * extension the output writes and agreeing with an explicit format option, and be writable.
 */
import type { EventEmitter } from 'node:events';
import { readlinkSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { type Command, Option } from 'commander';
import { DataError, OptionError } from 'nabla';
import { checkWritable } from 'nabla/node';
import type { CommandContext } from './context.js';

/** How an output option names what it writes. */
export interface OutputKind {
  /** The value names a folder (created when missing), not a file. */
  folder?: boolean;
  /** A placeholder in the name that the command fills in (`{epoch}`: one file per epoch, all of them outputs). */
  placeholder?: string;
  /**
   * The extensions a file output writes (lower case, with the dot), each with the format it means; a name with
   * another extension is refused, naming these.
   */
  extensions?: Readonly<Record<string, string>>;
  /** The option (its attribute name) that chooses the format; a value contradicting the extension is refused. */
  formatOption?: string;
}

/** An option naming a file (or folder) the command writes: checked before the command starts (applyOptionRules). */
export class OutputOption extends Option {
  readonly output: OutputKind;
  constructor(flags: string, description: string, kind: OutputKind = {}) {
    super(flags, description);
    this.output = kind;
  }
}

/** An option naming a file (or folder) the command reads: no output of the command may name the same file. */
export class InputOption extends Option {
  readonly input = true;
}

/** `--layers <widths>`: what the option expects, in words short enough for one line. */
function expects(o: Option): string {
  const arg = /<[^>]*>|\[[^\]]*]/.exec(o.flags)?.[0] ?? 'a value';
  const d = o.description.length > 90 ? `${o.description.slice(0, 90).replace(/\s+\S*$/, '')} …` : o.description;
  return d ? `${arg} (${d})` : arg;
}

/** Every command (and the commands under it): refuse an empty value of any option that takes one. */
function refuseEmptyValues(cmd: Command): void {
  for (const o of cmd.options) {
    if (!o.required && !o.optional) continue; // a flag without a value
    const flag = o.long ?? o.short ?? o.name();
    const refuse = (raw: unknown) => {
      if (typeof raw === 'string' && raw.trim() === '')
        throw new OptionError(`${flag} ${JSON.stringify(raw)}: the value is empty; expected ${expects(o)}`);
    };
    // before commander's own listener (choices, parsers): the raw text as typed, for every source of a value
    // (commander's Command is an EventEmitter; its typings leave that out)
    const events = cmd as unknown as EventEmitter;
    events.prependListener(`option:${o.name()}`, refuse);
    events.prependListener(`optionEnv:${o.name()}`, refuse);
  }
  for (const sub of cmd.commands) refuseEmptyValues(sub);
}

/** Every command (and the commands under it): `--x` and `--no-x` given together contradict each other. */
function refuseContradictingFlags(cmd: Command): void {
  const events = cmd as unknown as EventEmitter;
  const seen = new Set<string>(); // the flags of a pair given so far in this parse
  for (const neg of cmd.options) {
    if (!neg.negate || !neg.long) continue;
    const pos = cmd.options.find((o) => !o.negate && o.attributeName() === neg.attributeName());
    if (!pos?.long) continue;
    for (const [mine, other] of [
      [neg.long, pos.long],
      [pos.long, neg.long],
    ] as const) {
      const name = mine.replace(/^--/, '');
      events.prependListener(`option:${name}`, () => {
        if (seen.has(other))
          throw new OptionError(`${pos.long} and ${neg.long} contradict each other; give one of them`);
        seen.add(mine);
      });
    }
  }
  cmd.hook('preAction', () => seen.clear());
  for (const sub of cmd.commands) refuseContradictingFlags(sub);
}

/** A path as the file system sees it: symbolic links (dangling ones too) and `..` resolved as far as they exist. */
function canonical(path: string, depth = 0): string {
  try {
    return realpathSync(path);
  } catch {
    if (depth < 40) {
      try {
        return canonical(resolve(dirname(path), readlinkSync(path)), depth + 1); // a link to a file not there yet
      } catch {
        // not a link: its folder, resolved, and its name
      }
    }
    const parent = dirname(path);
    return parent === path ? path : join(canonical(parent, depth + 1), basename(path));
  }
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

interface Output {
  flag: string;
  value: string;
  option: OutputOption;
  /** The canonical path, or (with a placeholder) a pattern matching every path it stands for. */
  path: string;
  matches: (other: string) => boolean;
}

/** The outputs `cmd` was given (or defaults to), `-` (standard output) left out. */
function outputsOf(cmd: Command, ctx: CommandContext): Output[] {
  const out: Output[] = [];
  for (const o of cmd.options) {
    if (!(o instanceof OutputOption)) continue;
    const value: unknown = cmd.getOptionValue(o.attributeName());
    if (typeof value !== 'string' || value === '-') continue;
    const path = canonical(ctx.resolve(value));
    const ph = o.output.placeholder;
    const pattern =
      ph !== undefined && path.includes(ph)
        ? new RegExp(`^${path.split(ph).map(escapeRegExp).join('\\d+')}$`)
        : undefined;
    out.push({
      flag: o.long ?? o.name(),
      value,
      option: o,
      path,
      matches: pattern ? (p) => pattern.test(p) : (p) => p === path,
    });
  }
  return out;
}

/** The files `cmd` was given to read (standard input, `-`, left out), with their canonical paths. */
function inputsOf(cmd: Command, ctx: CommandContext): { flag: string; value: string; path: string }[] {
  const inputs: { flag: string; value: string; path: string }[] = [];
  for (const o of cmd.options) {
    if (!(o instanceof InputOption)) continue;
    const value: unknown = cmd.getOptionValue(o.attributeName());
    const values = Array.isArray(value) ? value : [value];
    for (const v of values) {
      if (typeof v !== 'string' || v === '-') continue;
      inputs.push({ flag: o.long ?? o.name(), value: v, path: canonical(ctx.resolve(v)) });
    }
  }
  return inputs;
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Refuses an output whose extension it does not write, or that contradicts the format option. */
function checkExtension(cmd: Command, o: Output): void {
  const { extensions, formatOption } = o.option.output;
  if (!extensions || o.option.output.folder) return;
  if (isFolder(o.path)) return; // an existing folder: checkWritable says so, which says more than its extension
  const ext = extname(o.value).toLowerCase();
  const accepted = Object.keys(extensions);
  const list = accepted.length === 1 ? accepted[0] : `${accepted.slice(0, -1).join(', ')} or ${accepted.at(-1)}`;
  const format = Object.hasOwn(extensions, ext) ? extensions[ext] : undefined;
  if (format === undefined)
    throw new OptionError(
      `${o.flag} ${o.value}: ${o.flag} writes ${list} files, ${ext ? `not ${ext}` : 'and the name has no extension'}; ` +
        `give a name ending in ${list}`,
    );
  if (formatOption === undefined) return;
  const chosen: unknown = cmd.getOptionValue(formatOption);
  const flag = cmd.options.find((x) => x.attributeName() === formatOption)?.long ?? `--${formatOption}`;
  if (typeof chosen === 'string' && chosen !== format)
    throw new OptionError(
      `${flag} ${chosen} and ${o.flag} ${o.value} contradict each other: ${ext} is ${format}; ` +
        `give a name ending in ${accepted.filter((e) => extensions[e] === chosen).join(' or ') || list}, or leave out ${flag}`,
    );
}

/**
 * Refuses two outputs naming one file, an output naming a file the command reads, an output with an extension it
 * does not write, and an output that cannot be written: before the command does anything.
 */
async function checkOutputs(cmd: Command, ctx: CommandContext): Promise<void> {
  const outputs = outputsOf(cmd, ctx);
  const inputs = inputsOf(cmd, ctx);
  for (const o of outputs) {
    for (const i of inputs) {
      if (o.matches(i.path))
        throw new OptionError(
          `${o.flag} ${o.value} would overwrite ${i.flag} ${i.value} (${i.path}), which the command reads; ` +
            `give the output another name`,
        );
    }
  }
  for (const [i, a] of outputs.entries()) {
    for (const b of outputs.slice(i + 1)) {
      if (a.matches(b.path) || b.matches(a.path))
        throw new OptionError(
          `${a.flag} ${a.value} and ${b.flag} ${b.value} name the same file (${a.path}); give each output its own name`,
        );
    }
  }
  for (const o of outputs) checkExtension(cmd, o);
  for (const o of outputs) {
    const ph = o.option.output.placeholder;
    const first = ph !== undefined ? o.value.replaceAll(ph, '1') : o.value;
    const path = ctx.resolve(first);
    if (o.option.output.folder) {
      const kind = (() => {
        try {
          return statSync(path);
        } catch {
          return undefined;
        }
      })();
      if (kind && !kind.isDirectory())
        throw new DataError(`${o.value}: is a file; ${o.flag} expects a folder`, { path });
      if (kind) continue;
    }
    await checkWritable(path, o.value);
  }
}

/** Applies the rules to every command of `program` (call once every command is registered). */
export function applyOptionRules(program: Command, ctx: CommandContext): void {
  refuseEmptyValues(program);
  refuseContradictingFlags(program);
  program.hook('preAction', (_program, action) => checkOutputs(action, ctx));
}
