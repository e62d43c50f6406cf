import { defineConfig } from 'tsup';

// typed-emitter is a dev dependency that only lends its EventMap type: inline it so
// consumers' type-checks need no package that installs nothing at run time.
const dts = { resolve: ['typed-emitter'] };

export default defineConfig([
  {
    // The model is platform-neutral: one build serves Node and browsers (`@kuykan/sdk/model`).
    entry: { node: 'src/node.ts', model: 'src/model/index.ts' },
    format: ['esm', 'cjs'],
    dts,
    clean: true,
    sourcemap: true,
    target: 'node20',
    platform: 'node',
  },
  {
    // Dependencies stay imports, as in the Node build: a bundler then puts one copy of
    // @kuykan/protocol in the page, so `instanceof ProtocolError` holds whichever package
    // the class is imported from. (Bundling them in gave the page two classes.)
    entry: { browser: 'src/browser.ts' },
    format: ['esm'],
    dts,
    sourcemap: true,
    target: 'es2022',
    platform: 'browser',
  },
]);
