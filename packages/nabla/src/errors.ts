/**
 * Errors are data first, text second: every error nabla throws for a user's mistake is a `NablaError`
 * with a stable `code` and a message that names the operation, the symbols, the values found and
 * what was expected.
 */
export type NablaErrorCode =
  | 'shape'
  | 'format'
  | 'data'
  | 'option'
  | 'non-finite'
  | 'unsupported'
  | 'range'
  | 'limit'
  | 'diverged';

/**
 * Base class of every error nabla throws for a user's mistake; `name` is the concrete subclass's name,
 * `code` says which kind of mistake it is.
 */
export class NablaError extends Error {
  /** Stable, machine-readable kind of the error (one of {@link NablaErrorCode}); subclasses fix it. */
  readonly code: NablaErrorCode;
  /** Optional structured data about the failure (the values found, the symbols involved), or `undefined`. */
  readonly details: Readonly<Record<string, unknown>> | undefined;
  constructor(code: NablaErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.details = details;
  }
}

/** The constructor of the error classes below: the message and optional details (the code is the class's). */
type CodedErrorConstructor = new (message: string, details?: Record<string, unknown>) => NablaError;

/**
 * The base of the error classes below: a `NablaError` whose `code` is fixed by the class. Typed as a plain
 * constructor, so that the published types carry nothing of the host's `Error` statics (no Node or DOM types).
 */
function withCode(code: NablaErrorCode): CodedErrorConstructor {
  return class extends NablaError {
    constructor(message: string, details?: Record<string, unknown>) {
      super(code, message, details);
    }
  };
}

/** Two operands whose shapes do not fit the product or formula. */
export class ShapeError extends withCode('shape') {}

/** A model file or other structured input that does not follow its documented format. */
export class FormatError extends withCode('format') {}

/** Data (inputs, CSV, IDX files) that cannot be used as given. */
export class DataError extends withCode('data') {}

/** An option of the API or the command line with a wrong value. */
export class OptionError extends withCode('option') {}

/** A NaN or an infinity where a finite number was required. */
export class NonFiniteError extends withCode('non-finite') {}

/** An input beyond one of nabla's documented limits (see `limits`): the message names the limit and the value found. */
export class LimitError extends withCode('limit') {}

/** A case nabla does not support, said plainly. */
export class UnsupportedError extends withCode('unsupported') {}

/** Throws `ShapeError` (or `make()`'s error) when `cond` is false; the message is built only on failure. */
export function assert(cond: boolean, make: () => string | NablaError): asserts cond {
  if (!cond) {
    const m = make();
    throw typeof m === 'string' ? new ShapeError(m) : m;
  }
}

/**
 * At most `max` characters of `text` for a message, as JSON (quoted, escaped): longer text is cut and its length
 * given, so that an error never echoes a huge input.
 */
export function excerpt(text: string, max = 40): string {
  if (text.length <= max) return JSON.stringify(text);
  return `${JSON.stringify(text.slice(0, max))}… (${text.length.toLocaleString('en-US')} characters)`;
}

/** A list for a message: all items when there are at most `max`, else the first ones and how many there are. */
export function listExcerpt(items: readonly unknown[], max = 8): string {
  if (items.length <= max) return `[${items.map(String).join(', ')}]`;
  return `[${items.slice(0, max).map(String).join(', ')}, … (${items.length.toLocaleString('en-US')} in all)]`;
}

/** A short description of a JSON value for "found …" in messages. */
export function describeValue(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') return v.length > 40 ? `${JSON.stringify(v.slice(0, 37))}…` : JSON.stringify(v);
  if (typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `an array of ${v.length}`;
  return 'an object';
}
