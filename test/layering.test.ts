// The dependency direction of docs/architecture.md, checked on the import statements of src/:
//   errors, rng  ←  kernels  ←  linalg  ←  net  ←  grad  ←  exact  ←  data  ←  train  ←  io  ←  teach  ←  cli
// A file may import from its own layer or a lower one (type-only imports are erased at build time and exempt),
// nothing but the CLI imports the public barrel src/index.ts, and only src/cli/ may print.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Known, deliberate exceptions. The WASM kernels' float64 fallback for the fused activation kernel evaluates σ
 * with the catalog's own definition (src/net/activation.ts), so that each σ is defined once, not twice.
 */
const allowed = new Set(['kernels/wasm/fused-ref.ts -> net/activation.ts']);

const order = ['errors', 'rng', 'kernels', 'linalg', 'net', 'grad', 'exact', 'data', 'train', 'io', 'teach', 'cli'];
const root = resolve('src');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return f === 'generated' ? [] : files(p);
    return p.endsWith('.ts') ? [p] : [];
  });
}

function layerOf(path: string): number {
  const top = relative(root, path).split(/[\\/]/)[0]!.replace(/\.ts$/, '');
  return top === 'index' ? order.length : order.indexOf(top);
}

describe('layering', () => {
  const all = files(root);
  it('every file is in a known layer', () => {
    for (const f of all) expect(layerOf(f), relative(root, f)).toBeGreaterThanOrEqual(0);
  });

  it('imports point down the layers; only the CLI uses the barrel', () => {
    const problems: string[] = [];
    for (const f of all) {
      const src = readFileSync(f, 'utf8');
      for (const m of src.matchAll(/^import\s+(type\s+)?[^'"]*?from\s+'(\.[^']+)'/gm)) {
        if (m[1]) continue; // import type: erased
        const target = resolve(dirname(f), m[2]!.replace(/\.js$/, '.ts'));
        const from = layerOf(f);
        const to = layerOf(target);
        const edge = `${relative(root, f)} -> ${relative(root, target)}`;
        if (to > from && !(order[from] === 'cli' && to === order.length) && !allowed.has(edge)) problems.push(edge);
      }
    }
    expect(problems).toEqual([]);
  });

  it('only src/cli prints', () => {
    const printing = all.filter((f) => !relative(root, f).startsWith('cli') && /\bconsole\.(log|warn|error|info|debug)\(/.test(readFileSync(f, 'utf8')));
    expect(printing.map((f) => relative(root, f))).toEqual([]);
  });
});
