/**
 * Why the client changed state: the numeric `code` of every `state` event,
 * so applications branch on a number instead of matching message strings.
 * These are SDK codes, not protocol numbers; the WebSocket close code that
 * caused a transition, if any, stays in `reason.code`.
 *
 * @module
 */

export const StateCode = {
  /** `connect()` was called. → connecting */
  CONNECT_CALLED: 0,
  /** Handshake, login and every join completed. → open */
  CONNECTED: 1,
  /** Open again after a drop; every room resumed or reset. → open */
  RECONNECTED: 2,
  /** The socket closed with advice to reconnect (network failure, server restart, slow consumer). → reconnecting */
  TRANSPORT_CLOSED: 3,
  /** Nothing arrived for two heartbeat intervals [PING-4]. → reconnecting */
  HEARTBEAT_TIMEOUT: 4,
  /** A reconnect attempt failed; the next one is scheduled. → reconnecting */
  ATTEMPT_FAILED: 5,
  /** `close()` was called. → closed */
  CLIENT_CLOSED: 6,
  /** The server closed with a do-not-reconnect code or refused for good (e.g. the token). → closed */
  SERVER_REFUSED: 7,
  /** The first `connect()` failed; it rejects with the cause. → closed */
  CONNECT_FAILED: 8,
  /** The connection dropped and the client was created with `reconnect: false`. → closed */
  RECONNECT_DISABLED: 9,
} as const;

/** One of the {@link StateCode} numbers. */
export type StateCode = (typeof StateCode)[keyof typeof StateCode];
