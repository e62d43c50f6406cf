/**
 * §12 History: before/after/latest pages, limits, `more`, invalid requests,
 * and history equal to what was delivered. A property checks random queries
 * against the acknowledged log.
 *
 * @module
 */

import {
  Capability,
  type ChatMessage,
  ErrorCode,
  encodeFrame,
  MAX_SERVER_FRAME_BYTES,
  type MessageFrame,
} from '@kuykan/protocol';
import fc from 'fast-check';
import type { TestContext, UserConn } from '../context.js';
import { expectError } from '../context.js';
import { expect, Skip } from '../failure.js';
import type { TestCase } from '../runner.js';
import { fillRoom } from './fill.js';
import { messagesOf, usersInRoom } from './helpers.js';

const section = 'history';

/** What a page must hold for a query over a log of seqs 1..n [HIST-1..3]. */
export function expectedPage(
  n: number,
  q: { before?: number; after?: number; limit: number },
): { seqs: number[]; more: boolean } {
  if (q.after !== undefined) {
    const from = q.after + 1;
    const to = Math.min(n, q.after + q.limit);
    return { seqs: range(from, to), more: to < n };
  }
  const top = Math.min(q.before ?? n + 1, n + 1) - 1;
  const from = Math.max(1, top - q.limit + 1);
  return { seqs: range(from, top), more: from > 1 };
}

