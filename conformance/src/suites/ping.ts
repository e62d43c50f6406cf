/**
 * §14 Ping and ordering: pong before login, replies in request order, and
 * ping as a sync barrier.
 *
 * @module
 */

import { CloseCode } from '@kuykan/protocol';
import { delay } from '../context.js';
import { expect, Skip } from '../failure.js';
import type { TestCase } from '../runner.js';
import { usersInRoom } from './helpers.js';

const section = 'ping';

export const ping: TestCase[] = [
  {
    id: 'ping/pong-before-login',
    section,
    covers: ['PING-1'],
    title: 'ping is answered with pong carrying the same id, also before login',
    async run(ctx) {
      const { conn } = await ctx.session();
      conn.send({ type: 'ping', id: 4_000_000_000 });
      const reply = await conn.next((f) => f.type === 'pong' || f.type === 'error', 'pong');
      expect('PING-1', reply.type === 'pong' && reply.id === 4_000_000_000, `ping answered ${JSON.stringify(reply)}`);
    },
  },
  {
    id: 'ping/replies-in-order',
    section,
    covers: ['PING-2', 'REQ-2'],
    title: 'pipelined requests are answered exactly once each, in the order sent',
    async run(ctx) {
      const user = await ctx.user();
      const room = ctx.room();
      const ids: number[] = [];
      const kinds = ['join', 'ping', 'rooms', 'history', 'typing', 'leave', 'ping', 'send', 'join', 'send'] as const;
      for (const kind of kinds) {
        const id = user.conn.id();
        ids.push(id);
        if (kind === 'join') user.conn.send({ type: 'join', id, room });
        else if (kind === 'leave') user.conn.send({ type: 'leave', id, room });
        else if (kind === 'ping') user.conn.send({ type: 'ping', id });
        else if (kind === 'rooms') user.conn.send({ type: 'rooms', id });
        else if (kind === 'history') user.conn.send({ type: 'history', id, room, limit: 1 });
        else if (kind === 'typing') user.conn.send({ type: 'typing', id, room, active: true });
        else user.conn.send({ type: 'send', id, room, clientId: `p${id}`, text: 'ordered' });
      }
      await user.conn.barrier();
      const replies = user.conn.log.filter((f) => 'id' in f && f.id !== undefined && ids.includes(f.id as number));
      const order = replies.map((f) => (f as { id: number }).id);
      expect(
        'REQ-2',
        order.length === ids.length,
        `${ids.length} requests got ${order.length} replies: ${order.join(',')}`,
      );
      expect(
        'PING-2',
        order.join(',') === ids.join(','),
        `replies came in order ${order.join(',')}, sent ${ids.join(',')}`,
      );
    },
  },
  {
    id: 'ping/barrier-after-acknowledged-events',
    section,
    covers: ['PING-3', 'PRES-6'],
    title: 'pong comes after every message and presence whose cause was acknowledged before the ping',
    async run(ctx) {
      const { room, users } = await usersInRoom(ctx, 2);
      const [a, b] = users as [(typeof users)[0], (typeof users)[0]];
      const c = await ctx.user('late');
      await ctx.join(c, room);
      // c's joined is acknowledged: a's pong must come after the presence join [PRES-6, PING-3].
      await a.conn.barrier();
      const presence = a.conn.log.findIndex((f) => f.type === 'presence' && f.name === c.name);
      const pong = a.conn.log.length - 1;
      expect(
        'PRES-6',
        presence >= 0 && presence < pong,
        `presence of ${c.name} not delivered to a before a later pong`,
      );
      for (let i = 0; i < 5; i++) await ctx.send(b, room, `barrier ${i}`);
      await a.conn.barrier();
      const got = a.conn.log.filter((f) => f.type === 'message' && f.room === room).length;
      expect('PING-3', got === 5, `after 5 acknowledged messages a's pong came with only ${got} of them`);
    },
  },
  {
    id: 'ping/dead-connection-closed',
    section,
    covers: ['PING-5'],
    title: 'a connection that stops answering WebSocket pings is closed with 4006',
    async run(ctx) {
      const interval = ctx.limits.heartbeatMs;
      // Two intervals plus margin; a default 25 s heartbeat would make this a 1-minute wait.
      if (interval > 5_000) throw new Skip(`heartbeatMs ${interval} is too long to wait for in a run (needs ≤ 5000)`);
      const user = await ctx.user('silent');
      // A paused socket reads nothing, so it cannot answer WebSocket pings.
      user.conn.ws.pause();
      await delay(3 * interval + 1_000);
      user.conn.ws.resume();
      const info = await user.conn.waitClose('after missing heartbeats').catch(() => undefined);
      expect(
        'PING-5',
        info?.code === CloseCode.HEARTBEAT_TIMEOUT,
        `a connection that answered no pings for ${3 * interval} ms: ${info ? `closed with ${info.code}` : 'still open'}, expected 4006`,
      );
    },
  },
];
