/**
 * Protocol version 2 across the nodes of a cluster on a real Redis
 * (REDIS_URL): entries of every kind committed on one node reach the
 * members of another as the same frames, per version; mentions, read
 * markers, bots and direct rooms work whichever node each user is on.
 * Without Redis the tests are skipped locally and fail in CI.
 */

import type { Server } from 'node:net';
import { type AckFrame, type ChatMessage, ErrorCode } from '@kuykan/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer, startServer } from '../src/index.js';
import { memberV2, RawClient } from './helpers.js';
import { deleteKeys, laggingProxy, REDIS_URL, redisMissing, SUBSCRIBER, testPrefix } from './redis.js';
import { cid, entriesOf, page, say } from './v2-helpers.js';

const missing = await redisMissing('redis v2 cluster');

describe.skipIf(missing)('protocol v2 on two nodes of one Redis', { timeout: 30_000 }, () => {
  const prefix = testPrefix();
  let a: RunningServer;
  let b: RunningServer;
  beforeAll(async () => {
    [a, b] = (await Promise.all(
      [0, 1].map(() =>
        startServer({
          port: 0,
          host: '127.0.0.1',
          logLevel: 'silent',
          engine: 'redis',
          redisUrl: REDIS_URL,
          redisPrefix: prefix,
        }),
      ),
    )) as [RunningServer, RunningServer];
  });
  afterAll(async () => {
    await Promise.all([a, b].map((node) => node?.close()));
    await deleteKeys(REDIS_URL, prefix);
  });

  it('delivers entries of every kind committed on one node to the other node, per version', async () => {
    const ann = await memberV2(a.url, 'ann-x1', 'x-1');
    const bob = await memberV2(b.url, 'bob-x1', 'x-1');
    const old = await RawClient.open(b.url);
    await old.login('old-x1');
    await old.join('x-1');
    const first = await say(ann, 'x-1', 'first', { mentions: ['bob-x1'] });
    const second = await say(ann, 'x-1', 'second');
    await ann.request({ type: 'react', room: 'x-1', target: first.messageId, clientId: cid(), emoji: '👍', on: true });
    await ann.request({ type: 'edit', room: 'x-1', target: first.messageId, clientId: cid(), text: 'first!' });
    await ann.request({ type: 'delete', room: 'x-1', target: second.messageId, clientId: cid() });
    const third = await say(ann, 'x-1', 'third', { replyTo: first.messageId });
    await Promise.all([ann.barrier(), bob.barrier(), old.barrier()]);

    // The other node's v2 member gets the very frames the sender's node sent.
    const strip = ({ type: _type, ...entry }: { type: string } & ChatMessage) => entry;
    expect(entriesOf(bob, 'x-1').map(strip)).toEqual(entriesOf(ann, 'x-1').map(strip));
    expect(entriesOf(bob, 'x-1').map((e) => e.kind ?? 'message')).toEqual([
      'message',
      'message',
      'react',
      'edit',
      'delete',
      'message',
    ]);
    expect(entriesOf(bob, 'x-1')[0]).toMatchObject({ mentions: ['bob-x1'] });
    expect(entriesOf(bob, 'x-1')[5]).toMatchObject({ reply: { messageId: first.messageId, text: 'first!' } });
    // A v1 member on that node gets the messages only, as sent [VER-2].
    expect(entriesOf(old, 'x-1').map((m) => [m.seq, m.text])).toEqual([
      [first.seq, 'first'],
      [second.seq, 'second'],
      [third.seq, 'third'],
    ]);
    // A join on the other node gets the folded records from the shared log [FOLD-1].
    const late = await memberV2(b.url, 'late-x1');
    const joined = await late.join('x-1');
    expect(joined.messages.map((m) => [m.text, m.deleted ?? false, m.reactions?.[0]?.count])).toEqual([
      ['first!', false, 1],
      ['', true, undefined],
      ['third', false, undefined],
    ]);
    for (const client of [ann, bob, old, late]) client.close();
  });

  it('tells a user connected to another node of a mention, and of their read marker there', async () => {
    const ann = await memberV2(a.url, 'ann-x2', 'x-2');
    const carol = await memberV2(b.url, 'carol-x2');
    const carolHere = await memberV2(a.url, 'carol-x2', 'x-2');
    const message = await say(ann, 'x-2', 'look @carol-x2', { mentions: ['carol-x2'] });
    expect(await carol.waitFor((f) => f.type === 'mention')).toMatchObject({
      type: 'mention',
      room: 'x-2',
      seq: message.seq,
      messageId: message.messageId,
      from: 'ann-x2',
      text: 'look @carol-x2',
    });
    // The read's ok waits until the other node has the marker: a ping there comes after it [READ-2, PING-3].
    expect(await carolHere.request({ type: 'read', room: 'x-2', seq: message.seq })).toMatchObject({ type: 'ok' });
    await carol.barrier();
    expect(carol.of('readMarker')).toEqual([{ type: 'readMarker', room: 'x-2', seq: message.seq }]);
    expect(carolHere.of('readMarker')).toEqual([]);
    const again = await memberV2(b.url, 'carol-x2');
    expect(await again.join('x-2')).toMatchObject({ readSeq: message.seq, unread: 0, mentions: 0 });
    for (const client of [ann, carol, carolHere, again]) client.close();
  });

  it('keeps a bot a bot on every node, flagged in presence, joined and its messages [BOT-1]', async () => {
    const bot = await memberV2(a.url, 'bot-x3', 'x-3', { bot: true });
    const watcher = await memberV2(b.url, 'watch-x3');
    expect((await watcher.join('x-3')).bots).toEqual(['bot-x3']);
    // The bot's second session, on the other node, says it is no bot: the first session's flag counts.
    const second = await memberV2(b.url, 'bot-x3', 'x-3', { bot: false });
    await say(second, 'x-3', 'beep');
    await watcher.barrier();
    expect(entriesOf(watcher, 'x-3').at(-1)).toMatchObject({ from: 'bot-x3', text: 'beep', bot: true });
    const joiner = await memberV2(a.url, 'join-x3');
    await joiner.join('x-3');
    const late = await memberV2(b.url, 'late-x3', 'x-3');
    await watcher.barrier();
    expect(watcher.of('presence').filter((p) => p.name === 'late-x3')).toEqual([
      { type: 'presence', room: 'x-3', name: 'late-x3', kind: 'join' },
    ]);
    for (const client of [bot, watcher, second, joiner, late]) client.close();
  });

  it('opens one direct room for two users on different nodes [DM-1, DM-2]', async () => {
    const ann = await memberV2(a.url, 'ann-x4');
    const bob = await memberV2(b.url, 'bob-x4');
    const fromAnn = await ann.request({ type: 'dm', name: 'bob-x4' });
    expect(fromAnn).toMatchObject({ type: 'directRoom', name: 'bob-x4' });
    const fromBob = await bob.request({ type: 'dm', name: 'ann-x4' });
    expect(fromBob).toMatchObject({ type: 'directRoom', name: 'ann-x4' });
    if (fromAnn.type !== 'directRoom' || fromBob.type !== 'directRoom') throw new Error('no direct room');
    expect(fromBob.room).toBe(fromAnn.room);
    const anon = await RawClient.open(b.url, { versions: [2, 1] });
    await anon.login('anon-x4', null);
    expect(await ann.request({ type: 'dm', name: 'anon-x4' })).toMatchObject({
      type: 'error',
      code: ErrorCode.DIRECT_INVALID,
    });
    await ann.join(fromAnn.room);
    expect(await bob.join(fromAnn.room)).toMatchObject({ peer: 'ann-x4' });
    for (const client of [ann, bob, anon]) client.close();
  });
});

