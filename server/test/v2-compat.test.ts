/**
 * Versions side by side (PROTOCOL.md §16.1): version 2 and version 1
 * sessions share rooms; each sees what its version defines. A version 1
 * session never receives a v2 frame type, field or entry [VER-2], sees each
 * room as version 1 defines it [VER-4], and a version 2 session that missed
 * entries folds them in from its resume gap [LOG-4, FOLD-2].
 */

import {
  applyEntry,
  type ChatMessage,
  decodeFrame,
  ErrorCode,
  FRAMES_BY_CODE,
  type RecordSchema,
} from '@kuykan/protocol';
import { decode } from '@msgpack/msgpack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/index.js';
import { memberV2, RawClient, startTestServer } from './helpers.js';
import { cid, entriesOf, page, refused, say } from './v2-helpers.js';

let server: RunningServer;
beforeAll(async () => {
  server = await startTestServer({ limits: { sendRate: 1000, sendBurst: 1000, joinRecent: 10 } });
});
afterAll(() => server.close());

/** Keys of a raw wire map that version 1 does not define, with their paths. */
function v2Keys(map: Record<string, unknown>, schema: RecordSchema, path: string): string[] {
  const specs = new Map(Object.values(schema).map((spec) => [spec.key, spec]));
  const found: string[] = [];
  for (const [key, value] of Object.entries(map)) {
    if (path === '' && (key === 't' || key === 'i')) continue;
    const spec = specs.get(key);
    if (!spec || (spec.since ?? 1) > 1) {
      found.push(`${path}${key}`);
      continue;
    }
    const kind = spec.kind;
    if (typeof kind === 'object' && 'record' in kind) {
      found.push(...v2Keys(value as Record<string, unknown>, kind.record, `${path}${key}.`));
    } else if (typeof kind === 'object' && 'records' in kind) {
      for (const item of value as Array<Record<string, unknown>>)
        found.push(...v2Keys(item, kind.records, `${path}${key}[].`));
    }
  }
  return found;
}

/** Checks every message a version 1 session received: v1 frame types, v1 keys only, strictly decodable as v1. */
function expectVersion1Only(client: RawClient): void {
  for (const bytes of client.raw) {
    const raw = decode(bytes) as Record<string, unknown>;
    const descriptor = FRAMES_BY_CODE.get(raw.t as number);
    expect(descriptor?.since, `frame type ${String(raw.t)}`).toBe(1);
    expect(v2Keys(raw, descriptor!.fields, ''), descriptor!.name).toEqual([]);
    expect(() => decodeFrame(bytes, { direction: 'server', version: 1 })).not.toThrow();
  }
}

