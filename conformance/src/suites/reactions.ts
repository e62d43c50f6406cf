/**
 * §16.6 Reactions: entries, the folded list (order, count, the first three
 * names, `me`), one reaction per user and emoji, exactly one RGI emoji, and
 * the cap on distinct emoji.
 *
 * @module
 */

import { ErrorCode, type Reaction } from '@kuykan/protocol';
import type { UserConn } from '../context.js';
import { expect } from '../failure.js';
import type { TestCase } from '../runner.js';
import {
  ask,
  distinctEmoji,
  entryOf,
  freshId,
  post,
  react,
  recordOf,
  refused,
  snapshot,
  unchanged,
  v2Room,
} from './v2.js';

const section = 'reactions';

/** Reactions as compared: emoji, count, names, and `me` as a boolean. */
const show = (list: Reaction[] | undefined) =>
  JSON.stringify((list ?? []).map((r) => [r.emoji, r.count, r.names, r.me === true]));

/** Strings that are not exactly one RGI emoji [REACT-1]. */
export const NOT_ONE_EMOJI = ['', 'a', '👍👍', '\u2764', '👍 ', ':)', '\u200d', '👍\u200d', '1', '\u{e0067}'];
/** Single RGI emoji of every shape: modifier, ZWJ sequence, flag, keycap, emoji presentation. */
export const ONE_EMOJI = ['👍🏽', '🧑‍💻', '🇹🇭', '1️⃣', '❤️', '🏳️‍🌈'];

