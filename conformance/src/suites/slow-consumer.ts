/**
 * §15 SEC-1: a connection that stops reading is closed with 4004 once its
 * unsent buffer passes the server's cap, and can then resume without loss.
 *
 * The cap is private, and the send rate makes fan-out too slow to reach it,
 * so the test amplifies: the victim stops reading at the TCP level (its
 * socket is paused) and asks for large replies that are not rate-limited
 * (history pages of large messages, or re-joins carrying `joinRecent` of
 * them) until far more than any sane cap plus kernel buffers is owed to it.
 * A `send` from the victim after those requests shows the others when the
 * server has handled them [PING-2]. Then it reads again: a server with a cap
 * has closed it; one without delivers everything, and fails.
 *
 * @module
 */

import { Capability, CloseCode, type MessageFrame, type ServerFrame } from '@kuykan/protocol';
import { expect } from '../failure.js';
import type { TestCase } from '../runner.js';
import { fillRoom } from './fill.js';
import { padTo, usersInRoom } from './helpers.js';

/** Bytes owed to the non-reading victim before the server must have closed it. */
export const SLOW_CONSUMER_FLOOD_BYTES = 64 * 1024 * 1024;
/** Extra wait beyond the advertised grace for the victim's presence leave (ms). */
const GRACE_MARGIN_MS = 1_500;

export const slowConsumer: TestCase[] = [
  {
    id: 'security/slow-consumer',
    section: 'security',
    covers: ['SEC-1'],
    title: 'a connection that stops reading is closed with 4004 and resumes without loss',
    async run(ctx) {
      const { room, users } = await usersInRoom(ctx, 2);
      const [victim, watcher] = users as [(typeof users)[0], (typeof users)[0]];
      // Big messages: maxTextLength 4-byte code points, within maxFrameBytes.
      const chars = Math.max(1, Math.min(ctx.limits.maxTextLength, Math.floor((ctx.limits.maxFrameBytes - 200) / 4)));
      const text = padTo('', chars, '😀');
      const perMessage = chars * 4 + 60;
      const byHistory = ctx.has(Capability.HISTORY);
      // Each reply stays under 4 MiB [WIRE-6].
      const perReply = Math.max(
        1,
        Math.min(byHistory ? ctx.limits.historyPageMax : ctx.limits.joinRecent, Math.floor((4 << 20) / perMessage) - 1),
      );
      await fillRoom(ctx, room, perReply, () => text, { requirement: 'SEC-1' });
      await ctx.sync(victim, watcher);
      victim.conn.take(() => true);
      watcher.conn.take(() => true);
      const replies = Math.ceil(SLOW_CONSUMER_FLOOD_BYTES / (perReply * perMessage));
      victim.conn.ws.pause();
      const first = victim.conn.id();
      for (let i = 0; i < replies; i++) {
        const id = victim.conn.id();
        if (byHistory) victim.conn.send({ type: 'history', id, room, limit: perReply });
        else victim.conn.send({ type: 'join', id, room });
      }
      const marker = `after the flood ${ctx.random(1e9)}`;
      victim.conn.send({ type: 'send', id: victim.conn.id(), room, clientId: 'slow-marker', text: marker });
      const handled = (f: ServerFrame) =>
        (f.type === 'message' && f.room === room && f.text === marker) ||
        (f.type === 'presence' && f.room === room && f.name === victim.name && f.kind === 'leave');
      // The server either handled every request (the marker arrives) or dropped the victim (leave after grace).
      await watcher.conn.next(
        handled,
        'the victim’s marker message or presence leave',
        Math.max(ctx.settings.timeoutMs, ctx.limits.presenceGraceMs + GRACE_MARGIN_MS) * 3,
      );
      victim.conn.ws.resume();
      let received = 0;
      const count = () => {
        received = victim.conn.log.filter(
          (f) => 'id' in f && (f.id ?? -1) >= first && (f.id ?? -1) <= first + replies,
        ).length;
      };
      const info = await victim.conn.waitClose('after the flood').catch(() => undefined);
      count();
      // 4004 is what the server sends; a server that then drops the socket before a non-reading
      // client could read that far shows up as an abnormal closure (1006) on the client side.
      expect(
        'SEC-1',
        info !== undefined && (info.code === CloseCode.SLOW_CONSUMER || info.code === 1006),
        info
          ? `a connection that stopped reading was closed with ${info.code}, expected 4004`
          : `the server kept ${Math.round((replies * perReply * perMessage) / 2 ** 20)} MiB of replies for a connection that did not read, and delivered ${received} of ${replies} once it read again: no cap closed it with 4004`,
      );
      // It can reconnect and find every message it missed. (A resuming join would carry the whole gap
      // in one frame, which with large messages can exceed 4 MiB [WIRE-6]; history pages stay small.)
      const seen = victim.conn.log.filter((f): f is MessageFrame => f.type === 'message' && f.room === room);
      const lastSeen = seen.at(-1)?.seq ?? 0;
      const back = await ctx.user('back', { name: victim.name, key: victim.key });
      const rejoined = await back.conn.ok('SEC-1', { type: 'join', room });
      if (!byHistory) return;
      let after = lastSeen;
      for (;;) {
        const page = await back.conn.ok('SEC-1', { type: 'history', room, after, limit: perReply });
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
