import { defineConfig } from 'tsup';

export default defineConfig({
  // The core, the Node loader (createRequire) and the browser loader, whose
  // `import()`s of emojibase-data stay in the output so a bundler (Vite) puts
  // each dataset in a chunk of its own, fetched on first use.
  entry: ['src/index.ts', 'src/node.ts', 'src/browser.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  // esnext keeps the `with { type: 'json' }` import attributes (ES2025) that Node needs.
  target: 'esnext',
  platform: 'neutral',
  // node.ts takes import.meta.url for createRequire; shimmed in the CJS build.
  shims: true,
  external: ['node:module'],
});
