/**
 * What an operator sees of each connection's life: one log line at `info` and
 * the matching metrics per event (open, close, login, join, leave, refusal,
 * rate limiting). Sessions and handlers call these one-liners; each line
 * carries the connection id (`session`, the id sent in `welcome`) and never
 * any message text.
 *
 * @module
 */

import { ERROR_CODE_NAMES, ErrorCode, type ProtocolError } from '@kuykan/protocol';
import type { Logger } from 'pino';
import { rawSocket } from './framing.js';
import type { Metrics } from './metrics.js';
import type { Session } from './session.js';

/** `host:port` of the peer as this node sees it (the balancer's, behind one). */
export function peerAddress(socket: { remoteAddress?: string; remotePort?: number }): string {
  const host = socket.remoteAddress ?? 'unknown';
  return `${host.includes(':') ? `[${host}]` : host}:${socket.remotePort ?? 0}`;
}

export function opened(session: Session, address: string): void {
  session.hub.metrics.connectionsOpened.inc();
  session.hub.log.info({ session: session.id, address }, 'connection opened');
}

/**
 * The server is closing this connection with `code`; the close is logged when the socket closes.
 * Kept on the session (see {@link Session.openedAt}), not in a record of this module's.
 */
export function closing(session: Session, code: number): void {
  session.serverCloseCode ??= code;
}

/** The socket closed; `code` is what the peer sent (1006 when it vanished). */
export function closed(session: Session, code: number): void {
  const side = session.serverCloseCode === undefined ? 'client' : 'server';
  const finalCode = session.serverCloseCode ?? code;
  const seconds = (performance.now() - session.openedAt) / 1000;
  const { metrics, log } = session.hub;
  metrics.connectionsClosed.inc({ code: String(finalCode), side });
  metrics.connectionDuration.observe(seconds);
  // The socket keeps the peer's address it read at the upgrade: the same text as `opened` logged.
  const address = peerAddress(rawSocket(session.ws));
  log.info(
    { session: session.id, address, code: finalCode, side, durationMs: Math.round(seconds * 1000) },
    'connection closed',
  );
}

export function loggedIn(session: Session): void {
  session.hub.metrics.logins.inc();
  session.hub.log.info({ session: session.id, user: session.user?.name }, 'logged in');
}

export function joined(session: Session, room: string, recovered: boolean | undefined): void {
  const kind = recovered === undefined ? 'fresh' : recovered ? 'resumed' : 'reset';
  session.hub.metrics.joins.inc({ kind });
  session.hub.log.info({ session: session.id, user: session.user?.name, room, kind }, 'joined');
}

export function left(session: Session, room: string): void {
  session.hub.metrics.leaves.inc();
  session.hub.log.info({ session: session.id, user: session.user?.name, room }, 'left');
}

/**
 * An error frame went to the client. Rate limiting is logged once per run of
 * refusals (a flood would otherwise flood the log too) and counted each time.
 */
export function refused(session: Session, error: ProtocolError): void {
  const { metrics, log } = session.hub;
  const fields = { session: session.id, code: error.code, error: ERROR_CODE_NAMES[error.code] };
  if (error.code === ErrorCode.RATE_LIMITED) {
    metrics.rateLimited.inc();
    if (session.bucket.refusedInARow === 1) log.info({ ...fields, retryAfterMs: error.retryAfterMs }, 'rate limited');
    return;
  }
  log.info(fields, 'refused');
}

/** An upgrade was answered with an HTTP error before any connection existed. */
export function upgradeRefused(
  hub: { metrics: Metrics; log: Logger },
  address: string,
  status: number,
  reason: string,
): void {
  hub.metrics.upgradesRefused.inc({ status: String(status) });
  hub.log.info({ address, status, reason }, 'upgrade refused');
}
