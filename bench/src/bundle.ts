/**
 * The harness's child processes (load generators, the ceiling and Socket.IO
 * targets) as plain JavaScript. A run starts dozens of them, and each start
 * through tsx costs more than twice the CPU of a bundled file (0.7 s against
 * 0.3 s here), on the load generator's core. So each run bundles them once
 * with esbuild, dependencies left as imports, into a directory of its own
 * under results/tmp/ (inside the package, so those imports resolve), removed
 * when the run exits.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = fileURLToPath(new URL('.', import.meta.url));
const SCRIPTS = ['loadgen', 'targets/ceiling', 'targets/socketio'] as const;
type Script = (typeof SCRIPTS)[number];

let bundled: string | undefined;

/** Bundles the child scripts for this process's run; later {@link script} calls run the bundles. */
export async function bundleScripts(): Promise<void> {
  const dir = fileURLToPath(new URL(`../results/tmp/build-${process.pid}/`, import.meta.url));
  mkdirSync(dir, { recursive: true });
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  await build({
    entryPoints: SCRIPTS.map((name) => ({ in: join(here, `${name}.ts`), out: name })),
    outdir: dir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
  });
  bundled = dir;
}

/** The command that runs child script `name`: its bundle once {@link bundleScripts} ran, else the source through tsx. */
export function script(name: Script): string[] {
  return bundled
    ? [process.execPath, join(bundled, `${name}.mjs`)]
    : [process.execPath, '--import', 'tsx', join(here, `${name}.ts`)];
}
