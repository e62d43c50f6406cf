import { connect, type Socket } from 'node:net';
import { CloseCode, encodeFrame, SUBPROTOCOL } from '@kuykan/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { RunningServer } from '../src/index.js';
import { RawClient, startTestServer } from './helpers.js';

const SOCKETS = Number(process.env.KUYKAN_ADMISSION_SOCKETS ?? 3000);
const PER_ADDRESS = Math.floor(SOCKETS / 10);
const LOGIN_TIMEOUT_MS = 8000;
const SLOWLORIS = Math.floor(SOCKETS / 15);

let server: RunningServer;
beforeAll(async () => {
  server = await startTestServer({
    admission: { maxConnectionsPerAddress: PER_ADDRESS, headersTimeoutMs: 1000 },
    limits: { loginTimeoutMs: LOGIN_TIMEOUT_MS },
  });
});
afterAll(() => server.close());

/** An accepted socket that said hello and never logs in, with how and when it was closed. */
interface Idle {
  ws: WebSocket;
  closed: Promise<{ code: number; at: number }>;
}

/** Opens a WebSocket that says hello at once; resolves accepted (idle) or refused with a status. */
function attempt(url: string): Promise<{ idle?: Idle; status?: number }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, SUBPROTOCOL);
    ws.once('open', () => {
      const closed = new Promise<{ code: number; at: number }>((done) =>
        ws.once('close', (code) => done({ code, at: Date.now() })),
      );
      ws.send(encodeFrame({ type: 'hello', versions: [1], client: 'idle' }));
      resolve({ idle: { ws, closed } });
    });
    ws.once('unexpected-response', (_req, res) => resolve({ status: res.statusCode }));
    ws.once('error', () => resolve({ status: -1 }));
  });
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

describe('admission control [SEC-8, SEC-9, LOGIN-8]', () => {
  it(`caps ${SOCKETS} sockets from one address at ${PER_ADDRESS}, closes idle and half-open ones, and keeps serving a good client`, async () => {
    // The well-behaved client comes from another loopback address, so the cap is not its cap.
    const polite = await RawClient.open(server.url, { localAddress: '127.0.0.2' });
    await polite.login('polite');
    await polite.join('lobby');
    const rtts: number[] = [];
    let probing = true;
    const probe = (async () => {
      while (probing) {
        const started = performance.now();
        await polite.barrier();
        rtts.push(performance.now() - started);
        await new Promise((r) => setTimeout(r, 10));
      }
    })();

    const started = Date.now();
    const results: Array<{ idle?: Idle; status?: number }> = [];
    let peak = 0;
    for (let n = 0; n < SOCKETS; n += 250) {
      results.push(
        ...(await Promise.all(Array.from({ length: Math.min(250, SOCKETS - n) }, () => attempt(server.url)))),
      );
      peak = Math.max(peak, server.connections);
    }
    const open = results.flatMap((r) => (r.idle ? [r.idle] : []));
    const refused = results.filter((r) => r.status === 429).length;
    // Every accepted socket said hello and never logs in: the login deadline closes it.
    const closes = open.map((idle) => idle.closed);
    // Half-open upgrades: headers trickle in and never finish (slowloris).
    const slow: Array<Promise<number>> = [];
    const sockets: Socket[] = [];
    const { port } = server;
    for (let n = 0; n < SLOWLORIS; n++) {
      const socket = connect(port, '127.0.0.1');
      sockets.push(socket);
      const opened = Date.now();
      const request = `GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n`;
      let at = 0;
      const drip = setInterval(() => socket.writable && socket.write(request[at++ % request.length]!), 100);
      slow.push(
        new Promise((resolve) =>
          socket.once('close', () => {
            clearInterval(drip);
            resolve(Date.now() - opened);
          }),
        ),
      );
      socket.on('error', () => {});
    }
    const closed = await Promise.all(closes);
    if (process.env.KUYKAN_DEBUG) console.info('idle closed');
    const slowClosed = await Promise.all(slow);
    if (process.env.KUYKAN_DEBUG) console.info('slow closed');
    probing = false;
    await probe;

    // Sockets close at their login deadline while later ones connect, so more
    // than the cap are accepted over the run, but never more than it at once.
    expect(peak).toBeLessThanOrEqual(PER_ADDRESS + 1);
    expect(refused).toBeGreaterThan(0);
    expect(open.length + refused).toBe(SOCKETS);
    expect(closed.every((c) => c.code === CloseCode.LOGIN_TIMEOUT)).toBe(true);
    expect(slowClosed.length).toBe(SLOWLORIS);
    const idleMs = Math.max(...closed.map((c) => c.at)) - started;
    console.info(
      `admission: ${SOCKETS} sockets from one address, at most ${peak} open at once (cap ${PER_ADDRESS} + the good client), ${open.length} accepted over the run, ${refused} refused with 429; ` +
        `idle sockets (hello, no login) all closed with 4007, the last ${idleMs} ms after the first connect (deadline ${LOGIN_TIMEOUT_MS} ms after welcome); ` +
        `${SLOWLORIS} slowloris upgrades cut after ${percentile(slowClosed, 50)} ms median, ${Math.max(...slowClosed)} ms max (header timeout 1000 ms); ` +
        `good client ${rtts.length} pings, p50 ${percentile(rtts, 50).toFixed(1)} ms, p99 ${percentile(rtts, 99).toFixed(1)} ms`,
    );
    expect(polite.closed).toBeUndefined();
    polite.close();
  }, 120_000);
});
