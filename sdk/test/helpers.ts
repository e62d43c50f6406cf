/** Test helpers: a real reference server on a free port, and waiting for events. */
import { type RunningServer, type ServerOptions, startServer } from '@kuykan/server';
import { KuykanClient } from '../src/node.js';
import type { ClientOptions } from '../src/types.js';

export function startTestServer(options: ServerOptions = {}): Promise<RunningServer> {
  return startServer({ port: 0, host: '127.0.0.1', store: 'memory', logLevel: 'silent', ...options });
}

/** A connected, logged-in client with fast reconnects for tests. */
export async function connected(
  url: string | readonly string[],
  name: string,
  options: ClientOptions = {},
): Promise<KuykanClient> {
  const client = new KuykanClient(url, { name, backoff: { minMs: 20, maxMs: 200 }, ...options });
  await client.connect();
  return client;
}

/** Resolves when `check` holds, polling; for conditions built from several events. */
export async function until(check: () => boolean, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
