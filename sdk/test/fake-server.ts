/**
 * A scripted Kuykan server for SDK tests, at the protocol level (after
 * centrifuge-js's fakeServer): real WebSockets and the real codec, a default
 * reply to each request, hooks to replace them, raw frame injection, and a
 * log of what every connection sent.
 *
 * By default it speaks version 1 only; `version: 2` makes it answer `hello`
 * offers of 2 with version 2 and keep room logs of every kind of entry
 * (fake-log.ts), so edits, reactions, read markers and resumes behave as
 * the spec says without a real server.
 *
 * Extend it by adding a default in `reply()`; a test that needs something
 * unusual passes `onFrame` instead, returning `true` when it handled the frame.
 */

import type { IncomingMessage, Server } from 'node:http';
import {
  type ClientFrame,
  DEFAULT_LIMITS,
  decodeFrame,
  encodeFrame,
  type Limits,
  nameKey,
  type ServerFrame,
  SUBPROTOCOL,
} from '@kuykan/protocol';
import { type WebSocket, WebSocketServer } from 'ws';
import { EPOCH, FakeLog } from './fake-log.js';

/** One client connection as the fake server sees it. */
export interface FakeConnection {
  readonly ws: WebSocket;
  /** Frames this connection sent, decoded, in order. */
  readonly frames: ClientFrame[];
  /** The same frames as they came over the wire. */
  readonly raw: Uint8Array[];
  /** While true, the connection reads frames but answers nothing. */
  silent: boolean;
  /** The close code the client sent, once closed (1006 when it vanished). */
  closeCode: number | undefined;
  /** The protocol version of the session, once `hello` was answered. */
  version: number;
  /** The name it logged in with. */
  name: string | undefined;
  /** Rooms it joined. */
  readonly rooms: Set<string>;
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
  /** The highest protocol version spoken. [1] */
  version?: number;
  /** Capabilities advertised. [['resume']] */
  capabilities?: string[];
  /** Serve on this HTTP server instead of a port of its own (e.g. one that also serves /files). */
  server?: Server;
  /** Handles a frame before the defaults; returns true when it did. */
  onFrame?: (frame: ClientFrame, connection: FakeConnection) => boolean | undefined;
}

export class FakeServer {
  readonly connections: FakeConnection[] = [];
  /** The room logs (v2 defaults). */
  readonly log = new FakeLog();

  private constructor(
    private readonly wss: WebSocketServer,
    private readonly options: FakeServerOptions,
  ) {
    wss.on('connection', (ws, request) => this.accept(ws, request));
  }

  static async start(options: FakeServerOptions = {}): Promise<FakeServer> {
    const handleProtocols = () => SUBPROTOCOL;
    if (options.server)
      return new FakeServer(new WebSocketServer({ server: options.server, handleProtocols }), options);
    const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', handleProtocols });
    await new Promise((resolve) => wss.once('listening', resolve));
    return new FakeServer(wss, options);
  }

  get url(): string {
    const address = (this.options.server ?? this.wss).address() as { port: number };
    return `ws://127.0.0.1:${address.port}`;
  }

  /** Resolves with the next connection (or the nth one, 0-based, if it already exists). */
  async connection(index: number): Promise<FakeConnection> {
    while (this.connections.length <= index) {
      await new Promise((resolve) => this.wss.once('connection', () => setImmediate(resolve)));
    }
    return this.connections[index]!;
  }

