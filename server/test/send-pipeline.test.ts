/**
 * A sender that does not wait for its acks: consecutive sends reach the
 * SQLite store together (one group commit, not one per round trip), and
 * still every reply comes in request order [PING-2], every message before
 * its ack [MSG-9], in seq order [MSG-7], a retry acked as its original
 * [MSG-5], a refusal in its place [ERR-2] and a ping after all of them
 * [PING-3].
 */

import { CloseCode, ErrorCode, type ServerFrame } from '@kuykan/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/index.js';
import { RawClient, startTestServer, tempDir } from './helpers.js';

const SENDS = 40;
const PING_AT = 20;
const EMPTY_AT = 10;
/** Sends a clientId again (a retry of send 5). */
const RETRY_AT = 30;

let server: RunningServer;
/** The same store with a burst of 5 sends, for a sender past its rate. */
let strict: RunningServer;
beforeAll(async () => {
  // A burst past the default send burst, which would refuse the tail of it.
  server = await startTestServer({ store: 'sqlite', dataDir: tempDir(), limits: { sendRate: 1000, sendBurst: 1000 } });
  strict = await startTestServer({ store: 'sqlite', dataDir: tempDir(), limits: { sendRate: 1, sendBurst: 5 } });
});
afterAll(async () => {
  await server.close();
  await strict.close();
});

/** A counter of `/metrics`. */
async function counter(name: string): Promise<number> {
  const text = await (await fetch(`${server.httpUrl}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return Number(line?.split(' ')[1]);
}

const replyId = (f: ServerFrame) => ('id' in f ? f.id : undefined);

describe('a sender that does not wait for acks', () => {
  it('gets its sends committed together, answered in request order', async () => {
    const sender = await RawClient.open(server.url);
    await sender.login('hasty');
    await sender.join('pipeline');
    const reader = await RawClient.open(server.url);
    await reader.login('reader');
    await reader.join('pipeline');
    const commits = await counter('kuykan_store_commits_total');
    const writes = await counter('kuykan_store_writes_total');

    for (let id = 1; id <= SENDS; id++) {
      if (id === PING_AT) sender.send({ type: 'ping', id });
      else if (id === EMPTY_AT) sender.send({ type: 'send', id, room: 'pipeline', clientId: `c${id}`, text: ' ' });
      else {
        const clientId = id === RETRY_AT ? 'c5' : `c${id}`;
        sender.send({ type: 'send', id, room: 'pipeline', clientId, text: `message ${id}` });
      }
    }
    await sender.waitFor((f) => replyId(f) === SENDS);

    const replies = sender.frames.filter(
      (f) => replyId(f) !== undefined && f.type !== 'loggedIn' && f.type !== 'joined',
    );
    expect(replies.map(replyId)).toEqual(Array.from({ length: SENDS }, (_, i) => i + 1));
    expect(replies[PING_AT - 1]!.type).toBe('pong');
    expect(replies[EMPTY_AT - 1]).toMatchObject({ type: 'error', code: ErrorCode.TEXT_INVALID });
    const acks = replies.filter((f) => f.type === 'ack');
    expect(acks).toHaveLength(SENDS - 2);
    const retry = acks.find((a) => a.id === RETRY_AT)!;
    const original = acks.find((a) => a.id === 5)!;
    expect({ ...retry, id: 5 }).toEqual(original);
    const fresh = acks.filter((a) => a.id !== RETRY_AT).map((a) => a.seq);
    expect(fresh).toEqual(fresh.toSorted((a, b) => a - b));

    // Each message reached the sender before its ack, and everyone in seq order, once.
    for (const ack of acks) {
      const echo = sender.frames.findIndex((f) => f.type === 'message' && f.seq === ack.seq);
      expect(echo).toBeGreaterThanOrEqual(0);
      expect(echo).toBeLessThan(sender.frames.indexOf(ack));
    }
    await reader.barrier();
    expect(reader.of('message').map((m) => m.seq)).toEqual(fresh);
    expect(sender.of('message').map((m) => m.seq)).toEqual(fresh);

    // 37 new messages (and maybe the retry, found in its transaction) in a handful of commits:
    // waiting for each ack would have taken one commit per send.
    const written = (await counter('kuykan_store_writes_total')) - writes;
    const committed = (await counter('kuykan_store_commits_total')) - commits;
    expect(written).toBeGreaterThanOrEqual(SENDS - 3);
    expect(committed).toBeLessThanOrEqual(10);
    sender.close();
    reader.close();
  });

  it('is refused in request order when past its rate, before any close for abuse [LIMIT-3, LIMIT-4]', async () => {
    const sender = await RawClient.open(strict.url);
    await sender.login('flooder');
    await sender.join('pipeline');
    const first = 3;
    // The burst's appends wait for their commit while the rest is refused; 150 refusals in a row may close.
    for (let id = first; id < first + 155; id++) {
      sender.send({ type: 'send', id, room: 'pipeline', clientId: `f${id}`, text: `flood ${id}` });
    }
    sender.send({ type: 'ping', id: first + 155 });
    await sender.waitFor((f) => replyId(f) === first + 155).catch(() => undefined);

    const replies = sender.frames.filter((f) => (replyId(f) ?? 0) >= first);
    expect(replies.map(replyId)).toEqual(Array.from({ length: replies.length }, (_, i) => first + i));
    expect(replies.slice(0, 5).map((f) => f.type)).toEqual(['ack', 'ack', 'ack', 'ack', 'ack']);
    expect(replies[5]).toMatchObject({ type: 'error', code: ErrorCode.RATE_LIMITED });
    if (sender.closed) expect(sender.closed.code).toBe(CloseCode.RATE_ABUSE);
    sender.close();
  });
});
