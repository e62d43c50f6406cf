/**
 * §13 Resume at the real limits: a gap one longer than `maxRecoverable`, a
 * gap of exactly `maxRecoverable`, and a gap whose `joined` would not fit in
 * 4 MiB. Each is built for real (fillRoom spreads the sends over writers),
 * so a server answering a partial gap with `recovered: true` fails whatever
 * its limits.
 *
 * @module
 */

import { Capability, type JoinedFrame, MAX_SERVER_FRAME_BYTES } from '@kuykan/protocol';
import type { TestContext, UserConn } from '../context.js';
import { expect, Skip } from '../failure.js';
import type { TestCase } from '../runner.js';
import { fillRoom } from './fill.js';
import { padTo, usersInRoom } from './helpers.js';

const section = 'resume';

/** Longest gap the suite builds (messages); longer `maxRecoverable` values skip the test. */
const MAX_GAP_BUILT = 6_000;

/** A reader that saw seq 1 of a room, then disconnected while `missed` more were sent. */
async function longGap(ctx: TestContext, missed: number, text: (i: number) => string) {
  const { room, users } = await usersInRoom(ctx, 1);
  const reader = users[0] as UserConn;
  await ctx.send(reader, room, 'seen 1');
  await ctx.sync(reader);
  const joined = reader.conn.log.find((f): f is JoinedFrame => f.type === 'joined' && f.room === room);
  reader.conn.kill();
  await fillRoom(ctx, room, missed, text, { requirement: 'RES-1' });
  return { room, epoch: joined?.epoch ?? '', reader, last: missed + 1 };
}

/** Checks a reset: recovered false with the latest joinRecent messages [RES-2]. */
function expectReset(ctx: TestContext, joined: JoinedFrame, last: number, what: string): void {
  const seqs = joined.messages.map((m) => m.seq);
  expect(
    'RES-2',
    joined.recovered === false,
    `${what} answered recovered=${String(joined.recovered)} with ${seqs.length} messages (seqs ${seqs[0]}..${seqs.at(-1)})`,
  );
  const n = Math.min(ctx.limits.joinRecent, last);
  const want = Array.from({ length: n }, (_, i) => last - n + 1 + i).join(',');
  expect(
    'RES-2',
    seqs.join(',') === want,
    `${what} sent seqs ${seqs[0]}..${seqs.at(-1)} (${seqs.length}), expected the latest ${n}: ${last - n + 1}..${last}`,
  );
}

export const resumeLimits: TestCase[] = [
  {
    id: 'resume/gap-over-max-recoverable',
    section,
    covers: ['RES-1', 'RES-2'],
    title: 'a gap of maxRecoverable is recovered whole; one message more is a reset, never a partial gap',
    async run(ctx) {
      ctx.need(Capability.RESUME);
      const max = ctx.limits.maxRecoverable;
      if (max + 1 > MAX_GAP_BUILT)
        throw new Skip(`maxRecoverable ${max}: the suite builds gaps of at most ${MAX_GAP_BUILT}`);
      const { room, epoch, reader, last } = await longGap(ctx, max + 1, (i) => `gap ${i}`);
      const over = await ctx.user('over', { name: reader.name, key: reader.key });
      expectReset(ctx, await over.conn.ok('RES-2', { type: 'join', room, epoch, seq: 1 }), last, `a gap of ${max + 1}`);
      // seq 2 leaves a gap of exactly maxRecoverable: it must be recovered whole, if it fits in 4 MiB.
      if (max * 120 > MAX_SERVER_FRAME_BYTES) return;
      const exact = await ctx.user('exact', { name: reader.name, key: reader.key });
      const joined = await exact.conn.ok('RES-1', { type: 'join', room, epoch, seq: 2 });
      const seqs = joined.messages.map((m) => m.seq);
      expect(
        'RES-1',
        joined.recovered === true && seqs.length === max && seqs[0] === 3 && seqs.at(-1) === last,
        `a gap of exactly maxRecoverable (${max}) answered recovered=${String(joined.recovered)} with seqs ${seqs[0]}..${seqs.at(-1)} (${seqs.length})`,
      );
    },
  },
  {
    id: 'resume/joined-over-4-mib',
    section,
    covers: ['RES-2', 'WIRE-6'],
    title: 'a gap within maxRecoverable whose joined would exceed 4 MiB is a reset, and no frame exceeds 4 MiB',
    async run(ctx) {
      ctx.need(Capability.RESUME);
      const chars = Math.max(1, Math.min(ctx.limits.maxTextLength, Math.floor((ctx.limits.maxFrameBytes - 200) / 4)));
      const text = padTo('', chars, '😀');
      const missed = Math.ceil(MAX_SERVER_FRAME_BYTES / (chars * 4)) + 2;
      if (missed > ctx.limits.maxRecoverable)
        throw new Skip(
          `a gap over 4 MiB needs ${missed} messages, more than maxRecoverable ${ctx.limits.maxRecoverable}`,
        );
      if (missed > MAX_GAP_BUILT) throw new Skip(`a gap over 4 MiB needs ${missed} messages of ${chars} characters`);
      const { room, epoch, reader, last } = await longGap(ctx, missed, () => text);
      const back = await ctx.user('back', { name: reader.name, key: reader.key });
      const joined = await back.conn.ok('RES-2', { type: 'join', room, epoch, seq: 1 });
      expectReset(ctx, joined, last, `a gap of ${missed} messages of ${chars * 4} bytes (over 4 MiB)`);
    },
  },
];
