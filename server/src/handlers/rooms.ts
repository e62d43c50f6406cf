/**
 * `join` with resume, `leave` and `rooms` (PROTOCOL.md §9, §13).
 *
 * @module
 */

import {
  type ChatMessage,
  ErrorCode,
  encodeFrame,
  type JoinedFrame,
  type JoinFrame,
  type LeaveFrame,
  MAX_SERVER_FRAME_BYTES,
  ProtocolError,
  type RoomInfo,
  type RoomsFrame,
  validateRoom,
} from '@kuykan/protocol';
import * as observe from '../observe.js';
import type { Room } from '../rooms.js';
import type { Session } from '../session.js';

/** Validates a room name and returns the joined room, or refuses [ROOM-8, ROOM-10]. */
export function joinedRoom(session: Session, raw: string): Room {
  const checked = validateRoom(raw, session.hub.limits.maxRoomLength);
  if (!checked.ok) throw new ProtocolError(checked.code, checked.reason);
  const room = session.rooms.get(checked.value);
  if (!room) throw new ProtocolError(ErrorCode.NOT_IN_ROOM, `not in room "${checked.value}"`);
  return room;
}

export async function handleJoin(session: Session, frame: JoinFrame): Promise<void> {
  const { hub } = session;
  const checked = validateRoom(frame.room, hub.limits.maxRoomLength);
  if (!checked.ok) throw new ProtocolError(checked.code, checked.reason);
  if ((frame.epoch === undefined) !== (frame.seq === undefined)) {
    throw new ProtocolError(ErrorCode.BAD_FRAME, 'join: epoch and seq must be given together');
  }
  const name = checked.value;
  if (!session.rooms.has(name) && session.rooms.size >= hub.limits.maxRoomsPerConnection) {
    throw new ProtocolError(
      ErrorCode.TOO_MANY_ROOMS,
      `at most ${hub.limits.maxRoomsPerConnection} rooms per connection`,
    );
  }
  session.takeToken(session.joinBucket);
  const attached = await hub.attach(name, session, () => session.state !== 'closed');
  if (!attached) return;
  const { room } = attached;
  const { seq: snapshot, members, entered } = attached.snapshot;
  session.rooms.set(name, room);
  let messages: ChatMessage[];
  let recovered: boolean | undefined;
  try {
    await entered;
    if (frame.epoch !== undefined && frame.seq !== undefined) {
      const gap = snapshot - frame.seq;
      const resumable = frame.epoch === room.epoch && gap >= 0 && gap <= hub.limits.maxRecoverable;
      // A store that trims (Redis) may no longer hold the whole gap: then nothing is recovered.
      const missing = resumable ? await gapAfter(session, room, frame.seq, snapshot) : undefined;
      recovered = missing !== undefined;
      messages = missing ?? (await recent(session, room, snapshot));
    } else {
      messages = await recent(session, room, snapshot);
    }
  } catch (error) {
    session.rooms.delete(name);
    await room.detach(session, 'leave');
    throw error;
  }
  const joined = (page: ChatMessage[], resumed: boolean | undefined): JoinedFrame => ({
    type: 'joined',
    id: frame.id,
    room: name,
    epoch: room.epoch,
    seq: snapshot,
    members,
    messages: page,
    ...(resumed === undefined ? {} : { recovered: resumed }),
  });
  let bytes = encodeFrame(joined(messages, recovered));
  // A gap too big for one server frame cannot be recovered [RES-1, WIRE-6]: send the latest instead.
  if (recovered && bytes.byteLength > MAX_SERVER_FRAME_BYTES) {
    recovered = false;
    bytes = encodeFrame(joined(await recent(session, room, snapshot), recovered));
  }
  session.sendBytes(bytes);
  hub.metrics.framesOut.inc({ type: 'joined' });
  observe.joined(session, name, recovered);
  room.ready(session);
}

async function recent(session: Session, room: Room, snapshot: number): Promise<ChatMessage[]> {
  const { hub } = session;
  return hub.metrics.timeStore('range', () =>
    hub.store.range(room.name, { beforeSeq: snapshot + 1, limit: hub.limits.joinRecent, newest: true }),
  );
}

/**
 * Exactly the messages after `seq` up to the snapshot [RES-1], or undefined
 * when the store no longer holds all of them: a partial gap is never sent.
 */
async function gapAfter(
  session: Session,
  room: Room,
  seq: number,
  snapshot: number,
): Promise<ChatMessage[] | undefined> {
  const { hub } = session;
  if (snapshot === seq) return [];
  const gap = await hub.metrics.timeStore('range', () =>
    hub.store.range(room.name, { afterSeq: seq, beforeSeq: snapshot + 1, limit: snapshot - seq, newest: false }),
  );
  if (gap.length !== snapshot - seq || gap[0]?.seq !== seq + 1) return undefined;
  return gap;
}

export async function handleLeave(session: Session, frame: LeaveFrame): Promise<void> {
  const room = joinedRoom(session, frame.room);
  session.takeToken(session.joinBucket);
  session.rooms.delete(room.name);
  await room.detach(session, 'leave');
  session.send({ type: 'ok', id: frame.id });
  observe.left(session, room.name);
}

/** Lists rooms with members or messages [ROOM-9]. */
export async function handleRooms(session: Session, frame: RoomsFrame): Promise<void> {
  const { hub } = session;
  session.takeToken(session.roomsBucket);
  const byName = new Map<string, RoomInfo>();
  for (const { room, seq } of await hub.store.listRooms()) byName.set(room, { room, members: 0, seq });
  for (const room of await hub.loadedRooms()) {
    byName.set(room.name, { room: room.name, members: room.memberCount, seq: room.lastSeq });
  }
  const rooms = [...byName.values()]
    .filter((r) => r.members > 0 || r.seq > 0)
    .sort((a, b) => a.room.localeCompare(b.room));
  session.send({ type: 'roomList', id: frame.id, rooms });
}