function range(from: number, to: number): number[] {
  return to < from ? [] : Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

const strip = (m: ChatMessage | MessageFrame) =>
  JSON.stringify({ seq: m.seq, messageId: m.messageId, ts: m.ts, from: m.from, text: m.text, clientId: m.clientId });

async function filledRoom(ctx: TestContext, n: number): Promise<{ room: string; user: UserConn; log: MessageFrame[] }> {
  const { room, users } = await usersInRoom(ctx, 2);
  for (let i = 1; i <= n; i++) await ctx.send(users[i % 2]!, room, `h${i}`);
  await ctx.sync(users[0]!);
  return { room, user: users[0]!, log: messagesOf(users[0]!, room) };
}

async function checkQuery(
  user: UserConn,
  room: string,
  log: MessageFrame[],
  q: { before?: number; after?: number; limit?: number },
  pageMax: number,
) {
  const reply = await user.conn.ok('HIST-1', { type: 'history', room, ...q });
  const want = expectedPage(log.length, { ...q, limit: q.limit ?? pageMax });
  const got = reply.messages.map((m) => m.seq);
  const shown = JSON.stringify(q);
  expect('HIST-2', reply.messages.length <= (q.limit ?? pageMax), `page for ${shown} holds ${got.length} messages`);
  expect(
    'HIST-1',
    got.join(',') === want.seqs.join(','),
    `history ${shown} returned seqs [${got.join(',')}], expected [${want.seqs.join(',')}]`,
  );
  expect('HIST-3', reply.more === want.more, `history ${shown} has more=${reply.more}, expected ${want.more}`);
  for (const m of reply.messages) {
    const delivered = log[m.seq - 1];
    expect(
      'HIST-5',
      delivered && strip(delivered) === strip(m),
      `history message ${m.seq} differs from the delivered one`,
    );
  }
}

export const history: TestCase[] = [
  {
    id: 'history/pages',
    section,
    covers: ['HIST-1', 'HIST-2', 'HIST-3', 'HIST-5'],
    title: 'pages before, after and at the end hold the right seqs, ascending, with the right more flag',
    async run(ctx) {
      ctx.need(Capability.HISTORY);
      const { room, user, log } = await filledRoom(ctx, 7);
      const max = ctx.limits.historyPageMax;
      const queries = [
        { limit: 3 },
        {},
        { before: 5, limit: 3 },
        { before: 3, limit: 3 },
        { before: 1 },
        { before: 100 },
        { after: 4, limit: 3 },
        { after: 2, limit: 3 },
        { after: 7 },
        { after: 0, limit: 7 },
        { after: 0, limit: 6 },
      ];
      for (const q of queries) await checkQuery(user, room, log, q, max);
    },
  },
  {
    id: 'history/invalid-requests',
    section,
    covers: ['HIST-4', 'LIMIT-1', 'WIRE-6'],
    title:
      'both before and after, limit 0 or above historyPageMax is HISTORY_INVALID; historyPageMax itself is accepted',
    async run(ctx) {
      ctx.need(Capability.HISTORY);
      const { room, user } = await filledRoom(ctx, 2);
      const max = ctx.limits.historyPageMax;
      for (const q of [{ before: 2, after: 1 }, { limit: 0 }, { limit: max + 1 }]) {
        const id = user.conn.id();
        expectError(
          'HIST-4',
          await user.conn.request({ type: 'history', id, room, ...q }),
          ErrorCode.HISTORY_INVALID,
          id,
        );
      }
      const ok = await user.conn.request({ type: 'history', room, limit: max });
      expect('LIMIT-1', ok.type === 'page', `limit = historyPageMax (${max}) was refused`);
      expect(
        'WIRE-6',
        encodeFrame(ok).byteLength <= MAX_SERVER_FRAME_BYTES && user.conn.undecodable.length === 0,
        'a server frame was oversize or undecodable',
      );
    },
  },
  {
    id: 'history/random-queries',
    section,
    covers: ['HIST-1', 'HIST-2', 'HIST-3', 'HIST-5'],
    title: 'property: any valid query returns exactly the slice of the acknowledged log',
    async run(ctx) {
      ctx.need(Capability.HISTORY);
      const n = 12;
      const { room, user, log } = await filledRoom(ctx, n);
      const max = Math.min(ctx.limits.historyPageMax, n + 2);
      const query = fc.oneof(
        fc.record({ limit: fc.integer({ min: 1, max }) }),
        fc.record({ before: fc.integer({ min: 0, max: n + 3 }), limit: fc.integer({ min: 1, max }) }),
        fc.record({ after: fc.integer({ min: 0, max: n + 3 }), limit: fc.integer({ min: 1, max }) }),
      );
      // One connection serves every run: the property is about the query, not the room.
      await fc
        .assert(
          fc.asyncProperty(fc.array(query, { minLength: 1, maxLength: 8 }), async (qs) => {
            for (const q of qs) await checkQuery(user, room, log, q, ctx.limits.historyPageMax);
          }),
          { seed: ctx.settings.seed, numRuns: Math.min(ctx.settings.runs, 30), endOnFailure: true },
        )
        .catch((error: unknown) => {
          const cause = (error as { cause?: unknown }).cause;
          throw cause instanceof Error ? cause : error;
        });
    },
  },
  {
    id: 'history/default-page-size',
    section,
    covers: ['HIST-2', 'HIST-3'],
    title: 'a history without limit holds exactly historyPageMax of the latest messages when more exist',
    async run(ctx) {
      ctx.need(Capability.HISTORY);
      const max = ctx.limits.historyPageMax;
      if (max > 5_000) throw new Skip(`historyPageMax ${max}: the suite fills rooms of at most 5000 messages`);
      const { room, users } = await usersInRoom(ctx, 1);
      const total = max + 3;
      await fillRoom(ctx, room, total, (i) => `p${i}`, { requirement: 'HIST-2' });
      const page = await users[0]!.conn.ok('HIST-1', { type: 'history', room });
      const seqs = page.messages.map((m) => m.seq);
      const want = Array.from({ length: max }, (_, i) => total - max + 1 + i);
      expect(
        'HIST-2',
        seqs.join(',') === want.join(','),
        `history without limit in a room of ${total} returned ${seqs.length} messages (${seqs[0]}..${seqs.at(-1)}), expected the latest historyPageMax = ${max}`,
      );
      expect('HIST-3', page.more === true, `history without limit in a room of ${total} has more=${page.more}`);
    },
  },
];
