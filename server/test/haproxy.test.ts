/**
 * The documented production topology, for real: HAProxy (deploy/haproxy.cfg,
 * health checks on /healthz) in front of three `kuykan-server --engine redis`
 * nodes. SDK clients connect only to the balancer; one node is killed with
 * SIGKILL behind it; every client resumes through the balancer and ends with
 * every acknowledged message exactly once, in seq order, with no reset.
 */

import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { KuykanClient } from '@kuykan/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServerProcess, spawnServer } from './process.js';
import { deleteKeys, eventually, freePort, REDIS_URL, redisMissing, testPrefix } from './redis.js';

const CONFIG = fileURLToPath(new URL('../../deploy/haproxy.cfg', import.meta.url));
const haproxyMissing = spawnSync('haproxy', ['-v']).error !== undefined;
if (haproxyMissing) {
  const message = 'the load-balancer test needs haproxy (apt-get install haproxy; .ci/run installs it)';
  if (process.env.CI === 'true') {
    describe('HAProxy in front of three nodes', () => {
      it('needs haproxy in CI', () => {
        throw new Error(message);
      });
    });
  } else console.warn(`\n*** SKIPPING HAProxy tests: ${message}\n`);
}
const redisGone = haproxyMissing ? true : await redisMissing('HAProxy');

const CLIENTS = 6;
const BEFORE = 3;
const AFTER = 3;

describe.skipIf(haproxyMissing || redisGone)('HAProxy in front of three nodes', { timeout: 90_000 }, () => {
  const prefix = testPrefix();
  const nodes: ServerProcess[] = [];
  const clients: KuykanClient[] = [];
  let balancer: ChildProcess | undefined;
  let lbUrl = '';
  let haproxyOutput = '';

  beforeAll(async () => {
    const limits = JSON.stringify({ presenceGraceMs: 3000, sendRate: 1000, sendBurst: 1000 });
    for (let i = 0; i < 3; i++) {
      nodes.push(
        await spawnServer([
          '--engine',
          'redis',
          '--redis-url',
          REDIS_URL,
          '--redis-prefix',
          prefix,
          '--limits',
          limits,
        ]),
      );
    }
    const lbPort = await freePort();
    const env = { ...process.env, KUYKAN_LB_BIND: `127.0.0.1:${lbPort}` } as Record<string, string>;
    nodes.forEach((node, i) => {
      env[`KUYKAN_NODE${i + 1}`] = node.url.replace('ws://', '');
    });
    // -db: stay in the foreground, so the test owns the process and its output.
    balancer = spawn('haproxy', ['-db', '-f', CONFIG], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    balancer.stdout!.on('data', (d) => (haproxyOutput += d));
    balancer.stderr!.on('data', (d) => (haproxyOutput += d));
    lbUrl = `ws://127.0.0.1:${lbPort}`;
    await eventually(
      async () => (await fetch(`http://127.0.0.1:${lbPort}/healthz`).catch(() => undefined))?.status === 200,
      `HAProxy to answer on ${lbPort}: ${haproxyOutput}`,
    );
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close().catch(() => {})));
    balancer?.kill('SIGTERM');
    for (const node of nodes) node.child.kill('SIGTERM');
    await Promise.all(nodes.map((n) => n.exited));
    await deleteKeys(REDIS_URL, prefix);
  });

  const connectionsOf = async (node: ServerProcess) =>
    ((await (await fetch(`${node.url.replace(/^ws/, 'http')}/healthz`)).json()) as { connections: number }).connections;

  it('loses and doubles nothing when a node is killed behind the balancer', async () => {
    const seen = new Map<string, number[]>();
    let resets = 0;
    const rooms = [];
    for (let i = 0; i < CLIENTS; i++) {
      const name = `lb-user-${i}`;
      const client = new KuykanClient(lbUrl, { name, backoff: { minMs: 50, maxMs: 300 } });
      clients.push(client);
      await client.connect();
      const room = await client.join('lb-room');
      seen.set(name, []);
      room.on('message', ({ message }) => seen.get(name)!.push(message.seq));
      room.on('reset', () => {
        resets += 1;
      });
      rooms.push(room);
    }
    // leastconn spreads the clients: every node holds some of them.
    const spread = await Promise.all(nodes.map(connectionsOf));
    expect(spread.reduce((a, b) => a + b, 0)).toBe(CLIENTS);
    expect(Math.min(...spread)).toBeGreaterThan(0);

    const acks: Promise<{ seq: number }>[] = [];
    for (let round = 0; round < BEFORE; round++) for (const room of rooms) acks.push(room.send(`before ${round}`));
    await Promise.all(acks);

    const victim = nodes[spread.indexOf(Math.max(...spread))]!;
    victim.child.kill('SIGKILL');
    await victim.exited;
    // Sent at once: clients of the dead node queue theirs and send them after resuming.
    for (let round = 0; round < AFTER; round++) for (const room of rooms) acks.push(room.send(`after ${round}`));
    const seqs = (await Promise.all(acks)).map((a) => a.seq).sort((a, b) => a - b);
    const total = CLIENTS * (BEFORE + AFTER);
    expect(seqs).toEqual(Array.from({ length: total }, (_, i) => i + 1));

    const all = Array.from({ length: total }, (_, i) => i + 1);
    await eventually(
      async () => [...seen.values()].every((s) => s.length >= total),
      'every client to see every message',
      30_000,
    );
    for (const [name, got] of seen) expect(got, name).toEqual(all);
    expect(resets).toBe(0);
    // The balancer moved the dead node's clients to the two others.
    const survivors = nodes.filter((n) => n !== victim);
    expect((await Promise.all(survivors.map(connectionsOf))).reduce((a, b) => a + b, 0)).toBe(CLIENTS);
  });
});
