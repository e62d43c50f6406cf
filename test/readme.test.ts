/**
 * Every command the root README shows, run on the built tree the way a reader
 * would (ports and Redis prefixes swapped for private ones): each must work.
 * A command the README adds must be added here, run or with the reason it is
 * not, so the README cannot drift from what works.
 */

import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { commands } from './readme-blocks.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const built = ['server', 'conformance', 'clients/tui'].every((d) => existsSync(join(root, d, 'dist/cli.js')));
if (!built) {
  const message = 'the README test runs the built tree: `npm run build` first';
  if (process.env.CI === 'true') throw new Error(message);
  console.warn(`\n*** SKIPPING README tests: ${message}\n`);
}

const running: ChildProcess[] = [];
const prefixes: string[] = [];

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
    probe.on('error', reject);
  });
}

function prefix(): string {
  const p = `kuykan-test:${randomUUID()}:`;
  prefixes.push(p);
  return p;
}

/** Runs a shell command line from the repository root; resolves when its output matches `ready`. */
function start(line: string, ready: RegExp, env: Record<string, string> = {}): Promise<string> {
  const child = spawn('bash', ['-c', line], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  running.push(child);
  let output = '';
  return new Promise((resolve, reject) => {
    const check = (d: Buffer) => {
      output += d;
      if (ready.test(output)) resolve(output);
    };
    child.stdout!.on('data', check);
    child.stderr!.on('data', check);
    child.once('exit', (code) => reject(new Error(`\`${line}\` exited ${code} before matching ${ready}:\n${output}`)));
  });
}

/** Runs a long command line to its end without blocking the event loop; it must exit 0. */
function finishAsync(line: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', line], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    running.push(child);
    let output = '';
    child.stdout!.on('data', (d) => (output += d));
    child.stderr!.on('data', (d) => (output += d));
    child.once('exit', (code) =>
      code === 0 ? resolve(output) : reject(new Error(`\`${line}\` exited ${code}:\n${output}`)),
    );
  });
}

/** Runs a command line to its end; it must exit 0. */
function finish(line: string, env: Record<string, string> = {}): string {
  const result = spawnSync('bash', ['-c', line], { cwd: root, env: { ...process.env, ...env }, encoding: 'utf8' });
  expect(result.status, `\`${line}\`:\n${result.stdout}${result.stderr}`).toBe(0);
  return result.stdout;
}

async function server(args: string): Promise<number> {
  const port = await freePort();
  await start(`node server/dist/cli.js --host 127.0.0.1 --port ${port} --store memory ${args}`, /listening on/);
  return port;
}

type Runner = (() => Promise<void>) | { skip: string };

