// The public surface: every name each entry point of `nabla` exports (types included), read with the TypeScript
// compiler API, pinned in test/exports.snapshot.json so that growth is a visible decision, at most 275 in all (half
// of the 538 of issue 20, and the class of issue 22), each with a doc comment at its declaration.
// After a deliberate change to an entry file, regenerate the snapshot: npx vitest run test/exports.test.ts -u
import { resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { nablaEntries } from '../scripts/nabla-aliases.js';

const MAX_NAMES = 275;

const program = ts.createProgram(Object.values(nablaEntries), {
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  target: ts.ScriptTarget.ES2022,
  strict: true,
  noEmit: true,
});
const checker = program.getTypeChecker();

/** The exported symbols of one entry file, by name. */
function exportsOf(file: string): Map<string, ts.Symbol> {
  const source = program.getSourceFile(file);
  if (!source) throw new Error(`${file}: not in the program`);
  const symbol = checker.getSymbolAtLocation(source);
  if (!symbol) throw new Error(`${file}: not a module`);
  return new Map(checker.getExportsOfModule(symbol).map((s) => [s.name, s]));
}

/** True when the declaration the name leads to (through re-exports) carries a JSDoc comment with text. */
function documented(symbol: ts.Symbol): boolean {
  const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
  if (target.getDocumentationComment(checker).length > 0) return true;
  // a class or a type alias of a union: the doc comment sits on the declaration (or its variable statement)
  return (target.declarations ?? []).some((d) => {
    const node = ts.isVariableDeclaration(d) ? d.parent.parent : d;
    return ts.getJSDocCommentsAndTags(node).some((j) => ts.isJSDoc(j) && (j.comment ?? '') !== '');
  });
}

const entries = Object.fromEntries(Object.entries(nablaEntries).map(([name, file]) => [name, exportsOf(file)]));

describe('the export surface', () => {
  it('five entry points: nabla, nabla/node, nabla/paper, nabla/teach, nabla/train', () => {
    expect(Object.keys(entries).sort()).toEqual(['nabla', 'nabla/node', 'nabla/paper', 'nabla/teach', 'nabla/train']);
  });

  it("each entry point's names are the pinned ones (test/exports.snapshot.json)", async () => {
    const names = Object.fromEntries(Object.entries(entries).map(([name, map]) => [name, [...map.keys()].sort()]));
    await expect(`${JSON.stringify(names, null, 2)}\n`).toMatchFileSnapshot(resolve('test/exports.snapshot.json'));
  });

  it(`exports at most ${MAX_NAMES} names in all (counting each entry point's, types included)`, () => {
    const total = Object.values(entries).reduce((n, map) => n + map.size, 0);
    expect(total).toBeGreaterThan(100);
    expect(total).toBeLessThanOrEqual(MAX_NAMES);
  });

  it('every exported name has a doc comment at its declaration', () => {
    const missing = Object.entries(entries).flatMap(([entry, map]) =>
      [...map].filter(([, symbol]) => !documented(symbol)).map(([name]) => `${entry}: ${name}`),
    );
    expect(missing).toEqual([]);
  });
});
