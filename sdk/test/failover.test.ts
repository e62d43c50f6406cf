/**
 * A client given several URLs of one cluster: it connects to the first node
 * that answers, and when its node goes away it resumes on another without a
 * gap. The cluster part runs two real server nodes on a real Redis.
 */

import type { RunningServer } from '@kuykan/server';
import { afterEach, describe, expect, it } from 'vitest';
import { deleteKeys, freePort, REDIS_URL, redisMissing, testPrefix } from '../../server/test/redis.js';
import type { KuykanClient } from '../src/node.js';
import type { MessageContext } from '../src/types.js';
import { connected, startTestServer, until } from './helpers.js';

const servers: RunningServer[] = [];
const clients: KuykanClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

describe('several URLs', () => {
  it('connects to the first node that answers', async () => {
    const server = await startTestServer();
    servers.push(server);
    const nobody = `ws://127.0.0.1:${await freePort()}`;
    const client = await connected([nobody, server.url], 'picky');
    clients.push(client);
    expect(client.url).toBe(server.url);
    expect(client.state).toBe('open');
  });
});

const missing = await redisMissing('SDK failover');

describe.skipIf(missing)('failover between two nodes on one Redis', () => {
  it('resumes on the other node when its node stops: the gap arrives in order, once, and queued sends go out', async () => {
    const prefix = testPrefix();
    const node = () =>
      startTestServer({
        engine: 'redis',
        store: 'redis',
        redisUrl: REDIS_URL,
        redisPrefix: prefix,
        limits: { presenceGraceMs: 2000 },
      });
    const [a, b] = [await node(), await node()];
    servers.push(b);
    try {
      // A backoff of at least 500 ms: the writer's next messages all fall in the gap.
      const reader = await connected([a.url, b.url], 'reader', { backoff: { minMs: 1000, maxMs: 1000 } });
      const writer = await connected(b.url, 'writer');
      clients.push(reader, writer);
      const readerRoom = await reader.join('lobby');
      const writerRoom = await writer.join('lobby');
      const seen: string[] = [];
      readerRoom.on('message', ({ message }: MessageContext) => seen.push(`${message.seq} ${message.text}`));
      for (const n of [1, 2, 3]) await writerRoom.send(`before ${n}`);
      await until(() => seen.length === 3, 5000, 'the first messages');

      // Wrapped: a promise resolved with the send's promise would wait for its ack.
      const moving = new Promise<{ queued: ReturnType<typeof readerRoom.send> }>((resolve) =>
        reader.once('reconnecting', () => resolve({ queued: readerRoom.send('sent while moving') })),
      );
      const closing = a.close(); // its clients are told to reconnect (1012)
      const { queued } = await moving;
      for (const n of [4, 5, 6, 7, 8]) await writerRoom.send(`meanwhile ${n}`);
      expect(seen).toHaveLength(3);
      await closing;
      const ack = await queued;
      await until(() => seen.length === 9, 10_000, 'the gap and the queued send');

      expect(reader.url).toBe(b.url);
      expect(seen.map((line) => Number.parseInt(line, 10))).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
      expect(seen).toContain(`${ack.seq} sent while moving`);
      expect(readerRoom.members).toEqual(['reader', 'writer']);
    } finally {
      await deleteKeys(REDIS_URL, prefix);
    }
  });
});
