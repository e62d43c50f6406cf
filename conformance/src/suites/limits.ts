/**
 * §2 and §4 Limits, each at the advertised value and one past it: frame
 * size, rooms per connection, send rate. (Text, name, room and page limits
 * are tested in their own sections.)
 *
 * @module
 */

import { Capability, CloseCode, ErrorCode, FrameType } from '@kuykan/protocol';
import { encode } from '@msgpack/msgpack';
import { delay, expectError, showError, type TestContext } from '../context.js';
import { expect, Failure } from '../failure.js';
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
      const pong = await user.conn
        .next((f) => 'id' in f && f.id === 90, 'pong #90')
        .catch(() => {
          throw new Failure(
            'LIMIT-1',
            `a frame of exactly maxFrameBytes (${max}) was not served: ${user.conn.closeInfo ? `closed with ${user.conn.closeInfo.code}` : 'no pong'}`,
          );
        });
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
    covers: ['LIMIT-3', 'SEC-6', 'LIMIT-1', 'LIMIT-4'],
    title:
      'a burst of sendBurst sends is accepted; more gets RATE_LIMITED with a retryAfterMs after which a send succeeds',
    run: (ctx) => floodRate(ctx, 'send'),
  },
  {
    id: 'limits/typing-rate',
    section,
    covers: ['LIMIT-3', 'SEC-6', 'LIMIT-1', 'LIMIT-4'],
    title: 'typing counts against the same rate: exceeding it gets RATE_LIMITED with retryAfterMs',
    async run(ctx) {
      ctx.need(Capability.TYPING);
      await floodRate(ctx, 'typing');
    },
  },
];

/**
 * Pipelines sendBurst + sendRate + 10 requests of one kind. The server may
 * close with 4005 once it has refused some (LIMIT-4 MAY): replies after that
 * close are not expected. Otherwise every request gets a reply.
 */
async function floodRate(ctx: TestContext, kind: 'send' | 'typing'): Promise<void> {
  const { room, users } = await usersInRoom(ctx, 1);
  const conn = users[0]!.conn;
  const { sendBurst, sendRate } = ctx.limits;
  const total = Math.min(sendBurst + sendRate + 10, 5_000);
  const ids: number[] = [];
  const started = Date.now();
  for (let i = 0; i < total; i++) {
    const id = conn.id();
    ids.push(id);
    if (kind === 'send') conn.send({ type: 'send', id, room, clientId: `rate-${id}`, text: `rate ${i}` });
    else conn.send({ type: 'typing', id, room, active: i % 2 === 0 });
  }
  const closedEarly = await conn.barrier().then(
    () => false,
    () => !conn.open,
  );
  const seconds = (Date.now() - started) / 1000;
  const replies = ids.map((id) => conn.log.find((f) => 'id' in f && f.id === id));
  const refusals = replies.filter((r) => r?.type === 'error' && r.code === ErrorCode.RATE_LIMITED);
  const firstRefusal = replies.findIndex((r) => r?.type === 'error');
  if (closedEarly) {
    const code = conn.closeInfo?.code;
    expect(
      'LIMIT-3',
      code === CloseCode.RATE_ABUSE && refusals.length > 0,
      `the connection was closed (${code}) during ${total} pipelined ${kind} requests without a RATE_LIMITED reply first`,
    );
  }
  if (refusals.length === 0) {
    // A server that handles requests slower than sendRate never sees them exceed it; only more
    // acceptances than the bucket allows over the elapsed time prove a missing limit.
    const accepted = replies.filter((r) => r !== undefined && r.type !== 'error').length;
    const allowed = Math.ceil(sendBurst + sendRate * seconds * 1.1) + 5;
    expect(
      'LIMIT-3',
      accepted <= allowed,
      `${accepted} of ${total} pipelined ${kind} requests were accepted in ${seconds.toFixed(2)} s and none was RATE_LIMITED: ` +
        `sendBurst ${sendBurst} + sendRate ${sendRate}/s allow at most ${allowed}`,
    );
    return;
  }
  expect(
    'LIMIT-1',
    firstRefusal < 0 || firstRefusal >= sendBurst,
    `${kind} request ${firstRefusal + 1} of a burst of ${sendBurst} was refused`,
  );
  const bare = refusals.find((r) => r?.type !== 'error' || !((r.retryAfterMs ?? 0) > 0));
  expect('LIMIT-3', bare === undefined, `RATE_LIMITED for ${kind} carries no retryAfterMs: ${JSON.stringify(bare)}`);
  if (closedEarly) return;
  // Every request was answered before the pong [REQ-2, PING-2].
  const missing = replies.indexOf(undefined);
  expect('REQ-2', missing < 0, `${kind} request #${ids[missing]} got no reply before the pong of a later ping`);
  // retryAfterMs is "the time until it could succeed": after it, one request does.
  const last = refusals.at(-1)!;
  const wait = last.type === 'error' ? (last.retryAfterMs ?? 0) : 0;
  const refill = Math.ceil((1000 * sendBurst) / Math.max(sendRate, 1)) + 1_000;
  expect('LIMIT-3', wait <= refill, `retryAfterMs ${wait} is longer than refilling the whole bucket (${refill} ms)`);
  await delay(wait + 20);
  const after = await conn.request(
    kind === 'send'
      ? { type: 'send', room, clientId: `rate-after-${ctx.random(1e9)}`, text: 'after the wait' }
      : { type: 'typing', room, active: false },
  );
  expect(
    'LIMIT-3',
    after.type !== 'error',
    `a ${kind} sent ${wait} ms after RATE_LIMITED (its retryAfterMs) was refused: ${showError(after)}`,
  );
}
