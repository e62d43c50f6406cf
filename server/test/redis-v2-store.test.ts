/**
 * The Redis store as a store of protocol version 2, against a real Redis
 * (REDIS_URL, default redis://127.0.0.1:6379): the same contract as the
 * memory and SQLite stores (store-contract.ts), then what only a shared
 * store has: several stores (nodes) changing one message at once, deleted
 * content gone from Redis itself [DEL-2], and rooms of an older store
 * moved into entries. Every test works under its own key prefix and
 * deletes only its own keys. Without Redis the tests are skipped locally
 * and fail in CI.
 */

import { type ChatMessage, EntryKind, ErrorCode, type ProtocolError } from '@kuykan/protocol';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LEGACY_IDENTITY } from '../src/identity.js';
import { RedisStore } from '../src/store/redis.js';
import { EpochChangedError, type NewMessage } from '../src/store/types.js';
import { deleteKeys, REDIS_URL, redisMissing, testPrefix } from './redis.js';
import { CONTRACT_RULES, storeContract } from './store-contract.js';

const missing = await redisMissing('redis v2 store');

if (!missing) {
  const prefixes: string[] = [];
  afterEach(async () => {
    for (const prefix of prefixes.splice(0)) await deleteKeys(REDIS_URL, prefix);
  });
  storeContract([
    [
      'redis',
      () => {
        const prefix = testPrefix();
        prefixes.push(prefix);
        return new RedisStore({ url: REDIS_URL, prefix, historyLength: 0, rules: CONTRACT_RULES });
      },
    ],
  ]);
}

