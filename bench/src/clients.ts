/**
 * One load-generator client per protocol, behind one interface, so every
 * target gets the same scenario. Kuykan speaks raw frames through the codec
 * (not the SDK), as lean as the other clients.
 */

import { encodeFrame, FrameType, SUBPROTOCOL } from '@kuykan/protocol';
import { decode } from '@msgpack/msgpack';
import { io, type Socket } from 'socket.io-client';
import msgpackParser from 'socket.io-msgpack-parser';
import WebSocket from 'ws';

export type TargetKind = 'ceiling' | 'kuykan-memory' | 'kuykan-sqlite' | 'socketio' | 'socketio-msgpack';

/** The text of every benchmark message: the same bytes for every target. */
export const TEXT = 'สวัสดีครับ ทุกคน 👋 benchmark message';

export interface LoadClient {
  /** Sends one message carrying its intended send time (ms, performance clock). */
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

function openWs(url: string, protocol?: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, protocol, { perMessageDeflate: false });
    ws.binaryType = 'nodebuffer';
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

/** The message a chat server broadcasts, encoded as Kuykan encodes it. */
function messageBytes(room: string, intended: number, n: number): Uint8Array {
  return encodeFrame({
    type: 'message',
    room,
    seq: n,
    messageId: `bench.${n}`,
    ts: Date.now(),
    from: 'loadgen',
    text: `${TEXT} ${intended}`,
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

export async function connect(
  kind: TargetKind,
  url: string,
  name: string,
  room: string,
  onDeliver: OnDeliver,
): Promise<LoadClient> {
  if (kind === 'ceiling') {
    const ws = await openWs(url);
    await new Promise<void>((resolve) => {
      ws.once('message', () => resolve());
      ws.send(room);
    });
    ws.on('message', (data: Buffer) => {
      const frame = readFrame(data);
      if (frame.t === FrameType.message) onDeliver(intendedOf(frame.x!));
    });
    return {
      send: (intended, n) => ws.send(messageBytes(room, intended, n)),
      pauseReading: () => pause(ws),
      close: () => ws.terminate(),
    };
  }
  if (kind === 'socketio' || kind === 'socketio-msgpack') {
    const socket: Socket = io(url, {
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
      ...(kind === 'socketio-msgpack' ? { parser: msgpackParser } : {}),
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => socket.emit('join', room, () => resolve()));
      socket.once('connect_error', reject);
    });
    socket.on('msg', (message: { text: string }) => onDeliver(intendedOf(message.text)));
    return {
      send: (intended, n) =>
        socket.emit('msg', room, {
          room,
          seq: n,
          messageId: `bench.${n}`,
          ts: Date.now(),
          from: name,
          text: `${TEXT} ${intended}`,
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
    const frame = readFrame(data);
    if (frame.t === FrameType.message) onDeliver(intendedOf(frame.x!));
    else if (frame.t === FrameType.joined) ready();
    else if (frame.t === FrameType.error) console.error(`kuykan error: ${frame.m}`);
  });
  ws.send(encodeFrame({ type: 'hello', versions: [1], client: 'kuykan-bench' }));
  ws.send(encodeFrame({ type: 'login', id: 1, name, key: name }));
  ws.send(encodeFrame({ type: 'join', id: 2, room }));
  await joined;
  let id = 3;
  return {
    send: (intended, n) =>
      ws.send(encodeFrame({ type: 'send', id: id++, room, clientId: `c${n}`, text: `${TEXT} ${intended}` })),
    pauseReading: () => pause(ws),
    close: () => ws.terminate(),
  };
}
