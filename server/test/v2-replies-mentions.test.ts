/**
 * Replies and mentions (PROTOCOL.md §16.7, §16.8): a reply's preview of its
 * original, and `mention` events for mentioned users who are online but not
 * in the room, rate limited per recipient.
 */

import { ErrorCode, REPLY_PREVIEW_LENGTH } from '@kuykan/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/index.js';
import { MENTION_BURST } from '../src/notify.js';
import { memberV2, RawClient, startTestServer } from './helpers.js';
import { cid, entriesOf, page, recordOf, refused, say } from './v2-helpers.js';

let server: RunningServer;
beforeAll(async () => {
  server = await startTestServer({ limits: { sendRate: 1000, sendBurst: 1000, maxMentions: 4 } });
});
afterAll(() => server.close());

describe('replies', () => {
  it('carries a preview of the original, which follows its edits and its deletion [REPLY-2, REPLY-3]', async () => {
    const ann = await memberV2(server.url, 'ann-p1', 'reply-1');
    const bob = await memberV2(server.url, 'bob-p1', 'reply-1');
    const long = 'x'.repeat(REPLY_PREVIEW_LENGTH + 20);
    const original = await say(ann, 'reply-1', long);
    const reply = await say(bob, 'reply-1', 'agreed', { replyTo: original.messageId });
    const live = entriesOf(ann, 'reply-1').find((e) => e.seq === reply.seq)!;
    expect(live.reply).toEqual({ messageId: original.messageId, from: 'ann-p1', text: long.slice(0, 100) });
    await ann.request({ type: 'edit', room: 'reply-1', target: original.messageId, clientId: cid(), text: 'short' });
    const preview = async () => recordOf((await page(bob, 'reply-1')).messages, reply.messageId).reply;
    expect(await preview()).toEqual({ messageId: original.messageId, from: 'ann-p1', text: 'short' });
    await ann.request({ type: 'delete', room: 'reply-1', target: original.messageId, clientId: cid() });
    expect(await preview()).toEqual({ messageId: original.messageId, from: 'ann-p1', text: '', deleted: true });
    ann.close();
    bob.close();
  });

  it('refuses replyTo of no message of the room with MESSAGE_NOT_FOUND, of a deleted one with MESSAGE_DELETED [REPLY-1]', async () => {
    const ann = await memberV2(server.url, 'ann-p2', 'reply-2');
    await ann.join('reply-2b');
    const elsewhere = await say(ann, 'reply-2b', 'other room');
    const here = await say(ann, 'reply-2', 'here');
    const edit = await ann.request({
      type: 'edit',
      room: 'reply-2',
      target: here.messageId,
      clientId: cid(),
      text: 'h',
    });
    for (const replyTo of ['', 'junk', elsewhere.messageId, (edit as { messageId: string }).messageId]) {
      refused(
        await ann.request({ type: 'send', room: 'reply-2', clientId: cid(), text: 'x', replyTo }),
        ErrorCode.MESSAGE_NOT_FOUND,
      );
    }
    await ann.request({ type: 'delete', room: 'reply-2', target: here.messageId, clientId: cid() });
    refused(
      await ann.request({ type: 'send', room: 'reply-2', clientId: cid(), text: 'x', replyTo: here.messageId }),
      ErrorCode.MESSAGE_DELETED,
    );
    await ann.barrier();
    expect(entriesOf(ann, 'reply-2').map((e) => e.kind ?? 'message')).toEqual(['message', 'edit', 'delete']);
    ann.close();
  });
});

describe('mentions', () => {
  it('tells mentioned users online elsewhere, not in the room, and never the sender [MENTION-2]', async () => {
    const ann = await memberV2(server.url, 'ann-m1', 'mention-1');
    const bobHere = await memberV2(server.url, 'bob-m1', 'mention-1');
    const bobAway = await memberV2(server.url, 'bob-m1', 'lobby-m1');
    const catAway = await memberV2(server.url, 'cat-m1', undefined);
    const annAway = await memberV2(server.url, 'ann-m1', undefined);
    const oldCat = await RawClient.open(server.url);
    await oldCat.login('cat-m1', 'key-cat-m1');
    const sent = await say(ann, 'mention-1', 'hi BOB-m1 and Cat-m1', {
      mentions: ['BOB-m1', 'Cat-m1', 'ann-m1', 'dan-m1'],
    });
    const event = {
      type: 'mention',
      room: 'mention-1',
      seq: sent.seq,
      messageId: sent.messageId,
      from: 'ann-m1',
      text: 'hi BOB-m1 and Cat-m1',
    };
    expect(await bobAway.waitFor((f) => f.type === 'mention')).toEqual(event);
    expect(await catAway.waitFor((f) => f.type === 'mention')).toEqual(event);
    for (const client of [ann, bobHere, annAway, oldCat]) await client.barrier();
    for (const client of [ann, bobHere, annAway, oldCat]) expect(client.of('mention')).toEqual([]);
    expect(entriesOf(bobHere, 'mention-1')[0]!.mentions).toEqual(['BOB-m1', 'Cat-m1', 'ann-m1', 'dan-m1']);
    // An edit mentions nobody anew [EDIT-3].
    await ann.request({
      type: 'edit',
      room: 'mention-1',
      target: sent.messageId,
      clientId: cid(),
      text: 'hi cat',
      mentions: ['cat-m1'],
    });
    await catAway.barrier();
    expect(catAway.of('mention')).toHaveLength(1);
    for (const client of [ann, bobHere, bobAway, catAway, annAway, oldCat]) client.close();
  });

  it('refuses more than maxMentions names, or an invalid one, with MENTIONS_INVALID [MENTION-1]', async () => {
    const ann = await memberV2(server.url, 'ann-m2', 'mention-2');
    const send = (mentions: string[]) =>
      ann.request({ type: 'send', room: 'mention-2', clientId: cid(), text: 'hey', mentions });
    refused(await send(['a', 'b', 'c', 'd', 'e']), ErrorCode.MENTIONS_INVALID);
    refused(await send(['a\u202eb']), ErrorCode.MENTIONS_INVALID);
    refused(await send(['']), ErrorCode.MENTIONS_INVALID);
    refused(await send(['x'.repeat(40)]), ErrorCode.MENTIONS_INVALID);
    expect(await send(['  dan  ', 'DAN', 'eve'])).toMatchObject({ type: 'ack' });
    expect(entriesOf(ann, 'mention-2').at(-1)!.mentions).toEqual(['dan', 'eve']);
    ann.close();
  });

  it('drops mention events beyond the burst of one recipient, and counts them at the next join [MENTION-3]', async () => {
    const ann = await memberV2(server.url, 'ann-m3', 'mention-3');
    const bob = await memberV2(server.url, 'bob-m3', undefined);
    const total = MENTION_BURST + 40;
    // Pipelined, so the whole run takes far less than the 8 s in which 40 tokens would come back.
    const sends = Array.from({ length: total }, (_, i) => say(ann, 'mention-3', `ping ${i}`, { mentions: ['bob-m3'] }));
    await Promise.all(sends);
    await bob.barrier();
    const received = bob.of('mention').length;
    expect(received).toBeGreaterThanOrEqual(MENTION_BURST);
    expect(received).toBeLessThan(total);
    const joined = await bob.join('mention-3');
    expect(joined).toMatchObject({ unread: total, mentions: total });
    ann.close();
    bob.close();
  });
});
