/**
 * §16.7 Replies: the preview cut at whole grapheme clusters, previews that
 * follow the original's edits and deletion, and every bad `replyTo`
 * refused with nothing committed.
 *
 * @module
 */

import { ErrorCode, previewText, REPLY_PREVIEW_LENGTH } from '@kuykan/protocol';
import type { UserConn } from '../context.js';
import { expect } from '../failure.js';
import type { TestCase } from '../runner.js';
import {
  ask,
  edit,
  entryOf,
  freshId,
  post,
  recordOf,
  refusalTargets,
  refused,
  remove,
  snapshot,
  unchanged,
  v2Room,
} from './v2.js';

const section = 'replies';

/**
 * An original whose cut at `REPLY_PREVIEW_LENGTH` code points falls inside
 * a grapheme cluster (a ZWJ emoji of 3 code points), after Thai with
 * combining marks, so a preview cut by code points or UTF-16 units differs.
 */
export function longOriginal(): string {
  const thai = 'น้ำ'.repeat(10); // 30 code points, 10 clusters
  return `${thai}${'x'.repeat(REPLY_PREVIEW_LENGTH - 32)}👩‍💻 and the rest of a long message`;
}

export const replies: TestCase[] = [
  {
    id: 'replies/preview',
    section,
    covers: ['REPLY-1', 'REPLY-2'],
    title:
      "a reply carries the original's id, sender and a preview of whole grapheme clusters of at most REPLY_PREVIEW_LENGTH code points",
    async run(ctx) {
      const { room, users } = await v2Room(ctx, 2);
      const [a, b] = users as [UserConn, UserConn];
      const text = longOriginal();
      const original = await post(a, room, text);
      const short = await post(a, room, 'short one');
      const want = { messageId: original.messageId, from: a.name, text: previewText(text) };
      const reply = await post(b, room, 'answering', { replyTo: original.messageId }, 'REPLY-1');
      const entry = entryOf(b, reply, 'REPLY-2');
      const show = (r: unknown) => JSON.stringify(r);
      expect(
        'REPLY-2',
        show(entry.reply) === show(want),
        `the reply's message carries ${show(entry.reply)}, expected ${show(want)}`,
      );
      const record = await recordOf(ctx, a, room, reply.messageId);
      expect(
        'REPLY-2',
        show(record.reply) === show(want),
        `the reply's record carries ${show(record.reply)}, expected ${show(want)}`,
      );
      const whole = await post(b, room, 'to the short one', { replyTo: short.messageId }, 'REPLY-1');
      const shortRecord = await recordOf(ctx, b, room, whole.messageId);
      expect(
        'REPLY-2',
        shortRecord.reply?.text === 'short one',
        `a reply to a short message previews ${show(shortRecord.reply)}`,
      );
    },
  },
  {
    id: 'replies/preview-follows-original',
    section,
    covers: ['REPLY-3', 'DEL-3'],
    title:
      'joined and page show a reply\'s preview after the original\'s edits, and text "" with deleted: true once it is deleted; the reply keeps its place',
    async run(ctx) {
      const { room, users } = await v2Room(ctx, 2);
      const [a, b] = users as [UserConn, UserConn];
      const original = await post(a, room, 'before the edit');
      const reply = await post(b, room, 'my answer', { replyTo: original.messageId }, 'REPLY-1');
      await edit(a, room, original.messageId, 'after the edit');
      const edited = await recordOf(ctx, b, room, reply.messageId);
      expect(
        'REPLY-3',
        edited.reply?.text === 'after the edit' && !edited.reply.deleted,
        `after the original's edit the reply previews ${JSON.stringify(edited.reply)}`,
      );
      await remove(a, room, original.messageId);
      const want = JSON.stringify({ messageId: original.messageId, from: a.name, text: '', deleted: true });
      const gone = await recordOf(ctx, b, room, reply.messageId, 'DEL-3');
      expect(
        'DEL-3',
        gone.seq === reply.seq && gone.text === 'my answer' && !gone.deleted,
        `after the original's delete the reply is ${JSON.stringify(gone)}`,
      );
      expect(
        'REPLY-3',
        JSON.stringify(gone.reply) === want,
        `after the original's delete history previews ${JSON.stringify(gone.reply)}, expected ${want}`,
      );
      const late = await ctx.user('late');
      const joined = await ctx.join(late, room);
      const inJoined = joined.messages.find((m) => m.messageId === reply.messageId);
      expect(
        'REPLY-3',
        JSON.stringify(inJoined?.reply) === want,
        `after the original's delete joined previews ${JSON.stringify(inJoined?.reply)}, expected ${want}`,
      );
    },
  },
  {
    id: 'replies/refusals-change-nothing',
    section,
    covers: ['REPLY-1', 'ERR-3', 'LOG-3'],
    title:
      'replyTo an unknown id, a message of another room, a change entry or a deleted message is refused in the order of §5.4 and commits nothing',
    async run(ctx) {
      const { room, a, b, elsewhere, message: m, edited: change, deleted: gone } = await refusalTargets(ctx);
      const sendId = freshId('s');
      const first = await a.conn.ok('MSG-1', { type: 'send', room, clientId: sendId, text: 'first' });
      const before = await snapshot(ctx, a, room, [b]);
      const send = (replyTo: string, extra: object = {}) =>
        ask(a, { type: 'send', room, clientId: freshId(), text: 'a reply', replyTo, ...extra });
      refused('REPLY-1', await send(`${m.messageId}-nope`), ErrorCode.MESSAGE_NOT_FOUND, 'replyTo an unknown id');
      refused(
        'REPLY-1',
        await send(elsewhere.messageId),
        ErrorCode.MESSAGE_NOT_FOUND,
        "replyTo another room's message",
      );
      refused('REPLY-1', await send(change.messageId), ErrorCode.MESSAGE_NOT_FOUND, 'replyTo an edit entry');
      refused('REPLY-1', await send(gone.messageId), ErrorCode.MESSAGE_DELETED, 'replyTo a deleted message');
      refused(
        'ERR-3',
        await send('nope', { text: '' }),
        ErrorCode.TEXT_INVALID,
        'empty text before an unknown replyTo',
      );
      refused(
        'ERR-3',
        await send('nope', { mentions: ['bad\u0000'] }),
        ErrorCode.MENTIONS_INVALID,
        'bad mentions before an unknown replyTo',
      );
      // A repeated clientId passes only the checks before "new clientId": the original ack, whatever replyTo says.
      const repeat = await send('nope', { clientId: sendId });
      expect(
        'LOG-3',
        repeat.type === 'ack' && repeat.seq === first.seq && repeat.messageId === first.messageId,
        `a repeated send with a bad replyTo answered ${JSON.stringify(repeat)}`,
      );
      await unchanged(ctx, 'REPLY-1', before);
    },
  },
];
