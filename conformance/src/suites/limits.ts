/**
 * §2 and §4 Limits, each at the advertised value and one past it: frame
 * size, rooms per connection, send rate. (Text, name, room and page limits
 * are tested in their own sections.)
 *
 * @module
 */

import { Capability, type ClientFrame, CloseCode, ErrorCode, FrameType } from '@kuykan/protocol';
import { encode } from '@msgpack/msgpack';
import { delay, expectError, showError, type TestContext } from '../context.js';
import { expect, Failure } from '../failure.js';
import type { TestCase } from '../runner.js';
import type { RequestInput, WireClient } from '../wire.js';
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

/** What {@link flood} pipelines, and the bucket it must hit. */
export interface Flood {
  /** Shown in messages, e.g. `send` or `edit and react`. */
  readonly what: string;
  /** Connections the requests are spread over, round-robin (one bucket may span sessions of a user). */
  readonly conns: WireClient[];
  /** The request number `i` with request id `id`. */
  readonly make: (i: number, id: number) => ClientFrame;
  readonly burst: number;
  readonly rate: number;
  /** One request that must succeed after the last refusal's `retryAfterMs`. */
  readonly retry: () => RequestInput;
  /** The requirement a missing or wrong limit breaks (default LIMIT-3). */
  readonly requirement?: string;
  /** Tokens of the bucket the test spent just before (the bucket may not have refilled them). */
  readonly spent?: number;
}

/** Pipelines sendBurst + sendRate + 10 requests of one kind on a fresh room's only member. */
async function floodRate(ctx: TestContext, kind: 'send' | 'typing'): Promise<void> {
  const { room, users } = await usersInRoom(ctx, 1);
  const { sendBurst, sendRate } = ctx.limits;
  await flood({
    what: kind,
    conns: [users[0]!.conn],
    burst: sendBurst,
    rate: sendRate,
    make: (i, id) =>
      kind === 'send'
        ? { type: 'send', id, room, clientId: `rate-${id}`, text: `rate ${i}` }
        : { type: 'typing', id, room, active: i % 2 === 0 },
    retry: () =>
      kind === 'send'
        ? { type: 'send', room, clientId: `rate-after-${ctx.random(1e9)}`, text: 'after the wait' }
        : { type: 'typing', room, active: false },
  });
}

/**
 * Pipelines burst + rate + 10 requests. The server may close with 4005 once
 * it has refused some (LIMIT-4 MAY): replies after that close are not
 * expected. Otherwise every request gets a reply, a refusal carries
 * `retryAfterMs`, and a request after it succeeds.
 */
export async function flood(flooding: Flood): Promise<void> {
  const { what, conns, make, burst, rate, retry, requirement = 'LIMIT-3', spent = 0 } = flooding;
  const total = Math.min(burst + rate + 10, 5_000);
  const ids: [WireClient, number][] = [];
  const started = Date.now();
  for (let i = 0; i < total; i++) {
    const conn = conns[i % conns.length]!;
    const id = conn.id();
    ids.push([conn, id]);
    conn.send(make(i, id));
  }
  const closes = await Promise.all(
    conns.map((conn) =>
      conn.barrier().then(
        () => false,
        () => !conn.open,
      ),
    ),
  );
  const closedEarly = closes.some(Boolean);
  const seconds = (Date.now() - started) / 1000;
  const replies = ids.map(([conn, id]) => conn.log.find((f) => 'id' in f && f.id === id));
  const refusals = replies.filter((r) => r?.type === 'error' && r.code === ErrorCode.RATE_LIMITED);
  const firstRefusal = replies.findIndex((r) => r?.type === 'error');
  if (closedEarly) {
    const code = conns.find((c) => !c.open)?.closeInfo?.code;
    expect(
      requirement,
      code === CloseCode.RATE_ABUSE && refusals.length > 0,
      `the connection was closed (${code}) during ${total} pipelined ${what} requests without a RATE_LIMITED reply first`,
    );
  }
  // More acceptances than the bucket allows over the elapsed time prove a missing or too wide limit
  // (one bucket per connection where the user's sessions must share one, say).
  const accepted = replies.filter((r) => r !== undefined && r.type !== 'error').length;
  const allowed = Math.ceil(burst + rate * seconds * 1.1) + Math.min(5, Math.ceil(burst / 4));
  expect(
    requirement,
    accepted <= allowed,
    `${accepted} of ${total} pipelined ${what} requests were accepted in ${seconds.toFixed(2)} s (${refusals.length} RATE_LIMITED): ` +
      `burst ${burst} + rate ${rate}/s allow at most ${allowed}`,
  );
  // A server that handles requests slower than the rate never sees them exceed it.
  if (refusals.length === 0) return;
  expect(
    'LIMIT-1',
    firstRefusal < 0 || firstRefusal >= burst - spent,
    `${what} request ${firstRefusal + 1} of a burst of ${burst} was refused`,
  );
  const bare = refusals.find((r) => r?.type !== 'error' || !((r.retryAfterMs ?? 0) > 0));
  expect(requirement, bare === undefined, `RATE_LIMITED for ${what} carries no retryAfterMs: ${JSON.stringify(bare)}`);
  if (closedEarly) return;
  // Every request was answered before the pong [REQ-2, PING-2].
  const missing = replies.indexOf(undefined);
  expect('REQ-2', missing < 0, `${what} request #${ids[missing]?.[1]} got no reply before the pong of a later ping`);
  // retryAfterMs is "the time until it could succeed": after it, one request does.
  const last = refusals.at(-1)!;
  const wait = last.type === 'error' ? (last.retryAfterMs ?? 0) : 0;
  const refill = Math.ceil((1000 * burst) / Math.max(rate, 1)) + 1_000;
  expect(requirement, wait <= refill, `retryAfterMs ${wait} is longer than refilling the whole bucket (${refill} ms)`);
  await delay(wait + 20);
  const after = await conns[0]!.request(retry());
  expect(
    requirement,
    after.type !== 'error',
    `a ${what} request sent ${wait} ms after RATE_LIMITED (its retryAfterMs) was refused: ${showError(after)}`,
  );
}