describe('a room shared by version 1 and version 2 sessions', () => {
  it('shows the v1 session messages only, as sent, and the v2 sessions every entry', async () => {
    const ann = await memberV2(server.url, 'ann-c1', 'mixed-1');
    const bob = await memberV2(server.url, 'bob-c1', 'mixed-1');
    const old = await RawClient.open(server.url);
    await old.login('old-c1');
    await old.join('mixed-1');
    const first = await say(ann, 'mixed-1', 'first', { mentions: ['old-c1'] });
    const second = await say(ann, 'mixed-1', 'second');
    await bob.request({
      type: 'react',
      room: 'mixed-1',
      target: first.messageId,
      clientId: cid(),
      emoji: '👍',
      on: true,
    });
    await ann.request({ type: 'edit', room: 'mixed-1', target: first.messageId, clientId: cid(), text: 'first!' });
    await ann.request({ type: 'delete', room: 'mixed-1', target: second.messageId, clientId: cid() });
    const third = await say(bob, 'mixed-1', 'third', { replyTo: first.messageId });
    await Promise.all([ann.barrier(), bob.barrier(), old.barrier()]);

    expect(entriesOf(bob, 'mixed-1').map((e) => e.kind ?? 'message')).toEqual([
      'message',
      'message',
      'react',
      'edit',
      'delete',
      'message',
    ]);
    // Seqs skip the change entries; texts are as sent (live messages are never changed afterwards).
    expect(entriesOf(old, 'mixed-1').map((m) => [m.seq, m.text])).toEqual([
      [first.seq, 'first'],
      [second.seq, 'second'],
      [third.seq, 'third'],
    ]);
    expectVersion1Only(old);

    // History: current text, deleted messages left out, `more` exact for what v1 sees [VER-4, HIST-2, HIST-3].
    const all = await page(old, 'mixed-1');
    expect(all.messages.map((m) => [m.seq, m.text])).toEqual([
      [first.seq, 'first!'],
      [third.seq, 'third'],
    ]);
    expect(all.more).toBe(false);
    const last = await page(old, 'mixed-1', { limit: 1 });
    expect(last).toMatchObject({ more: true, messages: [{ seq: third.seq }] });
    const before = await page(old, 'mixed-1', { before: third.seq, limit: 1 });
    expect(before).toMatchObject({ more: false, messages: [{ seq: first.seq }] });
    expectVersion1Only(old);
    for (const client of [ann, bob, old]) client.close();
  });

  it('gives a resuming v1 session the messages of its gap that are not deleted, with their current text [VER-4]', async () => {
    const ann = await memberV2(server.url, 'ann-c2', 'mixed-2');
    const old = await RawClient.open(server.url);
    await old.login('old-c2');
    const { epoch, seq } = await old.join('mixed-2');
    old.close();
    const a = await say(ann, 'mixed-2', 'a');
    const b = await say(ann, 'mixed-2', 'b');
    await ann.request({ type: 'edit', room: 'mixed-2', target: a.messageId, clientId: cid(), text: 'a2' });
    await ann.request({ type: 'delete', room: 'mixed-2', target: b.messageId, clientId: cid() });
    const back = await RawClient.open(server.url);
    await back.login('old-c2');
    const joined = await back.request({ type: 'join', room: 'mixed-2', epoch, seq });
    expect(joined).toMatchObject({ recovered: true, seq: 4 });
    expect((joined as { messages: ChatMessage[] }).messages.map((m) => [m.seq, m.text])).toEqual([[a.seq, 'a2']]);
    const fresh = await back.request({ type: 'join', room: 'mixed-2' });
    expect((fresh as { messages: ChatMessage[] }).messages.map((m) => m.text)).toEqual(['a2']);
    expectVersion1Only(back);
    ann.close();
    back.close();
  });

  it('answers v2 frame types on a v1 session with UNKNOWN_TYPE and ignores v2 fields [VER-3]', async () => {
    const ann = await memberV2(server.url, 'ann-c3', 'mixed-3');
    const original = await say(ann, 'mixed-3', 'hi');
    const old = await RawClient.open(server.url);
    await old.request({ type: 'login', name: 'old-c3', key: 'k', bot: true });
    await old.join('mixed-3');
    for (const frame of [
      { type: 'read', room: 'mixed-3', seq: 1 },
      { type: 'dm', name: 'ann-c3' },
      { type: 'delete', room: 'mixed-3', target: original.messageId, clientId: 'x' },
      { type: 'upload', room: 'mixed-3', name: 'f.png', size: 1, mediaType: 'image/png' },
    ] as const) {
      refused(await old.request(frame), ErrorCode.UNKNOWN_TYPE);
    }
    // replyTo and mentions are unknown keys to v1: the message is sent without them, and the bot flag is ignored.
    const sent = await old.request({
      type: 'send',
      room: 'mixed-3',
      clientId: 'c',
      text: 'plain',
      replyTo: 'junk',
      mentions: ['x\u0000'],
    });
    expect(sent).toMatchObject({ type: 'ack' });
    await ann.barrier();
    const entry = entriesOf(ann, 'mixed-3').at(-1)!;
    expect(entry).toMatchObject({ text: 'plain', from: 'old-c3' });
    for (const key of ['reply', 'mentions', 'bot'] as const) expect(entry[key]).toBeUndefined();
    expect(ann.of('presence').find((p) => p.name === 'old-c3')?.bot).toBeUndefined();
    ann.close();
    old.close();
  });

  it('advertises the v2 limits to v2 sessions only [LIMIT-9, VER-2]', async () => {
    const v2 = await RawClient.open(server.url, { versions: [2, 1] });
    const v1 = await RawClient.open(server.url, { versions: [1] });
    expect(v2.of('welcome')[0]).toMatchObject({ version: 2 });
    expect(v2.of('welcome')[0]!.limits).toMatchObject({ maxMentions: 20, maxReactions: 20, editWindowMs: 0 });
    expect(v1.of('welcome')[0]).toMatchObject({ version: 1 });
    expect(v1.of('welcome')[0]!.limits.maxReactions).toBeUndefined();
    expectVersion1Only(v1);
    expect(v2.of('welcome')[0]!.capabilities).toContain('files');
    expect(v1.of('welcome')[0]!.capabilities).not.toContain('files');
    v1.close();
    v2.close();
  });
});

