/**
 * Error codes, close codes and the typed {@link ProtocolError} (PROTOCOL.md §5).
 *
 * Error codes travel in `error` frames. Ranges:
 * - 1xx frame and handshake errors (the peer's code is wrong; retrying the same bytes fails again)
 * - 2xx session errors (login)
 * - 3xx room and message errors
 * - 4xx flow control: retryable after `retryAfterMs`
 * - 5xx server-side failures: retryable with backoff
 *
 * @module
 */

import type { ErrorFrame } from './frames.js';

/** Numbered error codes carried by `error` frames. */
export const ErrorCode = {
  /** Bytes are not MessagePack, or the frame does not match its schema. */
  BAD_FRAME: 100,
  /** The frame type number is not defined by the negotiated version. */
  UNKNOWN_TYPE: 101,
  /** None of the versions offered in `hello` is spoken by the server. */
  UNSUPPORTED_VERSION: 102,
  /** The first frame was not `hello`, or `hello` was sent twice. */
  HANDSHAKE_REQUIRED: 103,
  /** The WebSocket message exceeded `limits.maxFrameBytes`. */
  TOO_LARGE: 104,
  /** The request needs a logged-in session. */
  NOT_LOGGED_IN: 200,
  /** The user name breaks the name rules (§6). */
  NAME_INVALID: 201,
  /** Another online user has the same name, ignoring case. */
  NAME_TAKEN: 202,
  /** The token is missing, invalid or expired, on a server that requires one. */
  UNAUTHORIZED: 203,
  /** `login` on a session that is already logged in. */
  ALREADY_LOGGED_IN: 204,
  /** v2: no user of that name is online, nor the other member of one of my direct rooms. */
  USER_NOT_FOUND: 205,
  /** The room name breaks the room-name rules (§6). */
  ROOM_INVALID: 300,
  /** The request names a room this connection has not joined. */
  NOT_IN_ROOM: 301,
  /** Joining would exceed `limits.maxRoomsPerConnection`. */
  TOO_MANY_ROOMS: 302,
  /** The text is empty, longer than `limits.maxTextLength`, or has forbidden characters. */
  TEXT_INVALID: 303,
  /** The client message id is empty or too long. */
  CLIENT_ID_INVALID: 304,
  /** A history request is malformed (both `before` and `after`, or a bad limit). */
  HISTORY_INVALID: 305,
  /** v2: `target` or `replyTo` is not a message of the room. */
  MESSAGE_NOT_FOUND: 306,
  /** v2: only the author may edit or delete a message. */
  NOT_AUTHOR: 307,
  /** v2: the message was deleted. */
  MESSAGE_DELETED: 308,
  /** v2: the edit window (`limits.editWindowMs`) has passed. */
  EDIT_EXPIRED: 309,
  /** v2: a reaction must be exactly one RGI emoji. */
  REACTION_INVALID: 310,
  /** v2: the message already has `limits.maxReactions` distinct emoji. */
  TOO_MANY_REACTIONS: 311,
  /** v2: too many mentions, or a mentioned name breaks the name rules. */
  MENTIONS_INVALID: 312,
  /** v2: a read marker beyond the room's last seq. */
  READ_INVALID: 313,
  /** v2: a direct room with myself, or with a user who has no lasting identity. */
  DIRECT_INVALID: 314,
  /** v2: the room is another pair's direct room. */
  FORBIDDEN: 315,
  /** v2: a file id that is unknown, not mine, for another room or attached already, or too many files. */
  FILE_INVALID: 316,
  /** v2: an upload slot request or upload body is invalid (size, name, truncated body). */
  UPLOAD_INVALID: 317,
  /** v2: the upload slot was already used for other bytes. */
  SLOT_USED: 318,
  /** v2: the upload would exceed the user's storage quota. */
  QUOTA_EXCEEDED: 319,
  /** The rate limit was exceeded; retry after `retryAfterMs`. */
  RATE_LIMITED: 400,
  /** The server failed while handling the request. */
  INTERNAL: 500,
  /** A backing service (store, cluster engine) is unavailable. */
  UNAVAILABLE: 501,
} as const;

/** One of the {@link ErrorCode} numbers. */
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Reverse lookup: the stable name of each error code, e.g. `NAME_TAKEN`. */
export const ERROR_CODE_NAMES: Readonly<Record<number, keyof typeof ErrorCode>> = Object.freeze(
  Object.fromEntries(Object.entries(ErrorCode).map(([name, code]) => [code, name])) as Record<
    number,
    keyof typeof ErrorCode
  >,
);

/** True for codes where the same request may succeed later (4xx and 5xx ranges). */
export function isRetryable(code: number): boolean {
  return code >= 400 && code < 600;
}

/** What a client should do after the server closes with a given close code. */
export const ReconnectAdvice = {
  /** Reconnect at once and resume. */
  RECONNECT: 'reconnect',
  /** Reconnect with exponential backoff and jitter. */
  BACKOFF: 'backoff',
  /** Do not reconnect: the same attempt will fail again. */
  STOP: 'stop',
} as const;

/** One of the {@link ReconnectAdvice} values. */
export type ReconnectAdvice = (typeof ReconnectAdvice)[keyof typeof ReconnectAdvice];