export const reactions: TestCase[] = [
  {
    id: 'reactions/folded-list',
    section,
    covers: ['FOLD-3', 'LOG-1', 'LOG-2', 'REACT-2'],
    title:
      'reactions fold into one entry per emoji in order of appearance, with count, the first three names still reacting and me',
    async run(ctx) {
      const { room, users } = await v2Room(ctx, 5);
      const [a, b, c, d, e] = users as [UserConn, UserConn, UserConn, UserConn, UserConn];
      const m = await post(a, room, 'react to me');
      const first = await react(b, room, m.messageId, '👍');
      const entry = entryOf(b, first);
      expect(
        'LOG-2',
        entry.kind === 'react' &&
          entry.target === m.messageId &&
          entry.emoji === '👍' &&
          entry.text === '' &&
          entry.from === b.name,
        `react entry ${JSON.stringify(entry)}`,
      );
      for (const user of [c, d, e]) await react(user, room, m.messageId, '👍');
      await react(a, room, m.messageId, '❤️');
      const expectList = async (viewer: UserConn, want: [string, number, string[], boolean][], when: string) => {
        const record = await recordOf(ctx, viewer, room, m.messageId);
        expect(
          'FOLD-3',
          show(record.reactions) === JSON.stringify(want),
          `${when}, ${viewer.name} is served reactions ${show(record.reactions)}, expected ${JSON.stringify(want)}`,
        );
        return record;
      };
      await expectList(
        b,
        [
          ['👍', 4, [b.name, c.name, d.name], true],
          ['❤️', 1, [a.name], false],
        ],
        'after 4 👍 and 1 ❤️',
      );
      await expectList(
        a,
        [
          ['👍', 4, [b.name, c.name, d.name], false],
          ['❤️', 1, [a.name], true],
        ],
        'after 4 👍 and 1 ❤️',
      );
      const off = await react(b, room, m.messageId, '👍', false);
      const unreact = entryOf(b, off);
      expect('LOG-2', unreact.kind === 'unreact' && unreact.emoji === '👍', `unreact entry ${JSON.stringify(unreact)}`);
      await expectList(
        c,
        [
          ['👍', 3, [c.name, d.name, e.name], true],
          ['❤️', 1, [a.name], false],
        ],
        'after b took 👍 back',
      );
      for (const user of [c, d, e]) await react(user, room, m.messageId, '👍', false);
      const back = await react(c, room, m.messageId, '👍');
      const record = await expectList(
        c,
        [
          ['❤️', 1, [a.name], false],
          ['👍', 1, [c.name], true],
        ],
        '👍 went to 0 and back',
      );
      expect('FOLD-2', record.revision === back.seq, `revision ${record.revision} after the react of seq ${back.seq}`);
      await react(a, room, m.messageId, '❤️', false);
      await expectList(a, [['👍', 1, [c.name], false]], 'after ❤️ went to 0');
    },
  },
  {
    id: 'reactions/once-per-user',
    section,
    covers: ['REACT-2', 'LOG-5'],
    title:
      'a user reacts with one emoji once across all their sessions: a repeat or a removal of nothing commits nothing and is acked with seq 0',
    async run(ctx) {
      const { room, users } = await v2Room(ctx, 2);
      const [a, b] = users as [UserConn, UserConn];
      const twin = await ctx.user('twin', { name: b.name, key: b.key });
      await ctx.join(twin, room);
      const m = await post(a, room, 'once');
      await react(b, room, m.messageId, '👍');
      const before = await snapshot(ctx, a, room, [a, b, twin]);
      for (const [user, emoji, on, what] of [
        [twin, '👍', true, "a second session's repeat of its user's reaction"],
        [b, '👍', true, 'a repeat from the same session'],
        [twin, '🎉', false, 'removing a reaction never made'],
      ] as const) {
        const ack = await user.conn.ok('LOG-5', {
          type: 'react',
          room,
          target: m.messageId,
          clientId: freshId(),
          emoji,
          on,
        });
        expect(
          'LOG-5',
          ack.seq === 0 && ack.messageId === m.messageId,
          `${what} was acked ${JSON.stringify(ack)}, expected seq 0 and the target's messageId`,
        );
      }
      await unchanged(ctx, 'REACT-2', before);
      const record = await recordOf(ctx, twin, room, m.messageId);
      expect(
        'REACT-2',
        show(record.reactions) === JSON.stringify([['👍', 1, [b.name], true]]),
        `one user's reaction from two sessions is served as ${show(record.reactions)}`,
      );
    },
  },
  {
    id: 'reactions/exactly-one-emoji',
    section,
    covers: ['REACT-1', 'ERR-3', 'ROOM-8', 'ROOM-10'],
    title:
      'any single RGI emoji is a reaction; anything else is REACTION_INVALID (after CLIENT_ID_INVALID, before MESSAGE_NOT_FOUND)',
    async run(ctx) {
      const { room, users } = await v2Room(ctx, 2);
      const [a, b] = users as [UserConn, UserConn];
      const m = await post(a, room, 'emoji only');
      const before = await snapshot(ctx, a, room, [a]);
      const r = (emoji: string, extra: object = {}) =>
        ask(b, { type: 'react', room, target: m.messageId, clientId: freshId(), emoji, on: true, ...extra });
      for (const emoji of NOT_ONE_EMOJI)
        refused('REACT-1', await r(emoji), ErrorCode.REACTION_INVALID, `reaction ${JSON.stringify(emoji)}`);
      refused(
        'ERR-3',
        await r('nope', { clientId: '' }),
        ErrorCode.CLIENT_ID_INVALID,
        'an empty clientId before an invalid emoji',
      );
      refused(
        'ROOM-10',
        await r('nope', { room: 'no room', clientId: '' }),
        ErrorCode.ROOM_INVALID,
        'an invalid room first',
      );
      refused(
        'ROOM-8',
        await r('nope', { room: ctx.room('unjoined') }),
        ErrorCode.NOT_IN_ROOM,
        'an unjoined room before an invalid emoji',
      );
      refused(
        'ERR-3',
        await r('nope', { target: 'no-such-message' }),
        ErrorCode.REACTION_INVALID,
        'an invalid emoji before an unknown target',
      );
      refused(
        'REACT-2',
        await r('👍', { target: `${m.messageId}-nope` }),
        ErrorCode.MESSAGE_NOT_FOUND,
        'a reaction to an unknown message',
      );
      await unchanged(ctx, 'REACT-1', before);
      for (const emoji of ONE_EMOJI) await react(b, room, m.messageId, emoji, true, 'REACT-1');
      const record = await recordOf(ctx, a, room, m.messageId);
      expect(
        'REACT-1',
        record.reactions?.map((x) => x.emoji).join(' ') === ONE_EMOJI.join(' '),
        `reactions ${ONE_EMOJI.join(' ')} are served as ${show(record.reactions)}`,
      );
    },
  },
  {
    id: 'reactions/distinct-emoji-cap',
    section,
    covers: ['REACT-3', 'LIMIT-1'],
    title:
      'maxReactions distinct emoji are accepted; one more is TOO_MANY_REACTIONS, while an emoji already there is always allowed',
    async run(ctx) {
      const { room, users } = await v2Room(ctx, 2);
      const [a, b] = users as [UserConn, UserConn];
      const max = ctx.limits.maxReactions ?? 20;
      const emoji = distinctEmoji(max + 1);
      expect('REACT-3', emoji.length === max + 1, `maxReactions ${max} is more than this suite has emoji to test`);
      const m = await post(a, room, 'many reactions');
      for (const e of emoji.slice(0, max)) await react(a, room, m.messageId, e, true, 'LIMIT-1');
      const before = await snapshot(ctx, a, room, [b]);
      const reply = await b.conn.settled({
        type: 'react',
        room,
        target: m.messageId,
        clientId: freshId(),
        emoji: emoji[max]!,
        on: true,
      });
      refused('REACT-3', reply, ErrorCode.TOO_MANY_REACTIONS, `reaction number ${max + 1}`);
      await unchanged(ctx, 'REACT-3', before);
      await react(b, room, m.messageId, emoji[0]!, true, 'REACT-3');
      const record = await recordOf(ctx, a, room, m.messageId);
      expect(
        'REACT-3',
        record.reactions?.length === max && record.reactions[0]!.count === 2,
        `after b added an emoji already there: ${record.reactions?.length} emoji, first count ${record.reactions?.[0]?.count}`,
      );
    },
  },
];
