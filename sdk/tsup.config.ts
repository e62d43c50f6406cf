import { defineConfig } from 'tsup';

export default defineConfig([
  {
    entry: ['src/node.ts'],
    format: ['esm', 'cjs'],
    dts: true,
    clean: true,
    sourcemap: true,
    target: 'node20',
    platform: 'node',
  },
  {
    // The browser build bundles its dependencies (protocol, msgpack), so a page needs nothing else.
    entry: ['src/browser.ts'],
    format: ['esm'],
    dts: true,
    sourcemap: true,
    target: 'es2022',
    platform: 'browser',
    noExternal: [/.*/],
  },
]);
