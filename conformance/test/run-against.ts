/**
 * Test helper: starts the reference server in-process and runs the CLI
 * against it, capturing output.
 */

import { type RunningServer, type ServerOptions, startServer } from '@kuykan/server';
import { runCli } from '../src/main.js';

/** Limits for the suite against the reference server: short grace, generous rate. */
export const SUITE_LIMITS = { presenceGraceMs: 300, sendRate: 500, sendBurst: 500, heartbeatMs: 2_000 } as const;

export async function withServer<T>(options: ServerOptions, body: (server: RunningServer) => Promise<T>): Promise<T> {
  const server = await startServer({
    port: 0,
    host: '127.0.0.1',
    store: 'memory',
    logLevel: 'silent',
    limits: SUITE_LIMITS,
    ...options,
  });
  try {
    return await body(server);
  } finally {
    await server.close();
  }
}

/** Runs the CLI in-process; returns exit code and everything it printed. */
export async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(args, { out: (t) => (out += t), err: (t) => (err += t), isTTY: false });
  return { code, out, err };
}
