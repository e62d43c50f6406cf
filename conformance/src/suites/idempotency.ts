/**
 * §10 MSG-5's scope: a clientId is deduplicated per user *and* room only. The
 * same clientId from another user, or from the same user in another room, is
 * a new message with its own ack, delivered to every member (MSG-7).
 *
 * @module
 */

import fc from 'fast-check';
import type { UserConn } from '../context.js';
import { expect } from '../failure.js';
import type { TestCase } from '../runner.js';
import { messagesOf } from './helpers.js';

/** One send of the scope property: who sends, where, with which of a few shared clientIds. */
interface ScopedSend {
  readonly user: number;
  readonly room: number;
  readonly clientId: number;
}

export const idempotency: TestCase[] = [
  {
    id: 'messages/idempotency-scope',
    section: 'messages',
    covers: ['MSG-5', 'MSG-7'],
    title:
      'property: one clientId from other users or in other rooms is a new message; only same user and room dedupes',
    async run(ctx) {
      const send = fc.record({
        user: fc.nat({ max: 2 }),
        room: fc.nat({ max: 1 }),
        clientId: fc.nat({ max: 1 }),
      });
      // The first two sends always collide across users, then across rooms: the bug classes need no luck.
      const fixed: ScopedSend[] = [
        { user: 0, room: 0, clientId: 0 },
        { user: 1, room: 0, clientId: 0 },
        { user: 0, room: 1, clientId: 0 },
      ];
      await ctx.property(fc.array(send, { maxLength: 6 }), async (extra) => {
        const sends = [...fixed, ...extra];
        const rooms = [ctx.room('s'), ctx.room('t')];
        const users: UserConn[] = [];
        for (let u = 0; u < 3; u++) users.push(await ctx.user(`i${u}_`));
        const observer = await ctx.user('obs');
        for (const room of rooms) for (const u of [...users, observer]) await ctx.join(u, room, 'MSG-5');
        const tag = ctx.random(1e9);
        // The model: the first send of (user, room, clientId) makes a message; repeats get its ack.
        const first = new Map<string, { seq: number; messageId: string; room: string }>();
        const expected = rooms.map(() => [] as string[]);
        for (const [n, s] of sends.entries()) {
          const key = `${s.user}/${s.room}/${s.clientId}`;
          const clientId = `same-${tag}-${s.clientId}`;
          const text = `send ${n} by ${s.user} in ${s.room}`;
          const { ack } = await ctx.send(users[s.user]!, rooms[s.room]!, text, clientId);
          const original = first.get(key);
          if (original) {
            expect(
              'MSG-5',
              ack.messageId === original.messageId && ack.seq === original.seq,
              `a retry by the same user in the same room got ${JSON.stringify(ack)}, not the original ack`,
            );
            continue;
          }
          const clash = [...first.entries()].find(([, a]) => a.messageId === ack.messageId);
          expect(
            'MSG-5',
            clash === undefined && ack.room === rooms[s.room],
            `send ${n} (user ${s.user}, room ${s.room}, clientId ${clientId}) was answered with the ack of send ${clash?.[0]} ` +
              `(${JSON.stringify(ack)}): a clientId is deduplicated per user and room only`,
          );
          first.set(key, { seq: ack.seq, messageId: ack.messageId, room: ack.room });
          expected[s.room]!.push(text);
        }
        await ctx.sync(observer);
        for (const [r, room] of rooms.entries()) {
          const got = messagesOf(observer, room).map((m) => m.text);
          expect(
            'MSG-7',
            got.join('|') === expected[r]!.join('|'),
            `the observer of ${room} received ${JSON.stringify(got)}, expected ${JSON.stringify(expected[r])}`,
          );
        }
      });
    },
  },
];
