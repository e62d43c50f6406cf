/**
 * `send` (PROTOCOL.md §10), `history` (§12) and `typing` (§11).
 *
 * @module
 */

import {
  type ChatMessage,
  ErrorCode,
  encodeFrame,
  type HistoryFrame,
  MAX_SERVER_FRAME_BYTES,
  type PageFrame,
  ProtocolError,
  type SendFrame,
  type TypingFrame,
  validateClientId,
  validateText,
} from '@kuykan/protocol';
import type { Session } from '../session.js';
import { EpochChangedError } from '../store/index.js';
import { joinedRoom } from './rooms.js';

/**
 * Commits a message, delivers it to the room, then acks it: the sender gets
 * the `message` before the `ack` [MSG-9], and a retried clientId gets the
 * original ack without a second delivery [MSG-5].
 */
export async function handleSend(session: Session, frame: SendFrame): Promise<void> {
  const { hub } = session;
  const user = session.user!;
  const room = joinedRoom(session, frame.room);
  for (const checked of [validateClientId(frame.clientId), validateText(frame.text, hub.limits.maxTextLength)]) {
    if (!checked.ok) throw new ProtocolError(checked.code, checked.reason);
  }
  session.takeToken();
  const endTimer = hub.metrics.sendToAck.startTimer();
  const { message: committed, duplicate } = await hub.metrics
    .timeStore('append', () =>
      hub.store.append({
        room: room.name,
        epoch: room.epoch,
        from: user.name,
        userKey: user.key,
        clientId: frame.clientId,
        text: frame.text,
      }),
    )
    .catch(async (error: unknown) => {
      if (!(error instanceof EpochChangedError)) throw error;
      await hub.resetRoom(room);
      throw new ProtocolError(ErrorCode.UNAVAILABLE, 'the room was reset, rejoin and send again');
    });
  const ack = () =>
    session.send({
      type: 'ack',
      id: frame.id,
      room: room.name,
      messageId: committed.messageId,
      seq: committed.seq,
      ts: committed.ts,
    });
  if (duplicate) {
    // A retry (maybe on another node) is acked once the original reached this node's members.
    await room.delivered(committed.seq);
    ack();
  } else {
    room.stopTyping(user);
    await room.message(room.epoch, committed, session);
    ack();
  }
  endTimer();
}

/** Serves one page before, after, or at the end of the log [HIST-1..4]. */
export async function handleHistory(session: Session, frame: HistoryFrame): Promise<void> {
  const { hub } = session;
  const room = joinedRoom(session, frame.room);
  if (frame.before !== undefined && frame.after !== undefined) {
    throw new ProtocolError(ErrorCode.HISTORY_INVALID, 'give before or after, not both');
  }
  const limit = frame.limit ?? hub.limits.historyPageMax;
  if (limit < 1 || limit > hub.limits.historyPageMax) {
    throw new ProtocolError(ErrorCode.HISTORY_INVALID, `limit must be 1 to ${hub.limits.historyPageMax}`);
  }
  session.takeToken(session.historyBucket);
  // Only delivered messages are history: nothing past the room's snapshot seq.
  const top = room.lastSeq + 1;
  let messages: ChatMessage[];
  let more: boolean;
  if (frame.after !== undefined) {
    const rows = await hub.metrics.timeStore('range', () =>
      hub.store.range(room.name, {
        afterSeq: frame.after!,
        beforeSeq: top,
        limit: limit + 1,
        newest: false,
      }),
    );
    more = rows.length > limit;
    messages = rows.slice(0, limit);
  } else {
    const before = Math.min(frame.before ?? top, top);
    const rows = await hub.metrics.timeStore('range', () =>
      hub.store.range(room.name, { beforeSeq: before, limit: limit + 1, newest: true }),
    );
    more = rows.length > limit;
    messages = more ? rows.slice(1) : rows;
  }
  session.send(fitPage({ type: 'page', id: frame.id, room: room.name, messages, more }, frame.after !== undefined));
}

/**
 * Shrinks a page over 4 MiB to the messages nearest its starting point, with
 * `more: true`, so that no server frame exceeds what clients accept [WIRE-6].
 */
export function fitPage(page: PageFrame, forward: boolean): PageFrame {
  let fitted = page;
  while (fitted.messages.length > 1 && encodeFrame(fitted).byteLength > MAX_SERVER_FRAME_BYTES) {
    const keep = Math.floor(fitted.messages.length / 2);
    const messages = forward ? fitted.messages.slice(0, keep) : fitted.messages.slice(-keep);
    fitted = { ...fitted, messages, more: true };
  }
  return fitted;
}

/** Relays a typing indication [TYPE-1]; never stored [TYPE-2]. */
export async function handleTyping(session: Session, frame: TypingFrame): Promise<void> {
  const room = joinedRoom(session, frame.room);
  session.takeToken();
  room.setTyping(session.user!, frame.active);
  session.send({ type: 'ok', id: frame.id });
}
