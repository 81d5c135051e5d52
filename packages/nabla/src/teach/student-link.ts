/**
 * The explorer's student link: "Your turn" opened on one student's variant of a class, e.g.
 * `https://example.org/nabla/#tab=student&student=s001&variant=1&course=2026&sn=2,2,1&sact=relu,identity&scount=3&skinds=forward,backward,form`
 * (`redraw=R` when class.json records a redraw, one `spoly=NAME=POLY` per polynomial). The one encoding of that
 * link: `nabla exercise --explorer` writes it with `studentLink`, the explorer reads it with `readStudentLink` and
 * draws the student's exercises exactly as `classVariants` did for their sheet.
 */
import { OptionError } from '../errors.js';
import type { ClassVariant } from './class-types.js';
import { MAX_CLASS_SIZE, MAX_REDRAWS, variantSeed } from './class-variants.js';
import { type GenerateOptions, generateExercises, MAX_EXERCISE_COUNT } from './exercise-generate.js';
import { type ExerciseKind, exerciseKinds } from './exercise-types.js';
import { idProblem } from './roster.js';

/** The link's keys, in the order written. */
const KEYS = ['student', 'variant', 'course', 'redraw', 'sn', 'sact', 'scount', 'skinds', 'spoly'] as const;
type Key = (typeof KEYS)[number];

/** The exercise options of a class as a link carries them: those of `classVariants` without the ids. */
type LinkOptions = Pick<GenerateOptions, 'count' | 'widths' | 'activations' | 'polynomials' | 'kinds'> & {
  /** The course seed. */
  seed: number;
};

/** What `readStudentLink` found in a hash that names a student. */
interface StudentLinkRead {
  /** The link's own entries as they were, in the order written (the explorer keeps them in its address). */
  fragment: string;
  /** The student's variant: their id, number, seed and redraw, and the exercises of their sheet. */
  variant?: ClassVariant;
  /** Why the link cannot be read (one line naming the key), when it cannot. */
  problem?: string;
}

/** Query text as in the explorer's address: spaces as %20, and , ; = left as they are. */
function queryText(entries: readonly (readonly [string, string])[]): string {
  return new URLSearchParams(entries.map(([k, v]) => [k, v]))
    .toString()
    .replace(/\+/g, '%20')
    .replace(/%2C/g, ',')
    .replace(/%3B/g, ';')
    .replace(/%3D/g, '=');
}

