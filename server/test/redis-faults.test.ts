/**
 * Presence converges after Redis faults: three nodes on a private
 * redis-server, nine members of one room, and while a fault is on, members
 * join and leave on the other nodes. Within presenceGrace + 1 s of Redis
 * answering again, every connected member's view (its `joined.members` plus
 * later `presence` events) equals the member list of a fresh join [PRES-7].
 * Faults: CLIENT KILL of one node's connections, CLIENT PAUSE 3000, and a
 * Redis restart (nodes close their sessions, clients rejoin).
 */

import type { ChildProcess } from 'node:child_process';
import { CloseCode } from '@kuykan/protocol';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { type RunningServer, startServer } from '../src/index.js';
import { RawClient } from './helpers.js';
import { eventually, freePort, privateRedis, redisMissing, testPrefix } from './redis.js';

const missing = await redisMissing('presence under Redis faults');

/** Long enough that the node TTL (two thirds of it) is above its 1.5 s floor. */
const GRACE_MS = 3000;
const ROOM = 'faulty';

/** A member that keeps the room's member list as the protocol tells it. */
class Viewer {
  readonly view = new Set<string>();
  private seen = 0;
  constructor(
    readonly client: RawClient,
    readonly name: string,
    readonly node: number,
  ) {}

  /** Applies every `joined` and `presence` frame received since the last call. */
  update(): Set<string> {
    for (const frame of this.client.frames.slice(this.seen)) {
      if (frame.type === 'joined' && frame.room === ROOM) {
        this.view.clear();
        for (const name of frame.members) this.view.add(name);
      } else if (frame.type === 'presence' && frame.room === ROOM) {
        if (frame.kind === 'join') this.view.add(frame.name);
        else this.view.delete(frame.name);
      }
    }
    this.seen = this.client.frames.length;
    return this.view;
  }
}

