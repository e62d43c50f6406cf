/**
 * §4 rates beyond send: `join`/`leave`, `history` and `rooms` are rate
 * limited when the server advertises those rates [LIMIT-8].
 *
 * @module
 */

import { ErrorCode, type ServerFrame } from '@kuykan/protocol';
import { expect } from '../failure.js';
import type { TestCase } from '../runner.js';

const section = 'admission';

export const admission: TestCase[] = [
  {
    id: 'admission/join-history-rooms-rates',
    section,
    covers: ['LIMIT-8', 'LIMIT-1'],
    title: 'join+leave, history and rooms beyond their advertised burst get RATE_LIMITED with retryAfterMs',
    async run(ctx) {
      const limits = ctx.limits;
      const user = await ctx.user('rates');
      const room = ctx.room();
      await ctx.join(user, room);
      const kinds = [
        ['join', limits.joinBurst, limits.joinRate, (n: number) => ({ type: n % 2 ? 'leave' : 'join', room }) as const],
        ['history', limits.historyBurst, limits.historyRate, () => ({ type: 'history', room, limit: 1 }) as const],
        ['rooms', limits.roomsBurst, limits.roomsRate, () => ({ type: 'rooms' }) as const],
      ] as const;
      for (const [kind, burst, rate, frame] of kinds) {
        if (burst === undefined || rate === undefined || burst + rate > 2000) continue;
        const ids: number[] = [];
        for (let n = 0; n < burst + rate + 10; n++) {
          const id = user.conn.id();
          ids.push(id);
          user.conn.send({ ...frame(n), id } as never);
        }
        await user.conn.barrier();
        const replies = ids.map((id) => user.conn.log.find((f): f is ServerFrame => 'id' in f && f.id === id));
        const first = replies.findIndex((r) => r?.type === 'error' && r.code === ErrorCode.RATE_LIMITED);
        const refusal = first >= 0 ? replies[first] : undefined;
        expect('LIMIT-8', refusal !== undefined, `${ids.length} pipelined ${kind} requests were never RATE_LIMITED`);
        // The join above already took one token of the join bucket.
        const spent = kind === 'join' ? 1 : 0;
        expect('LIMIT-1', first >= burst - spent, `${kind} request ${first + 1} of a burst of ${burst} was refused`);
        expect(
          'LIMIT-8',
          refusal?.type === 'error' && (refusal.retryAfterMs ?? 0) > 0,
          `RATE_LIMITED for ${kind} carries no retryAfterMs`,
        );
        // Let the bucket refill before the next kind (they are separate, but the room must be joined).
        if (kind === 'join') {
          await new Promise((r) => setTimeout(r, Math.ceil((1000 * 2) / rate)));
          const rejoin = await user.conn.request({ type: 'join', room });
          if (rejoin.type !== 'joined') await ctx.join(user, room);
        }
      }
    },
  },
];
