import { CloseCode } from '@kuykan/protocol';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { KuykanClient, StateCode } from '../src/node.js';
import type { SocketLike, WebSocketConstructor } from '../src/transport.js';
import type { StateContext } from '../src/types.js';
import { FakeServer } from './fake-server.js';

const nextState = (client: KuykanClient, state: 'open' | 'reconnecting') =>
  new Promise<StateContext>((resolve) => client.once(state, resolve));

describe('KuykanClient heartbeat [PING-4]', () => {
  it('drops a connection that went silent for two heartbeat intervals and reconnects at once', async () => {
    // The smallest heartbeat the client accepts (1 s): detection takes two to three intervals.
    const server = await FakeServer.start({ limits: { heartbeatMs: 1000 } });
    const sockets: SocketLike[] = [];
    class Tracked extends WebSocket {
      constructor(url: string, protocols?: string | string[]) {
        super(url, protocols);
        sockets.push(this as unknown as SocketLike);
      }
    }
    const client = new KuykanClient(server.url, {
      name: 'silent',
      requestTimeoutMs: 60_000,
      WebSocket: Tracked as unknown as WebSocketConstructor,
    });
    await client.connect();
    await client.join('quiet');
    const first = await server.connection(0);
    first.freeze(); // the peer stops answering, even the closing handshake, but TCP stays up

    const lost = await nextState(client, 'reconnecting');
    expect(lost.code).toBe(StateCode.HEARTBEAT_TIMEOUT);
    expect(lost.reason.code).toBe(CloseCode.HEARTBEAT_TIMEOUT);
    expect(lost.reason.message).toMatch(/^heartbeat timeout: nothing received for \d+ ms$/);
    expect(lost.delayMs).toBe(0);
    const back = await nextState(client, 'open');
    expect(back.code).toBe(StateCode.RECONNECTED);
    // The dead socket was given up, not left open beside the new one.
    expect(sockets[0]!.readyState).toBeGreaterThanOrEqual(2);
    expect((await server.connection(1)).frames.some((f) => f.type === 'join' && f.epoch === 'e1')).toBe(true);
    await client.close();
    await server.close();
  }, 15_000);
});