describe.skipIf(missing)('redis store of version 2', () => {
  let admin: Redis;
  let prefix: string;
  const stores: RedisStore[] = [];
  const open = (options: { historyLength?: number; publish?: boolean } = {}) => {
    const store = new RedisStore({
      url: REDIS_URL,
      prefix,
      historyLength: options.historyLength ?? 0,
      publish: options.publish,
      rules: { editWindowMs: 0, maxReactions: 20 },
    });
    stores.push(store);
    return store;
  };
  let n = 0;
  const entry = (who: string, text: string, extra: Partial<NewMessage> = {}): NewMessage => {
    n += 1;
    return { room: 'r', from: who, userKey: who, identity: `id-${who}`, clientId: `k${n}`, text, ...extra };
  };

  beforeAll(() => {
    admin = new Redis(REDIS_URL);
  });
  afterAll(async () => {
    await admin.quit();
  });
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((store) => store.close()));
    await deleteKeys(REDIS_URL, prefix);
  });
  beforeEach(() => {
    prefix = testPrefix();
  });

  it('folds reactions from two stores at once into one count, each committed once (compare-and-set retries)', async () => {
    const [a, b] = [open(), open()];
    const m = (await a.append(entry('ann', 'react to me'))).message;
    const users = Array.from({ length: 30 }, (_, i) => `u${i}`);
    const results = await Promise.all(
      users.map((who, i) =>
        (i % 2 ? a : b).append(entry(who, '', { change: { kind: EntryKind.REACT, target: m.messageId, emoji: '👍' } })),
      ),
    );
    expect(new Set(results.map((r) => r.message.seq)).size).toBe(users.length);
    const [record] = await a.range('r', { limit: 1, newest: false, records: 'messages', viewer: 'id-u3' });
    expect(record!.reactions).toEqual([{ emoji: '👍', count: users.length, names: expect.any(Array), me: true }]);
    expect(record!.revision).toBe(Math.max(...results.map((r) => r.message.seq)));
  });

  it('lets exactly one of two stores delete a message; the other gets MESSAGE_DELETED', async () => {
    const [a, b] = [open(), open()];
    for (let round = 0; round < 10; round++) {
      const m = (await a.append(entry('ann', `message ${round}`))).message;
      const del = () => entry('ann', '', { change: { kind: EntryKind.DELETE, target: m.messageId } });
      const settled = await Promise.allSettled([a.append(del()), b.append(del())]);
      const codes = settled.map((r) => (r.status === 'fulfilled' ? 'ok' : (r.reason as ProtocolError).code)).sort();
      expect(codes).toEqual([ErrorCode.MESSAGE_DELETED, 'ok'].sort());
    }
  });

  it("removes a deleted message's text, mentions, reactions and files and its edits' texts from Redis itself [DEL-2]", async () => {
    const store = open();
    const file = { fileId: 'f1', name: 'secret-plan.png', size: 3, mediaType: 'image/png', url: '/files/f1' };
    const m = (await store.append(entry('ann', 'SECRET-ONE', { mentions: ['bob'], attachments: [file] }))).message;
    await store.append(entry('ann', 'SECRET-TWO', { change: { kind: EntryKind.EDIT, target: m.messageId } }));
    await store.append(entry('bob', '', { change: { kind: EntryKind.REACT, target: m.messageId, emoji: '🔥' } }));
    const deleted = await store.append(entry('ann', '', { change: { kind: EntryKind.DELETE, target: m.messageId } }));
    expect(deleted.deletedClientId).toBe(m.clientId);
    const dump: string[] = [];
    for await (const keys of admin.scanStream({ match: `${prefix}*` })) {
      for (const key of keys as string[]) {
        const type = await admin.type(key);
        if (type === 'hash') dump.push(JSON.stringify(await admin.hgetall(key)));
        else if (type === 'string') dump.push((await admin.get(key)) ?? '');
      }
    }
    const stored = dump.join('\n');
    for (const gone of ['SECRET-ONE', 'SECRET-TWO', 'secret-plan', '"bob"', '🔥","identity']) {
      expect(stored).not.toContain(gone);
    }
    const entries = await store.range('r', { limit: 10, newest: false });
    expect(entries.map((e) => [e.kind ?? 'message', e.text])).toEqual([
      ['message', ''],
      ['edit', ''],
      ['react', ''],
      ['delete', ''],
    ]);
    expect(entries[0]).toMatchObject({ deleted: true, revision: 4 });
    expect(entries[2]).toMatchObject({ emoji: '🔥', from: 'bob' });
  });

  it("publishes each entry's whole record, v2 fields included, as the append returns it", async () => {
    const store = open({ publish: true });
    const { epoch } = await store.openRoom('r');
    const sub = new Redis(REDIS_URL);
    const published: ChatMessage[] = [];
    try {
      await sub.subscribe(`${prefix}room:r:events`);
      sub.on('message', (_channel, payload: string) => {
        const event = JSON.parse(payload) as { k: string; e: string; r: ChatMessage };
        expect(event).toMatchObject({ k: 'm', e: epoch });
        published.push(event.r);
      });
      const file = { fileId: 'f2', name: 'a.png', size: 3, mediaType: 'image/png', url: '/files/f2' };
      const m = await store.append(entry('ann', 'hi @bob', { mentions: ['bob'], bot: true, attachments: [file] }));
      const r = await store.append(entry('bob', 'yes', { replyTo: m.message.messageId }));
      const e = await store.append(
        entry('ann', 'hi @cat', { mentions: ['cat'], change: { kind: EntryKind.EDIT, target: m.message.messageId } }),
      );
      const x = await store.append(
        entry('bob', '', { change: { kind: EntryKind.REACT, target: m.message.messageId, emoji: '🎉' } }),
      );
      await sub.ping(); // the subscriber's own reply comes after every message published before it
      await expect.poll(() => published.length).toBe(4);
      expect(published).toEqual([m.message, r.message, e.message, x.message]);
      expect(published[0]).toMatchObject({ bot: true, mentions: ['bob'], attachments: [file] });
      expect(published[1]!.reply).toEqual({ messageId: m.message.messageId, from: 'ann', text: 'hi @bob' });
      expect(published[2]).toMatchObject({ kind: 'edit', mentions: ['cat'], target: m.message.messageId });
      expect(published[3]).toMatchObject({ kind: 'react', emoji: '🎉' });
    } finally {
      sub.disconnect();
    }
  });

  it("keeps the newest historyLength entries of every kind and forgets the trimmed ones' client ids", async () => {
    const store = open({ historyLength: 4 });
    const m = (await store.append(entry('ann', 'first'))).message;
    const first = entry('ann', '', { change: { kind: EntryKind.REACT, target: m.messageId, emoji: '👍' } });
    await store.append(first);
    for (let i = 0; i < 4; i++) await store.append(entry('ann', `more ${i}`));
    expect((await store.range('r', { limit: 10, newest: false })).map((e) => e.seq)).toEqual([3, 4, 5, 6]);
    expect((await store.range('r', { limit: 10, newest: true, records: 'messages' })).map((e) => e.seq)).toEqual([
      3, 4, 5, 6,
    ]);
    expect(await admin.hlen(`${prefix}room:r:dedupe`)).toBe(4);
    // The trimmed message is no target any more.
    await expect(store.append(entry('bob', '', { change: first.change }))).rejects.toMatchObject({
      code: ErrorCode.MESSAGE_NOT_FOUND,
    });
  });

  it('refuses a change to a room whose log Redis lost with EpochChangedError, not MESSAGE_NOT_FOUND', async () => {
    const store = open();
    const { epoch } = await store.openRoom('r');
    const m = (await store.append(entry('ann', 'before', { epoch }))).message;
    await deleteKeys(REDIS_URL, prefix); // Redis restarted without persistence
    const edit = entry('ann', 'after', { epoch, change: { kind: EntryKind.EDIT, target: m.messageId } });
    await expect(store.append(edit)).rejects.toBeInstanceOf(EpochChangedError);
    await expect(store.append(entry('ann', 'plain', { epoch }))).rejects.toBeInstanceOf(EpochChangedError);
  });

  it('moves the stream log of an older store into entries, by authors nobody can edit as', async () => {
    const log = `${prefix}room:old:log`;
    await admin.set(`${prefix}room:old:epoch`, 'oldepoch');
    await admin.set(`${prefix}room:old:seq`, '1201');
    for (let seq = 2; seq <= 1201; seq++) {
      await admin.xadd(
        log,
        `${seq}-0`,
        'ts',
        String(1_700_000_000_000 + seq),
        'from',
        'ann',
        'text',
        `old ${seq}`,
        'clientId',
        `c${seq}`,
        'userKey',
        'k-ann',
      );
      await admin.hset(`${prefix}room:old:dedupe`, `k-ann\u0000c${seq}`, String(seq));
    }
    const store = open();
    expect(await store.openRoom('old')).toEqual({ epoch: 'oldepoch', lastSeq: 1201 });
    expect(await admin.exists(log)).toBe(0);
    const oldest = await store.range('old', { limit: 2, newest: false, records: 'visible' });
    expect(oldest).toEqual([
      { seq: 2, messageId: 'oldepoch.2', ts: 1_700_000_000_002, from: 'ann', text: 'old 2', clientId: 'c2' },
      { seq: 3, messageId: 'oldepoch.3', ts: 1_700_000_000_003, from: 'ann', text: 'old 3', clientId: 'c3' },
    ]);
    expect((await store.range('old', { limit: 1, newest: true })).map((e) => e.text)).toEqual(['old 1201']);
    const again = { room: 'old', from: 'ann', userKey: 'k-ann', clientId: 'c700', text: 'x' };
    expect(await store.append(again)).toMatchObject({ duplicate: true, message: { seq: 700, text: 'old 700' } });
    const edit = {
      ...again,
      clientId: 'new',
      identity: LEGACY_IDENTITY,
      change: { kind: EntryKind.EDIT, target: 'oldepoch.700' },
    };
    await expect(store.append(edit as NewMessage)).rejects.toMatchObject({ code: ErrorCode.NOT_AUTHOR });
    expect((await store.append({ ...again, clientId: 'c1202' })).message).toMatchObject({
      seq: 1202,
      messageId: 'oldepoch.1202',
    });
  });
});
