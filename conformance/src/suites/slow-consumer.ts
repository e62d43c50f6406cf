/**
 * §15 SEC-1: a connection that stops reading is closed with 4004 once its
 * unsent buffer passes the server's cap, and can then resume without loss.
 * The cap is not advertised, so the test floods for a bounded time and skips
 * when the cap is not reached within it.
 *
 * @module
 */

import { CloseCode, ErrorCode, type MessageFrame } from '@kuykan/protocol';
import { delay } from '../context.js';
import { expect, Skip } from '../failure.js';
import type { TestCase } from '../runner.js';
import { padTo, usersInRoom } from './helpers.js';

/** Longest the flood may run before the test gives up (ms). */
const FLOOD_BUDGET_MS = 20_000;
/** Most bytes of messages the flood sends before giving up. */
const FLOOD_MAX_BYTES = 64 * 1024 * 1024;

export const slowConsumer: TestCase[] = [
  {
    id: 'security/slow-consumer',
    section: 'security',
    covers: ['SEC-1'],
    title: 'a connection that stops reading is closed with 4004 and resumes without loss',
    async run(ctx) {
      const { room, users } = await usersInRoom(ctx, 2);
      const [victim, writer] = users as [(typeof users)[0], (typeof users)[0]];
      victim.conn.ws.pause();
      // Big messages fill the buffer fastest: maxTextLength 4-byte code points, within maxFrameBytes.
      const perChar = 4;
      const chars = Math.min(ctx.limits.maxTextLength, Math.floor((ctx.limits.maxFrameBytes - 200) / perChar));
      const text = padTo('', chars, '😀');
      const started = Date.now();
      let sent = 0;
      let bytes = 0;
      // The server's close sits behind the unread data, so the victim cannot see it; the writer sees
      // the victim's presence leave once the server dropped it and the grace ran out.
      const victimGone = () =>
        writer.conn.log.some(
          (f) => f.type === 'presence' && f.room === room && f.name === victim.name && f.kind === 'leave',
        );
      while (!victimGone() && Date.now() - started < FLOOD_BUDGET_MS) {
        if (bytes < FLOOD_MAX_BYTES) {
          const batch = Math.max(1, Math.min(ctx.limits.sendBurst, 50));
          const ids = new Set<number>();
          for (let i = 0; i < batch; i++) {
            const id = writer.conn.id();
            ids.add(id);
            writer.conn.send({ type: 'send', id, room, clientId: `flood-${id}`, text });
          }
          await writer.conn.barrier();
          const refusals = writer.conn.take(
            (f) => f.type === 'error' && f.code === ErrorCode.RATE_LIMITED && ids.has(f.id ?? -1),
          );
          sent += batch - refusals.length;
          bytes += (batch - refusals.length) * chars * perChar;
          writer.conn.take((f) => f.type === 'message' || (f.type === 'ack' && ids.has(f.id)));
          if (refusals.length > 0)
            await delay(
              Math.min(Math.max(...refusals.map((r) => (r.type === 'error' ? (r.retryAfterMs ?? 100) : 100))), 2_000),
            );
        } else {
          await delay(100);
          await writer.conn.barrier();
        }
      }
      victim.conn.ws.resume();
      if (!victimGone())
        throw new Skip(
          `the server's buffer cap was not reached within ${FLOOD_BUDGET_MS} ms (${sent} messages, ${bytes} bytes)`,
        );
      const info = await victim.conn.waitClose('after the flood').catch(() => undefined);
      // 4004 is what the server sends; a server that then drops the socket before a non-reading
      // client could read that far shows up as an abnormal closure (1006) on the client side.
      expect(
        'SEC-1',
        info !== undefined && (info.code === CloseCode.SLOW_CONSUMER || info.code === 1006),
        `a connection that stopped reading was closed with ${info?.code ?? 'nothing'}, expected 4004`,
      );
      // It can reconnect and find every message it missed. (A resuming join would carry the whole gap
      // in one frame, which with large messages can exceed 4 MiB [WIRE-6]; history pages stay small.)
      const seen = victim.conn.log.filter((f): f is MessageFrame => f.type === 'message' && f.room === room);
      const lastSeen = seen.at(-1)?.seq ?? 0;
      const back = await ctx.user('back', { name: victim.name, key: victim.key });
      const rejoined = await back.conn.ok('SEC-1', { type: 'join', room });
      if (!ctx.has('history')) return;
      let after = lastSeen;
      for (;;) {
        const page = await back.conn.ok('SEC-1', { type: 'history', room, after, limit: ctx.limits.historyPageMax });
        for (const m of page.messages) {
          expect('SEC-1', m.seq === after + 1, `after 4004, history after ${lastSeen} skips from ${after} to ${m.seq}`);
          after = m.seq;
        }
        if (!page.more || page.messages.length === 0) break;
      }
      expect(
        'SEC-1',
        after === rejoined.seq,
        `after 4004 only messages up to ${after} of ${rejoined.seq} could be recovered`,
      );
    },
  },
];