  /** Frames of a type that any connection sent. */
  sent<T extends ClientFrame['type']>(type: T): Extract<ClientFrame, { type: T }>[] {
    return this.connections.flatMap((c) =>
      c.frames.filter((f): f is Extract<ClientFrame, { type: T }> => f.type === type),
    );
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
      raw: [],
      silent: false,
      closeCode: undefined,
      version: 1,
      name: undefined,
      rooms: new Set(),
      send: (frame) => ws.send(encodeFrame(frame, connection.version)),
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
      const bytes = new Uint8Array(data as Buffer);
      const frame = decodeFrame(bytes, { direction: 'client', version: connection.version });
      connection.raw.push(bytes);
      connection.frames.push(frame);
      if (connection.silent) return;
      if (this.options.onFrame?.(frame, connection)) return;
      const reply = this.reply(frame, connection);
      if (reply) connection.send(reply);
    });
  }

  /** The open connections joined to `room`. */
  private members(room: string): FakeConnection[] {
    return this.connections.filter((c) => c.rooms.has(room) && c.closeCode === undefined);
  }

  /** The default answer to each request: rooms of epoch `e1` kept in `log`, a logged-in name, a pong. */
  private reply(frame: ClientFrame, connection: FakeConnection): ServerFrame | undefined {
    const me = connection.name ?? 'anonymous';
    switch (frame.type) {
      case 'hello':
        connection.version = Math.max(...frame.versions.filter((v) => v <= (this.options.version ?? 1)));
        return {
          type: 'welcome',
          version: connection.version,
          server: 'fake',
          serverVersion: '0',
          sessionId: `s${this.connections.length}`,
          capabilities: this.options.capabilities ?? ['resume'],
          limits: { ...DEFAULT_LIMITS, ...this.options.limits },
        };
      case 'login':
        connection.name = frame.name ?? 'anonymous';
        return { type: 'loggedIn', id: frame.id, name: connection.name };
      case 'join': {
        connection.rooms.add(frame.room);
        const last = this.log.lastSeq(frame.room);
        const resume = frame.epoch === EPOCH && frame.seq !== undefined && frame.seq <= last;
        const v2 = connection.version > 1;
        const entries = this.log.entries(frame.room);
        return {
          type: 'joined',
          id: frame.id,
          room: frame.room,
          epoch: EPOCH,
          seq: last,
          members: [...new Set(this.members(frame.room).map((c) => c.name ?? 'anonymous'))],
          messages: resume
            ? entries.slice(frame.seq).filter((e) => v2 || e.kind === undefined)
            : this.log.messages(frame.room, me).slice(-(this.options.limits?.joinRecent ?? DEFAULT_LIMITS.joinRecent)),
          ...(frame.epoch === undefined ? {} : { recovered: resume }),
          ...(v2 ? { readSeq: this.log.marker(me, frame.room), ...this.log.counts(me, frame.room) } : {}),
          ...(v2 && frame.room.startsWith('@')
            ? {
                peer: frame.room
                  .slice(1)
                  .split('+')
                  .find((n) => n !== nameKey(me)),
              }
            : {}),
        };
      }
      case 'send':
      case 'edit':
      case 'delete':
      case 'react': {
        const { ack, entry } = this.log.commit(me, frame);
        if (entry) {
          for (const member of this.members(frame.room)) {
            if (member.version > 1 || entry.kind === undefined)
              member.send({ type: 'message', room: frame.room, ...entry });
          }
        }
        return { ...ack, id: frame.id };
      }
      case 'read':
        if (this.log.read(me, frame.room, frame.seq)) {
          for (const other of this.connections) {
            if (other !== connection && other.name === me && other.closeCode === undefined) {
              other.send({ type: 'readMarker', room: frame.room, seq: frame.seq });
            }
          }
        }
        return { type: 'ok', id: frame.id };
      case 'dm':
        return {
          type: 'directRoom',
          id: frame.id,
          room: `@${[nameKey(me), nameKey(frame.name)].sort().join('+')}`,
          name: frame.name,
        };
      case 'ping':
        return { type: 'pong', id: frame.id };
      case 'leave':
        connection.rooms.delete(frame.room);
        return { type: 'ok', id: frame.id };
      case 'typing':
        return { type: 'ok', id: frame.id };
      case 'history': {
        const limit = frame.limit ?? DEFAULT_LIMITS.historyPageMax;
        const all = this.log.messages(frame.room, me, { after: frame.after, before: frame.before });
        const messages = frame.after === undefined ? all.slice(-limit) : all.slice(0, limit);
        return { type: 'page', id: frame.id, room: frame.room, messages, more: all.length > messages.length };
      }
      default:
        return undefined;
    }
  }
}
