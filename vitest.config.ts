import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (path: string) => fileURLToPath(new URL(path, import.meta.url));

// Tests import sibling packages from source, so `vitest` needs no build of
// them; tests that spawn processes (server, TUI, browser) use the built dist,
// which `npm test` builds first.
export default defineConfig({
  resolve: {
    alias: {
      '@kuykan/protocol': src('./spec/src/index.ts'),
      '@kuykan/sdk/model': src('./sdk/src/model/index.ts'),
      '@kuykan/sdk': src('./sdk/src/node.ts'),
      '@kuykan/server': src('./server/src/index.ts'),
      '@kuykan/conformance': src('./conformance/src/index.ts'),
      // Subpaths before the bare name: an alias also matches `name/…`.
      '@kuykan/emoji/node': src('./clients/emoji/src/node.ts'),
      '@kuykan/emoji/browser': src('./clients/emoji/src/browser.ts'),
      '@kuykan/emoji': src('./clients/emoji/src/index.ts'),
    },
  },
  test: {
    include: ['{spec,sdk,server,conformance,clients/*,examples,bench}/test/**/*.test.ts', 'test/**/*.test.ts'],
    // Two cores: two test files at a time; integration tests start their own servers.
    maxWorkers: 2,
    // The fault matrix (the only concurrent file) runs this many suites, each with its own server, in one
    // process: more stalls the event loop long enough for servers to close silent connections (4006).
    maxConcurrency: 3,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: process.env.CI ? ['default'] : ['default'],
  },
});