/** WebSocket close codes used by the protocol and the advice each carries. */
export const CloseCode = {
  /** Normal closure, asked for by the client. */
  NORMAL: 1000,
  /** The endpoint is going away for good (e.g. a browser tab closed). */
  GOING_AWAY: 1001,
  /** A text WebSocket message was received; v1 is binary only. */
  UNSUPPORTED_DATA: 1003,
  /** The origin is not allowed. */
  POLICY_VIOLATION: 1008,
  /** A message exceeded `limits.maxFrameBytes`. */
  MESSAGE_TOO_BIG: 1009,
  /** The server hit an unexpected condition. */
  INTERNAL_ERROR: 1011,
  /** The server is restarting or shutting down; reconnect (to another node) and resume. */
  SERVICE_RESTART: 1012,
  /** `hello` did not arrive in time. */
  HANDSHAKE_TIMEOUT: 4000,
  /** No version in common. */
  UNSUPPORTED_VERSION: 4001,
  /** The handshake was violated (first frame not `hello`, or a second `hello`). */
  HANDSHAKE_VIOLATION: 4002,
  /** The token was refused. */
  UNAUTHORIZED: 4003,
  /** The client did not read fast enough; its buffer passed the server's cap. */
  SLOW_CONSUMER: 4004,
  /** The client kept exceeding the rate limit after being told to slow down. */
  RATE_ABUSE: 4005,
  /** The client stopped answering heartbeats. */
  HEARTBEAT_TIMEOUT: 4006,
  /** No `login` within `limits.loginTimeoutMs` of `welcome` [LOGIN-8]. */
  LOGIN_TIMEOUT: 4007,
  /** The session's token expired; reconnect at once with a fresh token [LOGIN-9]. */
  AUTH_EXPIRED: 4008,
} as const;

/** One of the {@link CloseCode} numbers. */
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];

/** The reconnect advice for each close code (PROTOCOL.md §5.3). */
export const CLOSE_ADVICE: Readonly<Record<CloseCode, ReconnectAdvice>> = Object.freeze({
  [CloseCode.NORMAL]: ReconnectAdvice.STOP,
  [CloseCode.GOING_AWAY]: ReconnectAdvice.BACKOFF,
  [CloseCode.UNSUPPORTED_DATA]: ReconnectAdvice.STOP,
  [CloseCode.POLICY_VIOLATION]: ReconnectAdvice.STOP,
  [CloseCode.MESSAGE_TOO_BIG]: ReconnectAdvice.BACKOFF,
  [CloseCode.INTERNAL_ERROR]: ReconnectAdvice.BACKOFF,
  [CloseCode.SERVICE_RESTART]: ReconnectAdvice.BACKOFF,
  [CloseCode.HANDSHAKE_TIMEOUT]: ReconnectAdvice.BACKOFF,
  [CloseCode.UNSUPPORTED_VERSION]: ReconnectAdvice.STOP,
  [CloseCode.HANDSHAKE_VIOLATION]: ReconnectAdvice.STOP,
  [CloseCode.UNAUTHORIZED]: ReconnectAdvice.STOP,
  [CloseCode.SLOW_CONSUMER]: ReconnectAdvice.RECONNECT,
  [CloseCode.RATE_ABUSE]: ReconnectAdvice.BACKOFF,
  [CloseCode.HEARTBEAT_TIMEOUT]: ReconnectAdvice.RECONNECT,
  [CloseCode.LOGIN_TIMEOUT]: ReconnectAdvice.BACKOFF,
  [CloseCode.AUTH_EXPIRED]: ReconnectAdvice.RECONNECT,
});

/**
 * Advice for any close code, including ones this version does not define:
 * unknown codes and abnormal closures (1005, 1006) mean "reconnect with backoff".
 */
export function closeAdvice(code: number): ReconnectAdvice {
  return (CLOSE_ADVICE as Record<number, ReconnectAdvice>)[code] ?? ReconnectAdvice.BACKOFF;
}

/**
 * An error that carries a protocol error code. Thrown by `decodeFrame` for
 * malformed input and by servers and clients for refused requests; `toFrame()`
 * turns it into the `error` frame that reports it.
 */
export class ProtocolError extends Error {
  override readonly name: string = 'ProtocolError';
  /** The protocol error code. */
  readonly code: ErrorCode;
  /** Id of the request this error answers, when known. */
  readonly requestId: number | undefined;
  /** For `RATE_LIMITED`: milliseconds until a retry can succeed. */
  readonly retryAfterMs: number | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    options: { requestId?: number; retryAfterMs?: number; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    // Keep `instanceof` working when compiled to ES5-style classes by other toolchains.
    Object.setPrototypeOf(this, new.target.prototype);
    this.code = code;
    this.requestId = options.requestId;
    this.retryAfterMs = options.retryAfterMs;
  }

  /** The stable name of the code, e.g. `NAME_TAKEN`. */
  get codeName(): string {
    return ERROR_CODE_NAMES[this.code] ?? `E${this.code}`;
  }

  /** The `error` frame that reports this error to the peer. */
  toFrame(): ErrorFrame {
    const frame: ErrorFrame = { type: 'error', code: this.code, message: this.message };
    if (this.requestId !== undefined) frame.id = this.requestId;
    if (this.retryAfterMs !== undefined) frame.retryAfterMs = this.retryAfterMs;
    return frame;
  }

  /** Rebuilds the error a peer reported in an `error` frame. */
  static fromFrame(frame: ErrorFrame): ProtocolError {
    return new ProtocolError(frame.code as ErrorCode, frame.message, {
      requestId: frame.id,
      retryAfterMs: frame.retryAfterMs,
    });
  }
}
