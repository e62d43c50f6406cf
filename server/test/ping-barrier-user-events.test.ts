/**
 * Ping is a sync barrier for a v2 user's own events too [PING-3]: a session
 * joined to no room, on a node whose Redis link lags, gets the read marker
 * another session of its user set on another node before its `pong`
 * [READ-2]. Before, a session with no room was answered at once.
 */

import type { Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/index.js';
import { RawClient, startTestServer } from './helpers.js';
import { deleteKeys, eventually, laggingProxy, REDIS_URL, redisMissing, testPrefix } from './redis.js';

const skip = await redisMissing('ping barrier for user events');
const prefix = testPrefix();
let proxy: Server;
let nodes: RunningServer[] = [];

beforeAll(async () => {
  if (skip) return;
  // The second node hears everything from Redis 100 ms late, user events included.
  const lagging = await laggingProxy(new URL(REDIS_URL), 100);
  proxy = lagging.server;
  nodes = await Promise.all(
    [REDIS_URL, lagging.url].map((redisUrl) =>
      startTestServer({ engine: 'redis', store: 'redis', redisUrl, redisPrefix: prefix }),
    ),
  );
  // A node answers barriers only once it is registered in the cluster (healthy).
  for (const node of nodes) {
    await eventually(async () => (await fetch(`${node.httpUrl}/healthz`)).ok, 'the node to be healthy');
  }
});
afterAll(async () => {
  if (skip) return;
  await Promise.all(nodes.map((node) => node.close()));
  proxy.close();
  await deleteKeys(REDIS_URL, prefix);
});

describe.skipIf(skip)('the ping barrier of a session in no room', () => {
  it("holds its pong until its user's read marker set on another node has arrived", async () => {
    const reader = await RawClient.open(nodes[0]!.url, { versions: [2] });
    await reader.login('reader', 'k');
    await reader.join('news');
    const writer = await RawClient.open(nodes[0]!.url, { versions: [2] });
    await writer.login('writer');
    await writer.join('news');
    await writer.request({ type: 'send', room: 'news', clientId: 'c1', text: 'one' });
    const elsewhere = await RawClient.open(nodes[1]!.url, { versions: [2] });
    await elsewhere.login('reader', 'k');

    expect(await reader.request({ type: 'read', room: 'news', seq: 1 })).toMatchObject({ type: 'ok' });
    await elsewhere.barrier();
    expect(elsewhere.of('readMarker')).toEqual([{ type: 'readMarker', room: 'news', seq: 1 }]);
    for (const client of [reader, writer, elsewhere]) client.close();
  });
});
