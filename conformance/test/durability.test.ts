import { execSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { cli, SUITE_LIMITS } from './run-against.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const serverCli = join(root, 'server/dist/cli.js');
const built = existsSync(serverCli);
if (!built) {
  const message = 'durability test needs `npm run build` (server/dist/cli.js)';
  if (process.env.CI) throw new Error(message);
  console.warn(`SKIPPING: ${message}`);
}

/** A free TCP port: the server must come back on the same one after each restart. */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/**
 * An operator's control script, as a deployment would have: `ctl.sh SIGNAL`
 * stops the running server with SIGNAL (KILL = crash, TERM = graceful) and
 * starts it again on the same port and data directory.
 */
function controlScript(dir: string, port: number, store: 'sqlite' | 'memory'): string {
  const script = join(dir, 'ctl.sh');
  const limits = JSON.stringify(SUITE_LIMITS).replaceAll("'", '');
  writeFileSync(
    script,
    `#!/bin/sh
DIR='${dir}'
if [ -f "$DIR/pid" ]; then
  pid=$(cat "$DIR/pid")
  kill -"$1" "$pid" 2>/dev/null
  n=0
  while kill -0 "$pid" 2>/dev/null && [ $n -lt 200 ]; do sleep 0.05; n=$((n+1)); done
fi
[ "$1" = STOP ] && exit 0
KUYKAN_LIMITS='${limits}' nohup '${process.execPath}' '${serverCli}' --port ${port} --host 127.0.0.1 \\
  --store ${store} --data "$DIR" --log-level silent < /dev/null > "$DIR/log" 2>&1 &
echo $! > "$DIR/pid"
`,
  );
  return script;
}

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) {
    const pid = Number(readFileSync(join(dir, 'pid'), 'utf8'));
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
    rmSync(dir, { recursive: true, force: true });
  }
});

async function started(store: 'sqlite' | 'memory') {
  const dir = mkdtempSync(join(tmpdir(), 'kuykan-conf-durable-'));
  dirs.push(dir);
  const port = await freePort();
  const script = controlScript(dir, port, store);
  execSync(`sh '${script}' START`);
  return { url: `ws://127.0.0.1:${port}`, ctl: (signal: string) => `sh '${script}' ${signal}` };
}

describe.skipIf(!built)('kuykan-conformance durability with --kill-cmd and --restart-cmd', () => {
  it('passes MSG-3, RES-5 and CLOSE-4 against the server CLI with a SQLite file', async () => {
    const server = await started('sqlite');
    // The probe retries nothing: wait for the first start like an operator would.
    await waitListening(server.url);
    const result = await cli([
      server.url,
      '--only',
      'durability',
      '--kill-cmd',
      server.ctl('KILL'),
      '--restart-cmd',
      server.ctl('TERM'),
      '--durable',
    ]);
    if (result.code !== 0) console.error(result.out, result.err);
    expect(result.code).toBe(0);
    for (const id of ['MSG-3', 'RES-5', 'CLOSE-4']) expect(result.out).toMatch(new RegExp(`^${id} +MUST +PASS`, 'm'));
  }, 120_000);

  it('fails RES-5 when a memory store is declared durable', async () => {
    const server = await started('memory');
    await waitListening(server.url);
    const result = await cli([server.url, '--only', 'durability', '--kill-cmd', server.ctl('KILL'), '--durable']);
    expect(result.code).toBe(1);
    expect(result.out).toMatch(/^RES-5 +MUST +FAIL/m);
  }, 120_000);

  it('leaves MSG-3, RES-5 and CLOSE-4 uncovered, with the option to use, when no command is given', async () => {
    const result = await cli(['--list']);
    expect(result.out).toMatch(/^MSG-3 +MUST +UNCOVERED — .*--kill-cmd/m);
    expect(result.out).toMatch(/^CLOSE-4 +MUST +UNCOVERED — .*--restart-cmd/m);
  });
});

async function waitListening(url: string): Promise<void> {
  const { WireClient, Transcript } = await import('../src/wire.js');
  for (let i = 0; i < 100; i++) {
    const ok = await WireClient.open(url, { label: 'wait', transcript: new Transcript(), timeoutMs: 1000 })
      .then((c) => {
        c.close();
        return true;
      })
      .catch(() => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`server at ${url} did not start`);
}
