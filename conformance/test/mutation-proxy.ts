/**
 * A fault-injecting WebSocket proxy: a real `ws` server in front of a real
 * reference server that decodes every frame with @kuykan/protocol, lets one
 * named {@link Mutation} rewrite, drop, add or delay frames and close codes,
 * and re-encodes them. It turns the reference server into "a server with
 * exactly this bug" without touching the server's code.
 */

import type { AddressInfo } from 'node:net';
import {
  type ClientFrame,
  decodeFrame,
  encodeFrame,
  MAX_SERVER_FRAME_BYTES,
  type ServerFrame,
  SUBPROTOCOL,
} from '@kuykan/protocol';
import { decode, encode } from '@msgpack/msgpack';
import WebSocket, { WebSocketServer } from 'ws';

/** What one proxied connection knows: its requests by id, its user and rooms. */
export class ProxySession {
  /** Request frames by id, so a reply's mutation knows what it answers. */
  readonly requests = new Map<number, ClientFrame>();
  name: string | undefined;
  key: string | undefined;
  /** The protocol version from `welcome`. */
  version: number | undefined;
  readonly rooms = new Set<string>();
  /** Free per-mutation state. */
  readonly state: Record<string, unknown> = {};
  constructor(
    readonly proxy: MutationProxy,
    readonly client: WebSocket,
    readonly upstream: WebSocket,
  ) {}

  /** Sends a frame (or raw wire bytes) to the client now. */
  push(frame: ServerFrame | Uint8Array): void {
    if (this.client.readyState !== WebSocket.OPEN) return;
    this.client.send(frame instanceof Uint8Array ? frame : encodeFrame(frame));
  }
}

/** One server-side bug, written as a rewrite of what crosses the wire. */
export interface Mutation {
  /** Server → client: the frames to forward instead (default: the frame). Raw bytes go out as they are. */
  down?(frame: ServerFrame, session: ProxySession): (ServerFrame | Uint8Array)[] | undefined;
  /** Client → server: the frame to forward instead, or null to drop it (default: the frame). */
  up?(frame: ClientFrame, session: ProxySession): ClientFrame | null | undefined;
  /** The close code the client sees for the server's `code` (default: the same). Return null to keep the client open. */
  close?(code: number, session: ProxySession): number | null;
  /** Called when the client's connection closed. */
  closed?(session: ProxySession): void;
}

/** Re-encodes a frame as a raw wire map after `edit` changed its short keys (for frames the codec would refuse). */
export function rawEdit(frame: ServerFrame, edit: (wire: Record<string, unknown>) => void): Uint8Array {
  const wire = decode(encodeFrame(frame)) as Record<string, unknown>;
  edit(wire);
  return encode(wire);
}

/** A running proxy in front of `upstream`. */
export class MutationProxy {
  readonly sessions = new Set<ProxySession>();
  private constructor(
    private readonly server: WebSocketServer,
    readonly url: string,
  ) {}

  static async start(upstream: string, mutation: Mutation): Promise<MutationProxy> {
    const server = new WebSocketServer({
      host: '127.0.0.1',
      port: 0,
      perMessageDeflate: false,
      maxPayload: 64 * 1024 * 1024,
      // Refuse the upgrade like the upstream does when kuykan.v1 is not offered [WIRE-2].
      handleProtocols: (protocols) => (protocols.has(SUBPROTOCOL) ? SUBPROTOCOL : false),
      verifyClient: (info, done) => {
        const offered = String(info.req.headers['sec-websocket-protocol'] ?? '').split(/\s*,\s*/);
        done(offered.includes(SUBPROTOCOL), 400);
      },
    });
    await new Promise<void>((resolve) => server.once('listening', resolve));
    const { port } = server.address() as AddressInfo;
    const proxy = new MutationProxy(server, `ws://127.0.0.1:${port}`);
    server.on('connection', (client) => proxy.accept(client, upstream, mutation));
    return proxy;
  }

