/**
 * The HTTP upgrade: the `kuykan.v1` subprotocol is required [WIRE-1, WIRE-2]
 * and browser origins are checked against the allow-list [SEC-2].
 *
 * @module
 */

import { type IncomingMessage, STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { SUBPROTOCOL } from '@kuykan/protocol';

/** Why an upgrade was refused, as an HTTP status and text; undefined when accepted. */
export function checkUpgrade(request: IncomingMessage, origins: readonly string[]): [number, string] | undefined {
  const offered = (request.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim());
  if (!offered.includes(SUBPROTOCOL)) return [400, `WebSocket subprotocol ${SUBPROTOCOL} required`];
  const origin = request.headers.origin;
  if (origins.length > 0 && origin !== undefined && !origins.includes(origin)) {
    return [403, `origin ${origin} is not allowed`];
  }
  return undefined;
}

/** Answers a refused upgrade with a plain HTTP response and closes the socket. */
export function refuseUpgrade(socket: Duplex, status: number, text: string): void {
  const body = `${text}\n`;
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\n` +
      'Connection: close\r\nContent-Type: text/plain; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}
