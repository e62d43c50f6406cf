/**
 * §16.10 Direct rooms: one room per pair of identities, joinable by its two
 * members only, listed to them only, a room like any other otherwise; and
 * identities (§8) that are name and key, never the name alone.
 *
 * @module
 */

import { Capability, DIRECT_ROOM_PREFIX, ErrorCode, FrameType, type MentionFrame } from '@kuykan/protocol';
import type { TestContext, UserConn } from '../context.js';
import { expect } from '../failure.js';
import type { TestCase } from '../runner.js';
import { raw } from './helpers.js';
import { freshId, listed, loginWhenFree, post, react, recordOf, refused } from './v2.js';

const section = 'direct-rooms';

/** Opens (or finds) the direct room of `user` and `name`; a refusal fails `requirement`. */
export async function dm(user: UserConn, name: string, requirement = 'DM-2') {
  return user.conn.ok(requirement, { type: 'dm', name });
}

/** Two v2 users and their direct room. */
async function pair(ctx: TestContext) {
  ctx.needV2();
  const a = await ctx.user('a');
  const b = await ctx.user('b');
  const opened = await dm(a, b.name);
  return { a, b, room: opened.room, opened };
}

export const directRooms: TestCase[] = [
  {
    id: 'direct-rooms/one-room-per-pair',
    section,
    covers: ['DM-2', 'DM-4', 'DM-5', 'ROOM-9'],
    title:
      'either user of a pair gets the same @-room naming the other; it is listed to both with peer, and works like any room (messages, reactions, history, resume)',
    async run(ctx) {
      const { a, b, room, opened } = await pair(ctx);
      expect(
        'DM-2',
        room.startsWith(DIRECT_ROOM_PREFIX) && opened.name === b.name,
        `dm ${b.name} answered ${JSON.stringify(opened)}`,
      );
      const back = await dm(b, a.name);
      expect(
        'DM-2',
        back.room === room && back.name === a.name,
        `the other user's dm answered ${JSON.stringify(back)}, expected room ${room} naming ${a.name}`,
      );
      const again = await dm(a, b.name);
      expect('DM-2', again.room === room, `a second dm answered room ${again.room}, the first ${room}`);
      const joinedA = await ctx.join(a, room, 'DM-5');
      const joinedB = await ctx.join(b, room, 'DM-5');
      expect(
        'DM-5',
        joinedA.peer === b.name && joinedB.peer === a.name,
        `joined carries peer ${joinedA.peer} for ${a.name} and ${joinedB.peer} for ${b.name}`,
      );
      const m = await post(a, room, 'just us', {}, 'DM-5');
      await react(b, room, m.messageId, '👍', true, 'DM-5');
      const record = await recordOf(ctx, b, room, m.messageId, 'DM-5');
      expect(
        'DM-5',
        record.text === 'just us' && record.reactions?.[0]?.count === 1,
        `the direct room serves ${JSON.stringify(record)}`,
      );
      for (const [user, peer] of [
        [a, b.name],
        [b, a.name],
      ] as const) {
        const info = await listed(user, room, 'DM-4');
        expect(
          'DM-4',
          info?.peer === peer && info.members === 2,
          `roomList shows ${user.name} the direct room as ${JSON.stringify(info)}, expected peer ${peer}`,
        );
      }
      const c = await ctx.user('c');
      expect(
        'DM-4',
        (await listed(c, room, 'DM-4')) === undefined,
        `roomList shows a third user the direct room ${room}`,
      );
      if (!ctx.has(Capability.RESUME)) return;
      const seq = record.revision ?? record.seq;
      b.conn.kill();
      await post(a, room, 'while you were away', {}, 'DM-5');
      const b2 = await ctx.user('b2', { name: b.name, key: b.key });
      const gap = await b2.conn.ok('DM-5', { type: 'join', room, epoch: joinedB.epoch, seq });
      expect(
        'DM-5',
        gap.recovered === true && gap.messages.map((x) => x.text).join() === 'while you were away',
        `a resume in the direct room answered ${JSON.stringify({ recovered: gap.recovered, texts: gap.messages.map((x) => x.text) })}`,
      );
    },
  },
  {
    id: 'direct-rooms/nobody-else',
    section,
    covers: ['DM-3', 'ERR-3', 'ROOM-8'],
    title:
      'a third user joining a direct room, or anyone joining an @-name no dm opened, gets FORBIDDEN (before TOO_MANY_ROOMS) and no room is made',
    async run(ctx) {
      const { a, room } = await pair(ctx);
      const c = await ctx.user('c');
      refused(
        'DM-3',
        await c.conn.settled({ type: 'join', room }),
        ErrorCode.FORBIDDEN,
        "a third user's join of a direct room",
      );
      refused(
        'DM-3',
        await c.conn.settled({ type: 'join', room: room.toUpperCase() }),
        ErrorCode.FORBIDDEN,
        "a third user's join of the upper-cased name",
      );
      const made = `${DIRECT_ROOM_PREFIX}${ctx.prefix}${freshId('x')}`.toLowerCase().slice(0, ctx.limits.maxRoomLength);
      // A join with only one of epoch and seq is malformed before anything else is checked [RES-3, ERR-3].
      c.conn.avoidIds([771]);
      c.conn.sendRaw(raw({ t: FrameType.join, i: 771, r: room, e: 'x' }), 'join of a direct room with an epoch only');
      refused(
        'ERR-3',
        await c.conn.next((f) => 'id' in f && f.id === 771, 'reply #771'),
        ErrorCode.BAD_FRAME,
        'a half resume of a direct room (BAD_FRAME before FORBIDDEN)',
      );
      refused(
        'DM-3',
        await c.conn.settled({ type: 'join', room: made }),
        ErrorCode.FORBIDDEN,
        'a join of an @-name no dm opened',
      );
      refused(
        'DM-3',
        await a.conn.settled({ type: 'join', room: made }),
        ErrorCode.FORBIDDEN,
        'a second join of an @-name no dm opened',
      );
      expect('DM-3', (await listed(a, made, 'DM-3')) === undefined, `joining ${made} created a room`);
      refused(
        'ROOM-8',
        await c.conn.settled({ type: 'send', room, clientId: freshId(), text: 'let me in' }),
        ErrorCode.NOT_IN_ROOM,
        "a third user's send to a direct room",
      );
      const max = ctx.limits.maxRoomsPerConnection;
      if (max <= 64) {
        for (let i = 0; i < max; i++) await ctx.join(c, ctx.room('full'), 'LIMIT-1');
        refused(
          'ERR-3',
          await c.conn.settled({ type: 'join', room }),
          ErrorCode.FORBIDDEN,
          'a direct room joined by a third user with every room slot taken (FORBIDDEN before TOO_MANY_ROOMS)',
        );
      }
    },
  },
  {
    id: 'direct-rooms/refusals',
    section,
    covers: ['DM-1', 'ERR-3'],
    title:
      'dm with myself, from or to a user without a key, of an invalid name or of nobody online is refused with its code in the order of §5.4',
    async run(ctx) {
      ctx.needV2();
      const a = await ctx.user('a');
      const keyless = await ctx.user('k', { key: null });
      const d = (user: UserConn, name: string) => user.conn.settled({ type: 'dm', name });
      refused('DM-1', await d(a, a.name), ErrorCode.DIRECT_INVALID, 'dm with myself');
      refused('DM-1', await d(a, a.name.toUpperCase()), ErrorCode.DIRECT_INVALID, 'dm with myself in upper case');
      refused('DM-1', await d(a, ''), ErrorCode.NAME_INVALID, 'dm with an empty name');
      refused('DM-1', await d(a, 'x\u0000y'), ErrorCode.NAME_INVALID, 'dm with a control character');
      refused('DM-1', await d(a, `${ctx.prefix}nobody`), ErrorCode.USER_NOT_FOUND, 'dm with a name nobody uses');
      refused('DM-1', await d(a, keyless.name), ErrorCode.DIRECT_INVALID, 'dm with a user online without a key');
      refused('DM-1', await d(keyless, a.name), ErrorCode.DIRECT_INVALID, 'dm from a user without a key');
      refused('ERR-3', await d(keyless, ''), ErrorCode.NAME_INVALID, 'NAME_INVALID before DIRECT_INVALID');
      refused(
        'ERR-3',
        await d(keyless, `${ctx.prefix}nobody`),
        ErrorCode.DIRECT_INVALID,
        'DIRECT_INVALID (no identity) before USER_NOT_FOUND',
      );
    },
  },
  {
    id: 'direct-rooms/every-message-mentions-the-other',
    section,
    covers: ['MENTION-4', 'READ-3'],
    title:
      'in a direct room every message counts as mentioning the other member: a mention event while they are elsewhere, and in their joined counts',
    async run(ctx) {
      const { a, b, room } = await pair(ctx);
      await ctx.join(a, room, 'DM-5');
      const m = await post(a, room, 'are you there?', {}, 'DM-5');
      await ctx.sync(a, b);
      const got = b.conn.take<MentionFrame>((f) => f.type === 'mention');
      expect(
        'MENTION-4',
        got.length === 1 && got[0]!.messageId === m.messageId && got[0]!.from === a.name,
        `the other member, online elsewhere, received ${JSON.stringify(got)}`,
      );
      const mine = a.conn.take((f) => f.type === 'mention');
      expect('MENTION-4', mine.length === 0, `the sender received ${mine.length} mention events of its own message`);
      const joined = await ctx.join(b, room, 'DM-5');
      expect(
        'READ-3',
        joined.unread === 1 && joined.mentions === 1,
        `the other member's joined counts unread ${joined.unread}, mentions ${joined.mentions}, expected 1 and 1`,
      );
    },
  },
  {
    id: 'direct-rooms/identity-not-name',
    section,
    covers: ['LOGIN-10', 'DM-1', 'DM-3', 'EDIT-1', 'READ-1'],
    title:
      'after users leave, the same name with another key (or without one) is someone else: no direct room, no authorship, no read marker; with the same key it is the same user',
    async run(ctx) {
      const { a, b, room } = await pair(ctx);
      const z = await ctx.user('z');
      const keyless = await ctx.user('k', { key: null });
      const { room: zRoom } = await dm(z, b.name);
      const shared = ctx.room('shared');
      for (const user of [a, z, keyless]) await ctx.join(user, shared);
      await ctx.join(z, zRoom);
      const ofA = await post(a, shared, 'by a');
      const ofZ = await post(z, shared, 'by z');
      const ofK = await post(keyless, shared, 'by keyless');
      await z.conn.ok('READ-1', { type: 'read', room: shared, seq: ofK.seq });
      await a.conn.ok('READ-1', { type: 'read', room: shared, seq: ofK.seq });
      for (const user of [a, z, keyless]) user.conn.close();
      await Promise.all([a, z, keyless].map((u) => u.conn.closed));
      const closedAt = Date.now();
      const imposter = await loginWhenFree(ctx, 'imposter', a.name, ctx.key(), closedAt);
      // b's direct room with z survives z going offline: z is still "the other member" [DM-1].
      const whileAway = await dm(b, z.name, 'DM-1');
      expect(
        'DM-1',
        whileAway.room === zRoom,
        `dm with an offline member of my direct room answered ${whileAway.room}, expected ${zRoom}`,
      );
      const sameKey = await loginWhenFree(ctx, 'z-back', z.name, z.key, closedAt);
      const noKey = await loginWhenFree(ctx, 'k-again', keyless.name, null, closedAt);
      refused(
        'LOGIN-10',
        await imposter.conn.settled({ type: 'join', room }),
        ErrorCode.FORBIDDEN,
        "the same name with another key joining the first user's direct room",
      );
      await ctx.join(sameKey, zRoom, 'LOGIN-10');
      const byImposter = await ctx.join(imposter, shared);
      const byZ = await ctx.join(sameKey, shared);
      await ctx.join(noKey, shared);
      expect(
        'LOGIN-10',
        byZ.readSeq === ofK.seq,
        `the same name and key joined with readSeq ${byZ.readSeq}, its marker is ${ofK.seq}`,
      );
      expect(
        'LOGIN-10',
        byImposter.readSeq === 0,
        `the same name with another key joined with the first user's readSeq ${byImposter.readSeq}`,
      );
      const e = (user: UserConn, target: string) =>
        user.conn.settled({ type: 'edit', room: shared, target, clientId: freshId(), text: 'mine?' });
      refused(
        'LOGIN-10',
        await e(imposter, ofA.messageId),
        ErrorCode.NOT_AUTHOR,
        "the same name with another key editing the first user's message",
      );
      refused(
        'LOGIN-10',
        await e(noKey, ofK.messageId),
        ErrorCode.NOT_AUTHOR,
        "a later user of a name without a key editing the first one's message",
      );
      const ok = await e(sameKey, ofZ.messageId);
      expect(
        'EDIT-1',
        ok.type === 'ack',
        `the same name and key editing its own message after a reconnect answered ${JSON.stringify(ok)}`,
      );
    },
  },
];