describe('a version 2 session resuming', () => {
  it('applies the edits, deletes and reactions it missed from its gap and gets the records history has [LOG-4, FOLD-2]', async () => {
    const ann = await memberV2(server.url, 'ann-c4', 'resume-4');
    const bob = await memberV2(server.url, 'bob-c4', 'resume-4');
    const a = await say(ann, 'resume-4', 'alpha');
    const b = await say(ann, 'resume-4', 'beta');
    const c = await say(bob, 'resume-4', 'gamma', { replyTo: a.messageId });
    await bob.request({ type: 'react', room: 'resume-4', target: b.messageId, clientId: cid(), emoji: '🙂', on: true });
    await bob.barrier();
    // What bob holds: the messages and the entry he saw live, folded as a client does.
    const held = new Map<string, ChatMessage>();
    for (const entry of entriesOf(bob, 'resume-4')) {
      const { type: _t, room: _r, ...record } = entry;
      if (record.kind === undefined) held.set(record.messageId, record);
      else for (const m of held.values()) applyEntry(m, record, 'bob-c4');
    }
    const lastSeen = entriesOf(bob, 'resume-4').at(-1)!.seq;
    const { epoch } = bob.of('joined')[0]!;
    bob.close();
    await ann.request({ type: 'edit', room: 'resume-4', target: a.messageId, clientId: cid(), text: 'ALPHA' });
    await ann.request({ type: 'react', room: 'resume-4', target: b.messageId, clientId: cid(), emoji: '🙂', on: true });
    await ann.request({ type: 'react', room: 'resume-4', target: c.messageId, clientId: cid(), emoji: '🔥', on: true });
    await ann.request({ type: 'delete', room: 'resume-4', target: b.messageId, clientId: cid() });
    const d = await say(ann, 'resume-4', 'delta');

    const back = await memberV2(server.url, 'bob-c4', undefined);
    const joined = await back.request({ type: 'join', room: 'resume-4', epoch, seq: lastSeen });
    expect(joined).toMatchObject({ recovered: true, seq: d.seq });
    const gap = (joined as { messages: ChatMessage[] }).messages;
    expect(gap.map((e) => e.kind ?? 'message')).toEqual(['edit', 'react', 'react', 'delete', 'message']);
    for (const entry of gap) {
      if (entry.kind === undefined) held.set(entry.messageId, { ...entry });
      else for (const m of held.values()) applyEntry(m, entry, 'bob-c4');
    }
    const history = (await page(back, 'resume-4')).messages;
    // The reply previews in history follow the original's edit [REPLY-3]; the client updates its own.
    held.get(c.messageId)!.reply!.text = 'ALPHA';
    expect([...held.values()].sort((x, y) => x.seq - y.seq)).toEqual(history);
    ann.close();
    back.close();
  });
});

describe('bots', () => {
  it('marks a bot in presence, on its messages and in joined for v2, and nowhere for v1 [BOT-1]', async () => {
    const ann = await memberV2(server.url, 'ann-c5', 'bots-5');
    const old = await RawClient.open(server.url);
    await old.login('old-c5');
    await old.join('bots-5');
    const bot = await memberV2(server.url, 'echo-c5', 'bots-5', { bot: true });
    // A later session of the user joins it as it is: the first session decided [BOT-1].
    const again = await memberV2(server.url, 'echo-c5', 'bots-5', { bot: false });
    await say(again, 'bots-5', 'beep');
    await Promise.all([ann.barrier(), old.barrier()]);
    expect(ann.of('presence').filter((p) => p.name === 'echo-c5')).toEqual([
      { type: 'presence', room: 'bots-5', name: 'echo-c5', kind: 'join', bot: true },
    ]);
    expect(entriesOf(ann, 'bots-5').at(-1)).toMatchObject({ text: 'beep', bot: true });
    expect((await page(ann, 'bots-5')).messages.at(-1)).toMatchObject({ bot: true });
    const late = await memberV2(server.url, 'cat-c5', 'bots-5');
    expect(late.of('joined')[0]).toMatchObject({ bots: ['echo-c5'] });
    expect(entriesOf(old, 'bots-5').at(-1)).toMatchObject({ text: 'beep' });
    expectVersion1Only(old);
    for (const client of [ann, old, bot, again, late]) client.close();
  });
});
