/**
 * SDK errors. Server refusals are `ProtocolError`s (from @kuykan/protocol)
 * carrying the protocol error code; local failures are `ClientError`s.
 *
 * @module
 */

/** Codes of failures detected by the client itself. */
export type ClientErrorCode =
  /** The server did not answer in `requestTimeoutMs`. */
  | 'TIMEOUT'
  /** More sends are queued than `queueLimit` allows. */
  | 'QUEUE_FULL'
  /** The connection closed (or the client was closed) before the request completed. */
  | 'CLOSED'
  /** The server closed with a code that advises not to reconnect (`closeCode`). */
  | 'TERMINAL'
  /**
   * The server cannot do this: it speaks protocol version 1 and the method
   * needs version 2, or it lacks the capability (`files`). Nothing was sent.
   */
  | 'UNSUPPORTED'
  /** The caller cancelled (an upload's `AbortSignal`). */
  | 'ABORTED';

export class ClientError extends Error {
  override readonly name = 'ClientError';
  readonly code: ClientErrorCode;
  /** For TERMINAL and CLOSED: the WebSocket close code, when known. */
  readonly closeCode: number | undefined;
  /**
   * For a connection that could not be opened: the HTTP status the server
   * answered the upgrade with (e.g. 403, 404), where the platform exposes it
   * (Node; browsers hide it).
   */
  readonly httpStatus: number | undefined;

  /**
   * `cause` (ES2022) is the platform's error when there is one: for a
   * connection that could not be opened in Node, the socket's `Error` with its
   * `code` (`ENOTFOUND`, `ECONNREFUSED`, `CERT_HAS_EXPIRED`…); the message
   * already says it in words.
   */
  constructor(
    code: ClientErrorCode,
    message: string,
    options: { closeCode?: number; httpStatus?: number; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    Object.setPrototypeOf(this, new.target.prototype);
    this.code = code;
    this.closeCode = options.closeCode;
    this.httpStatus = options.httpStatus;
  }
}

/** The refusal of a v2 feature on a version 1 session (nothing was sent). @internal */
export function needsVersion2(what: string): ClientError {
  return new ClientError('UNSUPPORTED', `the server speaks protocol version 1; ${what} needs version 2`);
}
