/**
 * What a connection keeps alive on the server for its whole life. Every byte
 * here is paid by each of up to 20,000 idle connections (issue 23's idle cost).
 */
import { IncomingMessage } from 'node:http';
import { queryObjects, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { TurnWrites } from '../src/coalesce.js';
import type { RunningServer } from '../src/index.js';
import { TokenBucket } from '../src/ratelimit.js';
import { Session } from '../src/session.js';
import { RawClient, startTestServer } from './helpers.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Node's Timeout class (not exported by name). */
const Timeout = setTimeout(() => undefined, 0).constructor as new () => unknown;

/** Objects of `type` alive after a full collection (both ends of every connection live in this process). */
function live(type: new (...args: never[]) => unknown): number {
  gc();
  return queryObjects(type, { format: 'count' }) as number;
}

/** Live objects of exactly the class `type`, its subclasses' not counted. */
function liveExactly(type: new (...args: never[]) => unknown): number {
  gc();
  const summaries = queryObjects(type, { format: 'summary' }) as string[];
  return summaries.filter((summary) => summary.startsWith(`${type.name} {`)).length;
}

describe('connection footprint', () => {
  let server: RunningServer;
  const clients: RawClient[] = [];
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    for (const client of clients) client.ws.terminate();
    await server?.close();
  });

  /** Opens 20 connections that log in as `<prefix><i>` and, with `room`, join it; they stay open until the end. */
  async function connect(prefix: string, room?: string): Promise<void> {
    for (let i = 0; i < 20; i++) {
      const client = await RawClient.open(server.url);
      await client.login(`${prefix}${i}`);
      if (room !== undefined) await client.join(room);
      clients.push(client);
    }
  }

  it('keeps neither the HTTP upgrade request nor its spent deadlines for an open, logged-in connection', async () => {
    const requests = live(IncomingMessage);
    const timers = live(Timeout);
    await connect('idle');
    // Each upgrade made two, the server's request and the client's response, and neither side needs
    // them once the WebSocket is open (a closure of the upgrade handler kept all 20 requests).
    expect(live(IncomingMessage) - requests).toBeLessThan(5);
    // The hello and login deadlines were met: their timers are not kept (two per connection were).
    expect(live(Timeout) - timers).toBeLessThan(5);
  });

  it('keeps only the rate-limit bucket a joined connection used, and no set per user or room member', async () => {
    const buckets = live(TokenBucket);
    const sets = live(Set);
    await connect('joined', 'lobby');
    // The join bucket; the send, history and room-list buckets are made on first use (four were made per connection).
    expect(live(TokenBucket) - buckets).toBe(20);
    // A user's sessions and a room member's sessions were a Set each; the room itself adds a few.
    expect(live(Set) - sets).toBeLessThan(5);
  });

  it('keeps the rooms a connection joined without a map of its own', async () => {
    const maps = live(Map);
    await connect('member', 'lobby');
    // An array of its rooms (a Map of one room cost each joined connection ~180 B); the room adds a few.
    expect(live(Map) - maps).toBeLessThan(5);
  });

  it('writes through one object per connection, its own coalescer', async () => {
    const coalescers = liveExactly(TurnWrites);
    await connect('writer');
    // The session's writes coalesce its socket themselves (a TurnWrites of their own cost each connection ~40 B).
    expect(liveExactly(TurnWrites) - coalescers).toBe(0);
  });

  it('keeps no record of its own per connection for the operator log and metrics (observe.ts)', async () => {
    const weakSets = vi.spyOn(WeakMap.prototype, 'set');
    try {
      await connect('observed');
      // Its open time and close code are fields of the session; a record in a WeakMap, with the
      // peer's address as text, cost each connection ~150 B.
      expect(weakSets.mock.calls.filter(([key]) => key instanceof Session)).toEqual([]);
    } finally {
      weakSets.mockRestore();
    }
  });
});
