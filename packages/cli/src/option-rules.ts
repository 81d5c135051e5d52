/**
 * The rules every option of every command goes through, in one place (applyOptionRules, called by createProgram):
 * an empty value is refused as it is read, naming the option and what it expects; before a command starts, the
 * outputs it will write (options made with OutputOption) must name different files and be writable.
 */
import type { EventEmitter } from 'node:events';
import { readlinkSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
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
}

/** An option naming a file (or folder) the command writes: checked before the command starts (applyOptionRules). */
export class OutputOption extends Option {
  readonly output: OutputKind;
  constructor(flags: string, description: string, kind: OutputKind = {}) {
    super(flags, description);
    this.output = kind;
  }
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

/** Refuses two outputs naming one file, and an output that cannot be written: before the command does anything. */
async function checkOutputs(cmd: Command, ctx: CommandContext): Promise<void> {
  const outputs = outputsOf(cmd, ctx);
  for (const [i, a] of outputs.entries()) {
    for (const b of outputs.slice(i + 1)) {
      if (a.matches(b.path) || b.matches(a.path))
        throw new OptionError(
          `${a.flag} ${a.value} and ${b.flag} ${b.value} name the same file (${a.path}); give each output its own name`,
        );
    }
  }
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
  program.hook('preAction', (_program, action) => checkOutputs(action, ctx));
}
