// A variant per student (nabla/teach classVariants, parseRoster): each id's seed is SHA-256 of the documented text
// (checked against node:crypto), 200 ids give 200 distinct variants, a rerun gives the same, a new id anywhere in
// the roster changes no other student's variant, and a roster's bad ids are refused with the line named.
import { createHash } from 'node:crypto';
import { type ClassSet, classVariants, exercisesToJson, parseRoster } from 'nabla/teach';
import { describe, expect, it } from 'vitest';
import { variantSeed } from '../packages/nabla/src/teach/class-variants.js';

const OPTIONS = { seed: 7, count: 3, widths: [2, 2, 1], activations: ['relu', 'identity'] };
const ids = (n: number) => Array.from({ length: n }, (_, j) => `s${String(j + 1).padStart(3, '0')}`);
/** A variant's exercises as text, without the seed line (two variants are identical when these are). */
const exercisesOf = (v: ClassSet['variants'][number]) => exercisesToJson({ ...v.set, seed: 0 });

describe('variantSeed', () => {
  it('is the first 4 bytes, big-endian, of SHA-256 over ["nabla-variant",seed,id,redraw]', () => {
    for (const [seed, id, redraw] of [
      [7, 's001', 0],
      [7, 's001', 1],
      [0, 'Zoë-ß@uni.de', 0],
      [-3, '1', 2],
    ] as const) {
      const text = `["nabla-variant",${seed},${JSON.stringify(id)},${redraw}]`;
      const expected = createHash('sha256').update(text, 'utf8').digest().readUInt32BE(0);
      expect(variantSeed(seed, id, redraw)).toBe(expected);
    }
  });
});

describe('classVariants', () => {
  const roster = ids(200);
  const cls = classVariants({ ...OPTIONS, ids: roster });

  it('200 ids: 200 variants in roster order, numbered 1 … 200, no two with the same exercises', () => {
    expect(cls.variants.map((v) => v.id)).toEqual(roster);
    expect(cls.variants.map((v) => v.variant)).toEqual(roster.map((_, j) => j + 1));
    expect(new Set(cls.variants.map(exercisesOf)).size).toBe(200);
    for (const v of cls.variants) expect(v.set.exercises).toHaveLength(3);
  });

  it('each variant is the exercise set of its own seed: variantSeed(course seed, id)', () => {
    for (const v of cls.variants.slice(0, 5)) {
      expect(v.redraw).toBe(0);
      expect(v.seed).toBe(variantSeed(7, v.id));
      expect(v.set.seed).toBe(v.seed);
    }
  });

  it('a rerun gives the same variants; another course seed, other ones', () => {
    const again = classVariants({ ...OPTIONS, ids: roster });
    expect(again.variants.map(exercisesOf)).toEqual(cls.variants.map(exercisesOf));
    const other = classVariants({ ...OPTIONS, seed: 8, ids: roster.slice(0, 20) });
    const mine = new Set(cls.variants.map(exercisesOf));
    expect(other.variants.filter((v) => mine.has(exercisesOf(v)))).toEqual([]);
  });

  it("a new id, at the end, the start or in between, changes no other student's variant", () => {
    const before = new Map(cls.variants.map((v) => [v.id, exercisesOf(v)]));
    for (const where of [200, 0, 117]) {
      const longer = [...roster.slice(0, where), 'late-1', ...roster.slice(where)];
      const after = classVariants({ ...OPTIONS, ids: longer });
      expect(after.variants).toHaveLength(201);
      for (const v of after.variants) if (v.id !== 'late-1') expect(exercisesOf(v)).toBe(before.get(v.id));
      expect(before.has('late-1')).toBe(false);
    }
  });

  it('ids whose exercises come out identical: the later one is redrawn, with redraw 1, 2, …', () => {
    // one 1-1 network per variant: few distinct exercises, so repeats are certain among 12 ids
    const small = classVariants({ seed: 1, count: 1, widths: [1, 1], activations: ['identity'], ids: ids(12) });
    const seen = new Set<string>();
    for (const v of small.variants) {
      const own = classVariants({ seed: 1, count: 1, widths: [1, 1], activations: ['identity'], ids: [v.id] });
      if (v.redraw === 0) expect(exercisesOf(v)).toBe(exercisesOf(own.variants[0]!));
      else {
        // its first draw repeats an earlier id's exercises
        expect(seen.has(exercisesOf(own.variants[0]!))).toBe(true);
        expect(v.seed).toBe(variantSeed(1, v.id, v.redraw));
      }
      expect(seen.has(exercisesOf(v))).toBe(false);
      seen.add(exercisesOf(v));
    }
    expect(small.variants.some((v) => v.redraw > 0)).toBe(true);
  });

  it('too few distinct exercises for the class: one line saying so', () => {
    expect(() =>
      classVariants({ seed: 1, count: 1, widths: [1, 1], activations: ['identity'], ids: ids(200) }),
    ).toThrow(/too few distinct variants for 200 students/);
  });

  it('refuses bad ids and a class over limits.classSize', () => {
    expect(() => classVariants({ ...OPTIONS, ids: ['a', 'b', 'a'] })).toThrow(
      'the class: id 3: the id "a" appears twice (first at id 1)',
    );
    expect(() => classVariants({ ...OPTIONS, ids: ['../x'] })).toThrow(/has a character an id may not have/);
    expect(() => classVariants({ ...OPTIONS, ids: ids(10_001) })).toThrow(
      '10,001 students: a class has at most 10000 (limits.classSize)',
    );
  });
});

describe('parseRoster', () => {
  it('one id per line, or a CSV with a column named id; BOM, CRLF and spaces tolerated, blank lines skipped', () => {
    expect(parseRoster('s1\ns2\n\n  s3 \n', 'r.txt')).toEqual(['s1', 's2', 's3']);
    expect(parseRoster('\uFEFFname,ID,email\r\n"Doe, Jo", s1 ,jo@x\r\nAl,s2,al@x\r\n', 'r.csv')).toEqual(['s1', 's2']);
  });

  it('refuses duplicates, empty ids, ids differing only in case, and several columns without id', () => {
    expect(() => parseRoster('id\ns1\ns2\ns1\n', 'r.csv')).toThrow(
      'r.csv: line 4: the id "s1" appears twice (first at line 2)',
    );
    expect(() => parseRoster('name,id\nJo,s1\nAl,\n', 'r.csv')).toThrow('r.csv: line 3: the id is empty');
    expect(() => parseRoster('Ann\nann\n', 'r.txt')).toThrow(
      'r.txt: line 2: the id "ann" differs from "Ann" (line 1) only in case; ids must differ in more',
    );
    expect(() => parseRoster('name,email\nJo,jo@x\n', 'r.csv')).toThrow(
      'r.csv: line 1 has 2 columns; expected one id per line, or a header row with a column named id',
    );
    expect(() => parseRoster('id\n', 'r.csv')).toThrow('r.csv: no student ids');
    expect(() => parseRoster(' \n', 'r.csv')).toThrow('r.csv: the file is empty');
  });
});
