/**
 * JSON in and out for files a person may write by hand: `parseJson` gives a syntax error's line and column;
 * `writeJson` pretty-prints matrices one row per line with a caller-chosen number formatter and refuses
 * NaN/±Infinity instead of writing `null`.
 */

/** What `parseJson` returns: the value, or where and why the text is not JSON nabla reads. */
export type JsonParseResult =
  | {
      /** The text was read. */
      ok: true;
      /** The parsed value. */
      value: unknown;
    }
  | {
      /** The text was refused. */
      ok: false;
      /** What is wrong. */
      message: string;
      /** The line of the problem, from 1. */
      line: number;
      /** The column of the problem, from 1. */
      column: number;
      /** For a refused key (given twice, or a prototype key): the JSON path of the key, e.g. `layers[0].W`. */
      path?: string;
    };

/** Keys refused in every object of a JSON file: they could change the prototype of objects built from it. */
export const PROTOTYPE_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * JSON.parse, with the line and column of the first syntax error on failure. A leading BOM is ignored. The one
 * JSON reader of nabla: besides the syntax it refuses a key given twice in one object (JSON.parse silently keeps the
 * last) and the keys `__proto__`, `constructor` and `prototype`, naming the JSON path of the key.
 */
export function parseJson(text: string): JsonParseResult {
  const t = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let value: unknown;
  try {
    value = JSON.parse(t);
  } catch (e) {
    const { offset, message } = locateJsonError(t, e instanceof Error ? e.message : String(e));
    return { ok: false, message, ...lineColumn(t, offset) };
  }
  const bad = keyProblem(t);
  if (bad) return { ok: false, message: bad.message, path: bad.path, ...lineColumn(t, bad.offset) };
  return { ok: true, value };
}

function lineColumn(t: string, offset: number): { line: number; column: number } {
  const before = t.slice(0, offset);
  return { line: before.split('\n').length, column: offset - before.lastIndexOf('\n') };
}

/** One open object or array while scanning: its keys so far (objects) or the index of the current item (arrays). */
interface Frame {
  keys: Set<string> | undefined;
  at: string | number;
}

/**
 * The first duplicate or prototype key of a valid JSON text, with its offset, or undefined. One pass over the text
 * (strings are skipped with indexOf), run only after JSON.parse has accepted it.
 */
function keyProblem(t: string): { offset: number; message: string; path: string } | undefined {
  const stack: Frame[] = [];
  let expectKey = false;
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (c === 0x22) {
      let j = i + 1;
      for (;;) {
        j = t.indexOf('"', j);
        let slashes = 0;
        while (t.charCodeAt(j - 1 - slashes) === 0x5c) slashes++;
        if (slashes % 2 === 0) break;
        j++;
      }
      if (expectKey) {
        const raw = t.slice(i + 1, j);
        const key = raw.includes('\\') ? (JSON.parse(t.slice(i, j + 1)) as string) : raw;
        const top = stack[stack.length - 1]!;
        const path = formatPath([...stack.slice(0, -1).map((f) => f.at), key]);
        if (PROTOTYPE_KEYS.has(key))
          return { offset: i, path, message: `the key ${JSON.stringify(key)} is not allowed` };
        if (top.keys!.has(key))
          return {
            offset: i,
            path,
            message: `the key ${JSON.stringify(key)} appears twice in one object; give each key once`,
          };
        top.keys!.add(key);
        top.at = key;
        expectKey = false;
      }
      i = j;
    } else if (c === 0x7b) {
      stack.push({ keys: new Set(), at: '' });
      expectKey = true;
    } else if (c === 0x5b) stack.push({ keys: undefined, at: 0 });
    else if (c === 0x7d || c === 0x5d) {
      stack.pop();
      expectKey = false;
    } else if (c === 0x2c) {
      const top = stack[stack.length - 1]!;
      if (top.keys) expectKey = true;
      else top.at = (top.at as number) + 1;
    }
  }
  return undefined;
}

/** "not valid JSON: expected ',' or '}', found '\"' at line 3, column 5", or "a.b: the key \"b\" appears twice in one object; give each key once". */
export function jsonErrorText(r: { message: string; line: number; column: number; path?: string }): string {
  if (r.path !== undefined) return `${r.path}: ${r.message}`;
  return `not valid JSON: ${r.message} at line ${r.line}, column ${r.column}`;
}

class ScanError extends Error {
  constructor(
    readonly offset: number,
    message: string,
  ) {
    super(message);
  }
}

