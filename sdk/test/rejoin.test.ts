import {
  type ChatMessage,
  type ClientFrame,
  DEFAULT_LIMITS,
  decodeFrame,
  encodeFrame,
  type ServerFrame,
  SUBPROTOCOL,
} from '@kuykan/protocol';
import { describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { KuykanClient } from '../src/node.js';
import type { MessageContext } from '../src/types.js';
import { until } from './helpers.js';

const message = (seq: number): ChatMessage => ({ seq, messageId: `m${seq}`, ts: seq, from: 'other', text: `#${seq}` });

const welcome = (): ServerFrame => ({
  type: 'welcome',
  version: 1,
  server: 'scripted',
  serverVersion: '0',
  sessionId: 's',
  capabilities: [],
  limits: { ...DEFAULT_LIMITS },
});

/**
 * A scripted server: a live message skips two seqs and the history it is
 * asked for comes back empty, so the client can only recover by resuming.
 */
function gapServer(): { wss: WebSocketServer; joins: ClientFrame[]; closes: number[] } {
  const wss = new WebSocketServer({ port: 0, handleProtocols: () => SUBPROTOCOL });
  const joins: ClientFrame[] = [];
  const closes: number[] = [];
  wss.on('connection', (ws) => {
    const send = (frame: ServerFrame) => ws.send(encodeFrame(frame));
    ws.on('close', (code) => closes.push(code));
    ws.on('message', (data) => {
      const frame = decodeFrame(new Uint8Array(data as Buffer), { direction: 'client' });
      if (frame.type === 'hello') {
        send(welcome());
      } else if (frame.type === 'join') {
        joins.push(frame);
        if (frame.epoch === undefined) {
          send({ type: 'joined', id: frame.id, room: frame.room, epoch: 'e1', seq: 0, members: [], messages: [] });
        } else {
          const messages = [1, 2, 3].map(message);
          send({
            type: 'joined',
            id: frame.id,
            room: frame.room,
            epoch: 'e1',
            seq: 3,
            members: [],
            messages,
            recovered: true,
          });
        }
      } else if (frame.type === 'ping') {
        // The client is ready (it pings once it listens): the live message skips seqs 1 and 2.
        send({ type: 'pong', id: frame.id });
        send({ type: 'message', room: 'gap', ...message(3) });
      } else if (frame.type === 'history') {
        send({ type: 'page', id: frame.id, room: frame.room, messages: [], more: false });
      }
    });
  });
  return { wss, joins, closes };
}

/**
 * A scripted server that answers the resuming joins of a reconnect only once
 * all `rooms` of them arrived: a client rejoining one room after another hangs.
 */
function batchServer(rooms: number): { wss: WebSocketServer; drop(): void; batches: number[] } {
  const wss = new WebSocketServer({ port: 0, handleProtocols: () => SUBPROTOCOL });
  const batches: number[] = [];
  wss.on('connection', (ws) => {
    const send = (frame: ServerFrame) => ws.send(encodeFrame(frame));
    const held: Extract<ClientFrame, { type: 'join' }>[] = [];
    ws.on('message', (data) => {
      const frame = decodeFrame(new Uint8Array(data as Buffer), { direction: 'client' });
      if (frame.type === 'hello') send(welcome());
      else if (frame.type === 'join' && frame.epoch === undefined) {
        send({ type: 'joined', id: frame.id, room: frame.room, epoch: 'e1', seq: 0, members: [], messages: [] });
      } else if (frame.type === 'join') {
        held.push(frame);
        if (held.length < rooms) return;
        batches.push(held.length);
        for (const join of held) {
          send({
            type: 'joined',
            id: join.id,
            room: join.room,
            epoch: 'e1',
            seq: 0,
            members: [],
            messages: [],
            recovered: true,
          });
        }
      }
    });
  });
  return {
    wss,
    batches,
    drop: () => {
      for (const ws of wss.clients) ws.terminate();
    },
  };
}

describe('KuykanClient rejoin', () => {
  it('sends the joins of every room at once after a reconnect', async () => {
    const { wss, drop, batches } = batchServer(3);
    const port = (wss.address() as { port: number }).port;
    const client = new KuykanClient(`ws://127.0.0.1:${port}`, {
      requestTimeoutMs: 3000,
      backoff: { minMs: 0, maxMs: 0 },
    });
    await client.connect();
    for (const name of ['a', 'b', 'c']) await client.join(name);
    const reopened = new Promise((resolve) => client.once('open', resolve));
    drop();
    await reopened;
    expect(batches).toEqual([3]);
    await client.close();
    wss.close();
  });

  it('resumes a room whose gap history cannot fill on the same connection, without closing it', async () => {
    const { wss, joins, closes } = gapServer();
    const port = (wss.address() as { port: number }).port;
    const client = new KuykanClient(`ws://127.0.0.1:${port}`, { requestTimeoutMs: 2000 });
    const states: string[] = [];
    client.on('state', ({ state }) => states.push(state));
    await client.connect();
    const room = await client.join('gap');
    const seen: number[] = [];
    room.on('message', ({ message: m }: MessageContext) => seen.push(m.seq));
    await client.ping();
    await until(() => seen.length === 3, 5000, 'the resumed messages');
    expect(seen).toEqual([1, 2, 3]);
    expect(joins).toHaveLength(2);
    expect(joins[1]).toMatchObject({ type: 'join', room: 'gap', epoch: 'e1', seq: 0 });
    expect(closes).toEqual([]);
    expect(states).toEqual(['connecting', 'open']);
    await client.close();
    wss.close();
  });
});
