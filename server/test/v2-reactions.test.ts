/**
 * Reactions (PROTOCOL.md §16.6, §16.3): react and unreact entries, folded
 * into each emoji's count, first names and `me`; one emoji per user per
 * message; a cap on distinct emoji; only RGI emoji.
 */

import { EntryKind, ErrorCode } from '@kuykan/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/index.js';
import { memberV2, RawClient, startTestServer } from './helpers.js';
import { cid, entriesOf, page, recordOf, refused, say } from './v2-helpers.js';

let server: RunningServer;
beforeAll(async () => {
  server = await startTestServer({ limits: { sendRate: 1000, sendBurst: 1000, maxReactions: 3 } });
});
afterAll(() => server.close());

const react = (client: RawClient, room: string, target: string, emoji: string, on = true, clientId = cid()) =>
  client.request({ type: 'react', room, target, emoji, on, clientId });

describe('react', () => {
  it('commits react and unreact entries that members receive in order', async () => {
    const ann = await memberV2(server.url, 'ann-r1', 'react-1');
    const bob = await memberV2(server.url, 'bob-r1', 'react-1');
    const message = await say(ann, 'react-1', 'lunch?');
    const on = await react(bob, 'react-1', message.messageId, '👍');
    const off = await react(bob, 'react-1', message.messageId, '👍', false);
    expect(on).toMatchObject({ type: 'ack', seq: message.seq + 1 });
    expect(off).toMatchObject({ type: 'ack', seq: message.seq + 2 });
    await ann.barrier();
    expect(entriesOf(ann, 'react-1').map((e) => [e.kind, e.emoji, e.target, e.from, e.text])).toEqual([
      [undefined, undefined, undefined, 'ann-r1', 'lunch?'],
      [EntryKind.REACT, '👍', message.messageId, 'bob-r1', ''],
      [EntryKind.UNREACT, '👍', message.messageId, 'bob-r1', ''],
    ]);
    expect(recordOf((await page(ann, 'react-1')).messages, message.messageId).reactions).toBeUndefined();
    ann.close();
    bob.close();
  });

  it('folds reactions: emoji in the order they appeared, counts, the first three names, and me [FOLD-3]', async () => {
    const names = ['ann-r2', 'bob-r2', 'cat-r2', 'dan-r2'];
    const [ann, bob, cat, dan] = await Promise.all(names.map((n) => memberV2(server.url, n, 'react-2')));
    const message = await say(ann!, 'react-2', 'party');
    await react(dan!, 'react-2', message.messageId, '🎉');
    await react(ann!, 'react-2', message.messageId, '👍🏽');
    for (const client of [bob!, cat!, ann!]) await react(client, 'react-2', message.messageId, '🎉');
    // 🎉 goes to zero and comes back: it appeared last now.
    await react(dan!, 'react-2', message.messageId, '🧑‍💻');
    const seen = (client: RawClient) => page(client, 'react-2').then((p) => recordOf(p.messages, message.messageId));
    expect((await seen(ann!)).reactions).toEqual([
      { emoji: '🎉', count: 4, names: ['dan-r2', 'bob-r2', 'cat-r2'], me: true },
      { emoji: '👍🏽', count: 1, names: ['ann-r2'], me: true },
      { emoji: '🧑‍💻', count: 1, names: ['dan-r2'] },
    ]);
    expect((await seen(bob!)).reactions?.map((r) => r.me)).toEqual([true, undefined, undefined]);
    for (const client of [dan!, bob!, cat!, ann!]) await react(client, 'react-2', message.messageId, '🎉', false);
    await react(cat!, 'react-2', message.messageId, '🎉');
    expect((await seen(cat!)).reactions).toEqual([
      { emoji: '👍🏽', count: 1, names: ['ann-r2'] },
      { emoji: '🧑‍💻', count: 1, names: ['dan-r2'] },
      { emoji: '🎉', count: 1, names: ['cat-r2'], me: true },
    ]);
    for (const client of [ann!, bob!, cat!, dan!]) client.close();
  });

  it('answers a reaction that changes nothing with seq 0 and the target, and commits nothing [LOG-5]', async () => {
    const ann = await memberV2(server.url, 'ann-r3', 'react-3');
    const message = await say(ann, 'react-3', 'hi');
    await react(ann, 'react-3', message.messageId, '❤️');
    const twice = await react(ann, 'react-3', message.messageId, '❤️');
    const notThere = await react(ann, 'react-3', message.messageId, '🙃', false);
    for (const reply of [twice, notThere]) {
      expect(reply).toMatchObject({ type: 'ack', seq: 0, messageId: message.messageId, room: 'react-3' });
    }
    await ann.barrier();
    expect(entriesOf(ann, 'react-3')).toHaveLength(2);
    expect((await page(ann, 'react-3')).messages[0]!.reactions).toEqual([
      { emoji: '❤️', count: 1, names: ['ann-r3'], me: true },
    ]);
    ann.close();
  });

  it('refuses anything but one RGI emoji with REACTION_INVALID [REACT-1]', async () => {
    const ann = await memberV2(server.url, 'ann-r4', 'react-4');
    const message = await say(ann, 'react-4', 'hi');
    for (const emoji of ['', 'a', ':)', '👍👍', '❤', '👍 ', '\u200d', 'ก', '🇹']) {
      refused(await react(ann, 'react-4', message.messageId, emoji), ErrorCode.REACTION_INVALID);
    }
    // Checked before the target: an unknown message with a bad emoji is a bad emoji.
    refused(await react(ann, 'react-4', 'nope', 'x'), ErrorCode.REACTION_INVALID);
    refused(await react(ann, 'react-4', 'nope', '👍'), ErrorCode.MESSAGE_NOT_FOUND);
    for (const emoji of ['🇹🇭', '#️⃣', '👩🏾‍🚀', '🏳️‍🌈']) {
      expect(await react(ann, 'react-4', message.messageId, emoji)).toMatchObject({ type: 'ack' });
      await react(ann, 'react-4', message.messageId, emoji, false);
    }
    ann.close();
  });

  it('refuses a new emoji beyond maxReactions with TOO_MANY_REACTIONS, but not one already there [REACT-3]', async () => {
    const ann = await memberV2(server.url, 'ann-r5', 'react-5');
    const bob = await memberV2(server.url, 'bob-r5', 'react-5');
    const message = await say(ann, 'react-5', 'vote');
    for (const emoji of ['1️⃣', '2️⃣', '3️⃣']) await react(ann, 'react-5', message.messageId, emoji);
    refused(await react(bob, 'react-5', message.messageId, '4️⃣'), ErrorCode.TOO_MANY_REACTIONS);
    expect(await react(bob, 'react-5', message.messageId, '2️⃣')).toMatchObject({ type: 'ack' });
    await react(ann, 'react-5', message.messageId, '1️⃣', false);
    expect(await react(bob, 'react-5', message.messageId, '4️⃣')).toMatchObject({ type: 'ack' });
    expect((await page(ann, 'react-5')).messages[0]!.reactions?.map((r) => [r.emoji, r.count])).toEqual([
      ['2️⃣', 2],
      ['3️⃣', 1],
      ['4️⃣', 1],
    ]);
    ann.close();
    bob.close();
  });

  it('refuses a v1 session the react frame with UNKNOWN_TYPE [VER-3]', async () => {
    const ann = await memberV2(server.url, 'ann-r6', 'react-6');
    const message = await say(ann, 'react-6', 'hi');
    const old = await RawClient.open(server.url);
    await old.login('old-r6');
    await old.join('react-6');
    refused(await react(old, 'react-6', message.messageId, '👍'), ErrorCode.UNKNOWN_TYPE);
    ann.close();
    old.close();
  });
});
