// The layers of docs/architecture.md, checked on every import and re-export of the three workspace packages:
//   errors, rng ← kernels ← linalg ← net ← grad ← exact ← data ← csv ← train ← io ← model ← onnx ← teach ← node ← entries
// A file imports from its own layer or a lower one (type-only imports included), with no cycles; nothing imports the
// entry files. The CLI and the explorer reach the library only through `nabla` and its subpaths; the main entry
// touches no `node:*` module, `Buffer` or `process`; a CLI command imports no other command.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/** Known, deliberate exceptions to the layering (none at present). */
const allowed = new Set<string>([]);

const order = [
  'errors',
  'limits',
  'rng',
  'kernels',
  'linalg',
  'net',
  'grad',
  'exact',
  'data',
  'csv',
  'train',
  'io',
  'model',
  'onnx',
  'teach',
  'node',
];
const entries = new Set(['index.ts', 'node.ts', 'paper.ts', 'teach.ts', 'train.ts']);
const lib = resolve('packages/nabla/src');
const cli = resolve('packages/cli/src');
const explorer = resolve('packages/explorer/src');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return f === 'generated' ? [] : files(p);
    return p.endsWith('.ts') && !p.endsWith('.test.ts') ? [p] : [];
  });
}

function layerOf(path: string): number {
  const rel = relative(lib, path);
  if (entries.has(rel)) return order.length;
  return order.indexOf(rel.split(/[\\/]/)[0]!.replace(/\.ts$/, ''));
}

interface Edge {
  from: string;
  spec: string;
  typeOnly: boolean;
}

/** Every `import … from '…'`, `export … from '…'` and side-effect `import '…'` of a file. */
function edges(file: string): Edge[] {
  const src = readFileSync(file, 'utf8');
  const out: Edge[] = [];
  for (const m of src.matchAll(/^(import|export)\s+(type\s+)?(?:[^'";]*?\s+from\s+)?'([^']+)'/gm)) {
    out.push({ from: file, spec: m[3]!, typeOnly: m[2] !== undefined });
  }
  return out;
}

const target = (e: Edge) => resolve(dirname(e.from), e.spec.replace(/\.js$/, '.ts'));

describe('layering', () => {
  const libFiles = files(lib);
  it('every library file is in a known layer', () => {
    for (const f of libFiles) expect(layerOf(f), relative(lib, f)).toBeGreaterThanOrEqual(0);
  });

  it('library imports and re-exports point down the layers, never at an entry file', () => {
    const problems: string[] = [];
    for (const f of libFiles) {
      for (const e of edges(f)) {
        if (!e.spec.startsWith('.')) continue;
        const t = target(e);
        const edge = `${relative(lib, f)} -> ${relative(lib, t)}`;
        if (!t.startsWith(lib)) problems.push(`${edge} (outside the library)`);
        else if (layerOf(t) > layerOf(f) && !allowed.has(edge)) problems.push(edge);
      }
    }
    expect(problems).toEqual([]);
  });

  it('the library has no import cycles', () => {
    const graph = new Map(
      libFiles.map((f) => [
        f,
        edges(f)
          .filter((e) => e.spec.startsWith('.'))
          .map(target),
      ]),
    );
    const state = new Map<string, 'open' | 'done'>();
    const cycles: string[] = [];
    const visit = (f: string, path: string[]) => {
      if (state.get(f) === 'done') return;
      if (state.get(f) === 'open') {
        cycles.push([...path.slice(path.indexOf(f)), f].map((p) => relative(lib, p)).join(' -> '));
        return;
      }
      state.set(f, 'open');
      for (const t of graph.get(f) ?? []) visit(t, [...path, f]);
      state.set(f, 'done');
    };
    for (const f of libFiles) visit(f, []);
    expect(cycles).toEqual([]);
  });

  it('the CLI and the explorer use the library only through nabla and its subpaths; the explorer never imports the CLI', () => {
    const problems: string[] = [];
    for (const [root, name] of [
      [cli, 'cli'],
      [explorer, 'explorer'],
    ] as const) {
      for (const f of files(root)) {
        for (const e of edges(f)) {
          if (!e.spec.startsWith('.')) continue;
          if (!target(e).startsWith(root)) problems.push(`${name}: ${relative(root, f)} -> ${e.spec}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('in the CLI, commands import only lower files, and no lower file imports a command', () => {
    const commands = join(cli, 'commands');
    const registry = join(commands, 'index.ts');
    const problems: string[] = [];
    for (const f of files(cli)) {
      for (const e of edges(f)) {
        if (!e.spec.startsWith('.')) continue;
        const t = target(e);
        if (!t.startsWith(`${commands}/`)) continue;
        const ok = f === registry || (f === join(cli, 'main.ts') && t === registry);
        if (!ok) problems.push(`${relative(cli, f)} -> ${relative(cli, t)}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it("the main entry's import graph touches no node:* module, Buffer or process (it runs in browsers)", () => {
    const seen = new Set<string>();
    const problems: string[] = [];
    const walk = (f: string) => {
      if (seen.has(f)) return;
      seen.add(f);
      const src = readFileSync(f, 'utf8');
      const code = src.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
      if (/\bBuffer\b/.test(code)) problems.push(`${relative(lib, f)} uses Buffer`);
      if (/(?<![.\w])process\./.test(code)) problems.push(`${relative(lib, f)} uses process`);
      for (const e of edges(f)) {
        if (e.typeOnly) continue;
        if (e.spec.startsWith('node:')) problems.push(`${relative(lib, f)} imports ${e.spec}`);
        else if (e.spec.startsWith('.')) walk(target(e));
        else if (e.spec.startsWith('csv-parse'))
          problems.push(`${relative(lib, f)} imports ${e.spec} (it needs Buffer)`);
        else if (e.spec.startsWith('nabla-native')) problems.push(`${relative(lib, f)} imports the native addon`);
      }
      for (const m of code.matchAll(/import\(\s*'(\.[^']+)'\s*\)/g))
        walk(resolve(dirname(f), m[1]!.replace(/\.js$/, '.ts')));
    };
    walk(join(lib, 'index.ts'));
    expect(seen.size).toBeGreaterThan(20);
    expect(problems).toEqual([]);
  });

  it('the native addon is reached only at run time, in Node: no file of the library or the apps imports nabla-native', () => {
    const importing = [...libFiles, ...files(cli), ...files(explorer)].filter(
      (f) =>
        edges(f).some((e) => e.spec.startsWith('nabla-native')) ||
        /\brequire\(\s*'nabla-native'/.test(readFileSync(f, 'utf8')),
    );
    expect(importing.map((f) => relative('.', f))).toEqual([]);
    // the one place that loads it: createRequire from process.getBuiltinModule('node:module'), at run time
    expect(readFileSync(join(lib, 'kernels/native.ts'), 'utf8')).toMatch(/nodeBuiltin<.*>\('node:module'\)/);
  });

  it('only the CLI prints', () => {
    const printing = [...libFiles, ...files(explorer)].filter((f) =>
      /\bconsole\.(log|warn|error|info|debug)\(/.test(readFileSync(f, 'utf8')),
    );
    expect(printing.map((f) => relative('.', f))).toEqual([]);
  });
});
