/**
 * §11 Typing: ok reply, userTyping to others with the advertised TTL, not
 * stored, cleared on send.
 *
 * @module
 */

import { Capability, type UserTypingFrame } from '@kuykan/protocol';
import { expect } from '../failure.js';
import type { TestCase } from '../runner.js';
import { usersInRoom } from './helpers.js';

const section = 'typing';
const typingIn = (room: string) => (f: { type: string; room?: string }) => f.type === 'userTyping' && f.room === room;

export const typing: TestCase[] = [
  {
    id: 'typing/relayed-to-others',
    section,
    covers: ['TYPE-1'],
    title: "typing is answered ok and relayed to every other user's connections with ttlMs = typingTtlMs",
    async run(ctx) {
      ctx.need(Capability.TYPING);
      const { room, users } = await usersInRoom(ctx, 2);
      const [a, b] = users as [(typeof users)[0], (typeof users)[0]];
      const twin = await ctx.user('twin', { name: a.name, key: a.key });
      await ctx.join(twin, room);
      await a.conn.ok('TYPE-1', { type: 'typing', room, active: true });
      await ctx.sync(a, b, twin);
      const got = b.conn.take<UserTypingFrame>(typingIn(room));
      expect('TYPE-1', got.length === 1 && got[0]!.name === a.name && got[0]!.active, `b got ${JSON.stringify(got)}`);
      expect(
        'TYPE-1',
        got[0]!.ttlMs === ctx.limits.typingTtlMs,
        `ttlMs ${got[0]!.ttlMs}, advertised ${ctx.limits.typingTtlMs}`,
      );
      expect('TYPE-1', a.conn.take(typingIn(room)).length === 0, "the typing user's own connection got userTyping");
      expect('TYPE-1', twin.conn.take(typingIn(room)).length === 0, "the typing user's other session got userTyping");
    },
  },
  {
    id: 'typing/not-stored',
    section,
    covers: ['TYPE-2'],
    title: 'a later joiner receives no earlier typing indication',
    async run(ctx) {
      ctx.need(Capability.TYPING);
      const { room, users } = await usersInRoom(ctx, 1);
      await users[0]!.conn.ok('TYPE-2', { type: 'typing', room, active: true });
      const late = await ctx.user('late');
      await ctx.join(late, room);
      await ctx.sync(late);
      expect(
        'TYPE-2',
        late.conn.take(typingIn(room)).length === 0,
        'a later joiner received a stored typing indication',
      );
    },
  },
  {
    id: 'typing/cleared-on-send',
    section,
    covers: ['TYPE-5'],
    title: 'a typing user who sends causes userTyping active false',
    async run(ctx) {
      ctx.need(Capability.TYPING);
      const { room, users } = await usersInRoom(ctx, 2);
      const [a, b] = users as [(typeof users)[0], (typeof users)[0]];
      await a.conn.ok('TYPE-5', { type: 'typing', room, active: true });
      await ctx.send(a, room, 'done typing');
      await ctx.sync(b);
      const got = b.conn.take<UserTypingFrame>(typingIn(room));
      expect('TYPE-5', got.at(-1)?.active === false, `after send b saw typing ${JSON.stringify(got)}`);
    },
  },
];
