#!/usr/bin/env node
// `kuykan`: runs the built CLI in ../dist. This file is committed because npm links a
// bin only if its file exists at install time, and dist/ does not exist on a fresh
// clone; without a link, `npx kuykan` would fetch a stranger's package of that name.
import { existsSync } from 'node:fs';

const cli = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write(
    'kuykan: @kuykan/tui is not built yet. Run `npm run build` at the repository root, then try again.\n',
  );
  process.exit(1);
}
await import(cli.href);
