/**
 * §12 Retention: whatever a server keeps of a room's log is one run of seqs
 * up to the last one, at least the newest `maxRecoverable`, and its floor is
 * visible in history; a resume below the floor is not recovered. Against a
 * server that keeps everything the floor is 1; against one that trims (e.g.
 * the reference server with `--history-length`), the checks reach past it.
 *
 * @module
 */

import { Capability } from '@kuykan/protocol';
import type { TestContext, UserConn } from '../context.js';
import { expect } from '../failure.js';
import type { TestCase } from '../runner.js';
import { usersInRoom } from './helpers.js';

const section = 'retention';

/** Messages sent into the room: enough to pass a trimming floor set at a small `maxRecoverable`. */
const SENT = 12;

/** Pages back from the latest message until `more` is false; every seq seen, ascending. */
async function pageBack(user: UserConn, room: string): Promise<number[]> {
  const seqs: number[] = [];
  let before: number | undefined;
  for (let pages = 0; pages <= SENT; pages++) {
    const page = await user.conn.ok('HIST-8', { type: 'history', room, ...(before === undefined ? {} : { before }) });
    seqs.unshift(...page.messages.map((m) => m.seq));
    if (!page.more) return seqs;
    expect('HIST-3', page.messages.length > 0, `history before ${String(before)} is empty but says more=true`);
    before = page.messages[0]!.seq;
  }
  throw new Error(`history paging did not reach more=false after ${SENT + 1} pages`);
}

async function retainedRoom(ctx: TestContext) {
  const { room, users } = await usersInRoom(ctx, 1, 'keep');
  const user = users[0]!;
  for (let i = 1; i <= SENT; i++) await ctx.send(user, room, `kept ${i}`);
  await ctx.sync(user);
  const joined = user.conn.log.find((f) => f.type === 'joined' && f.room === room);
  const epoch = joined?.type === 'joined' ? joined.epoch : '';
  const seqs = await pageBack(user, room);
  return { room, user, epoch, seqs, floor: seqs[0] ?? SENT + 1 };
}

export const retention: TestCase[] = [
  {
    id: 'retention/floor-visible',
    section,
    covers: ['HIST-6', 'HIST-7', 'HIST-8'],
    title:
      'kept history is one run up to the last seq, at least maxRecoverable long, ending in more=false at the floor',
    async run(ctx) {
      ctx.need(Capability.HISTORY);
      const { room, user, seqs, floor } = await retainedRoom(ctx);
      const run = Array.from({ length: SENT - floor + 1 }, (_, i) => floor + i);
      expect(
        'HIST-6',
        seqs.join(',') === run.join(','),
        `paging back from the latest gave seqs [${seqs.join(',')}], not one run ending at ${SENT}`,
      );
      const least = Math.min(SENT, ctx.limits.maxRecoverable);
      expect(
        'HIST-7',
        seqs.length >= least,
        `only ${seqs.length} of ${SENT} messages are kept; maxRecoverable is ${ctx.limits.maxRecoverable}`,
      );
      const below = await user.conn.ok('HIST-8', { type: 'history', room, before: floor });
      expect(
        'HIST-8',
        below.messages.length === 0 && below.more === false,
        `history before the floor ${floor} returned ${below.messages.length} messages, more=${below.more}`,
      );
      const earliest = await user.conn.ok('HIST-6', { type: 'history', room, after: 0, limit: 1 });
      expect(
        'HIST-6',
        earliest.messages[0]?.seq === floor,
        `the earliest kept message is ${String(earliest.messages[0]?.seq)}, but paging back stopped at ${floor}`,
      );
    },
  },
  {
    id: 'retention/resume-below-floor',
    section,
    covers: ['RES-7'],
    title: 'a resume from below the floor gets recovered=false with the latest messages (when the server trims)',
    async run(ctx) {
      ctx.need(Capability.HISTORY);
      ctx.need(Capability.RESUME);
      const { room, user, epoch, floor } = await retainedRoom(ctx);
      // A server that kept everything has no floor to resume below.
      if (floor <= 1) return;
      const back = await ctx.user('below', { name: user.name, key: user.key });
      const joined = await back.conn.ok('RES-7', { type: 'join', room, epoch, seq: floor - 2 });
      expect(
        'RES-7',
        joined.recovered === false && joined.messages.every((m) => m.seq >= floor),
        `resume from seq ${floor - 2} (floor ${floor}) answered recovered=${String(joined.recovered)}`,
      );
    },
  },
];
