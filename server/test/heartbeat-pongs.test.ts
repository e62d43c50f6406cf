/**
 * What the heartbeat counts as a sign of life [PING-5]: any byte read from
 * the peer, its WebSocket pongs included. The server keeps no pong listener
 * per connection; it compares the socket's bytes read between pings.
 */

import type { Socket } from 'node:net';
import { CloseCode } from '@kuykan/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/index.js';
import { RawClient, startTestServer } from './helpers.js';

const HEARTBEAT_MS = 1000;

let server: RunningServer;
beforeAll(async () => {
  server = await startTestServer({ limits: { heartbeatMs: HEARTBEAT_MS } });
});
afterAll(() => server.close());

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the heartbeat', () => {
  it('keeps a connection that only answers pings, and closes one that stopped reading with 4006', async () => {
    // ws answers each ping with a pong by itself: this client sends nothing else after joining.
    const answering = await RawClient.open(server.url);
    await answering.login('answering');
    await answering.join('lobby');
    const silent = await RawClient.open(server.url);
    await silent.login('silent');
    // A paused socket reads nothing, so it cannot answer pings.
    (silent.ws as unknown as { _socket: Socket })._socket.pause();
    await sleep(3.5 * HEARTBEAT_MS);
    (silent.ws as unknown as { _socket: Socket })._socket.resume();
    expect((await silent.waitClosed()).code).toBe(CloseCode.HEARTBEAT_TIMEOUT);
    expect(answering.closed).toBeUndefined();
    await answering.barrier();
    answering.close();
  });
});
