/**
 * A scripted Kuykan server for SDK tests, at the protocol level (after
 * centrifuge-js's fakeServer): real WebSockets and the real codec, a default
 * reply to each request, hooks to replace them, raw frame injection, and a
 * log of what every connection sent.
 *
 * Extend it by adding a default in `reply()`; a test that needs something
 * unusual passes `onFrame` instead, returning `true` when it handled the frame.
 */

import type { IncomingMessage } from 'node:http';
import {
  type ClientFrame,
  DEFAULT_LIMITS,
  decodeFrame,
  encodeFrame,
  type Limits,
  type ServerFrame,
  SUBPROTOCOL,
} from '@kuykan/protocol';
import { type WebSocket, WebSocketServer } from 'ws';

/** One client connection as the fake server sees it. */
export interface FakeConnection {
  readonly ws: WebSocket;
  /** Frames this connection sent, decoded, in order. */
  readonly frames: ClientFrame[];
  /** While true, the connection reads frames but answers nothing. */
  silent: boolean;
  /** The close code the client sent, once closed (1006 when it vanished). */
  closeCode: number | undefined;
  send(frame: ServerFrame): void;
  /**
   * Stops reading the TCP socket: the peer is dead but the connection stays
   * up, so not even a closing handshake is answered (a network that vanished).
   */
  freeze(): void;
}

export interface FakeServerOptions {
  /** Limits advertised in `welcome`. [DEFAULT_LIMITS] */
  limits?: Partial<Limits>;
  /** Handles a frame before the defaults; returns true when it did. */
  onFrame?: (frame: ClientFrame, connection: FakeConnection) => boolean | undefined;
}

export class FakeServer {
  readonly connections: FakeConnection[] = [];

  private constructor(
    private readonly wss: WebSocketServer,
    private readonly options: FakeServerOptions,
  ) {
    wss.on('connection', (ws, request) => this.accept(ws, request));
  }

  static async start(options: FakeServerOptions = {}): Promise<FakeServer> {
    const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', handleProtocols: () => SUBPROTOCOL });
    await new Promise((resolve) => wss.once('listening', resolve));
    return new FakeServer(wss, options);
  }

  get url(): string {
    return `ws://127.0.0.1:${(this.wss.address() as { port: number }).port}`;
  }

  /** Resolves with the next connection (or the nth one, 0-based, if it already exists). */
  async connection(index: number): Promise<FakeConnection> {
    while (this.connections.length <= index) {
      await new Promise((resolve) => this.wss.once('connection', () => setImmediate(resolve)));
    }
    return this.connections[index]!;
  }

  /** Cuts every connection without a closing handshake. */
  dropAll(): void {
    for (const ws of this.wss.clients) ws.terminate();
  }

  close(): Promise<void> {
    this.dropAll();
    return new Promise((resolve) => this.wss.close(() => resolve()));
  }

  private accept(ws: WebSocket, request: IncomingMessage): void {
    const connection: FakeConnection = {
      ws,
      frames: [],
      silent: false,
      closeCode: undefined,
      send: (frame) => ws.send(encodeFrame(frame)),
      freeze: () => {
        connection.silent = true;
        request.socket.pause();
      },
    };
    this.connections.push(connection);
    ws.on('close', (code) => {
      connection.closeCode = code;
    });
    ws.on('message', (data) => {
      const frame = decodeFrame(new Uint8Array(data as Buffer), { direction: 'client' });
      connection.frames.push(frame);
      if (connection.silent) return;
      if (this.options.onFrame?.(frame, connection)) return;
      const reply = this.reply(frame);
      if (reply) connection.send(reply);
    });
  }

  /** The default answer to each request: an empty room `e1`, a logged-in name, a pong. */
  private reply(frame: ClientFrame): ServerFrame | undefined {
    switch (frame.type) {
      case 'hello':
        return {
          type: 'welcome',
          version: 1,
          server: 'fake',
          serverVersion: '0',
          sessionId: `s${this.connections.length}`,
          capabilities: ['resume'],
          limits: { ...DEFAULT_LIMITS, ...this.options.limits },
        };
      case 'login':
        return { type: 'loggedIn', id: frame.id, name: frame.name ?? 'anonymous' };
      case 'join':
        return {
          type: 'joined',
          id: frame.id,
          room: frame.room,
          epoch: 'e1',
          seq: 0,
          members: [],
          messages: [],
          ...(frame.epoch === undefined ? {} : { recovered: true }),
        };
      case 'ping':
        return { type: 'pong', id: frame.id };
      case 'leave':
      case 'typing':
        return { type: 'ok', id: frame.id };
      case 'history':
        return { type: 'page', id: frame.id, room: frame.room, messages: [], more: false };
      default:
        return undefined;
    }
  }
}
