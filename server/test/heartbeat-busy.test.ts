/**
 * A connection whose requests the server is still working through is not
 * dead, even when its pongs sit unread behind them [PING-5, SEC-9]: a client
 * that pipelines past `maxInFlight` to a store slower than two heartbeat
 * intervals gets every ack, not 4006.
 */

import type { Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/index.js';
import { RawClient, startTestServer } from './helpers.js';
import { deleteKeys, laggingProxy, REDIS_URL, redisMissing, testPrefix } from './redis.js';

const skip = await redisMissing('busy heartbeat');
const prefix = testPrefix();
let proxy: Server;
let server: RunningServer;

beforeAll(async () => {
  if (skip) return;
  // Every Redis reply 40 ms late: 100 sends handled one at a time take over 4 s.
  const lagging = await laggingProxy(new URL(REDIS_URL), 40);
  proxy = lagging.server;
  server = await startTestServer({
    store: 'redis',
    redisUrl: lagging.url,
    redisPrefix: prefix,
    limits: { heartbeatMs: 1000, sendRate: 1000, sendBurst: 1000 },
  });
});
afterAll(async () => {
  if (skip) return;
  await server.close();
  proxy.close();
  await deleteKeys(REDIS_URL, prefix);
});

describe.skipIf(skip)('the heartbeat of a busy connection', () => {
  it('keeps a connection whose pipelined sends outlast two intervals, and acks every send', async () => {
    const client = await RawClient.open(server.url);
    await client.login('pipeliner');
    await client.join('lobby');
    const count = 100;
    for (let n = 0; n < count; n++) {
      client.send({ type: 'send', id: 1000 + n, room: 'lobby', clientId: `c${n}`, text: `${n}` });
    }
    await client.waitFor((f) => f.type === 'ack' && f.id === 1000 + count - 1, 30_000);
    expect(client.of('ack')).toHaveLength(count);
    expect(client.closed).toBeUndefined();
    client.close();
  }, 40_000);
});