/** How each README command is run here (or why it is not). */
const RUNNERS: Record<string, Runner> = {
  'npm install && npm start': async () => {
    // `npm ci` ran before the suite and `npm run build` too: what is left of `npm start` is the
    // server itself, on the port a platform would give it.
    const port = await freePort();
    const data = mkdtempSync(join(tmpdir(), 'kuykan-readme-'));
    await start('node server/dist/cli.js', /listening on http:\/\/localhost:\d+/, {
      PORT: String(port),
      KUYKAN_DATA: data,
    });
    expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toContain('<');
  },
  'npm test': { skip: 'it is this suite' },
  'npm run tui': async () => {
    expect(finish('node clients/tui/bin/kuykan.js --help')).toContain('kuykan');
  },
  'npm run tui -- ws://chat.example:8080 --name somchai --room lobby': {
    skip: 'interactive, and chat.example is a placeholder; the TUI tests drive it under tmux',
  },
  'npm run echo-bot -w @kuykan/examples': async () => {
    const port = await server('');
    const out = await start('npm run echo-bot -w @kuykan/examples', /listening in lobby on ws:\/\//, {
      KUYKAN_URL: `ws://127.0.0.1:${port}`,
    });
    expect(out).toContain(`ws://127.0.0.1:${port}`);
  },
  'npm run command-bot -w @kuykan/examples -- ws://localhost:8080 lobby': async () => {
    const port = await server('');
    await start(`npm run command-bot -w @kuykan/examples -- ws://localhost:${port} lobby`, /answering \/help in lobby/);
  },
  'npx kuykan-conformance ws://localhost:8080': async () => {
    const port = await server('');
    const out = await finishAsync(`npx --no kuykan-conformance ws://localhost:${port}`);
    expect(out).toContain('RESULT: conformant');
  },
  'node server/dist/cli.js --port 9010 --store redis --redis-prefix demo:': async () => {
    const port = await freePort();
    await start(`node server/dist/cli.js --port ${port} --store redis --redis-prefix ${prefix()}`, /listening on/, {
      KUYKAN_REDIS_URL: REDIS_URL,
    });
  },
  'npm run build && node server/dist/cli.js --port 9000 --store memory': async () => {
    const port = await freePort();
    await start(`node server/dist/cli.js --port ${port} --store memory`, /listening on/);
    // The next README line.
    const health = JSON.parse(finish(`curl -s localhost:${port}/healthz`));
    expect(health).toMatchObject({ status: 'ok', connections: 0, rooms: 0, store: 'memory', engine: 'local' });
  },
  'curl localhost:9000/healthz': { skip: 'run right after the server of the line before it' },
  'npm run cluster': { skip: 'fixed ports 8081–8083 may be taken on a shared machine; the --ports form runs' },
  'npm run cluster -- --ports 9001,9002,9003': async () => {
    // `npm run cluster` is `npm run build && tsx server/scripts/cluster.ts`; the build ran before
    // the suite (and rebuilding here would pull dist/ from under the other tests).
    const ports = [await freePort(), await freePort(), await freePort()];
    await start(
      `npx tsx server/scripts/cluster.ts --ports ${ports.join(',')}`,
      new RegExp(`listening on http://localhost:${ports[2]} `),
      {
        KUYKAN_REDIS_URL: REDIS_URL,
        KUYKAN_REDIS_PREFIX: prefix(),
      },
    );
  },
  'kuykan-server --engine redis --redis-url redis://redis.internal:6379 --redis-prefix chat: --port 8080': async () => {
    // redis.internal stands for the operator's Redis: the local one here.
    const port = await freePort();
    await start(
      // As an operator runs it: the bin on PATH (npx would take --engine for its own --engine-strict).
      `PATH=node_modules/.bin:$PATH kuykan-server --engine redis --redis-url ${REDIS_URL} --redis-prefix ${prefix()} --port ${port}`,
      /listening on/,
    );
  },
  'npm run build': { skip: 'ran before the suite' },
  'npm run typecheck': { skip: 'npm test runs it' },
  'npm run lint': { skip: 'npm test runs it' },
  'npx vitest run sdk': { skip: 'npm test runs every package' },
};

afterEach(async () => {
  for (const child of running.splice(0)) {
    // The whole group: npm and bash start the real process as a child.
    if (child.exitCode === null && child.pid) process.kill(-child.pid, 'SIGTERM');
  }
  if (prefixes.length > 0) {
    const redis = new Redis(REDIS_URL);
    for (const p of prefixes.splice(0)) {
      for await (const keys of redis.scanStream({ match: `${p}*` })) if (keys.length) await redis.unlink(...keys);
    }
    redis.disconnect();
  }
});

describe('root README', () => {
  const shown = commands(join(root, 'README.md'));

  it('shows only commands this test knows how to run or why not', () => {
    expect(shown.filter((c) => !(c in RUNNERS))).toEqual([]);
    expect(
      Object.keys(RUNNERS).filter((c) => !shown.includes(c)),
      'stale entries',
    ).toEqual([]);
  });

  for (const command of shown) {
    const runner = RUNNERS[command];
    if (!runner || typeof runner !== 'function') continue;
    it.skipIf(!built)(`runs \`${command}\``, runner, 300_000);
  }
});