/** Scans `t` (known not to parse) with a small recursive-descent reader to find the first error's offset. */
function locateJsonError(t: string, fallback: string): { offset: number; message: string } {
  let i = 0;
  const found = () => (i >= t.length ? 'the end of the text' : `'${t[i]}'`);
  const fail = (what: string): never => {
    throw new ScanError(i, `expected ${what}, found ${found()}`);
  };
  const ws = () => {
    while (i < t.length && (t[i] === ' ' || t[i] === '\t' || t[i] === '\n' || t[i] === '\r')) i++;
  };
  const literal = (word: string) => {
    for (let j = 0; j < word.length; j++, i++) if (t[i] !== word[j]) fail(`'${word}'`);
  };
  const digits = () => {
    const s = i;
    while (i < t.length && t[i]! >= '0' && t[i]! <= '9') i++;
    if (i === s) fail('a digit');
  };
  const number = () => {
    if (t[i] === '-') i++;
    if (t[i] === '0') i++;
    else digits();
    if (t[i] === '.') {
      i++;
      digits();
    }
    if (t[i] === 'e' || t[i] === 'E') {
      i++;
      if (t[i] === '+' || t[i] === '-') i++;
      digits();
    }
  };
  const string = () => {
    i++; // opening quote
    for (;;) {
      if (i >= t.length) fail("a closing '\"'");
      const c = t.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return;
      }
      if (c < 0x20)
        throw new ScanError(i, 'a control character (such as a line break) inside a string; write it as \\n');
      if (c === 0x5c) {
        i++;
        const e = t[i];
        if (e === 'u') {
          for (let j = 1; j <= 4; j++)
            if (!/[0-9a-fA-F]/.test(t[i + j] ?? '')) throw new ScanError(i + j, 'expected 4 hex digits after \\u');
          i += 5;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i++;
        else fail('an escape (\\", \\\\, \\/, \\b, \\f, \\n, \\r, \\t or \\uXXXX)');
      } else i++;
    }
  };
  /** The entries of an object or array after its opening bracket: `item`, separated by ',', up to `close`. */
  const items = (close: '}' | ']', item: () => void): void => {
    i++;
    ws();
    if (t[i] === close) {
      i++;
      return;
    }
    for (;;) {
      item();
      ws();
      if (t[i] === ',') {
        i++;
        continue;
      }
      if (t[i] === close) {
        i++;
        return;
      }
      fail(`',' or '${close}'`);
    }
  };
  const value = (): void => {
    ws();
    const c = t[i];
    if (c === '{')
      return items('}', () => {
        ws();
        if (t[i] !== '"') fail('a property name in double quotes');
        string();
        ws();
        if (t[i] !== ':') fail("':'");
        i++;
        value();
      });
    if (c === '[') return items(']', value);
    if (c === '"') return string();
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return number();
    if (c === 't') return literal('true');
    if (c === 'f') return literal('false');
    if (c === 'n') return literal('null');
    fail('a value');
  };
  try {
    value();
    ws();
    if (i < t.length) fail('the end of the text after the JSON value');
  } catch (e) {
    if (e instanceof ScanError) return { offset: e.offset, message: e.message };
    // (RangeError on absurdly deep nesting: fall through to V8's own words)
  }
  return { offset: 0, message: fallback };
}

/** Writes one number as JSON text; must throw on non-finite values. */
export type NumberWriter = (v: number, path: readonly (string | number)[]) => string;

/** Full round-trip precision: the shortest text that parses back to the same float64 (−0 kept as "-0"). */
export function writeFloat64(v: number): string {
  return Object.is(v, -0) ? '-0' : String(v);
}

/** The shortest decimal that rounds to the same float32 (Math.fround(parse(s)) === v); −0 kept as "-0". */
export function writeFloat32(v: number): string {
  if (Object.is(v, -0)) return '-0';
  if (v === 0 || !Number.isFinite(v)) return String(v);
  for (let p = 1; p <= 9; p++) {
    const s = Number(v.toPrecision(p));
    if (Math.fround(s) === v) return String(s);
  }
  return String(v); // (unreachable: 9 significant digits always identify a float32)
}

const INLINE_WIDTH = 100;

function isPrimitive(v: unknown): boolean {
  return v === null || typeof v !== 'object';
}

/**
 * Pretty JSON: objects one key per line (keys in insertion order), arrays of numbers/strings on one line
 * (so a matrix is one row per line), small objects of primitives on one line.
 */
export function writeJson(value: unknown, num: NumberWriter, indent = ''): string {
  return write(value, num, indent, []);
}

function write(v: unknown, num: NumberWriter, indent: string, path: (string | number)[]): string {
  if (typeof v === 'number') return num(v, path);
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return JSON.stringify(v);
  const inner = `${indent}  `;
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    const parts = v.map((x, j) => write(x, num, inner, [...path, j]));
    if (v.every(isPrimitive)) return `[${parts.join(', ')}]`;
    return `[\n${parts.map((p) => inner + p).join(',\n')}\n${indent}]`;
  }
  if (typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined);
    if (entries.length === 0) return '{}';
    const parts = entries.map(([key, x]) => `${JSON.stringify(key)}: ${write(x, num, inner, [...path, key])}`);
    if (entries.every(([, x]) => isPrimitive(x))) {
      const one = `{ ${parts.join(', ')} }`;
      if (one.length + indent.length <= INLINE_WIDTH) return one;
    }
    return `{\n${parts.map((p) => inner + p).join(',\n')}\n${indent}}`;
  }
  throw new TypeError(`writeJson: cannot write a ${typeof v} at ${formatPath(path)}`);
}

/** A JSON path as in error messages: layers[1].W[3], training["learning rate"]. */
export function formatPath(path: readonly PropertyKey[]): string {
  let s = '';
  for (const p of path) {
    if (typeof p === 'number') s += `[${p}]`;
    else if (typeof p === 'string' && /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(p)) s += s === '' ? p : `.${p}`;
    else s += `[${JSON.stringify(String(p))}]`;
  }
  return s;
}

export { describeValue } from '../errors.js';
