/**
 * Edits and deletes (PROTOCOL.md §16.4, §16.5): entries of the room's log,
 * by the author only, folded into the message's record, refused with their
 * own code and changing nothing when they break a rule.
 */

import { EntryKind, ErrorCode } from '@kuykan/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/index.js';
import { memberV2, RawClient, startTestServer } from './helpers.js';
import { cid, entriesOf, page, recordOf, refused, say } from './v2-helpers.js';

let server: RunningServer;
beforeAll(async () => {
  server = await startTestServer({ limits: { sendRate: 1000, sendBurst: 1000, presenceGraceMs: 0 } });
});
afterAll(() => server.close());

const edit = (client: RawClient, room: string, target: string, text: string, clientId = cid()) =>
  client.request({ type: 'edit', room, target, clientId, text });
const remove = (client: RawClient, room: string, target: string, clientId = cid()) =>
  client.request({ type: 'delete', room, target, clientId });

describe('edit', () => {
  it('commits an edit entry that every member receives before the author is acked, and folds it', async () => {
    const ann = await memberV2(server.url, 'ann-e1', 'edit-1');
    const bob = await memberV2(server.url, 'bob-e1', 'edit-1');
    const original = await say(ann, 'edit-1', 'helo wrld');
    const ack = await edit(ann, 'edit-1', original.messageId, 'hello world');
    expect(ack).toMatchObject({ type: 'ack', seq: original.seq + 1 });
    const entry = entriesOf(ann, 'edit-1').at(-1)!;
    expect(ann.frames.indexOf(entry)).toBeLessThan(ann.frames.indexOf(ack as never));
    expect(entry).toMatchObject({
      kind: EntryKind.EDIT,
      target: original.messageId,
      text: 'hello world',
      from: 'ann-e1',
      seq: original.seq + 1,
    });
    await bob.barrier();
    expect(entriesOf(bob, 'edit-1').at(-1)).toEqual(entry);
    const { messages } = await page(bob, 'edit-1');
    expect(messages.map((m) => m.seq)).toEqual([original.seq]);
    expect(recordOf(messages, original.messageId)).toMatchObject({
      text: 'hello world',
      editedTs: entry.ts,
      revision: entry.seq,
    });
    ann.close();
    bob.close();
  });

  it("refuses to edit someone else's message with NOT_AUTHOR and changes nothing [EDIT-1]", async () => {
    const ann = await memberV2(server.url, 'ann-e2', 'edit-2');
    const eve = await memberV2(server.url, 'eve-e2', 'edit-2');
    const original = await say(ann, 'edit-2', 'mine');
    refused(await edit(eve, 'edit-2', original.messageId, 'yours now'), ErrorCode.NOT_AUTHOR);
    refused(await remove(eve, 'edit-2', original.messageId), ErrorCode.NOT_AUTHOR);
    await ann.barrier();
    expect(entriesOf(ann, 'edit-2')).toHaveLength(1);
    expect((await page(ann, 'edit-2')).messages[0]).toMatchObject({ text: 'mine' });
    expect((await page(ann, 'edit-2')).messages[0]!.revision).toBeUndefined();
    ann.close();
    eve.close();
  });

  it('lets another session of the same user edit, but not a later user of the same name with another key', async () => {
    const first = await memberV2(server.url, 'kim-e3', 'edit-3', { key: 'k1' });
    const original = await say(first, 'edit-3', 'v1');
    const second = await memberV2(server.url, 'kim-e3', 'edit-3', { key: 'k1' });
    expect(await edit(second, 'edit-3', original.messageId, 'v2')).toMatchObject({ type: 'ack' });
    first.close();
    second.close();
    await Promise.all([first.waitClosed(), second.waitClosed()]);
    // The grace is 0: the name is free again once both sessions are gone.
    let other: RawClient | undefined;
    for (let attempt = 0; !other; attempt++) {
      const client = await RawClient.open(server.url, { versions: [2, 1] });
      const reply = await client.request({ type: 'login', name: 'kim-e3', key: 'k2' });
      if (reply.type === 'loggedIn') other = client;
      else client.close();
      if (attempt > 100) throw new Error('the name was never released');
      if (!other) await new Promise((r) => setTimeout(r, 20));
    }
    await other.join('edit-3');
    refused(await edit(other, 'edit-3', original.messageId, 'v3'), ErrorCode.NOT_AUTHOR);
    other.close();
  });

  it('refuses an unknown target, a target of another room or epoch, and a change entry, with MESSAGE_NOT_FOUND', async () => {
    const ann = await memberV2(server.url, 'ann-e4', 'edit-4');
    await ann.join('edit-4b');
    const here = await say(ann, 'edit-4', 'here');
    const there = await say(ann, 'edit-4b', 'there');
    const change = await edit(ann, 'edit-4', here.messageId, 'here!');
    const [epoch] = here.messageId.split('.');
    for (const target of [
      'nope',
      `${epoch}.99`,
      `${epoch}.0`,
      `${epoch}.01`,
      `other-epoch.${here.seq}`,
      there.messageId,
      (change as { messageId: string }).messageId,
    ]) {
      refused(await edit(ann, 'edit-4', target, 'x'), ErrorCode.MESSAGE_NOT_FOUND);
      refused(await remove(ann, 'edit-4', target), ErrorCode.MESSAGE_NOT_FOUND);
    }
    expect((await page(ann, 'edit-4')).messages[0]).toMatchObject({ text: 'here!' });
    ann.close();
  });

  it('checks the text and mentions of an edit before anything else about the target', async () => {
    const ann = await memberV2(server.url, 'ann-e5', 'edit-5');
    const original = await say(ann, 'edit-5', 'text');
    refused(await edit(ann, 'edit-5', original.messageId, ''), ErrorCode.TEXT_INVALID);
    refused(await edit(ann, 'edit-5', 'unknown', '   '), ErrorCode.TEXT_INVALID);
    refused(await edit(ann, 'edit-5', original.messageId, 'x', ''), ErrorCode.CLIENT_ID_INVALID);
    const mentions = await ann.request({
      type: 'edit',
      room: 'edit-5',
      target: original.messageId,
      clientId: cid(),
      text: 'hi @x',
      mentions: ['bad\u0000name'],
    });
    refused(mentions, ErrorCode.MENTIONS_INVALID);
    refused(await edit(ann, 'not-joined', original.messageId, 'x'), ErrorCode.NOT_IN_ROOM);
    ann.close();
  });

  it('replaces the mentions with those of the edit [EDIT-3]', async () => {
    const ann = await memberV2(server.url, 'ann-e6', 'edit-6');
    const original = await say(ann, 'edit-6', 'hi bob', { mentions: ['bob'] });
    await ann.request({
      type: 'edit',
      room: 'edit-6',
      target: original.messageId,
      clientId: cid(),
      text: 'hi Cat and cat',
      mentions: ['Cat', 'cat'],
    });
    expect(entriesOf(ann, 'edit-6').at(-1)).toMatchObject({ mentions: ['Cat'] });
    expect((await page(ann, 'edit-6')).messages[0]).toMatchObject({ mentions: ['Cat'] });
    await edit(ann, 'edit-6', original.messageId, 'hi nobody');
    expect((await page(ann, 'edit-6')).messages[0]!.mentions).toBeUndefined();
    ann.close();
  });

  it('refuses an edit after the edit window with EDIT_EXPIRED [EDIT-2]', async () => {
    const short = await startTestServer({ limits: { editWindowMs: 1 } });
    const ann = await memberV2(short.url, 'ann-e7', 'edit-7');
    const original = await say(ann, 'edit-7', 'quick');
    while (Date.now() <= original.ts + 1) await new Promise((r) => setTimeout(r, 5));
    refused(await edit(ann, 'edit-7', original.messageId, 'too late'), ErrorCode.EDIT_EXPIRED);
    // Deleting has no window.
    expect(await remove(ann, 'edit-7', original.messageId)).toMatchObject({ type: 'ack' });
    ann.close();
    await short.close();
  });

  it('answers a repeated clientId with the original ack, whatever the request holds [LOG-3]', async () => {
    const ann = await memberV2(server.url, 'ann-e8', 'edit-8');
    const a = await say(ann, 'edit-8', 'a');
    const b = await say(ann, 'edit-8', 'b');
    const first = await edit(ann, 'edit-8', a.messageId, 'a2', 'same');
    const again = await edit(ann, 'edit-8', b.messageId, 'b2', 'same');
    const asDelete = await remove(ann, 'edit-8', b.messageId, 'same');
    const asSend = await ann.request({ type: 'send', room: 'edit-8', clientId: 'same', text: 'new' });
    for (const reply of [again, asDelete, asSend]) {
      expect(reply).toMatchObject({ type: 'ack', seq: (first as { seq: number }).seq });
      expect(reply).toMatchObject({ messageId: (first as { messageId: string }).messageId });
    }
    await ann.barrier();
    expect(entriesOf(ann, 'edit-8')).toHaveLength(3);
    expect((await page(ann, 'edit-8')).messages.map((m) => m.text)).toEqual(['a2', 'b']);
    ann.close();
  });
});

