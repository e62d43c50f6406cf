import { cpSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'tsup';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  // The SQLite store's writer thread is an entry of its own, built beside the bundle that starts it
  // (src/store/sqlite-thread.ts looks for `./sqlite-worker.js` there).
  entry: { index: 'src/index.ts', cli: 'src/cli.ts', 'sqlite-worker': 'src/store/sqlite-worker.ts' },
  format: ['esm', 'cjs'],
  dts: { entry: 'src/index.ts' },
  clean: true,
  sourcemap: true,
  target: 'node20',
  platform: 'node',
  shims: true,
  // The Redis Lua scripts are read at start-up from beside the bundle (src/redis/lua.ts).
  onSuccess: async () => {
    cpSync(here('./src/redis/lua'), here('./dist/lua'), { recursive: true });
  },
});
