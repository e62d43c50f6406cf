/**
 * A session that keeps logging in while it is told to wait after failed
 * logins [LOGIN-7] is closed as rate abuse, as any other flood is [LIMIT-4].
 */

import { CloseCode, ErrorCode } from '@kuykan/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/index.js';
import { RawClient, startTestServer } from './helpers.js';

let server: RunningServer;
beforeAll(async () => {
  server = await startTestServer({
    admission: { freeLoginFailures: 1, loginFailureDelayMs: 60_000, maxLoginDelayMs: 60_000 },
  });
});
afterAll(() => server.close());

describe('logins refused for failed logins', () => {
  it('close the session with 4005 after as many refusals in a row as any rate abuse', async () => {
    const owner = await RawClient.open(server.url);
    await owner.login('held', 'the-key');
    const guesser = await RawClient.open(server.url);
    // Two wrong keys use up the free failure; from then on every login is told to wait.
    for (const key of ['guess-1', 'guess-2']) {
      expect(await guesser.request({ type: 'login', name: 'held', key })).toMatchObject({ code: ErrorCode.NAME_TAKEN });
    }
    // Pipelined: the session is closed part-way through, so not every login gets a reply.
    for (let n = 0; n < 150; n++) guesser.send({ type: 'login', id: 1000 + n, name: 'held', key: `guess-${n}` });

    expect((await guesser.waitClosed()).code).toBe(CloseCode.RATE_ABUSE);
    const refused = guesser.of('error').filter((e) => e.id !== undefined && e.id >= 1000);
    expect(refused.every((e) => e.code === ErrorCode.RATE_LIMITED)).toBe(true);
    expect(refused.length).toBeGreaterThanOrEqual(99);
    expect(refused.length).toBeLessThan(150);
    owner.close();
  });
});

describe('a pipelined flood past the in-flight cap', () => {
  it('is closed with 4005 even though the server had stopped reading the socket', async () => {
    // A server of its own: the other's address is still waiting out failed logins.
    const fresh = await startTestServer();
    const flooder = await RawClient.open(fresh.url);
    await flooder.login('flooder');
    // 2,000 frames at once: far past maxInFlight (64), so the server pauses
    // reading, and must read on after its close to see the peer's close frame.
    for (let n = 0; n < 1000; n++) {
      flooder.send({ type: 'join', id: 10 + 2 * n, room: `flood-${n}` });
      flooder.send({ type: 'leave', id: 11 + 2 * n, room: `flood-${n}` });
    }
    expect((await flooder.waitClosed()).code).toBe(CloseCode.RATE_ABUSE);
    // At least 99 in a row before the close; more when tokens refilled while a loaded machine worked.
    expect(flooder.of('error').filter((e) => e.code === ErrorCode.RATE_LIMITED).length).toBeGreaterThanOrEqual(99);
    await fresh.close();
  });
});