describe('delete', () => {
  it('commits a delete entry and leaves a tombstone in history [DEL-1, FOLD-1]', async () => {
    const ann = await memberV2(server.url, 'ann-d1', 'del-1');
    const bob = await memberV2(server.url, 'bob-d1', 'del-1');
    const original = await say(ann, 'del-1', 'oops', { mentions: ['bob-d1'] });
    await bob.request({
      type: 'react',
      room: 'del-1',
      target: original.messageId,
      clientId: cid(),
      emoji: '👍',
      on: true,
    });
    const ack = await remove(ann, 'del-1', original.messageId);
    expect(ack).toMatchObject({ type: 'ack' });
    await bob.barrier();
    expect(entriesOf(bob, 'del-1').at(-1)).toMatchObject({
      kind: EntryKind.DELETE,
      target: original.messageId,
      text: '',
    });
    const record = recordOf((await page(bob, 'del-1')).messages, original.messageId);
    expect(record).toMatchObject({ deleted: true, text: '', revision: (ack as { seq: number }).seq });
    for (const gone of ['mentions', 'reactions', 'reply', 'attachments'] as const) expect(record[gone]).toBeUndefined();
    ann.close();
    bob.close();
  });

  it('refuses edits, deletes and reactions of a deleted message with MESSAGE_DELETED [DEL-3]', async () => {
    const ann = await memberV2(server.url, 'ann-d2', 'del-2');
    const original = await say(ann, 'del-2', 'gone soon');
    await remove(ann, 'del-2', original.messageId);
    refused(await edit(ann, 'del-2', original.messageId, 'back?'), ErrorCode.MESSAGE_DELETED);
    refused(await remove(ann, 'del-2', original.messageId), ErrorCode.MESSAGE_DELETED);
    const react = { type: 'react', room: 'del-2', target: original.messageId, emoji: '😮' } as const;
    refused(await ann.request({ ...react, clientId: cid(), on: true }), ErrorCode.MESSAGE_DELETED);
    refused(await ann.request({ ...react, clientId: cid(), on: false }), ErrorCode.MESSAGE_DELETED);
    await ann.barrier();
    expect(entriesOf(ann, 'del-2').map((e) => e.kind)).toEqual([undefined, EntryKind.DELETE]);
    ann.close();
  });

  it('shows the edit entries of a deleted message with no text in a resume gap [DEL-2, LOG-4]', async () => {
    const ann = await memberV2(server.url, 'ann-d3', 'del-3');
    const reader = await memberV2(server.url, 'rea-d3', 'del-3');
    const { epoch, seq } = reader.of('joined')[0]!;
    reader.close();
    const original = await say(ann, 'del-3', 'first draft');
    await edit(ann, 'del-3', original.messageId, 'second draft');
    await remove(ann, 'del-3', original.messageId);
    const back = await memberV2(server.url, 'rea-d3', undefined);
    const joined = await back.request({ type: 'join', room: 'del-3', epoch, seq });
    expect(joined).toMatchObject({ recovered: true });
    const gap = (joined as { messages: Array<{ kind?: string; text: string; deleted?: boolean }> }).messages;
    expect(gap.map((e) => [e.kind, e.text, e.deleted])).toEqual([
      [undefined, '', true],
      [EntryKind.EDIT, '', undefined],
      [EntryKind.DELETE, '', undefined],
    ]);
    ann.close();
    back.close();
  });
});
