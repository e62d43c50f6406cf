/**
 * An address gets its connection slot back [SEC-8] whichever way the
 * connection ends: an open session's close gives it back, and so does an
 * upgrade that ws refuses after admission counted it.
 */

import { connect } from 'node:net';
import { SUBPROTOCOL } from '@kuykan/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { RunningServer } from '../src/index.js';
import { RawClient, startTestServer } from './helpers.js';

let server: RunningServer;
beforeAll(async () => {
  server = await startTestServer({ admission: { maxConnectionsPerAddress: 2 } });
});
afterAll(() => server.close());

/** The HTTP status of an upgrade, or 101 when it opened (the socket is closed again). */
function upgradeStatus(url: string): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, SUBPROTOCOL);
    ws.once('open', () => {
      ws.terminate();
      resolve(101);
    });
    ws.once('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
    ws.once('error', () => resolve(-1));
  });
}

/** Sends an upgrade request whose key ws refuses (it passes the server's own checks first). */
function badKeyStatus(port: number): Promise<number> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    socket.on('data', (data) => {
      answer += data.toString();
    });
    socket.on('close', () => resolve(Number(answer.split(' ')[1])));
    socket.on('error', () => {});
    socket.write(
      'GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
        `Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: bad\r\nSec-WebSocket-Protocol: ${SUBPROTOCOL}\r\n\r\n`,
    );
  });
}

async function until(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('admission slots [SEC-8]', () => {
  it('gives an address its slot back when an open connection closes and when ws refuses its upgrade', async () => {
    const first = await RawClient.open(server.url);
    const second = await RawClient.open(server.url);
    expect(await upgradeStatus(server.url)).toBe(429);
    first.close();
    await until(() => server.connections === 1);
    // Refused by ws after admission took a slot: each refusal gives it back, or the next would get 429.
    for (let i = 0; i < 3; i++) expect(await badKeyStatus(server.port)).toBe(400);
    const third = await RawClient.open(server.url);
    expect(await upgradeStatus(server.url)).toBe(429);
    second.close();
    third.close();
  });
});
