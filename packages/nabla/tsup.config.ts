// Builds the package: ESM (.js) and CommonJS (.cjs) for every entry, each with bundled types (.d.ts / .d.cts), no
// source maps (the sources are not shipped). Shared code sits in chunks, so `nabla` and `nabla/node` share one
// `Model` class. Dependencies and node:* stay external.
import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    node: 'src/node.ts',
    paper: 'src/paper.ts',
    teach: 'src/teach.ts',
    train: 'src/train.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  splitting: true,
  sourcemap: false,
  clean: true,
  target: 'es2022',
  platform: 'neutral',
  external: [/^node:/],
  tsconfig: 'tsconfig.build.json',
  outExtension: ({ format }) => ({ js: format === 'cjs' ? '.cjs' : '.js' }),
  // CommonJS has no import.meta: kernels/native.ts finds its own file through __filename there
  esbuildOptions(options, { format }) {
    if (format === 'cjs') options.define = { ...options.define, 'import.meta.url': 'undefined' };
  },
});
