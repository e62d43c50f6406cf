/**
 * Why a connection failed, in words: the SDK reports a failed connect as a
 * close (1006), and the cause (DNS, refused, TLS, HTTP status) only reaches
 * the socket's `error` event. We hand the SDK a WebSocket class that keeps
 * the last such error, and explain it.
 *
 * @module
 */
import { STATUS_CODES } from 'node:http';
import WebSocket from 'ws';

let lastError: (Error & { code?: string }) | undefined;

/** `ws`'s WebSocket, remembering the error of the latest failed connection. */
export class DiagnosingWebSocket extends WebSocket {
  constructor(url: string, protocols?: string | string[]) {
    super(url, protocols);
    lastError = undefined;
    this.on('error', (error: Error) => {
      lastError = error;
    });
  }
}

const NETWORK: Record<string, string> = {
  ENOTFOUND: 'host not found (DNS)',
  EAI_AGAIN: 'DNS lookup failed (temporary)',
  ECONNREFUSED: 'connection refused (is the server running on that port?)',
  ECONNRESET: 'connection reset by the server',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
};

/** The cause of the latest failed connection in words, if one is known. */
export function connectionCause(): string | undefined {
  const error = lastError;
  if (!error) return undefined;
  if (error.code && NETWORK[error.code]) return NETWORK[error.code];
  const status = /Unexpected server response: (\d+)/.exec(error.message);
  if (status)
    return `HTTP ${status[1]} ${STATUS_CODES[Number(status[1])] ?? ''} (not a Kuykan WebSocket endpoint?)`.trim();
  if (/subprotocol/i.test(error.message)) return `not a Kuykan server: ${error.message}`;
  if (error.code && /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY/.test(error.code)) return `TLS: ${error.message}`;
  return error.code ? `${error.message} (${error.code})` : error.message;
}

const CONNECT_FAILURE = /could not connect|close 1006|closed \(1006\)/;

/** An error's message with the connection cause, when the SDK only saw a close. */
export function explain(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const cause = connectionCause();
  return cause && CONNECT_FAILURE.test(message) ? `${message.replace(/ ?\(close 1006\)/, '')}: ${cause}` : message;
}

/** Just the cause of a failed connection when known (for the status bar), else the message. */
export function causeOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return (CONNECT_FAILURE.test(message) && connectionCause()) || message;
}
