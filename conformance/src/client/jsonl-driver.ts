/**
 * Clients in other languages are driven over stdio: the suite starts the
 * driver command once per client and writes one JSON request per line,
 * `{"id":1,"op":"connect","url":"ws://…","name":"c1"}` (ops: connect, join,
 * send, typing, leave, typingUsers, close); the driver answers each with one
 * line, `{"id":1,"ok":true}`, `{"id":1,"ok":true,"result":["alice"]}` or
 * `{"id":1,"error":"why"}`. `typing` is not waited for.
 *
 * @module
 */

import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { ClientAdapterModule, ClientUnderTest } from './adapter.js';

/** An adapter module whose clients are driver processes running `command`. */
export function driverAdapter(command: string): ClientAdapterModule {
  return { createClient: () => driverClient(command) };
}

function driverClient(command: string): ClientUnderTest {
  const child = spawn(command, { shell: true, stdio: ['pipe', 'pipe', 'inherit'] });
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let next = 1;
  let exited: Error | undefined;
  createInterface({ input: child.stdout }).on('line', (line) => {
    let reply: { id?: number; ok?: boolean; result?: unknown; error?: string };
    try {
      reply = JSON.parse(line);
    } catch {
      return; // not a reply line: the driver's own output
    }
    const waiter = reply.id === undefined ? undefined : pending.get(reply.id);
    if (!waiter) return;
    pending.delete(reply.id!);
    if (reply.error !== undefined) waiter.reject(new Error(`driver: ${reply.error}`));
    else waiter.resolve(reply.result);
  });
  child.on('exit', (code) => {
    exited = new Error(`driver \`${command}\` exited with ${code}`);
    for (const w of pending.values()) w.reject(exited);
    pending.clear();
  });
  const call = (op: string, args: Record<string, unknown>, wait = true): Promise<unknown> => {
    if (exited) return Promise.reject(exited);
    const id = next++;
    child.stdin.write(`${JSON.stringify({ id, op, ...args })}\n`);
    if (!wait) return Promise.resolve(undefined);
    return new Promise((resolve, reject) => pending.set(id, { resolve, reject }));
  };
  return {
    connect: async (url, name) => void (await call('connect', { url, name })),
    join: async (room) => void (await call('join', { room })),
    send: async (room, text) => void (await call('send', { room, text })),
    typing: (room) => void call('typing', { room }, false),
    leave: async (room) => void (await call('leave', { room })),
    typingUsers: async (room) => ((await call('typingUsers', { room })) as string[]) ?? [],
    async close() {
      await call('close', {}).catch(() => undefined);
      child.stdin.end();
      if (!exited) child.kill();
    },
  };
}
