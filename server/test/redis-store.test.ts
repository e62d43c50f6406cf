/**
 * The Redis history store against a real Redis (REDIS_URL, default
 * redis://127.0.0.1:6379). Every test works under its own key prefix and
 * deletes only its own keys. Without Redis the tests are skipped locally and
 * fail in CI.
 */

import { type ChatMessage, CloseCode, ErrorCode } from '@kuykan/protocol';
import fc from 'fast-check';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type HistoryStore, MemoryStore, RedisStore } from '../src/index.js';
import { escapeKeyPart as escapeRoom } from '../src/redis/keys.js';
import { member, RawClient, startTestServer } from './helpers.js';
import { deleteKeys, eventually, freePort, privateRedis, REDIS_URL, redisMissing, testPrefix } from './redis.js';

const missing = await redisMissing('redis store');

/** Everything but the epoch-dependent id and the clock, for comparing stores. */
const content = (m: ChatMessage) => ({ seq: m.seq, from: m.from, text: m.text, clientId: m.clientId });

describe.skipIf(missing)('redis store', () => {
  let admin: Redis;
  let prefix: string;
  const stores: RedisStore[] = [];

  const open = (options: { historyLength?: number; url?: string } = {}): RedisStore => {
    const store = new RedisStore({
      url: options.url ?? REDIS_URL,
      prefix,
      historyLength: options.historyLength ?? 10_000,
    });
    stores.push(store);
    return store;
  };
  const send = (store: HistoryStore, room: string, clientId: string, userKey = 'k-ann') =>
    store.append({ room, from: 'ann', userKey, clientId, text: `text of ${clientId}` });

  beforeAll(() => {
    admin = new Redis(REDIS_URL);
  });
  afterAll(async () => {
    await admin.quit();
  });
  beforeEach(() => {
    prefix = testPrefix();
  });
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((store) => store.close()));
    await deleteKeys(REDIS_URL, prefix);
  });

  it('numbers messages 1, 2, 3… and keeps history and epoch when a new store opens the same prefix', async () => {
    const first = open();
    const { epoch, lastSeq } = await first.openRoom('lobby');
    expect(lastSeq).toBe(0);
    const sent: ChatMessage[] = [];
    for (let n = 1; n <= 5; n++) sent.push((await send(first, 'lobby', `c${n}`)).message);
    expect(sent.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(sent.map((m) => m.messageId)).toEqual(sent.map((m) => `${epoch}.${m.seq}`));
    for (let n = 1; n < sent.length; n++) expect(sent[n]!.ts).toBeGreaterThanOrEqual(sent[n - 1]!.ts);
    await first.close();

    const second = open();
    expect(await second.openRoom('lobby')).toEqual({ epoch, lastSeq: 5 });
    expect(await second.range('lobby', { limit: 100, newest: false })).toEqual(sent);
    const next = await send(second, 'lobby', 'c6');
    expect(next).toMatchObject({ duplicate: false, message: { seq: 6, messageId: `${epoch}.6` } });
    expect(next.message.ts).toBeGreaterThanOrEqual(sent[4]!.ts);
  });

  it('gives 200 appends interleaved from two stores the seqs 1..200 exactly once', async () => {
    const [a, b] = [open(), open()];
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, n) => send(n % 2 === 0 ? a : b, 'busy', `c${n}`, `k${n % 7}`)),
    );
    const seqs = results.map((r) => r.message.seq).sort((x, y) => x - y);
    expect(seqs).toEqual(Array.from({ length: 200 }, (_, n) => n + 1));
    expect(results.every((r) => !r.duplicate)).toBe(true);
    const log = await a.range('busy', { limit: 1000, newest: false });
    expect(log.map((m) => m.seq)).toEqual(seqs);
    for (let n = 1; n < log.length; n++) expect(log[n]!.ts).toBeGreaterThanOrEqual(log[n - 1]!.ts);
    expect((await b.openRoom('busy')).lastSeq).toBe(200);
  });

  it('answers a repeated (userKey, clientId) with the original message, also through another store', async () => {
    const [a, b] = [open(), open()];
    const original = await send(a, 'dup', 'same');
    expect(original.duplicate).toBe(false);
    await send(a, 'dup', 'other');
    const again = await a.append({ room: 'dup', from: 'ann', userKey: 'k-ann', clientId: 'same', text: 'changed' });
    expect(again).toEqual({ message: original.message, duplicate: true });
    expect(await send(b, 'dup', 'same')).toEqual({ message: original.message, duplicate: true });
    // Another user, or another room, is another message.
    expect(await send(b, 'dup', 'same', 'k-bob')).toMatchObject({ duplicate: false, message: { seq: 3 } });
    expect(await send(b, 'dup-2', 'same')).toMatchObject({ duplicate: false, message: { seq: 1 } });
    expect((await a.openRoom('dup')).lastSeq).toBe(3);

    // A retry racing its original through the other store: one commit, same message.
    const [x, y] = await Promise.all([send(a, 'dup', 'race'), send(b, 'dup', 'race')]);
    expect([x.duplicate, y.duplicate].sort()).toEqual([false, true]);
    expect(x.message).toEqual(y.message);
    expect((await a.openRoom('dup')).lastSeq).toBe(4);
  });

  it('ranges like the memory store for any afterSeq, beforeSeq, limit and newest', async () => {
    const redis = open();
    const memory = new MemoryStore();
    for (let n = 1; n <= 30; n++) {
      await send(redis, 'r', `c${n}`);
      await send(memory, 'r', `c${n}`);
    }
    const bound = fc.option(fc.integer({ min: -2, max: 34 }), { nil: undefined });
    await fc.assert(
      fc.asyncProperty(
        bound,
        bound,
        fc.integer({ min: 0, max: 40 }),
        fc.boolean(),
        async (afterSeq, beforeSeq, limit, newest) => {
          const query = { afterSeq, beforeSeq, limit, newest };
          const got = await redis.range('r', query);
          expect(got.map(content)).toEqual((await memory.range('r', query)).map(content));
        },
      ),
      { numRuns: 200 },
    );
    expect(await redis.range('never-used', { limit: 10, newest: true })).toEqual([]);
  });

  it('keeps only the newest historyLength messages and ranges over what is left', async () => {
    const store = open({ historyLength: 5 });
    for (let n = 1; n <= 12; n++) await send(store, 'short', `c${n}`);
    const seqs = async (query: Parameters<RedisStore['range']>[1]) =>
      (await store.range('short', query)).map((m) => m.seq);
    expect(await seqs({ limit: 100, newest: false })).toEqual([8, 9, 10, 11, 12]);
    expect(await seqs({ limit: 100, newest: true })).toEqual([8, 9, 10, 11, 12]);
    expect(await seqs({ afterSeq: 0, limit: 3, newest: false })).toEqual([8, 9, 10]);
    expect(await seqs({ beforeSeq: 10, limit: 100, newest: true })).toEqual([8, 9]);
    expect(await seqs({ beforeSeq: 8, limit: 100, newest: true })).toEqual([]);
    expect((await store.openRoom('short')).lastSeq).toBe(12);
    expect(await admin.hlen(`${prefix}room:short:entries`)).toBe(5);
    // Client ids are forgotten together with their messages, and only then.
    expect(await admin.hlen(`${prefix}room:short:dedupe`)).toBe(5);
    expect(await send(store, 'short', 'c12')).toMatchObject({ duplicate: true, message: { seq: 12 } });
    expect(await send(store, 'short', 'c1')).toMatchObject({ duplicate: false, message: { seq: 13 } });
    expect(await seqs({ limit: 100, newest: false })).toEqual([9, 10, 11, 12, 13]);
  });

  it('lists rooms with their last seq', async () => {
    const store = open();
    expect(await store.listRooms()).toEqual([]);
    await store.openRoom('empty');
    for (let n = 1; n <= 3; n++) await send(store, 'three', `c${n}`);
    await send(store, 'one', 'c1');
    const rooms = await open().listRooms();
    expect(rooms.sort((x, y) => x.room.localeCompare(y.room))).toEqual([
      { room: 'empty', seq: 0 },
      { room: 'one', seq: 1 },
      { room: 'three', seq: 3 },
    ]);
  });

  it('keeps rooms named with ":", "%", braces, Thai or emoji apart', async () => {
    const store = open();
    const names = ['a', 'a:log', 'a:seq', 'a%3Alog', 'a:log:seq', '{a}', 'ห้องสนทนา', '😀🎉', 'ห้อง:😀'];
    for (const [i, room] of names.entries()) {
      for (let n = 1; n <= i + 1; n++) await send(store, room, `c${n}`);
    }
    const epochs = new Set<string>();
    for (const [i, room] of names.entries()) {
      const state = await store.openRoom(room);
      epochs.add(state.epoch);
      expect(state.lastSeq).toBe(i + 1);
      const log = await store.range(room, { limit: 100, newest: false });
      expect(log.map((m) => m.seq)).toEqual(Array.from({ length: i + 1 }, (_, n) => n + 1));
    }
    expect(epochs.size).toBe(names.length);
    expect(new Set(names.map(escapeRoom)).size).toBe(names.length);
    for (const name of names) expect(escapeRoom(name)).not.toMatch(/[:{}]/);
    const listed = new Map((await store.listRooms()).map((r) => [r.room, r.seq]));
    expect(listed).toEqual(new Map(names.map((room, i) => [room, i + 1])));
  });

  it('fails with UNAVAILABLE instead of hanging when Redis cannot be reached', { timeout: 10_000 }, async () => {
    const store = open({ url: 'redis://127.0.0.1:1' });
    const unavailable = {
      code: ErrorCode.UNAVAILABLE,
      message: expect.stringContaining('history store unavailable'),
      cause: expect.objectContaining({ message: expect.stringContaining('ECONNREFUSED') }),
    };
    await expect(send(store, 'lobby', 'c1')).rejects.toMatchObject(unavailable);
    await expect(store.openRoom('lobby')).rejects.toMatchObject(unavailable);
    await expect(store.range('lobby', { limit: 1, newest: true })).rejects.toMatchObject(unavailable);
  });

  it('keeps history and epoch across a server restart on the same prefix, and resume recovers', async () => {
    const options = {
      store: 'redis' as const,
      redisUrl: REDIS_URL,
      redisPrefix: prefix,
      limits: { sendRate: 1000, sendBurst: 1000 },
    };
    let server = await startTestServer(options);
    const writer = await member(server.url, 'writer', 'kept');
    const { epoch } = writer.of('joined')[0]!;
    const acks = [];
    for (let n = 1; n <= 5; n++)
      acks.push(await writer.request({ type: 'send', room: 'kept', clientId: `k${n}`, text: `t${n}` }));
    expect(acks.map((a) => (a.type === 'ack' ? a.seq : a))).toEqual([1, 2, 3, 4, 5]);
    writer.close();
    await server.close();

    server = await startTestServer(options);
    try {
      // Healthy once its Redis connection is up (503 while it is still connecting).
      await eventually(async () => (await fetch(`${server.httpUrl}/healthz`)).status === 200, '/healthz 200');
      const reader = await RawClient.open(server.url);
      await reader.login('reader');
      const joined = await reader.request({ type: 'join', room: 'kept', epoch, seq: 2 });
      expect(joined).toMatchObject({ type: 'joined', epoch, seq: 5, recovered: true });
      if (joined.type !== 'joined') throw new Error(JSON.stringify(joined));
      expect(joined.messages.map((m) => [m.seq, m.text])).toEqual([
        [3, 't3'],
        [4, 't4'],
        [5, 't5'],
      ]);
      const next = await reader.request({ type: 'send', room: 'kept', clientId: 'after', text: 'after restart' });
      expect(next).toMatchObject({ type: 'ack', seq: 6, messageId: `${epoch}.6` });
      reader.close();
    } finally {
      await server.close();
    }
  });

  it('answers a resume with recovered false, never a partial gap, when the gap was trimmed', async () => {
    const limits = { sendRate: 1000, sendBurst: 1000, maxRecoverable: 5 };
    const server = await startTestServer({
      store: 'redis',
      redisUrl: REDIS_URL,
      redisPrefix: prefix,
      historyLength: 5,
      limits,
    });
    try {
      const writer = await member(server.url, 'writer', 'trim');
      const { epoch } = writer.of('joined')[0]!;
      for (let n = 1; n <= 3; n++)
        await writer.request({ type: 'send', room: 'trim', clientId: `w${n}`, text: `t${n}` });
      // Another writer on the same prefix pushes the server's seqs 1..3 out of the 5 kept.
      const other = open({ historyLength: 5 });
      for (let n = 1; n <= 5; n++) await send(other, 'trim', `o${n}`);
      const reader = await RawClient.open(server.url);
      await reader.login('reader');
      // The server's own snapshot is seq 3, so a resume from seq 1 asks for seqs 2..3, both trimmed.
      const joined = await reader.request({ type: 'join', room: 'trim', epoch, seq: 1 });
      expect(joined).toMatchObject({ type: 'joined', epoch, seq: 3, recovered: false });
      reader.close();
      writer.close();
    } finally {
      await server.close();
    }
  });

  it('reports unhealthy and answers a join with UNAVAILABLE when the server cannot reach Redis', {
    timeout: 15_000,
  }, async () => {
    const server = await startTestServer({ store: 'redis', redisUrl: 'redis://127.0.0.1:1', redisPrefix: prefix });
    try {
      const health = await fetch(`${server.httpUrl}/healthz`);
      expect(health.status).toBe(503);
      expect(await health.json()).toMatchObject({ status: 'unavailable', store: 'redis' });
      const client = await RawClient.open(server.url);
      await client.login('lonely');
      expect(await client.request({ type: 'join', room: 'lobby' })).toMatchObject({
        type: 'error',
        code: ErrorCode.UNAVAILABLE,
      });
      client.close();
    } finally {
      await server.close();
    }
  });

  it('moves the members of a room whose log Redis lost to a new epoch, never reusing a seq', {
    timeout: 30_000,
  }, async () => {
    const port = await freePort();
    const url = `redis://127.0.0.1:${port}`;
    let redis = await privateRedis(port);
    const server = await startTestServer({ store: 'redis', redisUrl: url, redisPrefix: prefix });
    const health = async () => (await fetch(`${server.httpUrl}/healthz`)).status;
    try {
      const writer = await member(server.url, 'writer', 'lost');
      const reader = await member(server.url, 'reader', 'lost');
      const { epoch } = writer.of('joined')[0]!;
      expect(await writer.request({ type: 'send', room: 'lost', clientId: 'c1', text: 'before' })).toMatchObject({
        type: 'ack',
        seq: 1,
      });

      redis.kill('SIGKILL');
      await eventually(async () => (await health()) === 503, '/healthz to report Redis down');
      expect(await writer.request({ type: 'send', room: 'lost', clientId: 'c2', text: 'while down' })).toMatchObject({
        type: 'error',
        code: ErrorCode.UNAVAILABLE,
      });

      redis = await privateRedis(port); // empty: the room's log and epoch are gone
      await eventually(async () => (await health()) === 200, '/healthz to recover');
      await expect(writer.request({ type: 'send', room: 'lost', clientId: 'c3', text: 'after' })).rejects.toThrow();
      expect(await writer.waitClosed()).toMatchObject({ code: CloseCode.SERVICE_RESTART });
      expect(await reader.waitClosed()).toMatchObject({ code: CloseCode.SERVICE_RESTART });

      const back = await RawClient.open(server.url);
      await back.login('writer');
      const joined = await back.request({ type: 'join', room: 'lost', epoch, seq: 1 });
      expect(joined).toMatchObject({ type: 'joined', seq: 0, recovered: false });
      if (joined.type !== 'joined') throw new Error(JSON.stringify(joined));
      expect(joined.epoch).not.toBe(epoch);
      expect(await back.request({ type: 'send', room: 'lost', clientId: 'c3', text: 'after' })).toMatchObject({
        type: 'ack',
        seq: 1,
        messageId: `${joined.epoch}.1`,
      });
      back.close();
    } finally {
      await server.close();
      redis.kill('SIGKILL');
    }
  });

  it('refuses to start with a history length below maxRecoverable', async () => {
    await expect(
      startTestServer({ store: 'redis', redisUrl: REDIS_URL, redisPrefix: prefix, historyLength: 10 }),
    ).rejects.toThrow(/below maxRecoverable/);
  });
});
