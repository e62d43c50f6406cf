/** `npm run cluster`: one node per port given, every port configurable. */

import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { requireBuild } from './process.js';
import { deleteKeys, freePort, REDIS_URL, redisMissing, testPrefix } from './redis.js';

const missing = await redisMissing('cluster script');
const SCRIPT = fileURLToPath(new URL('../scripts/cluster.ts', import.meta.url));

const running: Array<{ kill: (signal: NodeJS.Signals) => boolean }> = [];

function runScript(args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', SCRIPT, ...args], {
    env: { ...process.env, KUYKAN_REDIS_URL: REDIS_URL, KUYKAN_LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.push(child);
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const waitFor = (pattern: RegExp) =>
    new Promise<void>((resolve, reject) => {
      const check = () => pattern.test(output) && resolve();
      child.stdout!.on('data', check);
      child.stderr!.on('data', check);
      void exited.then((code) => reject(new Error(`cluster exited ${code}:\n${output}`)));
      check();
    });
  return { child, exited, waitFor, output: () => output };
}

describe.skipIf(missing)('npm run cluster', { timeout: 60_000 }, () => {
  let prefix: string | undefined;
  afterEach(async () => {
    for (const child of running.splice(0)) child.kill('SIGTERM');
    if (prefix) await deleteKeys(REDIS_URL, prefix);
  });

  it('starts one node on each port of --ports and stops them all on SIGTERM', async () => {
    requireBuild();
    prefix = testPrefix();
    const ports = [await freePort(), await freePort(), await freePort()];
    const run = runScript(['--ports', ports.join(',')], { KUYKAN_REDIS_PREFIX: prefix });
    for (const [i, port] of ports.entries()) {
      await run.waitFor(new RegExp(`\\[node${i + 1}\\].*listening on http://localhost:${port} `));
    }
    for (const port of ports) {
      const health = (await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()) as { engine: string };
      expect(health.engine).toBe('redis');
    }
    run.child.kill('SIGTERM');
    await run.exited;
    expect(run.output()).toMatch(/Kuykan cluster: 3 nodes/);
  });

  it('takes its ports from KUYKAN_CLUSTER_PORTS', async () => {
    requireBuild();
    prefix = testPrefix();
    const ports = [await freePort(), await freePort()];
    const run = runScript([], { KUYKAN_REDIS_PREFIX: prefix, KUYKAN_CLUSTER_PORTS: ports.join(',') });
    await run.waitFor(new RegExp(`\\[node2\\].*listening on http://localhost:${ports[1]} `));
    expect(run.output()).toMatch(/Kuykan cluster: 2 nodes/);
    run.child.kill('SIGTERM');
    await run.exited;
  });

  it('refuses a port list that is not one, and says what it wants', async () => {
    const run = runScript(['--ports', '8081,x'], {});
    expect(await run.exited).toBe(2);
    expect(run.output()).toContain('invalid ports "8081,x"');
  });
});
