/**
 * Rooms are loaded while they have local members and unloaded after the
 * last one leaves or their grace ends: `/healthz` rooms go back to 0 and,
 * with the Redis engine, the node's room channel subscriptions go back to
 * the baseline. `server/scripts/room-churn.ts` runs the same cycle at
 * 50,000 rooms and reports RSS.
 */

import { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/index.js';
import { member, type RawClient, startTestServer, tempDir } from './helpers.js';
import { deleteKeys, eventually, REDIS_URL, redisMissing, testPrefix } from './redis.js';

const GRACE = 200;
const CYCLES = 300;

async function loadedRooms(server: RunningServer): Promise<number> {
  const health = (await (await fetch(`${server.httpUrl}/healthz`)).json()) as { rooms: number };
  return health.rooms;
}

/** Joins and leaves `count` distinct rooms on one connection, checking each join. */
/** One connection joins and leaves far faster than the default join rate allows [LIMIT-8]. */
const CHURN_LIMITS = { presenceGraceMs: GRACE, joinRate: 1_000_000, joinBurst: 1_000_000 };

async function churn(client: RawClient, count: number, tag: string): Promise<void> {
  for (let i = 0; i < count; i += 1) {
    const room = `${tag}-${i}`;
    await client.join(room);
    const left = await client.request({ type: 'leave', room });
    expect(left.type).toBe('ok');
  }
}

let server: RunningServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('room lifecycle', () => {
  it('unloads every room after join and leave cycles on one connection', async () => {
    server = await startTestServer({ store: 'sqlite', dataDir: tempDir(), limits: CHURN_LIMITS });
    const client = await member(server.url, 'churner', 'home');
    await churn(client, CYCLES, 'churn');
    expect(await loadedRooms(server)).toBe(1);
    await client.request({ type: 'leave', room: 'home' });
    expect(await loadedRooms(server)).toBe(0);
    client.close();
  });

  it('unloads a room after the grace of its last disconnected member', async () => {
    server = await startTestServer({ limits: CHURN_LIMITS });
    const a = await member(server.url, 'gone', 'graceful');
    expect(await loadedRooms(server)).toBe(1);
    a.close();
    await a.waitClosed();
    const running = server;
    await eventually(async () => (await loadedRooms(running)) === 0, 'the room to unload after the grace');
  });

  it('keeps a room loaded while another local member is in it, and reopens it on the next join', async () => {
    server = await startTestServer({ limits: CHURN_LIMITS });
    const a = await member(server.url, 'stay', 'kept');
    const b = await member(server.url, 'visit', 'kept');
    await b.request({ type: 'send', room: 'kept', clientId: 'c1', text: 'hello' });
    await b.request({ type: 'leave', room: 'kept' });
    expect(await loadedRooms(server)).toBe(1);
    await a.request({ type: 'leave', room: 'kept' });
    expect(await loadedRooms(server)).toBe(0);
    const again = await a.join('kept');
    expect(again.seq).toBe(1);
    expect(again.messages.map((m) => m.text)).toEqual(['hello']);
    a.close();
    b.close();
  });
});

const missing = await redisMissing('room lifecycle on Redis');

describe.skipIf(missing)('room lifecycle on Redis', () => {
  const prefix = testPrefix();
  afterAll(() => deleteKeys(REDIS_URL, prefix));

  it('unsubscribes from every room channel it no longer has loaded', async () => {
    const admin = new Redis(REDIS_URL);
    const subscribed = async () => (await admin.pubsub('CHANNELS', `${prefix}room:*`)).length;
    try {
      server = await startTestServer({
        engine: 'redis',
        store: 'redis',
        redisUrl: REDIS_URL,
        redisPrefix: prefix,
        limits: CHURN_LIMITS,
      });
      // The rooms a dead node's sweep would visit: only those it holds someone in.
      const nodeId = /node=(\S+)/.exec(server.engine)![1];
      const nodeRooms = () => admin.scard(`${prefix}node:${nodeId}:rooms`);
      const client = await member(server.url, 'churner', 'home');
      expect(await subscribed()).toBe(1);
      await churn(client, CYCLES / 3, 'redis-churn');
      expect(await loadedRooms(server)).toBe(1);
      // UNSUBSCRIBE is not awaited by the leave; Redis answers it soon after.
      await eventually(async () => (await subscribed()) === 1, 'the churned channels to be unsubscribed');
      await eventually(async () => (await nodeRooms()) === 1, "the churned rooms to leave the node's set");
      client.close();
      await client.waitClosed();
      const running = server;
      await eventually(async () => (await loadedRooms(running)) === 0, 'the last room to unload');
      await eventually(async () => (await subscribed()) === 0, 'the last channel to be unsubscribed');
      await eventually(async () => (await nodeRooms()) === 0, "the last room to leave the node's set");
    } finally {
      admin.disconnect();
    }
  });
});
