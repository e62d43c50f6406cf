/**
 * Test helpers: a server on a free port and a raw protocol client that
 * records every frame it receives.
 */

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type ClientFrame,
  decodeFrame,
  encodeFrame,
  type ReplyMap,
  type RequestFrame,
  type ServerFrame,
  SUBPROTOCOL,
} from '@kuykan/protocol';
import WebSocket from 'ws';
import { type RunningServer, type ServerOptions, startServer } from '../src/index.js';

export function tempDir(prefix = 'kuykan-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function startTestServer(options: ServerOptions = {}): Promise<RunningServer> {
  return startServer({ port: 0, host: '127.0.0.1', store: 'memory', logLevel: 'silent', ...options });
}

type Reply<T extends RequestFrame['type']> = ReplyMap[T] | Extract<ServerFrame, { type: 'error' }>;

/** A raw protocol client: sends frames, records what arrives, awaits replies. */
export class RawClient {
  readonly frames: ServerFrame[] = [];
  /** Every server message as received, undecoded. */
  readonly raw: Uint8Array[] = [];
  closed: { code: number; reason: string } | undefined;
  private nextId = 1;
  private waiters: Array<() => void> = [];

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data: Buffer) => {
      this.raw.push(new Uint8Array(data));
      this.frames.push(decodeFrame(data, { direction: 'server' }));
      this.wake();
    });
    ws.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString() };
      this.wake();
    });
  }

  private wake(): void {
    for (const waiter of this.waiters.splice(0)) waiter();
  }

  /** Opens a connection; with `hello` (default) completes the handshake offering `versions` ([1]). */
  static async open(
    url: string,
    options: { hello?: boolean; protocol?: string; localAddress?: string; versions?: number[] } = {},
  ): Promise<RawClient> {
    const ws = new WebSocket(url, options.protocol ?? SUBPROTOCOL, { localAddress: options.localAddress });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    const client = new RawClient(ws);
    if (options.hello ?? true) {
      client.send({ type: 'hello', versions: options.versions ?? [1], client: 'test' });
      await client.waitFor((f) => f.type === 'welcome');
    }
    return client;
  }

  send(frame: ClientFrame): void {
    this.ws.send(encodeFrame(frame));
  }

  /** Waits until a received frame (from `from` on) matches, and returns it. */
  async waitFor<F extends ServerFrame>(match: (f: ServerFrame) => f is F, timeoutMs?: number): Promise<F>;
  async waitFor(match: (f: ServerFrame) => boolean, timeoutMs?: number): Promise<ServerFrame>;
  async waitFor(match: (f: ServerFrame) => boolean, timeoutMs = 10_000): Promise<ServerFrame> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.frames.find(match);
      if (found) return found;
      if (this.closed) throw new Error(`closed (${this.closed.code}) while waiting`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('timed out waiting for a frame');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Sends a request with a fresh id and resolves with its reply (success or error). */
  async request<T extends RequestFrame['type']>(
    frame: Omit<Extract<RequestFrame, { type: T }>, 'id'> & { type: T },
  ): Promise<Reply<T>> {
    const id = this.nextId++;
    this.send({ ...frame, id } as ClientFrame);
    return (await this.waitFor((f) => 'id' in f && f.id === id)) as Reply<T>;
  }

  /** Sync barrier: after the pong, every earlier effect has arrived [PING-3]. */
  async barrier(): Promise<void> {
    await this.request({ type: 'ping' });
  }

  /** Logs in with `key` (null: without a key), as a bot when `bot`. */
  async login(name: string, key: string | null = `key-${name}`, bot?: boolean): Promise<void> {
    const reply = await this.request({ type: 'login', name, key: key ?? undefined, bot });
    if (reply.type !== 'loggedIn') throw new Error(`login failed: ${JSON.stringify(reply)}`);
  }

  async join(room: string): Promise<Extract<ServerFrame, { type: 'joined' }>> {
    const reply = await this.request({ type: 'join', room });
    if (reply.type !== 'joined') throw new Error(`join failed: ${JSON.stringify(reply)}`);
    return reply;
  }

  /** Frames of one type received so far. */
  of<T extends ServerFrame['type']>(type: T): Extract<ServerFrame, { type: T }>[] {
    return this.frames.filter((f) => f.type === type) as Extract<ServerFrame, { type: T }>[];
  }

  async waitClosed(timeoutMs = 10_000): Promise<{ code: number; reason: string }> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed) {
      if (Date.now() > deadline) throw new Error('timed out waiting for close');
      await new Promise((r) => setTimeout(r, 10));
    }
    return this.closed;
  }

  close(): void {
    this.ws.close();
  }
}

/** A chat user: connected, logged in and joined to `room`. */
export async function member(url: string, name: string, room: string): Promise<RawClient> {
  const client = await RawClient.open(url);
  await client.login(name);
  await client.join(room);
  return client;
}

/** A protocol version 2 session: connected, logged in (with `key-<name>` unless `key` says otherwise) and joined to `room`. */
export async function memberV2(
  url: string,
  name: string,
  room?: string,
  options: { key?: string | null; bot?: boolean } = {},
): Promise<RawClient> {
  const client = await RawClient.open(url, { versions: [2, 1] });
  await client.login(name, options.key === undefined ? `key-${name}` : options.key, options.bot);
  if (room !== undefined) await client.join(room);
  return client;
}