  private accept(client: WebSocket, upstreamUrl: string, mutation: Mutation): void {
    const upstream = new WebSocket(upstreamUrl, [SUBPROTOCOL], {
      perMessageDeflate: false,
      maxPayload: MAX_SERVER_FRAME_BYTES * 2,
      // WebSocket pings go end to end, so the server sees a client that stopped answering [PING-5].
      autoPong: false,
    });
    upstream.on('ping', (data) => client.ping(data));
    client.on('pong', (data) => upstream.pong(data));
    const session = new ProxySession(this, client, upstream);
    this.sessions.add(session);
    const early: [WebSocket.RawData, boolean][] = [];
    client.on('message', (data, isBinary) => {
      if (upstream.readyState !== WebSocket.OPEN) early.push([data, isBinary]);
      else this.forwardUp(session, mutation, data, isBinary);
    });
    upstream.on('open', () => {
      for (const [data, isBinary] of early.splice(0)) this.forwardUp(session, mutation, data, isBinary);
    });
    upstream.on('message', (data, isBinary) => {
      const bytes = toBytes(data);
      if (!isBinary) return client.send(bytes.toString());
      let frame: ServerFrame;
      try {
        frame = decodeFrame(bytes, { direction: 'server', maxBytes: MAX_SERVER_FRAME_BYTES * 2 });
      } catch {
        return client.send(bytes);
      }
      track(session, frame);
      const out = mutation.down ? (mutation.down(frame, session) ?? [frame]) : [frame];
      for (const f of out) session.push(f);
    });
    // Backpressure: a client that stops reading makes the proxy stop reading the server, as a direct link would.
    const clientSocket = (client as unknown as { _socket: import('node:net').Socket })._socket;
    upstream.on('message', () => {
      if (client.bufferedAmount > 256 * 1024) upstream.pause();
    });
    clientSocket.on('drain', () => upstream.resume());
    upstream.on('close', (code, reason) => {
      const mapped = mutation.close ? mutation.close(code, session) : code;
      if (mapped === null) return;
      if (client.readyState === WebSocket.OPEN)
        client.close(mapped === 1005 || mapped === 1006 ? 1000 : mapped, reason.toString());
      else client.terminate();
    });
    upstream.on('error', () => client.terminate());
    client.on('close', (code) => {
      this.sessions.delete(session);
      mutation.closed?.(session);
      if (upstream.readyState === WebSocket.OPEN) {
        if (code === 1005 || code === 1006) upstream.terminate();
        else upstream.close(code);
      } else if (upstream.readyState === WebSocket.CONNECTING) upstream.terminate();
    });
    client.on('error', () => upstream.terminate());
  }

  private forwardUp(session: ProxySession, mutation: Mutation, data: WebSocket.RawData, isBinary: boolean): void {
    const bytes = toBytes(data);
    if (!isBinary) {
      session.upstream.send(bytes.toString());
      return;
    }
    let frame: ClientFrame;
    try {
      frame = decodeFrame(bytes, { direction: 'client', maxBytes: 64 * 1024 * 1024 });
    } catch {
      session.upstream.send(bytes);
      return;
    }
    if ('id' in frame && typeof frame.id === 'number') session.requests.set(frame.id, frame);
    if (frame.type === 'login') session.key = frame.key;
    const out = mutation.up ? mutation.up(frame, session) : frame;
    if (out === null) return;
    // Forward the original bytes when unchanged: the server's own size and schema checks see exactly what was sent.
    session.upstream.send(out === frame || out === undefined ? bytes : encodeFrame(out));
  }

  async close(): Promise<void> {
    for (const s of this.sessions) {
      s.client.terminate();
      s.upstream.terminate();
    }
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

function track(session: ProxySession, frame: ServerFrame): void {
  if (frame.type === 'welcome') session.version = frame.version;
  if (frame.type === 'loggedIn') session.name = frame.name;
  if (frame.type === 'joined') session.rooms.add(frame.room);
  if (frame.type === 'ok') {
    const request = session.requests.get(frame.id);
    if (request?.type === 'leave')
      for (const room of [...session.rooms]) if (room === request.room.toLowerCase()) session.rooms.delete(room);
  }
}

function toBytes(data: WebSocket.RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data as ArrayBuffer);
}
