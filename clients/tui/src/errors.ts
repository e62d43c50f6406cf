/**
 * Errors in words for the terminal. The SDK's `ClientError` carries a failed
 * connection's cause (`cause` with Node's `code`, `httpStatus` for a refused
 * upgrade); the client words it once, with a hint at what to check, and
 * never repeats the SDK's own sentence around it.
 *
 * @module
 */
import { STATUS_CODES } from 'node:http';
import { ClientError, type StateReason } from '@kuykan/sdk';

/** Node's network error codes, with what the user can check. */
const NETWORK: Record<string, string> = {
  ENOTFOUND: 'host not found (DNS)',
  EAI_AGAIN: 'DNS lookup failed (temporary)',
  ECONNREFUSED: 'connection refused (is the server running on that port?)',
  ECONNRESET: 'connection reset by the server',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
};

/** Why a connection could not be opened, from a ClientError's fields; undefined when it names no cause. */
function connectionCause(error: unknown): string | undefined {
  // A connection that failed is CLOSED; other ClientErrors (an upload's ABORTED) say it in their message.
  if (!(error instanceof ClientError) || error.code !== 'CLOSED') return undefined;
  if (error.httpStatus !== undefined)
    return (
      `HTTP ${error.httpStatus} ${STATUS_CODES[error.httpStatus] ?? ''}`.trimEnd() +
      ' (not a Kuykan WebSocket endpoint?)'
    );
  const cause = error.cause as (Error & { code?: string }) | undefined;
  if (!(cause instanceof Error)) return undefined;
  if (cause.code && NETWORK[cause.code]) return NETWORK[cause.code];
  if (cause.code && /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY/.test(cause.code)) return `TLS: ${cause.message}`;
  if (/subprotocol/i.test(cause.message)) return `not a Kuykan server: ${cause.message}`;
  return cause.code ? `${cause.message} (${cause.code})` : cause.message;
}

/** One line saying what went wrong: the cause of a failed connection, else the error's message. */
export function explain(error: unknown): string {
  const cause = connectionCause(error);
  if (cause) return cause;
  return error instanceof Error ? error.message : String(error);
}

/**
 * Why the client is reconnecting, for the status bar, which names the server
 * already. A state change carries only the error's message (StateReason), not
 * the ClientError, so the URL the SDK puts before a failed attempt's cause is
 * left out here.
 */
export function reasonText(reason: StateReason | undefined): string {
  const message = reason?.message.replace(/^could not connect to \S+: /, '') ?? '';
  return message || (reason?.code ? `closed with ${reason.code}` : 'connection lost');
}
