/**
 * `npm run cluster [-- --ports 9001,9002,9003]`: one `kuykan-server --engine redis`
 * node per port (KUYKAN_CLUSTER_PORTS, default 8081,8082,8083), sharing the local
 * Redis (KUYKAN_REDIS_URL, default redis://127.0.0.1:6379) as one chat. Output
 * lines carry their node's name. A node that dies is reported and the others
 * keep serving; Ctrl-C stops all.
 */

import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';

function fail(message: string): never {
  process.stderr.write(`npm run cluster: ${message}\n`);
  process.exit(2);
}

function parsePorts(): number[] {
  let text: string;
  try {
    const { values } = parseArgs({ options: { ports: { type: 'string' } } });
    text = values.ports ?? process.env.KUYKAN_CLUSTER_PORTS ?? '8081,8082,8083';
  } catch (error) {
    fail(`${(error as Error).message} (usage: npm run cluster -- --ports 8081,8082,8083)`);
  }
  const ports = text.split(',').map((p) => Number(p.trim()));
  // Port 0 would hide where each node listens until it says so; name real ports.
  if (ports.some((p) => !Number.isInteger(p) || p < 1 || p > 65535) || new Set(ports).size !== ports.length) {
    fail(`invalid ports "${text}": a comma-separated list of distinct ports 1–65535`);
  }
  return ports;
}

const PORTS = parsePorts();
const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const redisUrl = process.env.KUYKAN_REDIS_URL ?? 'redis://127.0.0.1:6379';

async function checkRedis(): Promise<void> {
  const redis = new Redis(redisUrl, {
    lazyConnect: true,
    connectTimeout: 2000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  redis.on('error', () => {});
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    process.stderr.write(
      `npm run cluster: Redis at ${redisUrl} does not answer (${(error as Error).message}).\n` +
        'Start one (e.g. `redis-server`, or `sudo apt-get install redis-server`) or set KUYKAN_REDIS_URL.\n',
    );
    process.exit(1);
  } finally {
    redis.disconnect();
  }
}

function startNode(index: number, port: number): ChildProcess {
  const name = `node${index + 1}`;
  // The nodes write to a pipe (JSON by default): keep them readable when a person watches.
  const format = process.stdout.isTTY ? ['--log-format', 'pretty'] : [];
  const args = [CLI, '--port', String(port), '--engine', 'redis', '--redis-url', redisUrl, ...format];
  const child = spawn(process.execPath, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  for (const stream of [child.stdout!, child.stderr!]) {
    createInterface({ input: stream }).on('line', (line) => process.stdout.write(`[${name}] ${line}\n`));
  }
  child.once('exit', (code, signal) => {
    process.stdout.write(
      `[${name}] exited (${signal ?? code}); the other nodes serve its clients after they reconnect\n`,
    );
  });
  return child;
}

let stopping = false;
await checkRedis();
process.stdout.write(
  `Kuykan cluster: ${PORTS.length} nodes on ${redisUrl}. Open ${PORTS.map((p) => `http://localhost:${p}`).join(', ')}\n`,
);
const children = PORTS.map((port, index) => startNode(index, port));
const exits = children.map((child) => new Promise<void>((resolve) => child.once('exit', () => resolve())));

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    for (const child of children) child.kill('SIGTERM');
  });
}
await Promise.all(exits);
