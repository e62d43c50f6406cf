/**
 * Tests against a real Redis (REDIS_URL, default redis://127.0.0.1:6379):
 * the reachability gate, private throwaway Redis servers, and per-test key
 * prefixes that are cleaned up afterwards. Without Redis the tests are
 * skipped locally (loudly) and fail in CI.
 */

import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer, type Server, connect as tcpConnect } from 'node:net';
import { Redis } from 'ioredis';
import { describe, it } from 'vitest';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Undefined when Redis answers PING within a second, else why not. */
export async function probe(url: string): Promise<string | undefined> {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 1000,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  let socketError: Error | undefined;
  client.on('error', (error: Error) => {
    socketError = error;
  });
  try {
    await client.connect();
    await client.ping();
    return undefined;
  } catch (error) {
    return (socketError ?? (error as Error)).message;
  } finally {
    client.disconnect();
  }
}

/**
 * Checks that Redis is reachable for the suite `what`. When it is not, in CI
 * a failing test is registered; elsewhere a warning is printed. Returns
 * whether the suite must be skipped.
 */
export async function redisMissing(what: string): Promise<boolean> {
  const unreachable = await probe(REDIS_URL);
  if (unreachable === undefined) return false;
  const message = `Redis is needed for the ${what} tests: ${REDIS_URL} did not answer PING (${unreachable}). Start one (e.g. \`redis-server\`) or set REDIS_URL.`;
  if (process.env.CI === 'true') {
    describe(what, () => {
      it('needs a reachable Redis in CI', () => {
        throw new Error(message);
      });
    });
  } else {
    console.warn(`\n*** SKIPPING ${what} tests: ${message}\n`);
  }
  return true;
}

/** A fresh key prefix: one test's keys, apart from everyone else's. */
export function testPrefix(): string {
  return `kuykan-test:${randomUUID()}:`;
}

/** Deletes every key under `prefix` (and nothing else). */
export async function deleteKeys(url: string, prefix: string): Promise<void> {
  const admin = new Redis(url);
  try {
    const keys: string[] = [];
    for await (const batch of admin.scanStream({ match: `${prefix}*`, count: 500 })) keys.push(...(batch as string[]));
    if (keys.length > 0) await admin.unlink(...keys);
  } finally {
    admin.disconnect();
  }
}

/** A port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probeServer = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probeServer.address() as { port: number };
      probeServer.close(() => resolve(port));
    });
    probeServer.on('error', reject);
  });
}

/** Polls `check` every 50 ms until it holds. */
export async function eventually(check: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A private redis-server that keeps nothing on disk, so a restart loses everything. */
export async function privateRedis(port: number): Promise<ChildProcess> {
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  await eventually(async () => (await probe(`redis://127.0.0.1:${port}`)) === undefined, 'redis-server to start');
  return child;
}

/**
 * Picks a node's pub/sub connection by the first bytes it sends: ioredis opens
 * with CLIENT SETNAME, and that connection's name is `kuykan:<node>:events`.
 */
export const SUBSCRIBER = (first: Buffer): boolean => first.includes(':events');

/**
 * A TCP proxy to Redis that holds every reply and pub/sub push back by `lagMs`,
 * in order: on every connection, or only on those whose first bytes `lags` picks
 * (e.g. {@link SUBSCRIBER}, a node that hears other nodes late but reads its store at once).
 */
export function laggingProxy(
  target: URL,
  lagMs: number,
  lags: (first: Buffer) => boolean = () => true,
): Promise<{ server: Server; url: string }> {
  const server = createServer((socket) => {
    const upstream = tcpConnect(Number(target.port), target.hostname);
    let lagging = false;
    // The client speaks first, so the choice is made before any reply arrives.
    socket.once('data', (first: Buffer) => {
      lagging = lags(first);
    });
    socket.pipe(upstream);
    upstream.on('data', (chunk) => {
      if (lagging) setTimeout(() => socket.writable && socket.write(chunk), lagMs);
      else socket.write(chunk);
    });
    const end = () => {
      socket.destroy();
      upstream.destroy();
    };
    socket.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      resolve({ server, url: `redis://127.0.0.1:${port}` });
    }),
  );
}
