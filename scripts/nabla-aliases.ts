// `nabla` and its subpaths resolved to the library's source, for Vitest, Vite and esbuild inside the repository
// (the same map as tsconfig.json's `paths`). Apps that install the package get the built files instead.
import { fileURLToPath } from 'node:url';

const lib = (p: string) => fileURLToPath(new URL(`../packages/nabla/src/${p}`, import.meta.url));

/** Subpath → source file. */
export const nablaEntries: Record<string, string> = {
  nabla: lib('index.ts'),
  'nabla/node': lib('node.ts'),
  'nabla/paper': lib('paper.ts'),
  'nabla/teach': lib('teach.ts'),
  'nabla/train': lib('train.ts'),
};

/** The same as Vite/Vitest `resolve.alias` entries (exact matches only). */
export const nablaAliases = Object.entries(nablaEntries).map(([name, file]) => ({
  find: new RegExp(`^${name.replace('/', '\\/')}$`),
  replacement: file,
}));
