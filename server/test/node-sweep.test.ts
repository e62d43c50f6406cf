/**
 * The dead-node sweep of the Redis engine: a node that stops refreshing its
 * liveness key is swept by the others in batches of rooms, one script each,
 * so even a node with hundreds of rooms never blocks Redis in one long
 * script; every user it alone held leaves every room, once [PRES-4].
 */

import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { RedisCluster } from '../src/cluster/index.js';
import { connectEngine } from '../src/cluster/redis-scripts.js';
import { sweepNode } from '../src/cluster/redis-sweep.js';
import type { PresenceEvent, RoomFeed } from '../src/cluster/types.js';
import { RedisKeys } from '../src/redis/keys.js';
import { deleteKeys, eventually, REDIS_URL, redisMissing, testPrefix } from './redis.js';

const missing = await redisMissing('node sweep');
const ROOMS = 250;

describe.skipIf(missing)('node sweep', { timeout: 60_000 }, () => {
  const prefix = testPrefix();
  const admin = new Redis(REDIS_URL);
  afterAll(async () => {
    await deleteKeys(REDIS_URL, prefix);
    admin.disconnect();
  });

  const engine = () =>
    new RedisCluster({ url: REDIS_URL, prefix, presenceGraceMs: 300, log: pino({ level: 'silent' }) });

  it('removes a dead node from every one of its rooms, in batches, with one leave per user', async () => {
    const dying = engine();
    const survivor = engine();
    const leaves: PresenceEvent[] = [];
    const feed: RoomFeed = {
      message() {},
      presence: (event) => {
        if (event.kind === 'leave') leaves.push(event);
      },
      typing() {},
      resync() {},
    };
    try {
      await eventually(async () => dying.available() && survivor.available(), 'both engines registered');
      const rooms = Array.from({ length: ROOMS }, (_, i) => `sweep-${i}`);
      // The survivor watches a few rooms; the dying node holds a user in every one.
      for (const room of rooms.slice(0, 3)) await survivor.openRoom(room, feed);
      for (const room of rooms) await dying.join(room, { key: 'ghost', name: 'ghost' });
      expect(await admin.scard(`${prefix}node:${dying.nodeId}:rooms`)).toBe(ROOMS);

      // Dies without cleaning up: the key expires and the survivor sweeps.
      await dying.close();
      await eventually(async () => (await admin.exists(`${prefix}node:${dying.nodeId}:rooms`)) === 0, 'the sweep');
      for (const room of rooms) {
        expect(await admin.hlen(`${prefix}room:${room}:members`)).toBe(0);
        expect(await admin.hlen(`${prefix}room:${room}:holders`)).toBe(0);
      }
      expect(await admin.smembers(`${prefix}nodes`)).toEqual([survivor.nodeId]);
      expect(await admin.scard(`${prefix}nodes:sweeping`)).toBe(0);
      await eventually(async () => leaves.length === 3, 'the leave events of the watched rooms');
      expect(leaves.map((event) => `${event.name}:${event.version}`)).toEqual(['ghost:2', 'ghost:2', 'ghost:2']);
    } finally {
      await survivor.close();
    }
  });

  it("sweeps nobody while the sweeping node's own key has lapsed too (Redis paused every node), and sweeps once it stands", async () => {
    // After a pause longer than the TTL, every key has lapsed: the sweep
    // queued behind the pause must not take a live node for a dead one.
    const keys = new RedisKeys(`${prefix}paused:`);
    const redis = connectEngine(REDIS_URL, 'sweeper');
    const log = pino({ level: 'silent' });
    try {
      await eventually(async () => redis.status === 'ready', 'the engine connection');
      await admin.sadd(keys.nodes, 'lapsed', 'sweeper');
      await admin.sadd(keys.node('lapsed', 'rooms'), 'lobby');
      await sweepNode(redis, keys, 'lapsed', 'sweeper', log);
      expect(await admin.smembers(keys.nodes)).toEqual(expect.arrayContaining(['lapsed', 'sweeper']));
      expect(await admin.scard(keys.node('lapsed', 'rooms'))).toBe(1);

      await admin.set(keys.node('sweeper'), '1', 'PX', 10_000);
      await sweepNode(redis, keys, 'lapsed', 'sweeper', log);
      expect(await admin.smembers(keys.nodes)).toEqual(['sweeper']);
      expect(await admin.exists(keys.node('lapsed', 'rooms'))).toBe(0);
    } finally {
      redis.disconnect();
    }
  });
});
