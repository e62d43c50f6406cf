/**
 * One load-generator client per protocol, behind one interface, so every
 * target gets the same scenario. Kuykan speaks raw frames through the codec
 * (not the SDK), as lean as the other clients.
 */

import { encodeFrame, FrameType, SUBPROTOCOL } from '@kuykan/protocol';
import { decode } from '@msgpack/msgpack';
import WebSocket from 'ws';

type BaseKind =
  | 'ceiling'
  | 'kuykan-memory'
  | 'kuykan-sqlite'
  | 'kuykan-redis'
  | 'kuykan-cluster'
  | 'socketio'
  | 'socketio-msgpack';

/** A target: one of the kinds, or a Kuykan kind built from another commit (`kuykan-memory@HEAD~1`, `--compare`). */
export type TargetKind = BaseKind | `${BaseKind}@${string}`;

/** The kind of a target without its `@<ref>`. */
export function baseKind(kind: TargetKind): BaseKind {
  return kind.split('@')[0] as BaseKind;
}

/** The text of every benchmark message: the same bytes for every target. */
export const TEXT = 'สวัสดีครับ ทุกคน 👋 benchmark message';

/**
 * The text of a message due at `intended`: {@link TEXT}, padded with dots to `bytes` bytes of UTF-8 when
 * given (the efficiency scenario's fixed 120-byte payload), then the intended time after the last space.
 */
export function messageText(intended: number, bytes?: number): string {
  const stamp = ` ${intended}`;
  const padding = bytes === undefined ? 0 : bytes - Buffer.byteLength(TEXT) - stamp.length;
  return `${TEXT}${'.'.repeat(Math.max(0, padding))}${stamp}`;
}

export interface LoadClient {
  /**
   * Sends one message carrying its intended send time (ms on the machine-wide clock, clock.ts). `n` must not
   * repeat among a client's messages: Kuykan takes a repeated clientId for a retry and does not broadcast it.
   */
  send(intended: number, n: number): void;
  /** Stops reading from the socket: a slow consumer (S5). */
  pauseReading(): void;
  close(): void;
}

/** Pauses the TCP socket under a `ws` WebSocket, so the server's writes back up. */
function pause(ws: WebSocket): void {
  (ws as unknown as { _socket: { pause(): void } })._socket.pause();
}

/** Called with the intended send time of each delivered message. */
export type OnDeliver = (intended: number) => void;

/**
 * A connection that is not logged in and joined within this time has failed: a server out of file
 * descriptors may leave it unanswered rather than refuse it.
 */
const CONNECT_TIMEOUT_MS = 30_000;

let frames = 0;
/** Frames (and Socket.IO packets) received by this process's clients so far, whatever their type. */
export function framesReceived(): number {
  return frames;
}

function openWs(url: string, protocol?: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, protocol, { perMessageDeflate: false, handshakeTimeout: CONNECT_TIMEOUT_MS });
    ws.binaryType = 'nodebuffer';
    ws.once('open', () => resolve(ws));
    // Stays attached: an error after the connection is up (the server drops it) must not crash the generator.
    ws.on('error', reject);
  });
}

/** Resolves when `joined` does; rejects if the socket closes first or the join takes too long. */
function joinedOrClosed(ws: WebSocket, joined: Promise<void>): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      ws.terminate();
      reject(new Error(`not joined within ${CONNECT_TIMEOUT_MS} ms`));
    }, CONNECT_TIMEOUT_MS);
    const onClose = (code: number) => {
      clearTimeout(timer);
      reject(new Error(`closed (${code}) before joining`));
    };
    ws.once('close', onClose);
    void joined.then(() => {
      clearTimeout(timer);
      ws.off('close', onClose);
      resolve();
    });
  });
}

/** The message a chat server broadcasts, encoded as Kuykan encodes it. */
function messageBytes(room: string, text: string, n: number): Uint8Array {
  return encodeFrame({
    type: 'message',
    room,
    seq: n,
    messageId: `bench.${n}`,
    ts: Date.now(),
    from: 'loadgen',
    text,
    clientId: `c${n}`,
  });
}

