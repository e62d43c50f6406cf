/**
 * The conformance suite against three reference-server nodes on one real
 * Redis (`engine: 'redis'`), its clients spread over the three URLs: the
 * cluster must behave as one server.
 */

import { type RunningServer, startServer } from '@kuykan/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteKeys, REDIS_URL, redisMissing, testPrefix } from '../../server/test/redis.js';
import { cli, SUITE_LIMITS } from './run-against.js';

const missing = await redisMissing('conformance against a cluster');

describe.skipIf(missing)('kuykan-conformance against three nodes on one Redis', () => {
  const prefix = testPrefix();
  const nodes: RunningServer[] = [];

  beforeAll(async () => {
    for (let i = 0; i < 3; i++) {
      nodes.push(
        await startServer({
          port: 0,
          host: '127.0.0.1',
          engine: 'redis',
          redisUrl: REDIS_URL,
          redisPrefix: prefix,
          logLevel: 'silent',
          limits: SUITE_LIMITS,
        }),
      );
    }
  });
  afterAll(async () => {
    await Promise.all(nodes.map((node) => node.close()));
    await deleteKeys(REDIS_URL, prefix);
  });

  it('passes every covered MUST with clients spread over the nodes', async () => {
    const result = await cli([...nodes.map((node) => node.url), '--seed', '4321', '--runs', '10']);
    if (result.code !== 0) console.error(result.out, result.err);
    expect(result.code).toBe(0);
    // The Redis store keeps the log of version 2: the cluster offers it, so every v2 rule runs.
    expect(result.out).toMatch(
      /RESULT: conformant to the core profile \(without auth\.token(, files)?\); \d+ requirements? not offered/,
    );
    for (const node of nodes) expect(result.out).toContain(node.url);
  }, 180_000);
});