describe.skipIf(missing)('reads on a node that hears of other nodes late', { timeout: 30_000 }, () => {
  const prefix = testPrefix();
  let nodes: RunningServer[] = [];
  let proxy: Server | undefined;
  beforeAll(async () => {
    // The reading node hears other nodes 25 ms late but reads its store at once: without waiting, it would miss the message.
    const lagging = await laggingProxy(new URL(REDIS_URL), 25, SUBSCRIBER);
    proxy = lagging.server;
    nodes = await Promise.all(
      [REDIS_URL, lagging.url].map((redisUrl) =>
        startServer({ port: 0, host: '127.0.0.1', logLevel: 'silent', engine: 'redis', redisUrl, redisPrefix: prefix }),
      ),
    );
  });
  afterAll(async () => {
    await Promise.all(nodes.map((node) => node.close()));
    proxy?.close();
    await deleteKeys(REDIS_URL, prefix);
  });

  /**
   * Five messages acked on the first node, each followed at once by `check` from a member of the
   * room on the lagging node; resolves with that member, still open.
   */
  async function afterEachAck(
    room: string,
    check: (member: RawClient, ack: AckFrame) => Promise<void>,
  ): Promise<RawClient> {
    const [a, b] = nodes as [RunningServer, RunningServer];
    const writer = await memberV2(a.url, `writer-${room}`, room);
    const member = await memberV2(b.url, `member-${room}`, room);
    for (let round = 1; round <= 5; round++) await check(member, await say(writer, room, `message ${round}`));
    writer.close();
    return member;
  }

  it('serves every message acked on another node before the request [HIST-5]', async () => {
    const reader = await afterEachAck('hist', async (reader, ack) => {
      const served = await page(reader, 'hist', { after: ack.seq - 1 });
      expect(served.messages.map((m) => m.seq)).toEqual([ack.seq]);
    });
    reader.close();
  });

  it('accepts a read marker at a message acked on another node before the read [READ-1]', async () => {
    const reader = await afterEachAck('read', async (reader, ack) => {
      expect(await reader.request({ type: 'read', room: 'read', seq: ack.seq })).toMatchObject({ type: 'ok' });
    });
    // A seq no node has acked is still refused, after the wait.
    expect(await reader.request({ type: 'read', room: 'read', seq: 99 })).toMatchObject({
      type: 'error',
      code: ErrorCode.READ_INVALID,
    });
    reader.close();
  });

  it('lists a room with the last seq acked on another node before the request [ROOM-9]', async () => {
    const lister = await afterEachAck('list', async (lister, ack) => {
      const list = await lister.request({ type: 'rooms' });
      expect(list.type === 'roomList' && list.rooms).toContainEqual({ room: 'list', members: 2, seq: ack.seq });
    });
    lister.close();
  });

  it('lists a room whose members are all on another node with their count [ROOM-9]', async () => {
    const [a, b] = nodes as [RunningServer, RunningServer];
    const there = await memberV2(a.url, 'there-l', 'elsewhere');
    await say(there, 'elsewhere', 'hello');
    const here = await memberV2(b.url, 'here-l');
    const list = await here.request({ type: 'rooms' });
    expect(list.type === 'roomList' && list.rooms).toContainEqual({ room: 'elsewhere', members: 1, seq: 1 });
    there.close();
    here.close();
  });
});
