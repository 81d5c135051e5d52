import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../packages/nabla/src/csv/parse.js';
import { DataError, OptionError } from '../packages/nabla/src/errors.js';
import { loadCsv } from '../packages/nabla/src/node/csv-file.js';

const cls = { source: 'iris.csv', task: 'classification' } as const;
const reg = { source: 'houses.csv', task: 'regression' } as const;

describe('parseCsv: classification', () => {
  it('reads the iris fixture: string labels become classes in sorted order', () => {
    const ds = loadCsv('test/fixtures/data/iris-mini.csv', { task: 'classification' });
    expect(ds.name).toBe('iris-mini.csv');
    expect(ds.count).toBe(9);
    expect(ds.inputs).toBe(4);
    expect(ds.outputs).toBe(3);
    expect(ds.classes).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(Array.from(ds.labels!)).toEqual([0, 1, 2, 0, 1, 2, 0, 1, 2]);
    expect(ds.featureNames).toEqual(['sepal_length', 'sepal_width', 'petal_length', 'petal_width']);
    expect(Array.from(ds.x.subarray(0, 8))).toEqual([5.1, 3.5, 1.4, 0.2, 7.0, 3.2, 4.7, 1.4]);
    expect(ds.x).toBeInstanceOf(Float64Array);
  });

  it('sorts strings by code unit and numeric labels ascending by value', () => {
    const s = parseCsv('a,label\n1,b\n2,B\n3,a10\n4,a9\n', cls);
    expect(s.classes).toEqual(['B', 'a10', 'a9', 'b']);
    expect(Array.from(s.labels!)).toEqual([3, 0, 1, 2]);
    const n = parseCsv('a,label\n1,10\n2,9\n3,-1\n4,9.0\n', cls);
    expect(n.classes).toEqual([-1, 9, 10]);
    expect(Array.from(n.labels!)).toEqual([2, 1, 0, 1]);
    const mixed = parseCsv('a,label\n1,10\n2,cat\n3,9\n', cls);
    expect(mixed.classes).toEqual(['10', '9', 'cat']);
  });

  it('chooses the target column by name; the others are features in file order', () => {
    const ds = parseCsv('y,a,b\nyes,1,2\nno,3,4\n', { ...cls, target: 'y' });
    expect(ds.featureNames).toEqual(['a', 'b']);
    expect(Array.from(ds.x)).toEqual([1, 2, 3, 4]);
    expect(ds.classes).toEqual(['no', 'yes']);
    expect(Array.from(ds.labels!)).toEqual([1, 0]);
  });

  it('uses forced classes in the given order and names a label outside them', () => {
    const ds = parseCsv('a,label\n1,versicolor\n2,setosa\n', {
      ...cls,
      classes: ['virginica', 'setosa', 'versicolor'],
    });
    expect(ds.classes).toEqual(['virginica', 'setosa', 'versicolor']);
    expect(ds.outputs).toBe(3);
    expect(Array.from(ds.labels!)).toEqual([2, 1]);
    const num = parseCsv('a,label\n1,2.0\n2,0\n', { ...cls, classes: [0, 1, 2] });
    expect(Array.from(num.labels!)).toEqual([2, 0]);
    expect(() => parseCsv('a,label\n1,setosa\n2,daisy\n', { ...cls, classes: ['setosa', 'versicolor'] })).toThrow(
      new DataError(
        'iris.csv: line 3, column "label": class "daisy" is not one of the given classes [setosa, versicolor]',
      ),
    );
    expect(() => parseCsv('a,label\n1,x\n', { ...cls, classes: ['x', 'x'] })).toThrow(
      new OptionError('iris.csv: class "x" appears twice in the classes option'),
    );
  });
});

describe('parseCsv: regression', () => {
  it('reads numeric targets from the target column', () => {
    const ds = parseCsv('rooms,area,price\n3,70.5,250000\n4,95,3.1e5\n', reg);
    expect(ds.task).toBe('regression');
    expect(ds.outputs).toBe(1);
    expect(Array.from(ds.targets!)).toEqual([250000, 310000]);
    expect(Array.from(ds.x)).toEqual([3, 70.5, 4, 95]);
    expect(ds.labels).toBeUndefined();
    expect(ds.classes).toBeUndefined();
  });

  it('rejects a non-numeric target', () => {
    expect(() => parseCsv('rooms,price\n3,cheap\n', reg)).toThrow(
      new DataError(
        'houses.csv: line 2, column "price": "cheap" is not a number (expected decimal notation like -1.5 or 2e-3)',
      ),
    );
  });
});

