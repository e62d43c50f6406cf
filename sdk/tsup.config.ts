import { defineConfig } from 'tsup';

export default defineConfig([
  {
    entry: ['src/node.ts'],
    format: ['esm', 'cjs'],
    // typed-emitter is a dev dependency that only lends its EventMap type: inline it so
    // consumers' type-checks need no package that installs nothing at run time.
    dts: { resolve: ['typed-emitter'] },
    clean: true,
    sourcemap: true,
    target: 'node20',
    platform: 'node',
  },
  {
    // The browser build bundles its dependencies (protocol, msgpack), so a page needs nothing else.
    entry: ['src/browser.ts'],
    format: ['esm'],
    dts: { resolve: ['typed-emitter'] },
    sourcemap: true,
    target: 'es2022',
    platform: 'browser',
    noExternal: [/.*/],
  },
]);
