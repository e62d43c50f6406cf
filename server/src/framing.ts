/**
 * The WebSocket frames the server builds itself: a broadcast is framed once
 * and the same bytes go to every member [issue: encode and frame once], and
 * a session's own replies are framed the same way (session-writes.ts).
 * Per-message compression is off, so ws's sender never holds data back and
 * writing to the socket directly keeps the order of what ws still sends
 * (close frames and pings).
 *
 * @module
 */

import type { Socket } from 'node:net';
import type * as ws from 'ws';

/**
 * One unmasked binary frame (server to client) holding `payload`, as a single
 * buffer: the header of RFC 6455 §5.2 (FIN and opcode 2, then the length in
 * 7, 7+16 or 7+64 bits) and the payload copied after it. The same bytes as
 * ws's `Sender.frame` (a test holds it to that), in one allocation instead of
 * its options object, header buffer, list and concatenation: this runs for
 * every message and every reply.
 */
export function binaryFrame(payload: Uint8Array): Buffer {
  const length = payload.byteLength;
  const header = length < 126 ? 2 : length < 0x1_0000 ? 4 : 10;
  const frame = Buffer.allocUnsafe(header + length);
  frame[0] = 0x82;
  if (header === 2) {
    frame[1] = length;
  } else if (header === 4) {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 127;
    frame.writeUInt32BE(Math.floor(length / 0x1_0000_0000), 2);
    frame.writeUInt32BE(length >>> 0, 6);
  }
  frame.set(payload, header);
  return frame;
}

/** The TCP socket under a `ws` WebSocket (a server's WebSocket has it from the start). */
export function rawSocket(socket: ws.WebSocket): Socket {
  return (socket as unknown as { _socket: Socket })._socket;
}
