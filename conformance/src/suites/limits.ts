/**
 * §2 and §4 Limits, each at the advertised value and one past it: frame
 * size, rooms per connection, send rate. (Text, name, room and page limits
 * are tested in their own sections.)
 *
 * @module
 */

import { CloseCode, ErrorCode, FrameType } from '@kuykan/protocol';
import { encode } from '@msgpack/msgpack';
import { expectError } from '../context.js';
import { expect } from '../failure.js';
import type { TestCase } from '../runner.js';
import { usersInRoom } from './helpers.js';

const section = 'limits';

/** A ping of exactly `size` bytes: the padding sits in an unknown key, which receivers ignore [WIRE-8]. */
export function pingOfSize(id: number, size: number): Uint8Array {
  let pad = Math.max(0, size - 64);
  for (let i = 0; i < 8; i++) {
    const bytes = encode({ t: FrameType.ping, i: id, zz: 'p'.repeat(pad) });
    if (bytes.byteLength === size) return bytes;
    pad += size - bytes.byteLength;
  }
  throw new Error(`cannot build a ping of exactly ${size} bytes`);
}

export const limits: TestCase[] = [
  {
    id: 'limits/frame-size',
    section,
    covers: ['WIRE-5', 'LIMIT-1'],
    title: 'a message of maxFrameBytes is served; one byte more closes the connection with 1009',
    async run(ctx) {
      const user = await ctx.user();
      const max = ctx.limits.maxFrameBytes;
      user.conn.sendRaw(pingOfSize(90, max), `ping of ${max} bytes`);
      const pong = await user.conn.next((f) => 'id' in f && f.id === 90, 'pong #90');
      expect('LIMIT-1', pong.type === 'pong', `a frame of exactly maxFrameBytes answered ${pong.type}`);
      user.conn.sendRaw(pingOfSize(91, max + 1), `ping of ${max + 1} bytes`);
      // A pong to a later ping means the oversize frame was accepted; no need to wait for a timeout.
      user.conn.send({ type: 'ping', id: 92 });
      const after = await user.conn
        .next((f) => 'id' in f && f.id === 92, 'close')
        .then(
          (f) => f,
          () => undefined,
        );
      expect(
        'WIRE-5',
        after === undefined,
        `a frame of maxFrameBytes+1 was accepted: the next ping got ${after?.type}`,
      );
      const info = await user.conn.waitClose('after a frame over maxFrameBytes').catch(() => undefined);
      expect(
        'WIRE-5',
        info?.code === CloseCode.MESSAGE_TOO_BIG,
        `frame of maxFrameBytes+1: ${info ? `closed with ${info.code}` : 'connection stayed open'}, expected close 1009`,
      );
    },
  },
  {
    id: 'limits/rooms-per-connection',
    section,
    covers: ['LIMIT-5', 'LIMIT-1'],
    title: 'maxRoomsPerConnection rooms can be joined; one more is TOO_MANY_ROOMS',
    async run(ctx) {
      const user = await ctx.user();
      const max = ctx.limits.maxRoomsPerConnection;
      for (let i = 0; i < max; i++) await ctx.join(user, ctx.room(), 'LIMIT-1');
      const id = user.conn.id();
      expectError(
        'LIMIT-5',
        await user.conn.request({ type: 'join', id, room: ctx.room() }),
        ErrorCode.TOO_MANY_ROOMS,
        id,
      );
    },
  },
  {
    id: 'limits/send-rate',
    section,
    covers: ['LIMIT-3', 'SEC-6', 'LIMIT-1'],
    title: 'a burst of sendBurst requests is accepted; exceeding the rate gets RATE_LIMITED with retryAfterMs',
    async run(ctx) {
      const { room, users } = await usersInRoom(ctx, 1);
      const conn = users[0]!.conn;
      const { sendBurst, sendRate } = ctx.limits;
      const total = Math.min(sendBurst + sendRate + 10, 5_000);
      const ids: number[] = [];
      for (let i = 0; i < total; i++) {
        const id = conn.id();
        ids.push(id);
        conn.send({ type: 'typing', id, room, active: i % 2 === 0 });
      }
      await conn.barrier();
      const replies = ids.map((id) => conn.log.find((f) => 'id' in f && f.id === id));
      const firstRefusal = replies.findIndex((r) => r?.type === 'error');
      const refusal = replies.find((r) => r?.type === 'error' && r.code === ErrorCode.RATE_LIMITED);
      expect(
        'LIMIT-3',
        refusal !== undefined,
        `${total} pipelined typing requests were never RATE_LIMITED (sendBurst ${sendBurst}, sendRate ${sendRate}/s)`,
      );
      expect(
        'LIMIT-1',
        firstRefusal < 0 || firstRefusal >= sendBurst,
        `request ${firstRefusal + 1} of a burst of ${sendBurst} was refused`,
      );
      expect(
        'LIMIT-3',
        refusal?.type === 'error' && (refusal.retryAfterMs ?? 0) > 0,
        'RATE_LIMITED carries no retryAfterMs',
      );
    },
  },
];
