/**
 * Several `kuykan-server --engine redis` processes on one real Redis act as
 * one chat: one seq order, one member list, names, typing, idempotent
 * sends and resume across nodes; a node killed with SIGKILL; Redis
 * restarting empty. Each test runs its nodes under its own key prefix.
 */

import type { ChildProcess } from 'node:child_process';
import { type ChatMessage, CloseCode, ErrorCode, type ServerFrame } from '@kuykan/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RawClient } from './helpers.js';
import { type ServerProcess, spawnServer } from './process.js';
import { deleteKeys, eventually, freePort, privateRedis, REDIS_URL, redisMissing, testPrefix } from './redis.js';

const missing = await redisMissing('cluster');

/** Long enough that the node TTL (two thirds of it) is above its 1.5 s floor. */
const GRACE_MS = 3000;
const LIMITS = JSON.stringify({ presenceGraceMs: GRACE_MS, sendRate: 1000, sendBurst: 1000 });

/** Seqs a client saw in a room: the `joined` pages and live messages, in arrival order. */
function seqsSeen(client: RawClient, room: string): number[] {
  return client.frames.flatMap((f: ServerFrame) => {
    if (f.type === 'joined' && f.room === room) return f.messages.map((m) => m.seq);
    if (f.type === 'message' && f.room === room) return [f.seq];
    return [];
  });
}

