/** A zod issue of the model schema (model-format.ts) as one message with its JSON path, in the file's own terms. */

import { en as englishLocale } from 'zod/locales';
import type * as z from 'zod/mini';
import { describeValue, formatPath } from './json.js';

/** A problem found in a model file: where (a JSON path) and what. */
export interface ModelIssue {
  path: string;
  message: string;
}

const KIND: Record<string, string> = {
  number: 'a number',
  string: 'a string',
  boolean: 'true or false',
  array: 'an array',
  object: 'an object',
  int: 'a whole number',
  null: 'null',
  record: 'an object',
  tuple: 'an array',
};

let english: z.core.$ZodErrorMap | undefined;

/**
 * zod's own English wording (e.g. "Too big: expected int to be <=9007199254740991"), for the built-in issues we
 * do not word ourselves. zod classic installs the English locale globally; zod/mini leaves it out (its fallback
 * is a bare "Invalid input"), so it is applied here, per parse, without touching zod's global config.
 */
function englishText(iss: z.core.$ZodRawIssue): string | undefined {
  english ??= englishLocale().localeError;
  const text = english(iss);
  return typeof text === 'string' ? text : (text?.message ?? undefined);
}

/** Per-parse error map: our wording for zod's built-in issues (schema-level messages take precedence). */
export function issueText(iss: z.core.$ZodRawIssue): string | undefined {
  return ownText(iss) ?? englishText(iss);
}

function ownText(iss: z.core.$ZodRawIssue): string | undefined {
  const found = describeValue(iss.input);
  switch (iss.code) {
    case 'invalid_type': {
      if (iss.input === undefined) return 'required';
      if (iss.expected === 'number' && typeof iss.input === 'number') return `expected a finite number, found ${found}`;
      return `expected ${KIND[iss.expected] ?? iss.expected}, found ${found}`;
    }
    case 'invalid_value':
      return `expected ${iss.values.map((v) => JSON.stringify(v)).join(' or ')}, found ${found}`;
    case 'too_small':
      if (iss.origin === 'number') return `expected a number ≥ ${String(iss.minimum)}, found ${found}`;
      return undefined;
    case 'too_big':
      if (iss.origin === 'number') return `expected a number ≤ ${String(iss.maximum)}, found ${found}`;
      return undefined;
    case 'unrecognized_keys':
      return iss.keys.length === 1
        ? `unexpected key "${iss.keys[0]}"`
        : `unexpected keys ${iss.keys.map((k) => `"${k}"`).join(', ')}`;
    default:
      return undefined;
  }
}

/** The first issue, with unknown keys first (a misspelt key explains the "required" that follows it). */
export function firstIssue(issues: readonly z.core.$ZodIssue[]): ModelIssue {
  const ordered = [...issues].sort(
    (a, b) => Number(b.code === 'unrecognized_keys') - Number(a.code === 'unrecognized_keys'),
  );
  return describeIssue(ordered[0]!, []);
}

function describeIssue(iss: z.core.$ZodIssue, prefix: readonly PropertyKey[]): ModelIssue {
  const path = [...prefix, ...iss.path];
  if (iss.code === 'invalid_union') {
    // A value of the right type for one branch: report that branch's problem.
    const branch = iss.errors.find(
      (errs) => errs.length > 0 && !(errs[0]!.code === 'invalid_type' && errs[0]!.path.length === 0),
    );
    if (branch) return describeIssue(branch[0]!, path);
    const kinds = iss.errors.map((errs) =>
      errs[0]?.code === 'invalid_type' ? (KIND[errs[0].expected] ?? errs[0].expected) : undefined,
    );
    if (!iss.message.startsWith('Invalid')) return { path: formatPath(path), message: iss.message };
    return { path: formatPath(path), message: `expected ${kinds.filter(Boolean).join(' or ')}` };
  }
  if (iss.code === 'invalid_key' || iss.code === 'invalid_element') {
    const inner = iss.issues[0];
    if (inner) return { path: formatPath(path), message: inner.message };
  }
  return { path: formatPath(path), message: iss.message };
}
