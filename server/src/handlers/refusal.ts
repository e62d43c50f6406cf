/**
 * The answer to a request that failed, wherever it failed: in its handler
 * (session-dispatch.ts) or later, in a pipelined send's answer.
 *
 * @module
 */

import { ErrorCode, type Frame, ProtocolError } from '@kuykan/protocol';
import type { Session } from '../session.js';

/** Answers a request that failed: its refusal, or INTERNAL for this request only [ERR-2]. */
export function refuse(session: Session, frame: Frame, error: unknown): void {
  const { hub } = session;
  const requestId = 'id' in frame ? frame.id : undefined;
  if (error instanceof ProtocolError) {
    // The peer gets the code only; the operator gets the cause (e.g. Redis down).
    if (error.code === ErrorCode.UNAVAILABLE) {
      hub.log.warn({ err: error.cause ?? error, session: session.id, frame: frame.type }, error.message);
    }
    session.sendError(new ProtocolError(error.code, error.message, { requestId, retryAfterMs: error.retryAfterMs }));
    return;
  }
  // A bug or a store failure answers this request only [ERR-2].
  hub.log.error({ err: error, session: session.id, frame: frame.type }, 'request failed');
  session.sendError(new ProtocolError(ErrorCode.INTERNAL, 'internal error', { requestId }));
}
