/**
 * §16.5 Deletes: the tombstone in history, joined and resume gaps, edit
 * entries emptied, the deleted text served nowhere; only the author
 * deletes; nothing more happens to a deleted message.
 *
 * @module
 */

import { Capability, ErrorCode, type ServerFrame } from '@kuykan/protocol';
import type { UserConn } from '../context.js';
import { expect } from '../failure.js';
import type { TestCase } from '../runner.js';
import {
  ask,
  edit,
  entryOf,
  freshId,
  post,
  react,
  recordOf,
  refused,
  remove,
  snapshot,
  unchanged,
  v2Room,
} from './v2.js';

const section = 'deletes';

/** Fields a tombstone never has [FOLD-1]. */
const GONE = ['mentions', 'reactions', 'reply', 'attachments'] as const;

export const deletes: TestCase[] = [
  {
    id: 'deletes/tombstone-everywhere',
    section,
    covers: ['DEL-2', 'FOLD-1', 'FOLD-2', 'LOG-2', 'LOG-4'],
    title:
      'after a delete, history, joined and resume gaps show a tombstone and its edit entries with text "", and the deleted texts are in no frame',
    async run(ctx) {
      const { room, users } = await v2Room(ctx, 3);
      const [a, b, reader] = users as [UserConn, UserConn, UserConn];
      const secret = `secret ${ctx.prefix} first`;
      const secondSecret = `secret ${ctx.prefix} second`;
      const parent = await post(a, room, 'parent');
      const m = await post(a, room, secret, { replyTo: parent.messageId, mentions: [b.name] });
      await react(b, room, m.messageId, '👍');
      await ctx.sync(reader);
      const joined = reader.conn.log.find((f) => f.type === 'joined' && f.room === room);
      const epoch = joined?.type === 'joined' ? joined.epoch : '';
      const seen = reader.conn.log.filter((f) => f.type === 'message' && f.room === room).at(-1);
      const seenSeq = seen?.type === 'message' ? seen.seq : 0;
      reader.conn.kill();
      const edited = await edit(a, room, m.messageId, secondSecret, [b.name]);
      const deleted = await remove(a, room, m.messageId);
      const after = await post(a, room, 'after the delete');
      await ctx.sync(b);
      const mark = b.conn.log.length;
      const entry = entryOf(a, deleted);
      expect(
        'LOG-2',
        entry.kind === 'delete' && entry.target === m.messageId && entry.text === '' && entry.from === a.name,
        `delete entry ${JSON.stringify(entry)}`,
      );
      const tombstone = (record: { text: string; deleted?: boolean } & Record<string, unknown>, where: string) => {
        expect(
          'DEL-2',
          record.deleted === true && record.text === '',
          `${where}: the deleted message is ${JSON.stringify(record)}`,
        );
        for (const key of GONE)
          expect(
            'FOLD-1',
            record[key] === undefined,
            `${where}: the tombstone still has ${key}: ${JSON.stringify(record[key])}`,
          );
      };
      const record = await recordOf(ctx, b, room, m.messageId);
      tombstone(record as never, 'history');
      expect(
        'FOLD-2',
        record.revision === deleted.seq,
        `tombstone revision ${record.revision}, the delete's seq ${deleted.seq}`,
      );
      const late = await ctx.user('late');
      const fresh = await ctx.join(late, room);
      const inJoined = fresh.messages.find((r) => r.messageId === m.messageId);
      expect('DEL-2', inJoined, 'a fresh joined leaves the tombstone out');
      tombstone(inJoined as never, 'joined');
      const watched: ServerFrame[][] = [late.conn.log];
      if (ctx.has(Capability.RESUME)) {
        const back = await ctx.user('back', { name: reader.name, key: reader.key });
        const gap = await back.conn.ok('LOG-4', { type: 'join', room, epoch, seq: seenSeq });
        expect('LOG-4', gap.recovered === true, `resume answered recovered=${String(gap.recovered)}`);
        const kinds = gap.messages.map((e) => `${e.seq}:${e.kind ?? 'message'}`).join(',');
        const want = [edited, deleted, after].map((x, i) => `${x.seq}:${['edit', 'delete', 'message'][i]}`).join(',');
        expect(
          'LOG-4',
          kinds === want,
          `the resume gap holds [${kinds}], expected every entry after seq ${seenSeq}: [${want}]`,
        );
        const editEntry = gap.messages[0]!;
        expect(
          'DEL-2',
          editEntry.text === '' && !editEntry.mentions?.length,
          `after the delete the gap's edit entry still holds ${JSON.stringify({ text: editEntry.text, mentions: editEntry.mentions })}`,
        );
        watched.push(back.conn.log);
      }
      watched.push(b.conn.log.slice(mark));
      const leaked = watched.flat().find((f) => JSON.stringify(f).includes(`secret ${ctx.prefix}`));
      expect(
        'DEL-2',
        leaked === undefined,
        `a frame served after the delete still holds the text: ${JSON.stringify(leaked)}`,
      );
    },
  },
  {
    id: 'deletes/refusals-change-nothing',
    section,
    covers: ['DEL-1', 'DEL-3', 'ERR-3', 'ROOM-8', 'ROOM-10'],
    title:
      "deleting another user's message is NOT_AUTHOR, an unknown one MESSAGE_NOT_FOUND; a deleted message cannot be deleted, edited or reacted to",
    async run(ctx) {
      const { room, users } = await v2Room(ctx, 2);
      const [a, b] = users as [UserConn, UserConn];
      const m = await post(a, room, 'delete me');
      const kept = await post(a, room, 'keep me');
      const before = await snapshot(ctx, a, room, [b]);
      const d = (user: UserConn, target: string, extra: object = {}) =>
        ask(user, { type: 'delete', room, target, clientId: freshId(), ...extra });
      refused('DEL-1', await d(b, kept.messageId), ErrorCode.NOT_AUTHOR, "a delete of another user's message");
      refused(
        'DEL-1',
        await d(a, `${m.messageId}-nope`),
        ErrorCode.MESSAGE_NOT_FOUND,
        'a delete of an unknown message',
      );
      refused(
        'ERR-3',
        await d(a, m.messageId, { clientId: '' }),
        ErrorCode.CLIENT_ID_INVALID,
        'a delete with an empty clientId',
      );
      refused(
        'ROOM-10',
        await d(a, m.messageId, { room: 'no room' }),
        ErrorCode.ROOM_INVALID,
        'a delete in an invalid room',
      );
      refused(
        'ROOM-8',
        await d(a, m.messageId, { room: ctx.room('unjoined') }),
        ErrorCode.NOT_IN_ROOM,
        'a delete in an unjoined room',
      );
      await unchanged(ctx, 'DEL-1', before);
      await remove(a, room, m.messageId);
      const tomb = await snapshot(ctx, a, room, [b]);
      refused('DEL-1', await d(a, m.messageId), ErrorCode.MESSAGE_DELETED, 'a second delete');
      refused(
        'ERR-3',
        await d(b, m.messageId),
        ErrorCode.NOT_AUTHOR,
        'a delete of a deleted message by another user (NOT_AUTHOR first)',
      );
      const again = await a.conn.settled({
        type: 'edit',
        room,
        target: m.messageId,
        clientId: freshId(),
        text: 'back',
      });
      refused('DEL-3', again, ErrorCode.MESSAGE_DELETED, 'an edit of a deleted message');
      for (const on of [true, false]) {
        const reply = await b.conn.settled({
          type: 'react',
          room,
          target: m.messageId,
          clientId: freshId(),
          emoji: '👍',
          on,
        });
        refused(
          'DEL-3',
          reply,
          ErrorCode.MESSAGE_DELETED,
          `a reaction ${on ? 'to' : 'removed from'} a deleted message`,
        );
      }
      await unchanged(ctx, 'DEL-3', tomb);
    },
  },
];
