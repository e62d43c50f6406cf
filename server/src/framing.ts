/**
 * Frames a broadcast once. `ws.send` builds a frame header and a Buffer view
 * per call; for a message fanned out to N members we build the binary frame
 * once and write the same bytes to every socket [issue: encode and frame once].
 * Per-message compression is off, so ws's sender never holds data back and
 * writing to the socket directly keeps the order of every other send.
 *
 * @module
 */

import type { Socket } from 'node:net';
import * as ws from 'ws';

/** ws's frame builder: exported by the package, not declared by @types/ws. */
const { Sender } = ws as unknown as {
  Sender: { frame(data: Buffer, options: Record<string, unknown>): Buffer[] };
};

/** One unmasked binary frame (server to client) holding `payload`, as a single buffer. */
export function binaryFrame(payload: Uint8Array): Buffer {
  const data = Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
  return Buffer.concat(Sender.frame(data, { fin: true, opcode: 2, mask: false, readOnly: true, rsv1: false }));
}

/** The TCP socket under a `ws` WebSocket (a server's WebSocket has it from the start). */
export function rawSocket(socket: ws.WebSocket): Socket {
  return (socket as unknown as { _socket: Socket })._socket;
}
