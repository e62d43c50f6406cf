/**
 * Commits one entry of a room's log (a message, edit, delete or reaction)
 * and answers it: the entry is delivered to the room before the `ack`
 * [MSG-9, LOG-1], a retried clientId gets the original `ack` without a
 * second delivery [MSG-5, LOG-3], and a reaction that changes nothing gets
 * an `ack` with seq 0 [LOG-5].
 *
 * @module
 */

import { ErrorCode, ProtocolError } from '@kuykan/protocol';
import type { Room } from '../rooms.js';
import type { Session } from '../session.js';
import { type AppendResult, EpochChangedError, type NewMessage } from '../store/index.js';

/** What a request adds to the entry; the sender's name, keys and bot flag come from the session. */
export type EntryInput = Omit<NewMessage, 'room' | 'epoch' | 'from' | 'userKey' | 'identity' | 'bot'>;

/**
 * Takes a send-rate token, appends the entry, delivers it and acks it;
 * resolves with what the store committed. The store's refusals (§5.4 "then
 * for a new clientId") give the token back [LIMIT-7]; `refused` runs when
 * nothing was committed (the rate limit, the store's checks, a lost log).
 */
export async function commitEntry(
  session: Session,
  room: Room,
  requestId: number,
  input: EntryInput,
  refused?: () => Promise<void>,
): Promise<AppendResult> {
  const { hub } = session;
  const user = session.user!;
  const endTimer = hub.metrics.sendToAck.startTimer();
  const result = await session
    .spend(session.bucket, () =>
      hub.metrics
        .timeStore('append', () =>
          hub.store.append({
            ...input,
            room: room.name,
            epoch: room.epoch,
            from: user.name,
            userKey: user.key,
            identity: user.identity,
            ...(user.bot ? { bot: true } : {}),
          }),
        )
        .catch(async (error: unknown) => {
          if (!(error instanceof EpochChangedError)) throw error;
          await hub.resetRoom(room);
          throw new ProtocolError(ErrorCode.UNAVAILABLE, 'the room was reset, rejoin and send again');
        }),
    )
    .catch(async (error: unknown) => {
      await refused?.();
      throw error;
    });
  const { message, duplicate, unchanged } = result;
  if (duplicate) {
    // A retry (maybe on another node) is acked once the original reached this node's members.
    await room.delivered(message.seq);
  } else if (!unchanged) {
    if (!input.change) room.stopTyping(user);
    await room.message(room.epoch, message, session);
  }
  session.send({
    type: 'ack',
    id: requestId,
    room: room.name,
    messageId: message.messageId,
    seq: message.seq,
    ts: message.ts,
  });
  endTimer();
  return result;
}
