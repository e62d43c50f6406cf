/**
 * v2: `read` (PROTOCOL.md §16.9): moves the user's read marker, and the
 * user's other sessions, on every node, learn where it is now [READ-2].
 * `read` has no rate: a marker only moves forward [LIMIT-9].
 *
 * @module
 */

import { ErrorCode, ProtocolError, type ReadFrame } from '@kuykan/protocol';
import { moveReadMarker } from '../markers.js';
import type { Session } from '../session.js';
import { joinedRoom } from './rooms.js';

export async function handleRead(session: Session, frame: ReadFrame): Promise<void> {
  const { hub } = session;
  const user = session.user!;
  const room = joinedRoom(session, frame.room);
  if (frame.seq > room.lastSeq) {
    // The message may be acked on another node and not yet delivered here: wait for every
    // cross-node event published before the read, as history does [HIST-5], then judge.
    await hub.cluster.barrier();
    await room.settled().catch(() => {});
  }
  if (frame.seq > room.lastSeq) {
    throw new ProtocolError(ErrorCode.READ_INVALID, `seq ${frame.seq} is beyond the room's last seq ${room.lastSeq}`);
  }
  const moved = await moveReadMarker(hub.chat!, user, room.name, room.epoch, frame.seq);
  if (moved) await hub.notifier.readMarker(user, room.name, frame.seq, session.id);
  session.send({ type: 'ok', id: frame.id });
}
