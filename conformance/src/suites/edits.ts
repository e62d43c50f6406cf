/**
 * §16.2–§16.4 Edits: one log entry per edit, delivered like a message; the
 * folded record's text, mentions, editedTs and revision; only the author
 * edits; every bad edit refused with its code in the order of §5.4 and
 * nothing changed; one clientId space for send, edit, delete and react.
 *
 * @module
 */

import { ErrorCode } from '@kuykan/protocol';
import type { UserConn } from '../context.js';
import { delay } from '../context.js';
import { expect } from '../failure.js';
import type { TestCase } from '../runner.js';
import { padTo } from './helpers.js';
import {
  ask,
  edit,
  entryOf,
  freshId,
  post,
  recordOf,
  records,
  refusalTargets,
  refused,
  remove,
  seenBy,
  snapshot,
  unchanged,
  v2Room,
} from './v2.js';

const section = 'edits';

export const edits: TestCase[] = [
  {
    id: 'edits/entry-and-folded-record',
    section,
    covers: ['LOG-1', 'LOG-2', 'EDIT-3', 'FOLD-1', 'FOLD-2', 'FOLD-4'],
    title:
      'an edit is one entry with its own seq, sent to every v2 member and to its sender before the ack; the record then holds its text, mentions, editedTs and revision',
    async run(ctx) {
      const { room, users } = await v2Room(ctx, 2);
      const [a, b] = users as [UserConn, UserConn];
      const away = await ctx.user('away');
      const m = await post(a, room, 'first text');
      const clientId = freshId('e');
      const ack = await a.conn.ok('EDIT-3', {
        type: 'edit',
        room,
        target: m.messageId,
        clientId,
        text: 'second text',
        mentions: [b.name, away.name],
      });
      expect('LOG-1', ack.seq === m.seq + 1, `the edit got seq ${ack.seq}; its message had ${m.seq}`);
      const entry = entryOf(a, ack);
      const want = { kind: 'edit', target: m.messageId, from: a.name, text: 'second text', clientId };
      for (const [key, value] of Object.entries(want))
        expect(
          'LOG-2',
          entry[key as keyof typeof entry] === value,
          `edit entry ${key} is ${JSON.stringify(entry[key as keyof typeof entry])}, expected ${JSON.stringify(value)}`,
        );
      expect(
        'EDIT-3',
        JSON.stringify(entry.mentions) === JSON.stringify([b.name, away.name]),
        `edit entry mentions ${JSON.stringify(entry.mentions)}`,
      );
      const atB = await seenBy(b, room, ack.messageId);
      expect(
        'LOG-1',
        JSON.stringify(atB) === JSON.stringify(entry),
        `the member got ${JSON.stringify(atB)}, the sender ${JSON.stringify(entry)}`,
      );
      const record = await recordOf(ctx, a, room, m.messageId);
      expect(
        'FOLD-1',
        record.text === 'second text' && record.seq === m.seq,
        `record after the edit: ${JSON.stringify(record)}`,
      );
      expect('FOLD-1', record.editedTs === ack.ts, `record editedTs ${record.editedTs}, the edit's ts ${ack.ts}`);
      expect(
        'FOLD-1',
        JSON.stringify(record.mentions) === JSON.stringify([b.name, away.name]),
        `record mentions ${JSON.stringify(record.mentions)}`,
      );
      expect('FOLD-2', record.revision === ack.seq, `record revision ${record.revision}, the edit's seq ${ack.seq}`);
      // A second edit replaces text and mentions; absent mentions mean none.
      const again = await edit(a, room, m.messageId, 'third text');
      const after = await recordOf(ctx, b, room, m.messageId);
      expect(
        'EDIT-3',
        after.text === 'third text' && !after.mentions?.length,
        `record after an edit without mentions: ${JSON.stringify(after)}`,
      );
      expect(
        'FOLD-2',
        after.revision === again.seq && after.editedTs === again.ts,
        `record after the second edit: ${JSON.stringify(after)}`,
      );
      const all = await records(ctx, a, room);
      expect(
        'FOLD-4',
        all.length === 1 && all[0]!.kind === undefined,
        `history holds ${all.length} records, kinds ${all.map((r) => r.kind ?? 'message').join(',')}`,
      );
      await ctx.sync(away);
      const mentions = away.conn.log.filter((f) => f.type === 'mention');
      expect(
        'EDIT-3',
        mentions.length === 0,
        `an edit that mentions ${away.name} sent it ${mentions.length} mention events`,
      );
    },
  },
  {
    id: 'edits/only-the-author',
    section,
    covers: ['EDIT-1', 'LOGIN-10'],
    title: 'another user editing a message gets NOT_AUTHOR and the text stays; another session of the author may edit',
    async run(ctx) {
      const { room, users } = await v2Room(ctx, 2);
      const [a, b] = users as [UserConn, UserConn];
      const m = await post(a, room, 'mine');
      const before = await snapshot(ctx, a, room, [a]);
      const reply = await b.conn.settled({
        type: 'edit',
        room,
        target: m.messageId,
        clientId: freshId(),
        text: 'yours now',
      });
      refused('EDIT-1', reply, ErrorCode.NOT_AUTHOR, "an edit of another user's message");
      await unchanged(ctx, 'EDIT-1', before);
      const twin = await ctx.user('twin', { name: a.name, key: a.key });
      await ctx.join(twin, room);
      await edit(twin, room, m.messageId, 'still mine', undefined, 'LOGIN-10');
      const record = await recordOf(ctx, b, room, m.messageId);
      expect(
        'EDIT-1',
        record.text === 'still mine',
        `after the author's edit from a second session the text is ${JSON.stringify(record.text)}`,
      );
    },
  },
  {
    id: 'edits/bad-edits-change-nothing',
    section,
    covers: ['EDIT-2', 'ERR-3', 'ROOM-8', 'ROOM-10'],
    title:
      'bad text, mentions, targets and clientIds get their own codes in the order of §5.4, and nothing is committed or changed',
    async run(ctx) {
      const { room, a, b, elsewhere, message: m, edited: changed, deleted: gone } = await refusalTargets(ctx);
      const before = await snapshot(ctx, a, room, [b]);
      const max = ctx.limits.maxMentions ?? 20;
      const names = Array.from({ length: max + 1 }, (_, i) => `${ctx.prefix}n${i}`);
      const base = { type: 'edit', room, target: m.messageId, text: 'new text' };
      const E = ErrorCode;
      const cases: [UserConn, Record<string, unknown>, ErrorCode, string, string][] = [
        [a, { text: '' }, E.TEXT_INVALID, 'EDIT-2', 'empty text'],
        [a, { text: ' \n\t ' }, E.TEXT_INVALID, 'EDIT-2', 'white space only'],
        [a, { text: 'bell\u0007' }, E.TEXT_INVALID, 'EDIT-2', 'a control character'],
        [a, { text: padTo('', ctx.limits.maxTextLength + 1, 'ก') }, E.TEXT_INVALID, 'EDIT-2', 'maxTextLength + 1'],
        [a, { mentions: names }, E.MENTIONS_INVALID, 'EDIT-2', 'maxMentions + 1 names'],
        [a, { mentions: ['bad\u0000name'] }, E.MENTIONS_INVALID, 'EDIT-2', 'an invalid name'],
        [a, { mentions: [''] }, E.MENTIONS_INVALID, 'EDIT-2', 'an empty name'],
        [a, { clientId: '' }, E.CLIENT_ID_INVALID, 'ERR-3', 'an empty clientId'],
        [a, { target: `${m.messageId}-nope` }, E.MESSAGE_NOT_FOUND, 'EDIT-2', 'an unknown target'],
        [a, { target: elsewhere.messageId }, E.MESSAGE_NOT_FOUND, 'EDIT-2', "another room's message"],
        [a, { target: changed.messageId }, E.MESSAGE_NOT_FOUND, 'EDIT-2', 'an edit entry as target'],
        [a, { target: gone.messageId }, E.MESSAGE_DELETED, 'EDIT-2', 'a deleted message'],
        [
          a,
          { room: ctx.room('unjoined'), text: '' },
          E.NOT_IN_ROOM,
          'ROOM-8',
          'an unjoined room (before TEXT_INVALID)',
        ],
        [a, { room: 'bad room', text: '' }, E.ROOM_INVALID, 'ROOM-10', 'an invalid room'],
        [a, { clientId: '', text: '' }, E.CLIENT_ID_INVALID, 'ERR-3', 'clientId before text'],
        [a, { text: '', mentions: names }, E.TEXT_INVALID, 'ERR-3', 'text before mentions'],
        [b, { text: '' }, E.TEXT_INVALID, 'ERR-3', 'text before NOT_AUTHOR'],
        [b, { target: `${m.messageId}-nope` }, E.MESSAGE_NOT_FOUND, 'ERR-3', 'unknown target before NOT_AUTHOR'],
        [b, { target: gone.messageId }, E.NOT_AUTHOR, 'ERR-3', 'NOT_AUTHOR before MESSAGE_DELETED'],
        [b, {}, E.NOT_AUTHOR, 'EDIT-1', "another user's message"],
      ];
      for (const [user, change, code, requirement, what] of cases)
        refused(requirement, await ask(user, { ...base, clientId: freshId(), ...change }), code, `edit with ${what}`);
      await unchanged(ctx, 'EDIT-2', before);
      const window = ctx.limits.editWindowMs ?? 0;
      if (window > 0 && window <= 10_000) {
        const late = await post(a, room, 'edit me too late');
        const atSend = await snapshot(ctx, a, room, [b]);
        await delay(window + 250);
        const reply = await ask(a, { ...base, target: late.messageId, clientId: freshId() });
        refused('EDIT-2', reply, E.EDIT_EXPIRED, `an edit ${window + 250} ms after sending (editWindowMs ${window})`);
        await unchanged(ctx, 'EDIT-2', atSend);
      }
    },
  },
  {
    id: 'edits/one-client-id-space',
    section,
    covers: ['LOG-3', 'MSG-5'],
    title:
      "a repeated clientId gets the original ack whatever the request holds and commits nothing, across send, edit, delete and react; another user's same clientId is theirs",
    async run(ctx) {
      const { room, users } = await v2Room(ctx, 2);
      const [a, b] = users as [UserConn, UserConn];
      const sendId = freshId('s');
      const m = await a.conn.ok('MSG-1', { type: 'send', room, clientId: sendId, text: 'original' });
      const editId = freshId('e');
      const first = await a.conn.ok('LOG-3', {
        type: 'edit',
        room,
        target: m.messageId,
        clientId: editId,
        text: 'edited',
      });
      const before = await snapshot(ctx, a, room, [b]);
      const same = (x: { messageId: string; seq: number; ts: number }, y: typeof x) =>
        x.messageId === y.messageId && x.seq === y.seq && x.ts === y.ts;
      const repeats: [Record<string, unknown>, typeof first, string][] = [
        [
          { type: 'edit', target: m.messageId, clientId: editId, text: 'edited again' },
          first,
          'an edit repeating its clientId with other text',
        ],
        [
          { type: 'edit', target: m.messageId, clientId: sendId, text: 'edit with a send clientId' },
          m,
          "an edit repeating the send's clientId",
        ],
        [{ type: 'delete', target: m.messageId, clientId: editId }, first, "a delete repeating the edit's clientId"],
        [
          { type: 'react', target: m.messageId, clientId: sendId, emoji: '👍', on: true },
          m,
          "a react repeating the send's clientId",
        ],
        [
          { type: 'send', clientId: editId, text: 'a send repeating an edit clientId' },
          first,
          "a send repeating the edit's clientId",
        ],
      ];
      for (const [frame, original, what] of repeats) {
        const reply = await ask(a, { room, ...frame });
        expect(
          'LOG-3',
          reply.type === 'ack' && same(reply, original),
          `${what} answered ${JSON.stringify(reply)}, expected the original ack ${JSON.stringify(original)}`,
        );
      }
      await unchanged(ctx, 'LOG-3', before);
      // Only the checks before "new clientId" apply to a repeat: the target deleted since does not matter.
      await remove(a, room, m.messageId);
      const late = await a.conn.settled({ type: 'edit', room, target: m.messageId, clientId: editId, text: 'x' });
      expect(
        'LOG-3',
        late.type === 'ack' && same(late, first),
        `a repeated edit after its target was deleted answered ${JSON.stringify(late)}`,
      );
      // The clientId space is per user: b's request with a's clientId is b's own.
      const mine = await post(b, room, 'b writes');
      const theirs = await b.conn.ok('MSG-5', {
        type: 'edit',
        room,
        target: mine.messageId,
        clientId: editId,
        text: 'b edits',
      });
      expect(
        'MSG-5',
        !same(theirs, first) && theirs.seq > mine.seq,
        `b's edit with a's clientId answered a's ack ${JSON.stringify(theirs)}`,
      );
    },
  },
];
