/**
 * The ceiling: a bare `ws` server that does the least a chat server can —
 * a client's first (text) message names its room; every binary message is
 * framed once and the same frame bytes are written to every member's socket.
 * Run: tsx bench/src/targets/ceiling.ts   (prints `ready <port>`)
 */
import type { Socket } from 'node:net';
import * as ws from 'ws';
import { WebSocket, WebSocketServer } from 'ws';

/** ws's frame builder: a named export of the ESM entry, not declared by @types/ws. */
const { Sender } = ws as unknown as { Sender: { frame(data: Buffer, options: Record<string, unknown>): Buffer[] } };

const rooms = new Map<string, Set<WebSocket>>();
const server = new WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate: false });

server.on('connection', (ws) => {
  let members: Set<WebSocket> | undefined;
  ws.on('message', (data: Buffer, isBinary) => {
    if (!isBinary) {
      const room = data.toString();
      members = rooms.get(room) ?? new Set();
      rooms.set(room, members);
      members.add(ws);
      ws.send('joined');
      return;
    }
    if (!members) return;
    // Frame once (unmasked server frame) into one buffer, then write that same buffer to every socket.
    const frame = Buffer.concat(Sender.frame(data, { fin: true, opcode: 2, mask: false, readOnly: true, rsv1: false }));
    for (const member of members) {
      if (member.readyState === WebSocket.OPEN) (member as unknown as { _socket: Socket })._socket.write(frame);
    }
  });
  ws.on('close', () => members?.delete(ws));
});

server.on('listening', () => console.log(`ready ${(server.address() as { port: number }).port}`));
