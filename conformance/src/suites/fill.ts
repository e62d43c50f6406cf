/**
 * Fills a room with many messages fast on any server: the send rate is per
 * connection (§4), so the work is spread over as many writer sessions as the
 * burst requires, each pipelining up to `sendBurst` sends and retrying
 * RATE_LIMITED ones after `retryAfterMs` with the same clientId (MSG-5).
 *
 * @module
 */

import { type AckFrame, ErrorCode } from '@kuykan/protocol';
import { delay, showError, type TestContext, type UserConn } from '../context.js';
import { Failure, Timeout } from '../failure.js';

/** Most writer sessions a fill opens (bounded so a tiny burst does not open hundreds). */
const MAX_WRITERS = 40;

/**
 * Sends `count` messages to `room` (text from `text(i)`, i from 1) and
 * resolves with the acks in seq order. The writers join the room and are
 * closed at the end unless `keep` is set.
 */
export async function fillRoom(
  ctx: TestContext,
  room: string,
  count: number,
  text: (i: number) => string,
  options: { keep?: boolean; requirement?: string } = {},
): Promise<{ acks: AckFrame[]; writers: UserConn[] }> {
  const requirement = options.requirement ?? 'LIMIT-1';
  const burst = Math.max(1, ctx.limits.sendBurst);
  const n = Math.min(MAX_WRITERS, Math.max(1, Math.ceil(count / burst)));
  const writers: UserConn[] = [];
  for (let w = 0; w < n; w++) {
    const writer = await ctx.user(`fill${w}_`);
    await ctx.join(writer, room, requirement);
    writers.push(writer);
  }
  const acks: AckFrame[] = [];
  let next = 1;
  await Promise.all(
    writers.map(async (writer) => {
      while (next <= count) {
        const batch: number[] = [];
        while (batch.length < burst && next <= count) batch.push(next++);
        acks.push(...(await sendBatch(writer, room, batch, text, requirement)));
      }
    }),
  );
  // Writers receive every message too; their inboxes are not needed.
  for (const writer of writers) writer.conn.take((f) => f.type === 'message' || f.type === 'presence');
  if (!options.keep) for (const writer of writers) writer.conn.close();
  acks.sort((a, b) => a.seq - b.seq);
  return { acks, writers };
}

async function sendBatch(
  writer: UserConn,
  room: string,
  batch: number[],
  text: (i: number) => string,
  requirement: string,
): Promise<AckFrame[]> {
  let pending = batch;
  const acks: AckFrame[] = [];
  for (let attempt = 0; pending.length > 0; attempt++) {
    if (attempt > 60) throw new Timeout(`fill: ${pending.length} sends stayed rate limited for 60 rounds`);
    const replies = await Promise.all(
      pending.map((i) =>
        writer.conn.request({ type: 'send', room, clientId: `fill-${i}`, text: text(i) }).then((r) => [i, r] as const),
      ),
    );
    const limited: number[] = [];
    let wait = 0;
    for (const [i, reply] of replies) {
      if (reply.type === 'ack') acks.push(reply);
      else if (reply.type === 'error' && reply.code === ErrorCode.RATE_LIMITED) {
        limited.push(i);
        wait = Math.max(wait, reply.retryAfterMs ?? 100);
      } else throw new Failure(requirement, `send ${i} of a fill was refused: ${showError(reply)}`);
    }
    pending = limited;
    if (pending.length > 0) await delay(Math.min(wait, 5_000) + 5);
  }
  return acks;
}