describe.skipIf(missing)('presence under Redis faults', { timeout: 90_000 }, () => {
  let redis: ChildProcess | undefined;
  let admin: Redis | undefined;
  let nodes: RunningServer[] = [];
  const clients: RawClient[] = [];

  afterEach(async () => {
    for (const client of clients.splice(0)) client.close();
    await Promise.all(nodes.map((node) => node.close()));
    nodes = [];
    admin?.disconnect();
    redis?.kill('SIGKILL');
  });

  async function setUp(): Promise<{ port: number; viewers: Viewer[] }> {
    const port = await freePort();
    redis = await privateRedis(port);
    const url = `redis://127.0.0.1:${port}`;
    admin = new Redis(url);
    const prefix = testPrefix();
    nodes = await Promise.all(
      [0, 1, 2].map(() =>
        startServer({
          port: 0,
          host: '127.0.0.1',
          logLevel: 'silent',
          engine: 'redis',
          store: 'redis',
          redisUrl: url,
          redisPrefix: prefix,
          limits: { presenceGraceMs: GRACE_MS, sendRate: 1000, sendBurst: 1000 },
        }),
      ),
    );
    await Promise.all(nodes.map((_, i) => healthy(i)));
    const viewers: Viewer[] = [];
    for (let i = 0; i < 9; i++) viewers.push(await viewer(`m${i}`, i % 3));
    await converged(viewers, Date.now());
    return { port, viewers };
  }

  const health = async (i: number) => (await fetch(`${nodes[i]!.httpUrl}/healthz`).catch(() => undefined))?.status ?? 0;
  const healthy = (i: number) => eventually(async () => (await health(i)) === 200, `node ${i} healthy`, 20_000);

  /** Connections the server closed with SERVICE_RESTART (the node gave up its cluster state). */
  const restarted = () => clients.filter((c) => c.closed?.code === CloseCode.SERVICE_RESTART).length;

  async function viewer(name: string, node: number): Promise<Viewer> {
    const client = await RawClient.open(nodes[node]!.url);
    clients.push(client);
    await client.login(name);
    await client.join(ROOM);
    return new Viewer(client, name, node);
  }

  /** The room's members as a fresh join on each node lists them. */
  async function freshLists(): Promise<string[]> {
    const lists: string[] = [];
    for (let i = 0; i < nodes.length; i++) {
      const probe = await RawClient.open(nodes[i]!.url);
      await probe.login(`probe${i}`);
      const joined = await probe.join(ROOM);
      await probe.request({ type: 'leave', room: ROOM });
      probe.close();
      lists.push(joined.members.filter((name) => !name.startsWith('probe')).join(','));
    }
    return lists;
  }

  /**
   * Waits until every live viewer's list equals a fresh join's, after a ping
   * barrier; returns how long after `since` that held (ms).
   */
  async function converged(viewers: Viewer[], since: number, budgetMs = GRACE_MS + 1000): Promise<number> {
    const deadline = since + budgetMs;
    for (;;) {
      // Fresh joins on every node must agree, and every member's view must equal them
      // after a barrier (which also covers the probes' own join and leave) [PING-3].
      const fresh = await freshLists();
      // A member whose connection was closed reconnects to its node and rejoins, as the SDK does.
      for (const [i, v] of viewers.entries()) if (v.client.closed) viewers[i] = await viewer(v.name, v.node);
      const live = viewers;
      await Promise.all(live.map((v) => v.client.barrier()));
      const want = fresh[0]!;
      const wrong = live.filter((v) => [...v.update()].sort().join(',') !== want);
      if (wrong.length === 0 && fresh.every((list) => list === want)) return Date.now() - since;
      if (Date.now() > deadline) {
        const shown = wrong.map((v) => `${v.name}@${v.node}: ${[...v.view].sort().join(',')}`);
        throw new Error(
          `member lists differ after ${budgetMs} ms; fresh joins per node: ${fresh.join(' | ')}\n${shown.join('\n')}`,
        );
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /**
   * Presence changes made on nodes 1 and 2 while node 0 (or Redis) is in
   * trouble: two members leave, then `joins` newcomers join, one by one.
   */
  async function churn(viewers: Viewer[], joins = 2): Promise<void> {
    const leaving = viewers.filter((v) => v.node !== 0).slice(0, 2);
    for (const v of leaving) {
      await v.client.request({ type: 'leave', room: ROOM }).catch(() => undefined);
      v.client.close();
    }
    viewers.splice(0, viewers.length, ...viewers.filter((v) => !leaving.includes(v)));
    for (let i = 0; i < joins; i++) viewers.push(await viewer(`n${i}`, 1 + (i % 2)));
  }

  /** Kills the Redis connections of node `i` (its engine's command and event connections). */
  async function killConnections(i: number): Promise<void> {
    const { node } = (await (await fetch(`${nodes[i]!.httpUrl}/healthz`)).json()) as { node: string };
    const list = (await admin!.client('LIST')) as string;
    const ids = list
      .split('\n')
      .filter((line) => line.includes(`name=kuykan:${node}:`))
      .map((line) => /id=(\d+)/.exec(line)![1]!);
    expect(ids.length).toBe(2);
    for (const id of ids) await admin!.client('KILL', 'ID', id);
  }

  it('converges after one node loses its Redis connections (CLIENT KILL)', async () => {
    const { viewers } = await setUp();
    // The churn runs while node 0 reconnects and resubscribes.
    await Promise.all([killConnections(0), churn(viewers, 4)]);
    const tookMs = await converged(viewers, Date.now());
    expect(restarted()).toBe(0);
    console.info(`CLIENT KILL: member lists converged ${tookMs} ms after the churn`);
  });

  it('converges after Redis pauses every client for 3 s (CLIENT PAUSE)', async () => {
    const { viewers } = await setUp();
    await admin!.client('PAUSE', 3000, 'ALL');
    const paused = Date.now();
    const churned = churn(viewers);
    await eventually(async () => Date.now() - paused > 3000, 'the pause to end');
    await churned;
    const tookMs = await converged(viewers, paused + 3000);
    // Nobody swept the nodes while Redis was paused: they keep their sessions.
    expect(restarted()).toBe(0);
    console.info(`CLIENT PAUSE 3000: member lists converged ${tookMs} ms after Redis answered again`);
  });

  it('converges after a connection kill followed by a 3 s pause, with members reconnecting as needed', async () => {
    const { viewers } = await setUp();
    await Promise.all([killConnections(0), churn(viewers, 2)]);
    await admin!.client('PAUSE', 3000, 'ALL');
    const paused = Date.now();
    const churned = churn(viewers, 2);
    await eventually(async () => Date.now() - paused > 3000, 'the pause to end');
    await churned;
    const tookMs = await converged(viewers, paused + 3000);
    console.info(`CLIENT KILL + PAUSE 3000: member lists converged ${tookMs} ms after Redis answered again`);
  });

  it('converges after Redis restarts empty: sessions close with 1012 and rejoin', async () => {
    const { port, viewers } = await setUp();
    redis!.kill('SIGKILL');
    await eventually(async () => (await health(0)) === 503, '/healthz 503 while Redis is down');
    redis = await privateRedis(port);
    const back = Date.now();
    for (const v of viewers)
      expect(await v.client.waitClosed(15_000)).toMatchObject({ code: CloseCode.SERVICE_RESTART });
    await Promise.all(nodes.map((_, i) => healthy(i)));
    // Clients reconnect as the SDK does, each to the node it used.
    const rejoined: Viewer[] = [];
    for (const v of viewers) rejoined.push(await viewer(v.name, v.node));
    const tookMs = await converged(rejoined, back);
    console.info(`Redis restart: member lists converged ${tookMs} ms after Redis answered again`);
  });
});
