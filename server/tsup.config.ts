import { cpSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'tsup';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  entry: ['src/index.ts', 'src/cli.ts'],
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