describe('parseCsv: errors name the line and column', () => {
  const cases: [string, string, object?][] = [
    [
      'sepal_length,petal_width,species\n1,2,a\n3,4,b\n5,6,c\n7,8,d\n9,10,e\n11,abc,f\n',
      'iris.csv: line 7, column "petal_width": "abc" is not a number (expected decimal notation like -1.5 or 2e-3)',
    ],
    ['a,b,label\n1,,x\n', 'iris.csv: line 2, column "b": the value is missing'],
    ['a,b,label\n1,2,\n', 'iris.csv: line 2, column "label": the value is missing'],
    [
      'a,label\n\n1,x\n\n0x10,y\n',
      'iris.csv: line 5, column "a": "0x10" is not a number (expected decimal notation like -1.5 or 2e-3)',
    ],
    [
      'a,label\n1,x\nInfinity,y\n',
      'iris.csv: line 3, column "a": "Infinity" is not a number (expected decimal notation like -1.5 or 2e-3)',
    ],
    ['', 'iris.csv: the file is empty; expected a header row and at least one data row'],
    ['\n\n', 'iris.csv: the file is empty; expected a header row and at least one data row'],
    ['a,b,label\n', 'iris.csv: only a header row [a, b, label], no data rows'],
    [
      'a,b,label\n1,2,x\n3,y\n',
      'iris.csv: line 3 has 2 fields, expected 3 like the header [a, b, label]: column "label" is missing',
    ],
    [
      'a,b,label\n1,2,x,4\n',
      'iris.csv: line 2 has 4 fields, expected 3 like the header [a, b, label]: field 4 is beyond the last column',
    ],
    ['a,b,label\n1,2,x\n', 'iris.csv: no column named "species"; the columns are [a, b, label]', { target: 'species' }],
    ['label\nx\n', 'iris.csv: only the target column "label"; expected at least one feature column besides it'],
    ['a,,label\n1,2,x\n', 'iris.csv: line 1: column 2 of the header has no name'],
    ['a,a,label\n1,2,x\n', 'iris.csv: line 1: the header names column "a" twice'],
  ];
  it.each(cases)('%j', (text, message, extra) => {
    expect(() => parseCsv(text, { ...cls, ...extra })).toThrow(new DataError(message));
  });

  it('wraps malformed CSV with the source name', () => {
    expect(() => parseCsv('a,label\n1,"x\n', cls)).toThrow(
      new DataError(
        'iris.csv: not valid CSV (near line 2): a quoted field is never closed (a " without its closing ")',
      ),
    );
  });

  it('rejects classes for regression and a missing file', () => {
    expect(() => parseCsv('a,b\n1,2\n', { ...reg, classes: [1] })).toThrow(
      new OptionError('houses.csv: the classes option applies only to classification, not regression'),
    );
    expect(() => loadCsv('/nonexistent/x.csv', { task: 'regression' })).toThrow(
      new DataError('/nonexistent/x.csv: no such file', { path: '/nonexistent/x.csv' }),
    );
  });
});

describe('loadCsv', () => {
  it('reads a file with a BOM and CRLF line ends, naming it by its base name', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nabla-csv-'));
    const file = join(dir, 'win.csv');
    writeFileSync(file, '\ufeffx, y\r\n1, 2\r\n3 ,oops\r\n');
    expect(() => loadCsv(file, { task: 'regression' })).toThrow(
      new DataError(
        'win.csv: line 3, column "y": "oops" is not a number (expected decimal notation like -1.5 or 2e-3)',
      ),
    );
    writeFileSync(file, '\ufeffx, y\r\n1, 2\r\n3 ,4\r\n');
    const ds = loadCsv(file, { task: 'regression' });
    expect(ds.featureNames).toEqual(['x']);
    expect(Array.from(ds.targets!)).toEqual([2, 4]);
  });
});