function intendedOf(text: string): number {
  return Number(text.slice(text.lastIndexOf(' ') + 1));
}

/**
 * Reads a frame with no more work than a Socket.IO client does (one parse, no
 * schema validation), so the generator's own cost is alike for every target.
 */
function readFrame(data: Buffer): { t: number; x?: string; m?: string } {
  return decode(data) as { t: number; x?: string; m?: string };
}

/**
 * Connects one client of `kind` and joins `room`; a Kuykan client sends hello, login and join back to back
 * without waiting for the replies (as a pipelining SDK would), so the connection rate (S4) is the server's.
 * `textBytes` pads every message's text to that many bytes (see {@link messageText}).
 */
export async function connect(
  kind: TargetKind,
  url: string,
  name: string,
  room: string,
  onDeliver: OnDeliver,
  textBytes?: number,
): Promise<LoadClient> {
  const text = (intended: number) => messageText(intended, textBytes);
  const base = baseKind(kind);
  if (base === 'ceiling') {
    const ws = await openWs(url);
    await joinedOrClosed(
      ws,
      new Promise<void>((resolve) => {
        ws.once('message', () => resolve());
        ws.send(room);
      }),
    );
    ws.on('message', (data: Buffer) => {
      frames++;
      const frame = readFrame(data);
      if (frame.t === FrameType.message) onDeliver(intendedOf(frame.x!));
    });
    return {
      send: (intended, n) => ws.send(messageBytes(room, text(intended), n)),
      pauseReading: () => pause(ws),
      close: () => ws.terminate(),
    };
  }
  if (base === 'socketio' || base === 'socketio-msgpack') {
    // Loaded only for Socket.IO targets: it is a third of a load generator's start-up, and there are many start-ups.
    const [{ io }, { default: msgpackParser }] = await Promise.all([
      import('socket.io-client'),
      import('socket.io-msgpack-parser'),
    ]);
    const socket = io(url, {
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
      timeout: CONNECT_TIMEOUT_MS,
      ...(base === 'socketio-msgpack' ? { parser: msgpackParser } : {}),
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () =>
        socket.timeout(CONNECT_TIMEOUT_MS).emit('join', room, (error: Error | null) => {
          if (!error) return resolve();
          socket.disconnect();
          reject(error);
        }),
      );
      socket.once('connect_error', reject);
      socket.once('disconnect', (reason) => reject(new Error(`disconnected (${reason}) before joining`)));
    });
    socket.on('msg', (message: { text: string }) => {
      frames++;
      onDeliver(intendedOf(message.text));
    });
    return {
      send: (intended, n) =>
        socket.emit('msg', room, {
          room,
          seq: n,
          messageId: `bench.${n}`,
          ts: Date.now(),
          from: name,
          text: text(intended),
          clientId: `c${n}`,
        }),
      // engine.io's websocket transport in Node is a `ws` WebSocket.
      pauseReading: () => pause((socket.io.engine.transport as unknown as { ws: WebSocket }).ws),
      close: () => socket.disconnect(),
    };
  }
  // Kuykan: hello, login, join, then sends; replies are read in order.
  const ws = await openWs(url, SUBPROTOCOL);
  let ready: () => void;
  const joined = new Promise<void>((resolve) => (ready = resolve));
  ws.on('message', (data: Buffer) => {
    frames++;
    const frame = readFrame(data);
    if (frame.t === FrameType.message) onDeliver(intendedOf(frame.x!));
    else if (frame.t === FrameType.joined) ready();
    else if (frame.t === FrameType.error) console.error(`kuykan error: ${frame.m}`);
  });
  ws.send(encodeFrame({ type: 'hello', versions: [1], client: 'kuykan-bench' }));
  ws.send(encodeFrame({ type: 'login', id: 1, name, key: name }));
  ws.send(encodeFrame({ type: 'join', id: 2, room }));
  await joinedOrClosed(ws, joined);
  let id = 3;
  return {
    send: (intended, n) =>
      ws.send(encodeFrame({ type: 'send', id: id++, room, clientId: `c${n}`, text: text(intended) })),
    pauseReading: () => pause(ws),
    close: () => ws.terminate(),
  };
}
