/**
 * §13 Resume: exactly the gap when the epoch matches, a full reset
 * otherwise, malformed half-resumes.
 *
 * @module
 */

import { Capability, ErrorCode, FrameType } from '@kuykan/protocol';
import type { TestContext, UserConn } from '../context.js';
import { expectError } from '../context.js';
import { expect } from '../failure.js';
import type { TestCase } from '../runner.js';
import { raw, usersInRoom } from './helpers.js';

const section = 'resume';

/** A room where `reader` saw `seen` messages, then disconnected and `missed` more were sent. */
async function gapRoom(ctx: TestContext, seen: number, missed: number) {
  const { room, users } = await usersInRoom(ctx, 2);
  const [reader, writer] = users as [UserConn, UserConn];
  for (let i = 1; i <= seen; i++) await ctx.send(writer, room, `seen ${i}`);
  await ctx.sync(reader);
  const joined = reader.conn.log.find((f) => f.type === 'joined' && f.room === room);
  const epoch = joined?.type === 'joined' ? joined.epoch : '';
  reader.conn.kill();
  for (let i = 1; i <= missed; i++) await ctx.send(writer, room, `missed ${i}`);
  const back = await ctx.user('back', { name: reader.name, key: reader.key });
  return { room, epoch, back, writer };
}

export const resume: TestCase[] = [
  {
    id: 'resume/exact-gap',
    section,
    covers: ['RES-1'],
    title: 'a join with the room epoch and last seen seq recovers exactly the messages after it',
    async run(ctx) {
      ctx.need(Capability.RESUME);
      const { room, epoch, back } = await gapRoom(ctx, 3, 4);
      const joined = await back.conn.ok('RES-1', { type: 'join', room, epoch, seq: 3 });
      expect('RES-1', joined.recovered === true, `resume answered recovered=${String(joined.recovered)}`);
      const seqs = joined.messages.map((m) => m.seq);
      expect('RES-1', seqs.join(',') === '4,5,6,7', `resume gap holds seqs [${seqs.join(',')}], expected [4,5,6,7]`);
      expect(
        'RES-1',
        joined.messages.every((m, i) => m.text === `missed ${i + 1}`),
        'resume gap texts differ from the sent ones',
      );
      const now = await ctx.user('now', { name: back.name, key: back.key });
      const none = await now.conn.ok('RES-1', { type: 'join', room, epoch, seq: 7 });
      expect(
        'RES-1',
        none.recovered === true && none.messages.length === 0,
        `resume with no gap answered ${JSON.stringify({ recovered: none.recovered, n: none.messages.length })}`,
      );
    },
  },
  {
    id: 'resume/reset-otherwise',
    section,
    covers: ['RES-2'],
    title: 'a wrong epoch, a seq ahead of the log or a too large gap gets recovered false with the latest messages',
    async run(ctx) {
      ctx.need(Capability.RESUME);
      const { room, epoch, back } = await gapRoom(ctx, 2, 3);
      const recent = Math.min(ctx.limits.joinRecent, 5);
      const latest = Array.from({ length: recent }, (_, i) => 5 - recent + 1 + i).join(',');
      for (const [e, s, what] of [
        [`${epoch}x`, 2, 'another epoch'],
        [epoch, 99, 'seq ahead of the log'],
      ] as const) {
        const joined = await back.conn.ok('RES-2', { type: 'join', room, epoch: e, seq: s });
        expect(
          'RES-2',
          joined.recovered === false,
          `resume with ${what} answered recovered=${String(joined.recovered)}`,
        );
        expect(
          'RES-2',
          joined.messages.map((m) => m.seq).join(',') === latest,
          `resume with ${what} sent seqs [${joined.messages.map((m) => m.seq).join(',')}], expected the latest [${latest}]`,
        );
      }
      const max = ctx.limits.maxRecoverable;
      if (max <= 60) {
        const big = await gapRoom(ctx, 1, max + 1);
        const joined = await big.back.conn.ok('RES-2', { type: 'join', room: big.room, epoch: big.epoch, seq: 1 });
        expect(
          'RES-2',
          joined.recovered === false,
          `gap of maxRecoverable+1 answered recovered=${String(joined.recovered)}`,
        );
      }
    },
  },
  {
    id: 'resume/half-resume-malformed',
    section,
    covers: ['RES-3'],
    title: 'a join with only one of epoch and seq is BAD_FRAME',
    async run(ctx) {
      const user = await ctx.user();
      const room = ctx.room();
      user.conn.sendRaw(raw({ t: FrameType.join, i: 71, r: room, e: 'abc' }), 'join with epoch only');
      expectError('RES-3', await user.conn.next((f) => 'id' in f && f.id === 71, 'reply #71'), ErrorCode.BAD_FRAME);
      user.conn.sendRaw(raw({ t: FrameType.join, i: 72, r: room, s: 3 }), 'join with seq only');
      expectError('RES-3', await user.conn.next((f) => 'id' in f && f.id === 72, 'reply #72'), ErrorCode.BAD_FRAME);
    },
  },
];
