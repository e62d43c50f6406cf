/**
 * A scripted, adversarial server for the client suite: it speaks just
 * enough of the protocol to serve a client (welcome with chosen limits,
 * login, join, send, typing, leave, ping), records every frame each
 * connection sends with its time, and lets a test close connections with
 * any code, stay silent, or push frames.
 *
 * @module
 */

import type { AddressInfo } from 'node:net';
import {
  type ClientFrame,
  DEFAULT_LIMITS,
  decodeFrame,
  encodeFrame,
  type Limits,
  type ServerFrame,
  SUBPROTOCOL,
} from '@kuykan/protocol';
import WebSocket, { WebSocketServer } from 'ws';

/** One frame a client sent, or the reason it could not be decoded. */
export interface Received {
  readonly at: number;
  readonly frame?: ClientFrame;
  readonly invalid?: string;
}

/** One client connection as the server saw it. */
export class ScriptedConnection {
  readonly received: Received[] = [];
  readonly openedAt = Date.now();
  /** Stop answering anything (a dead server, for heartbeat tests). */
  silent = false;
  private seq = 0;
  constructor(
    readonly ws: WebSocket,
    private readonly server: ScriptServer,
  ) {}

  /** Sends a frame; false when the connection is no longer open. */
  push(frame: ServerFrame): boolean {
    if (this.ws.readyState !== WebSocket.OPEN) return false;
    this.ws.send(encodeFrame(frame));
    return true;
  }

  /** Answers a request the way a correct server would; false when nothing was sent. */
  answer(frame: ClientFrame): boolean {
    if (this.silent) return false;
    const room = 'room' in frame ? frame.room.trim().toLowerCase() : '';
    switch (frame.type) {
      case 'hello':
        return this.push({
          type: 'welcome',
          version: 1,
          server: 'kuykan-script',
          serverVersion: '0',
          sessionId: `s${Date.now()}${Math.random()}`,
          capabilities: ['history', 'typing', 'resume'],
          limits: this.server.limits,
        });
      case 'login':
        return this.push({ type: 'loggedIn', id: frame.id, name: frame.name ?? 'anon' });
      case 'join': {
        const messages = this.server.onJoin?.(frame, this) ?? { seq: this.seq, messages: [] };
        return this.push({
          type: 'joined',
          id: frame.id,
          room,
          epoch: this.server.epoch,
          members: ['someone'],
          ...messages,
        });
      }
      case 'send': {
        const seq = ++this.server.roomSeq;
        const messageId = `m${seq}`;
        const ts = Date.now();
        this.push({
          type: 'message',
          room,
          seq,
          messageId,
          ts,
          from: 'me',
          text: frame.text,
          clientId: frame.clientId,
        });
        return this.push({ type: 'ack', id: frame.id, room, messageId, seq, ts });
      }
      case 'ping':
        return this.push({ type: 'pong', id: frame.id });
      case 'leave':
      case 'typing':
        return this.push({ type: 'ok', id: frame.id });
      case 'history':
        return this.push({ type: 'page', id: frame.id, room, messages: [], more: false });
      case 'rooms':
        return this.push({ type: 'roomList', id: frame.id, rooms: [] });
      default:
        // The scripted server speaks version 1 (its welcome says so): it never answers v2 requests.
        return false;
    }
  }
}

/** The scripted server. */
export class ScriptServer {
  readonly connections: ScriptedConnection[] = [];
  limits: Limits = { ...DEFAULT_LIMITS };
  epoch = 'script-epoch';
  roomSeq = 0;
  /** Decides the contents of a `joined` (default: empty room). */
  onJoin?: (
    frame: Extract<ClientFrame, { type: 'join' }>,
    conn: ScriptedConnection,
  ) => { seq: number; messages: Extract<ServerFrame, { type: 'joined' }>['messages']; recovered?: boolean } | undefined;
  /** Called for every new connection (before any frame). */
  onConnection?: (conn: ScriptedConnection) => void;
  private waiters: (() => void)[] = [];

  private constructor(
    private readonly wss: WebSocketServer,
    readonly url: string,
  ) {
    wss.on('connection', (ws) => {
      const conn = new ScriptedConnection(ws, this);
      this.connections.push(conn);
      ws.on('message', (data, isBinary) => {
        const bytes = Buffer.isBuffer(data) ? data : Buffer.from(data as ArrayBuffer);
        if (!isBinary) {
          conn.received.push({ at: Date.now(), invalid: 'text message' });
          return;
        }
        try {
          const frame = decodeFrame(bytes, { direction: 'client' });
          conn.received.push({ at: Date.now(), frame });
          conn.answer(frame);
        } catch (error) {
          conn.received.push({ at: Date.now(), invalid: (error as Error).message });
        }
        this.wake();
      });
      this.onConnection?.(conn);
      this.wake();
    });
  }

  static async start(): Promise<ScriptServer> {
    const wss = new WebSocketServer({
      host: '127.0.0.1',
      port: 0,
      handleProtocols: (protocols) => (protocols.has(SUBPROTOCOL) ? SUBPROTOCOL : false),
    });
    await new Promise<void>((resolve) => wss.once('listening', resolve));
    return new ScriptServer(wss, `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`);
  }

  /** Resolves when `condition` holds (checked after every connection and frame), or rejects after `ms`. */
  async until(condition: () => boolean, ms: number, what: string): Promise<void> {
    const deadline = Date.now() + ms;
    while (!condition()) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 250));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  async close(): Promise<void> {
    for (const c of this.connections) c.ws.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }
}
