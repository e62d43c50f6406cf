/**
 * The commands a newcomer types right after `npm install`: every bin of every
 * workspace package is a committed file, so npm links it on a fresh clone and
 * `npx` never looks outside the repository; unbuilt, it says how to build.
 */

import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const workspaces = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { workspaces: string[] })
  .workspaces;
const bins = workspaces.flatMap((dir) => {
  const manifest = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8')) as {
    bin?: Record<string, string>;
  };
  return Object.entries(manifest.bin ?? {}).map(([name, target]) => ({ dir, name, file: join(dir, target) }));
});
const built = bins.every(({ dir }) => existsSync(join(root, dir, 'dist/cli.js')));

describe('workspace bins', () => {
  it('include kuykan, kuykan-server and kuykan-conformance', () => {
    expect(bins.map((b) => b.name).sort()).toEqual(['kuykan', 'kuykan-conformance', 'kuykan-server']);
  });

  it('point at files committed as executables, so a fresh clone links them', () => {
    for (const { file } of bins) {
      const entry = execFileSync('git', ['ls-files', '-s', '--', file], { cwd: root, encoding: 'utf8' });
      expect(entry, `${file} is not committed`).toMatch(/^100755 /);
    }
  });

  it('tell the user to build when dist/ is missing, instead of failing with a stack trace', () => {
    for (const { name, file } of bins) {
      const copy = mkdtempSync(join(tmpdir(), 'kuykan-bin-'));
      mkdirSync(join(copy, 'bin'));
      writeFileSync(join(copy, 'package.json'), '{"type":"module"}');
      copyFileSync(join(root, file), join(copy, 'bin', `${name}.js`));
      const run = spawnSync(process.execPath, [join(copy, 'bin', `${name}.js`), '--help'], { encoding: 'utf8' });
      expect(run.status, name).toBe(1);
      expect(run.stderr, name).toContain('is not built yet. Run `npm run build` at the repository root');
    }
  });

  it.skipIf(!built)(
    'run through npm exec without a registry lookup',
    () => {
      for (const { name } of bins) {
        // --no: refuse to install anything; only the repository's own links may answer.
        const run = spawnSync('npm', ['exec', '--no', '--offline', '--', name, '--help'], {
          cwd: root,
          encoding: 'utf8',
          env: { ...process.env, npm_config_update_notifier: 'false' },
        });
        expect(run.status, `${name}: ${run.stderr}`).toBe(0);
        expect(run.stdout.toLowerCase(), name).toContain('usage');
      }
      // Three npm processes: a few seconds each on a quiet machine, over 30 s under a full test run's load.
    },
    120_000,
  );
});
