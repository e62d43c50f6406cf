/**
 * Why a socket failed, in words, from what Node and `ws` report: the close
 * event of a failed connection says only 1006, while the `error` event
 * carries the Node error (DNS, refused, TLS) or `ws`'s message with the HTTP
 * status of a refused upgrade. Node only: browsers expose none of it, so the
 * browser bundle does not carry this table.
 *
 * @module
 */

import type { SocketErrorText } from './transport.js';

/** Node's network error codes, in words. */
const NETWORK: Record<string, string> = {
  ENOTFOUND: 'host not found in DNS',
  EAI_AGAIN: 'DNS lookup failed for now',
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
};

/** A Node or `ws` socket error in words, e.g. `connection refused (ECONNREFUSED)`. */
export function describeNodeSocketError(error: Error & { code?: string }): SocketErrorText {
  const status = /Unexpected server response: (\d{3})/.exec(error.message);
  if (status) return { text: `the server answered the upgrade with HTTP ${status[1]}`, httpStatus: Number(status[1]) };
  const code = error.code;
  if (code && NETWORK[code]) return { text: `${NETWORK[code]} (${code})` };
  if (code && /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY/.test(code))
    return { text: `TLS: ${error.message} (${code})` };
  return { text: code ? `${error.message} (${code})` : error.message };
}