function presenceOf(client: RawClient, name: string): string[] {
  return client.of('presence').flatMap((p) => (p.name === name ? [p.kind] : []));
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe.skipIf(missing)('three nodes on one Redis', { timeout: 60_000 }, () => {
  let prefix: string;
  let redisUrl: string;
  let nodes: ServerProcess[];
  const clients: RawClient[] = [];
  const redisServers: ChildProcess[] = [];

  const startNodes = async (count: number): Promise<string[]> => {
    const started = await Promise.all(
      Array.from({ length: count }, () =>
        spawnServer(['--engine', 'redis', '--redis-url', redisUrl, '--redis-prefix', prefix, '--limits', LIMITS]),
      ),
    );
    nodes.push(...started);
    await Promise.all(started.map((node) => healthy(node)));
    return started.map((node) => node.url);
  };
  const health = async (node: ServerProcess) =>
    (await fetch(`${node.url.replace(/^ws/, 'http')}/healthz`).catch(() => undefined))?.status;
  const healthy = (node: ServerProcess) => eventually(async () => (await health(node)) === 200, '/healthz 200');
  const connect = async (url: string, name: string, room?: string): Promise<RawClient> => {
    const client = await RawClient.open(url);
    clients.push(client);
    await client.login(name);
    if (room) await client.join(room);
    return client;
  };

  beforeEach(() => {
    prefix = testPrefix();
    redisUrl = REDIS_URL;
    nodes = [];
  });
  afterEach(async () => {
    for (const client of clients.splice(0)) client.close();
    for (const node of nodes) node.child.kill('SIGTERM');
    await Promise.all(nodes.map((node) => node.exited));
    for (const redis of redisServers.splice(0)) redis.kill('SIGKILL');
    if (redisUrl === REDIS_URL) await deleteKeys(REDIS_URL, prefix);
  });

  it('delivers messages sent on every node to members on every node in one seq order', async () => {
    const urls = await startNodes(3);
    const members = await Promise.all(urls.map((url, i) => connect(url, `m${i}`, 'lobby')));
    await Promise.all(
      members.map((client, i) =>
        Promise.all(
          range(1, 20).map((n) =>
            client.request({ type: 'send', room: 'lobby', clientId: `c${n}`, text: `${i}:${n}` }),
          ),
        ),
      ),
    );
    await Promise.all(members.map((client) => client.barrier()));
    const texts = members.map((client) => client.of('message').map((m) => `${m.seq}=${m.text}`));
    expect(members.map((client) => seqsSeen(client, 'lobby'))).toEqual([range(1, 60), range(1, 60), range(1, 60)]);
    expect(texts[1]).toEqual(texts[0]);
    expect(texts[2]).toEqual(texts[0]);
  });

  it('lists a user on two nodes once, announces join and leave once, and relays typing', async () => {
    const [a, b, c] = await startNodes(3);
    const watcher = await connect(c!, 'watcher', 'lobby');
    const annA = await connect(a!, 'ann', 'lobby');
    const annB = await connect(b!, 'ann');
    const joinedB = await annB.join('lobby');
    expect(joinedB.members).toEqual(['ann', 'watcher']);
    await watcher.barrier();
    expect(presenceOf(watcher, 'ann')).toEqual(['join']);

    await annA.request({ type: 'typing', room: 'lobby', active: true });
    await watcher.waitFor((f) => f.type === 'userTyping' && f.name === 'ann' && f.active);

    expect(await annA.request({ type: 'leave', room: 'lobby' })).toMatchObject({ type: 'ok' });
    await watcher.barrier();
    expect(presenceOf(watcher, 'ann')).toEqual(['join']);
    expect(await annB.request({ type: 'leave', room: 'lobby' })).toMatchObject({ type: 'ok' });
    await watcher.barrier();
    expect(presenceOf(watcher, 'ann')).toEqual(['join', 'leave']);
  });

  it('refuses a name held on another node unless the same key is presented', async () => {
    const [a, b] = await startNodes(2);
    await connect(a!, 'Somchai');
    const other = await RawClient.open(b!);
    clients.push(other);
    expect(await other.request({ type: 'login', name: 'somchai', key: 'not-the-key' })).toMatchObject({
      type: 'error',
      code: ErrorCode.NAME_TAKEN,
    });
    expect(await other.request({ type: 'login', name: 'Somchai', key: 'key-Somchai' })).toMatchObject({
      type: 'loggedIn',
    });
  });

  it('answers a send retried on another node with the original message, committed once', async () => {
    const [a, b] = await startNodes(2);
    const watcher = await connect(b!, 'watcher', 'lobby');
    const first = await connect(a!, 'ann', 'lobby');
    const original = await first.request({ type: 'send', room: 'lobby', clientId: 'once', text: 'hello' });
    first.close();
    const again = await connect(b!, 'ann', 'lobby');
    const retry = await again.request({ type: 'send', room: 'lobby', clientId: 'once', text: 'hello' });
    expect(retry).toEqual({ ...original, id: retry.id });
    await watcher.barrier();
    expect(watcher.of('message').map((m) => m.text)).toEqual(['hello']);
  });

  it('resumes on another node with exactly the gap', async () => {
    const [a, b, c] = await startNodes(3);
    const writer = await connect(a!, 'writer', 'lobby');
    for (const n of range(1, 3))
      await writer.request({ type: 'send', room: 'lobby', clientId: `c${n}`, text: `t${n}` });
    const reader = await connect(b!, 'reader', 'lobby');
    const { epoch, seq } = reader.of('joined')[0]!;
    reader.close();
    for (const n of range(4, 8))
      await writer.request({ type: 'send', room: 'lobby', clientId: `c${n}`, text: `t${n}` });
    const back = await connect(c!, 'reader');
    const joined = await back.request({ type: 'join', room: 'lobby', epoch, seq });
    expect(joined).toMatchObject({ type: 'joined', epoch, seq: 8, recovered: true });
    if (joined.type !== 'joined') throw new Error(JSON.stringify(joined));
    expect(joined.messages.map((m: ChatMessage) => m.text)).toEqual(['t4', 't5', 't6', 't7', 't8']);
  });

  it('survives kill -9 of a node: its clients resume elsewhere, no acked message is lost or doubled, presence converges', async () => {
    const urls = await startNodes(3);
    const room = 'busy';
    const observer = await connect(urls[2]!, 'observer', room);
    const ghost = await connect(urls[0]!, 'ghost', room); // on the node that dies, never comes back
    const acked = new Map<string, number>();

    /** A user who sends 30 messages; when its node dies it moves to the next node, resumes and retries. */
    const chat = async (index: number): Promise<RawClient[]> => {
      const name = `w${index}`;
      let node = index % 3;
      let client = await connect(urls[node]!, name, room);
      const connections = [client];
      for (let n = 1; n <= 30; n++) {
        const clientId = `${name}-${n}`;
        for (;;) {
          const reply = await client.request({ type: 'send', room, clientId, text: clientId }).catch(() => undefined);
          if (reply?.type === 'ack') {
            acked.set(clientId, reply.seq);
            break;
          }
          if (reply && reply.type === 'error' && reply.code !== ErrorCode.UNAVAILABLE) {
            throw new Error(`send refused: ${JSON.stringify(reply)}`);
          }
          if (!client.closed) {
            await new Promise((r) => setTimeout(r, 50));
            continue;
          }
          // The connection is gone: resume on the next node from the last seq seen.
          const seen = seqsSeen(client, room);
          const { epoch } = client.of('joined')[0]!;
          node = (node + 1) % 3;
          client = await connect(urls[node]!, name);
          const joined = await client.request({ type: 'join', room, epoch, seq: seen.at(-1) ?? 0 });
          expect(joined).toMatchObject({ type: 'joined', epoch, recovered: true });
          connections.push(client);
        }
        await new Promise((r) => setTimeout(r, 10));
      }
      return connections;
    };

    const killed = (async () => {
      await eventually(async () => acked.size >= 40, '40 acked messages', 20_000);
      nodes[0]!.child.kill('SIGKILL');
      return Date.now();
    })();
    const users = await Promise.all(range(0, 5).map((index) => chat(index)));
    const killedAt = await killed;

    // Presence: the ghost leaves within the grace (plus a sweep period); the movers never left.
    await observer.waitFor((f) => f.type === 'presence' && f.name === 'ghost' && f.kind === 'leave', GRACE_MS + 2000);
    const leftAfterMs = Date.now() - killedAt;
    for (const index of range(0, 5)) expect(presenceOf(observer, `w${index}`)).toEqual(['join']);
    expect(ghost.closed).toBeDefined();

    // The users of the dead node (w0, w3) moved to another node; the others kept one connection.
    expect(users.map((connections) => connections.length)).toEqual([2, 1, 1, 2, 1, 1]);
    const total = 6 * 30;
    expect(new Set(acked.values()).size).toBe(total);
    await Promise.all(users.map((connections) => connections.at(-1)!.barrier()));
    await observer.barrier();
    // Each user saw 1..total exactly once, in order, across its connections.
    for (const connections of users) {
      expect(connections.flatMap((client) => seqsSeen(client, room))).toEqual(range(1, total));
    }
    expect(seqsSeen(observer, room)).toEqual(range(1, total));
    // The log holds every acked message once, at its acked seq.
    const log = observer.of('message');
    for (const [clientId, seq] of acked) expect(log[seq - 1]).toMatchObject({ seq, text: clientId });

    const late = await connect(urls[1]!, 'late', room);
    expect(late.of('joined')[0]!.members).toEqual(['late', 'observer', 'w0', 'w1', 'w2', 'w3', 'w4', 'w5']);
    console.info(
      `node death: ${total} acked messages, ghost left ${leftAfterMs} ms after the kill (grace ${GRACE_MS} ms)`,
    );
  });

  it('closes every session with 1012 when Redis restarts empty; rejoining starts a new epoch', async () => {
    const port = await freePort();
    redisUrl = `redis://127.0.0.1:${port}`;
    let redis = await privateRedis(port);
    redisServers.push(redis);
    const [a, b] = await startNodes(2);
    const writer = await connect(a!, 'writer', 'lobby');
    const reader = await connect(b!, 'reader', 'lobby');
    const { epoch } = writer.of('joined')[0]!;
    expect(await writer.request({ type: 'send', room: 'lobby', clientId: 'c1', text: 'before' })).toMatchObject({
      type: 'ack',
      seq: 1,
    });

    redis.kill('SIGKILL');
    await eventually(async () => (await health(nodes[0]!)) === 503, '/healthz 503 while Redis is down');
    expect(await writer.request({ type: 'send', room: 'lobby', clientId: 'c2', text: 'while down' })).toMatchObject({
      type: 'error',
      code: ErrorCode.UNAVAILABLE,
    });

    redis = await privateRedis(port);
    redisServers.push(redis);
    expect(await writer.waitClosed(15_000)).toMatchObject({ code: CloseCode.SERVICE_RESTART });
    expect(await reader.waitClosed(15_000)).toMatchObject({ code: CloseCode.SERVICE_RESTART });
    await Promise.all(nodes.map((node) => healthy(node)));

    const back = await connect(b!, 'writer');
    const joined = await back.request({ type: 'join', room: 'lobby', epoch, seq: 1 });
    expect(joined).toMatchObject({ type: 'joined', seq: 0, recovered: false });
    if (joined.type !== 'joined') throw new Error(JSON.stringify(joined));
    expect(joined.epoch).not.toBe(epoch);
    const watcher = await connect(a!, 'watcher', 'lobby');
    expect(await back.request({ type: 'send', room: 'lobby', clientId: 'c3', text: 'after' })).toMatchObject({
      type: 'ack',
      seq: 1,
      messageId: `${joined.epoch}.1`,
    });
    await watcher.waitFor((f) => f.type === 'message' && f.text === 'after');
  });
});
