/**
 * One received WebSocket message of a session: decoded for its protocol
 * version, held to the handshake (only one `hello`, and first [HS-1, HS-2]),
 * and handed to its request handler, whose refusal or failure is answered
 * as an error frame for that request only [ERR-2].
 *
 * @module
 */

import { CloseCode, decodeFrame, ErrorCode, type Frame, ProtocolError } from '@kuykan/protocol';
import { handleFrame, handleHello, pipelines } from './handlers/index.js';
import { refuse } from './handlers/refusal.js';
import type { Session } from './session.js';

/** Decodes one message of `session` and runs its request. */
export async function dispatchFrame(session: Session, data: Uint8Array): Promise<void> {
  if (session.state === 'closed') return;
  const { hub } = session;
  let frame: Frame;
  try {
    frame = decodeFrame(data, { maxBytes: hub.wire.maxFrameBytes, direction: 'client', version: session.version });
  } catch (error) {
    const refusal = error as ProtocolError;
    hub.metrics.frameIn('invalid');
    if (session.state !== 'handshake') {
      await session.answered();
      session.sendError(refusal);
      return;
    }
    // Before hello only two answers are allowed: malformed, or not hello [HS-2].
    session.sendError(
      refusal.code === ErrorCode.BAD_FRAME
        ? refusal
        : new ProtocolError(ErrorCode.HANDSHAKE_REQUIRED, 'the first frame must be hello', {
            requestId: refusal.requestId,
          }),
    );
    session.close(CloseCode.HANDSHAKE_VIOLATION, 'the first frame must be hello');
    return;
  }
  hub.metrics.frameIn(frame.type);
  if (frame.type === 'hello' || session.state === 'handshake') {
    if (frame.type !== 'hello' || session.state !== 'handshake') {
      session.sendError(
        new ProtocolError(ErrorCode.HANDSHAKE_REQUIRED, 'hello must be the first frame, and only once'),
      );
      session.close(CloseCode.HANDSHAKE_VIOLATION, 'handshake violated');
      return;
    }
    session.helloReceived();
    handleHello(session, frame);
    return;
  }
  try {
    // Only a send may overtake the answers of the sends before it [PING-2].
    if (!pipelines(frame)) await session.answered();
    await handleFrame(session, frame);
  } catch (error) {
    await session.answered();
    refuse(session, frame, error);
  }
}
