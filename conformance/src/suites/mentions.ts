/**
 * §16.8 Mentions: names normalized and deduplicated in the record, bad
 * lists refused, one `mention` event per online session that has not
 * joined the room (never the sender's), and the per-recipient limit whose
 * drops still count.
 *
 * @module
 */

import { ErrorCode, type MentionFrame, previewText } from '@kuykan/protocol';
import type { UserConn } from '../context.js';
import { expect } from '../failure.js';
import type { TestCase } from '../runner.js';
import { padTo } from './helpers.js';
import { longOriginal } from './replies.js';
import { freshId, post, recordOf, refused, snapshot, unchanged, v2Room } from './v2.js';

const section = 'mentions';

const mentionsOf = (user: UserConn) => user.conn.take<MentionFrame>((f) => f.type === 'mention');

export const mentions: TestCase[] = [
  {
    id: 'mentions/normalized-record',
    section,
    covers: ['MENTION-1', 'LIMIT-1'],
    title:
      'mentions are stored normalized, in the order given, each name once by its confusable skeleton, online or not; maxMentions names are accepted',
    async run(ctx) {
      const { room, users } = await v2Room(ctx, 2);
      const [a, b] = users as [UserConn, UserConn];
      const offline = `${ctx.prefix}nobody`;
      const given = [` ${b.name}\u3000`, b.name.toUpperCase(), offline, 'cafe\u0301', 'café', 'สมชาย'];
      const m = await post(a, room, 'hello all', { mentions: given }, 'MENTION-1');
      const record = await recordOf(ctx, a, room, m.messageId);
      const want = [b.name, offline, 'café', 'สมชาย'];
      expect(
        'MENTION-1',
        JSON.stringify(record.mentions) === JSON.stringify(want),
        `mentions ${JSON.stringify(given)} are stored as ${JSON.stringify(record.mentions)}, expected ${JSON.stringify(want)}`,
      );
      const max = ctx.limits.maxMentions ?? 20;
      const full = Array.from({ length: max }, (_, i) => `${ctx.prefix}m${i}`);
      const many = await post(a, room, 'everyone', { mentions: full }, 'LIMIT-1');
      const manyRecord = await recordOf(ctx, b, room, many.messageId);
      expect(
        'MENTION-1',
        manyRecord.mentions?.length === max,
        `a message mentioning maxMentions (${max}) names stores ${manyRecord.mentions?.length}`,
      );
    },
  },
  {
    id: 'mentions/invalid-lists',
    section,
    covers: ['MENTION-1', 'ERR-3'],
    title:
      'more than maxMentions names, or an invalid name, is MENTIONS_INVALID (after TEXT_INVALID) and commits nothing',
    async run(ctx) {
      const { room, users } = await v2Room(ctx, 2);
      const [a, b] = users as [UserConn, UserConn];
      await post(a, room, 'before');
      const before = await snapshot(ctx, a, room, [b]);
      const max = ctx.limits.maxMentions ?? 20;
      const send = (mentions: string[], text = 'hi') =>
        a.conn.settled({ type: 'send', room, clientId: freshId(), text, mentions });
      const bad: [string[], string][] = [
        [Array.from({ length: max + 1 }, (_, i) => `${ctx.prefix}m${i}`), 'maxMentions + 1 names'],
        [[''], 'an empty name'],
        [['  '], 'a name of spaces'],
        [['tab\tname'], 'a control character'],
        [['evil\u202ename'], 'a bidi control'],
        [[padTo('n', ctx.limits.maxNameLength + 1)], 'maxNameLength + 1 code points'],
        [[b.name, 'x\u0000'], 'one bad name among good ones'],
      ];
      for (const [names, what] of bad)
        refused('MENTION-1', await send(names), ErrorCode.MENTIONS_INVALID, `mentions with ${what}`);
      refused('ERR-3', await send([''], ''), ErrorCode.TEXT_INVALID, 'empty text before bad mentions');
      await unchanged(ctx, 'MENTION-1', before);
    },
  },
  {
    id: 'mentions/events-to-sessions-not-joined',
    section,
    covers: ['MENTION-2'],
    title:
      "a committed mention reaches once each online session of a mentioned user that has not joined the room, never joined sessions or the sender's",
    async run(ctx) {
      const { room, users } = await v2Room(ctx, 3);
      const [a, c1, e] = users as [UserConn, UserConn, UserConn];
      const c2 = await ctx.user('c2', { name: c1.name, key: c1.key });
      const d = await ctx.user('d');
      const a2 = await ctx.user('a2', { name: a.name, key: a.key });
      const text = longOriginal();
      const m = await post(a, room, text, { mentions: [c1.name, d.name, e.name, a.name] }, 'MENTION-1');
      await ctx.sync(a, a2, c1, c2, d, e);
      const want = JSON.stringify({
        type: 'mention',
        room,
        seq: m.seq,
        messageId: m.messageId,
        from: a.name,
        text: previewText(text),
      });
      for (const user of [c2, d]) {
        const got = mentionsOf(user);
        expect(
          'MENTION-2',
          got.length === 1,
          `${user.conn.label}, online and not in ${room}, received ${got.length} mention events`,
        );
        expect(
          'MENTION-2',
          JSON.stringify(got[0]) === want,
          `${user.conn.label} received ${JSON.stringify(got[0])}, expected ${want}`,
        );
      }
      for (const [user, why] of [
        [c1, 'joined to the room'],
        [e, 'joined to the room'],
        [a, 'the sender'],
        [a2, "the sender's other session"],
      ] as const) {
        const got = mentionsOf(user);
        expect('MENTION-2', got.length === 0, `${user.conn.label} (${why}) received ${got.length} mention events`);
      }
    },
  },
  {
    id: 'mentions/limited-per-recipient',
    section,
    covers: ['MENTION-3', 'READ-3'],
    title: 'a burst of mentions of one user is limited (SHOULD), and every mention still counts in joined.mentions',
    async run(ctx) {
      const { room, users } = await v2Room(ctx, 1);
      const [a] = users as [UserConn];
      const target = await ctx.user('t');
      const total = 40;
      for (let i = 0; i < total; i++)
        a.conn.send({
          type: 'send',
          id: a.conn.id(),
          room,
          clientId: freshId(),
          text: `@ ${i}`,
          mentions: [target.name],
        });
      await a.conn.barrier();
      const acks = a.conn.log.filter((f) => f.type === 'ack').length;
      // Rate limits apply to the sender: the rest are sent one by one.
      for (let i = acks; i < total; i++) await post(a, room, `@ ${i}`, { mentions: [target.name] }, 'MENTION-1');
      await ctx.sync(target);
      const received = mentionsOf(target).length;
      const twin = await ctx.user('twin', { name: target.name, key: target.key });
      const joined = await ctx.join(twin, room);
      expect(
        'READ-3',
        joined.mentions === total && joined.unread === total,
        `after ${total} mentions (${received} delivered) joined counts unread ${joined.unread}, mentions ${joined.mentions}`,
      );
      expect(
        'MENTION-3',
        received < total,
        `all ${total} mentions sent at once were delivered: no limit per recipient`,
      );
    },
  },
];
