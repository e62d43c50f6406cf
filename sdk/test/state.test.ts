import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { KuykanClient, StateCode } from '../src/node.js';
import { canTransition, TRANSITIONS } from '../src/state.js';
import type { SocketLike, WebSocketConstructor } from '../src/transport.js';
import type { StateContext } from '../src/types.js';
import { ChaosProxy } from './chaos-proxy.js';
import { startTestServer, until } from './helpers.js';

/** A WebSocket constructor that remembers every socket it made, to count the open ones. */
function trackedWebSocket(): { WebSocket: WebSocketConstructor; sockets: SocketLike[] } {
  const sockets: SocketLike[] = [];
  const Tracked = function (this: unknown, url: string, protocols?: string | string[]) {
    const socket = new WebSocket(url, protocols) as unknown as SocketLike;
    sockets.push(socket);
    return socket;
  } as unknown as WebSocketConstructor;
  return { WebSocket: Tracked, sockets };
}

const CLOSED = 3;
/** Sockets connecting or open: the ones the server may count. */
const live = (sockets: SocketLike[]) => sockets.filter((s) => s.readyState < 2).length;

describe('KuykanClient connection state', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let proxy: ChaosProxy;
  beforeAll(async () => {
    server = await startTestServer();
    proxy = await ChaosProxy.start(server.port);
  });
  afterAll(async () => {
    await proxy.close();
    await server.close();
  });

  it('leaves no socket open after close() when connect() is called while reconnecting', async () => {
    const { WebSocket: Tracked, sockets } = trackedWebSocket();
    // A zero backoff makes the scheduled attempt fire right after the connect() below.
    const client = new KuykanClient(proxy.url, {
      name: 'state-twice',
      WebSocket: Tracked,
      backoff: { minMs: 0, maxMs: 0 },
    });
    await client.connect();
    const again = new Promise<void>((resolve, reject) =>
      client.once('reconnecting', () => client.connect().then(resolve, reject)),
    );
    proxy.cutAll();
    await again;
    expect(client.state).toBe('open');
    await client.close();
    await until(() => sockets.every((s) => s.readyState === CLOSED), 5000, 'every client socket closed');
    await until(() => server.connections === 0, 5000, 'the server to count no connection');
    expect(sockets.length).toBe(2);
  });

  it('emits numeric codes beside the state names, along allowed transitions only', async () => {
    const client = new KuykanClient(proxy.url, { name: 'state-codes', backoff: { minMs: 0, maxMs: 0 } });
    const seen: StateContext[] = [];
    client.on('state', (ctx) => seen.push(ctx));
    await client.connect();
    const back = new Promise((resolve) => client.once('open', resolve));
    proxy.cutAll();
    await back;
    await client.close();
    expect(seen.map((ctx) => [ctx.oldState, ctx.newState, ctx.code])).toEqual([
      ['idle', 'connecting', StateCode.CONNECT_CALLED],
      ['connecting', 'open', StateCode.CONNECTED],
      ['open', 'reconnecting', StateCode.TRANSPORT_CLOSED],
      ['reconnecting', 'open', StateCode.RECONNECTED],
      ['open', 'closed', StateCode.CLIENT_CLOSED],
    ]);
    // The string reasons stay for clients that match them.
    expect(seen[3]!.reason.message).toBe('reconnected');
    expect(seen.every((ctx) => ctx.state === ctx.newState && ctx.previous === ctx.oldState)).toBe(true);
    expect(seen.every((ctx) => canTransition(ctx.oldState, ctx.newState))).toBe(true);
  });

  it('never has two sockets open, nor one after close(), over random connect/close/drop/server-close sequences', async () => {
    const action = fc.constantFrom('connect', 'close', 'drop', 'serverClose', 'join');
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(action, fc.integer({ min: 0, max: 8 })), { minLength: 1, maxLength: 12 }),
        async (steps) => {
          const { WebSocket: Tracked, sockets } = trackedWebSocket();
          const client = new KuykanClient(proxy.url, {
            name: `prop-${run++}`,
            WebSocket: Tracked,
            backoff: { minMs: 0, maxMs: 4 },
            requestTimeoutMs: 2000,
          });
          const illegal: string[] = [];
          let most = 0;
          client.on('state', ({ previous, state }) => {
            if (!canTransition(previous, state)) illegal.push(`${previous}->${state}`);
            most = Math.max(most, live(sockets));
          });
          for (const [step, pauseMs] of steps) {
            if (step === 'connect') client.connect().catch(() => undefined);
            else if (step === 'close') await client.close();
            else if (step === 'drop') proxy.cutAll();
            else if (step === 'join') client.join('prop-room').catch(() => undefined);
            // A text frame is a protocol violation the server closes on, with a do-not-reconnect code.
            else for (const socket of sockets) if (socket.readyState === 1) (socket as unknown as WebSocket).send('x');
            most = Math.max(most, live(sockets));
            await new Promise((resolve) => setTimeout(resolve, pauseMs));
          }
          await client.close();
          const made = sockets.length;
          await until(() => sockets.every((s) => s.readyState === CLOSED), 5000, 'every socket closed');
          await until(() => server.connections === 0, 5000, 'the server to count no connection');
          expect(client.state).toBe('closed');
          expect(sockets.length).toBe(made);
          expect(most).toBeLessThanOrEqual(1);
          expect(illegal).toEqual([]);
        },
      ),
      { numRuns: 25, seed: 20261201 },
    );
  }, 120_000);
});

describe('TRANSITIONS', () => {
  it('lets a closed client only connect again, and never open without connecting', () => {
    expect(TRANSITIONS.closed).toEqual(['connecting']);
    expect(canTransition('closed', 'open')).toBe(false);
    expect(canTransition('idle', 'open')).toBe(false);
    expect(canTransition('reconnecting', 'connecting')).toBe(false);
  });
});