/** The explorer's address checked: an http(s) URL, its fragment (kept in front of the link) free of the link's keys. */
function explorerBase(url: string): { base: string; front: string } {
  const what = `the explorer's address ${JSON.stringify(url)}`;
  if (url.trim() === '')
    throw new OptionError("the explorer's address is empty; expected its http(s) URL, e.g. https://example.org/nabla/");
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new OptionError(`${what} is not a URL; expected the explorer's http(s) URL, e.g. https://example.org/nabla/`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:')
    throw new OptionError(`${what}: expected an http or https URL, found ${u.protocol.slice(0, -1)}:`);
  const hashAt = u.href.indexOf('#');
  const front = hashAt < 0 ? '' : u.href.slice(hashAt + 1);
  const taken = [...new URLSearchParams(front).keys()].find(
    (k) => k === 'tab' || (KEYS as readonly string[]).includes(k),
  );
  if (taken !== undefined)
    throw new OptionError(`${what}: its fragment sets "${taken}", which every student's link sets itself`);
  return { base: hashAt < 0 ? u.href : u.href.slice(0, hashAt), front };
}

/**
 * The explorer link that opens "Your turn" on one student's variant (see the module comment): the explorer's
 * address (http or https; a fragment in it, such as `#grade=off`, is kept in front), the class's exercise options
 * as given to `classVariants`, and the student's id, variant number and redraw from the class.
 * Throws OptionError for an address that is not an http(s) URL.
 * @example studentLink('https://example.org/nabla/', { seed: 2026, count: 3, widths: [2, 2, 1],
 *   activations: ['relu', 'identity'] }, { id: 's001', variant: 1, redraw: 0 })
 */
export function studentLink(
  explorerUrl: string,
  options: LinkOptions,
  student: Pick<ClassVariant, 'id' | 'variant' | 'redraw'>,
): string {
  const { base, front } = explorerBase(explorerUrl);
  const kinds = options.kinds && options.kinds.length > 0 ? options.kinds : exerciseKinds;
  const entries: [Key, string][] = [
    ['student', student.id],
    ['variant', String(student.variant)],
    ['course', String(options.seed)],
  ];
  if (student.redraw !== 0) entries.push(['redraw', String(student.redraw)]);
  entries.push(
    ['sn', options.widths.join(',')],
    ['sact', options.activations.join(',')],
    ['scount', String(options.count)],
    ['skinds', kinds.join(',')],
  );
  for (const [name, text] of Object.entries(options.polynomials ?? {})) entries.push(['spoly', `${name}=${text}`]);
  return `${base}#${front === '' ? '' : `${front}&`}tab=student&${queryText(entries)}`;
}

/** A whole number from `lo` to `hi` written in the link, or a problem naming the key. */
function whole(q: URLSearchParams, key: Key, lo: number, hi: number, what: string): number | string {
  const s = q.get(key);
  if (s === null) return `${key}: missing (${what})`;
  if (!/^-?\d+$/.test(s) || !Number.isSafeInteger(Number(s)) || Number(s) < lo || Number(s) > hi)
    return `${key}=${s}: expected ${what}, a whole number from ${lo} to ${hi}`;
  return Number(s);
}

/** A list separated by ',' written in the link, or a problem naming the key. */
function list(q: URLSearchParams, key: Key, what: string): string[] | string {
  const s = q.get(key);
  if (s === null || s.trim() === '') return `${key}: missing (${what})`;
  return s.split(',').map((p) => p.trim());
}

/** The student's variant from the link's entries, or the first problem. */
function variantOf(q: URLSearchParams): ClassVariant | string {
  const id = q.get('student') ?? '';
  const bad = idProblem(id);
  if (bad) return `student: ${bad}`;
  const variant = whole(q, 'variant', 1, MAX_CLASS_SIZE, "the student's variant number");
  const course = whole(q, 'course', Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, 'the course seed');
  const redraw = q.has('redraw') ? whole(q, 'redraw', 0, MAX_REDRAWS, 'the redraw of class.json') : 0;
  const count = whole(q, 'scount', 1, MAX_EXERCISE_COUNT, 'the number of exercises');
  const widths = list(q, 'sn', 'the widths, like 2,2,1');
  const activations = list(q, 'sact', 'the activations, like relu,identity');
  const kinds = list(q, 'skinds', `the kinds, some of ${exerciseKinds.join(', ')}`);
  for (const v of [variant, course, redraw, count, widths, activations, kinds]) if (typeof v === 'string') return v;
  const badWidth = (widths as string[]).find((w) => !/^\d+$/.test(w));
  if (badWidth !== undefined)
    return `sn=${q.get('sn')}: "${badWidth}" is not a whole number; expected widths like 2,2,1`;
  const badKind = (kinds as string[]).find((k) => !exerciseKinds.includes(k as ExerciseKind));
  if (badKind !== undefined) return `skinds=${q.get('skinds')}: "${badKind}" is not one of ${exerciseKinds.join(', ')}`;
  const polynomials: Record<string, string> = {};
  for (const p of q.getAll('spoly')) {
    const eq = p.indexOf('=');
    if (eq <= 0) return `spoly=${p}: expected NAME=POLYNOMIAL, like cubic=x^3 - x`;
    polynomials[p.slice(0, eq).trim()] = p.slice(eq + 1);
  }
  const seed = variantSeed(course as number, id, redraw as number);
  try {
    const set = generateExercises({
      seed,
      count: count as number,
      widths: (widths as string[]).map(Number),
      activations: activations as string[],
      polynomials,
      kinds: kinds as ExerciseKind[],
    });
    return { id, variant: variant as number, seed, redraw: redraw as number, set };
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

/**
 * Reads an explorer address's fragment (with or without '#'): undefined when it names no student; otherwise the
 * link's own entries (`fragment`) and the student's variant, drawn as `classVariants` drew it, or the `problem` with
 * the link (one line naming the key). Other entries of the fragment are not read.
 */
export function readStudentLink(hash: string): StudentLinkRead | undefined {
  const q = new URLSearchParams(hash.replace(/^#/, ''));
  if (!q.has('student')) return undefined;
  const fragment = queryText(KEYS.flatMap((k) => q.getAll(k).map((v) => [k, v] as const)));
  const v = variantOf(q);
  return typeof v === 'string' ? { fragment, problem: v } : { fragment, variant: v };
}
