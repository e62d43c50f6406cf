/**
 * `join` with resume and `leave` (PROTOCOL.md §9, §13); in v2 a `joined`
 * also carries the user's read marker and counts [READ-3], the bots among
 * the members [BOT-1] and a direct room's other member [DM-5].
 *
 * @module
 */

import {
  type ChatMessage,
  ErrorCode,
  type JoinedFrame,
  type JoinFrame,
  type LeaveFrame,
  MAX_SERVER_FRAME_BYTES,
  ProtocolError,
  validateRoom,
} from '@kuykan/protocol';
import { encodeFor } from '../encoding.js';
import { readMarkerOf } from '../markers.js';
import * as observe from '../observe.js';
import { receives } from '../room/fanout.js';
import type { JoinSnapshot, Room } from '../rooms.js';
import type { Session } from '../session.js';
import type { DirectRoom } from '../store/index.js';
import { directAccess, peerOf } from './direct.js';
import { pageView } from './messages.js';

/** Validates a room name and returns the joined room, or refuses [ROOM-8, ROOM-10]. */
export function joinedRoom(session: Session, raw: string): Room {
  const checked = validateRoom(raw, session.hub.limits.maxRoomLength);
  if (!checked.ok) throw new ProtocolError(checked.code, checked.reason);
  const room = session.room(checked.value);
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
  const direct = await directAccess(session, name);
  if (!session.room(name) && session.rooms.length >= hub.limits.maxRoomsPerConnection) {
    throw new ProtocolError(
      ErrorCode.TOO_MANY_ROOMS,
      `at most ${hub.limits.maxRoomsPerConnection} rooms per connection`,
    );
  }
  session.takeToken(session.joinBucket);
  const attached = await hub.attach(name, session, () => session.state !== 'closed');
  if (!attached) return;
  const { room, snapshot } = attached;
  session.addRoom(room);
  let messages: ChatMessage[];
  let recovered: boolean | undefined;
  let extras: Partial<JoinedFrame>;
  try {
    await snapshot.entered;
    if (frame.epoch !== undefined && frame.seq !== undefined) {
      const gap = snapshot.seq - frame.seq;
      const resumable = frame.epoch === room.epoch && gap >= 0 && gap <= hub.limits.maxRecoverable;
      // A store that trims (Redis) may no longer hold the whole gap: then nothing is recovered.
      const missing = resumable ? await gapAfter(session, room, frame.seq, snapshot.seq) : undefined;
      recovered = missing !== undefined;
      messages = missing ?? (await recent(session, room, snapshot.seq));
    } else {
      messages = await recent(session, room, snapshot.seq);
    }
    extras = await joinedExtras(session, room, snapshot, direct);
  } catch (error) {
    session.removeRoom(name);
    await room.detach(session, 'leave');
    throw error;
  }
  const joined = (page: ChatMessage[], resumed: boolean | undefined): JoinedFrame => ({
    type: 'joined',
    id: frame.id,
    room: name,
    epoch: room.epoch,
    seq: snapshot.seq,
    members: snapshot.members,
    messages: page,
    ...(resumed === undefined ? {} : { recovered: resumed }),
    ...extras,
  });
  let bytes = encodeFor(joined(messages, recovered), session.version);
  // A gap too big for one server frame cannot be recovered [RES-1, WIRE-6]: send the latest instead.
  if (recovered && bytes.byteLength > MAX_SERVER_FRAME_BYTES) {
    recovered = false;
    bytes = encodeFor(joined(await recent(session, room, snapshot.seq), recovered), session.version);
  }
  session.sendBytes(bytes);
  hub.metrics.framesSent('joined');
  observe.joined(session, name, recovered);
  room.ready(session);
}

/** What a v2 `joined` adds: read marker and counts as of the snapshot [READ-3], bots [BOT-1], the peer [DM-5]. */
async function joinedExtras(
  session: Session,
  room: Room,
  snapshot: JoinSnapshot,
  direct: DirectRoom | undefined,
): Promise<Partial<JoinedFrame>> {
  const { chat, users } = session.hub;
  if (session.version < 2 || !chat) return {};
  const user = session.user!;
  const readSeq = Math.min(await readMarkerOf(chat, user, room.name, room.epoch), snapshot.seq);
  const counts = await chat.unread(room.name, {
    identity: user.identity,
    nameKey: users.keyOf(user.name),
    afterSeq: readSeq,
    upToSeq: snapshot.seq,
    direct: direct !== undefined,
  });
  const peer = direct && peerOf(direct, user.identity);
  return {
    readSeq,
    unread: counts.unread,
    mentions: counts.mentions,
    ...(snapshot.bots.length ? { bots: snapshot.bots } : {}),
    ...(peer ? { peer: peer.name } : {}),
  };
}

/** The latest `joinRecent` messages the session sees [ROOM-6, FOLD-4, VER-4]. */
async function recent(session: Session, room: Room, snapshot: number): Promise<ChatMessage[]> {
  const { hub } = session;
  return hub.metrics.timeStore('range', () =>
    hub.store.range(room.name, {
      beforeSeq: snapshot + 1,
      limit: hub.limits.joinRecent,
      newest: true,
      ...pageView(session),
    }),
  );
}

/**
 * Exactly the entries after `seq` up to the snapshot [RES-1, LOG-4], or
 * undefined when the store no longer holds all of them: a partial gap is
 * never sent. A v1 session gets the messages of the gap that are not
 * deleted, with their current text [VER-4].
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
    hub.store.range(room.name, {
      afterSeq: seq,
      beforeSeq: snapshot + 1,
      limit: snapshot - seq,
      newest: false,
      records: 'entries',
      viewer: session.user!.identity,
    }),
  );
  if (gap.length !== snapshot - seq || gap[0]?.seq !== seq + 1) return undefined;
  return session.version >= 2 ? gap : gap.filter((entry) => receives(1, entry) && !entry.deleted);
}

export async function handleLeave(session: Session, frame: LeaveFrame): Promise<void> {
  const room = joinedRoom(session, frame.room);
  session.takeToken(session.joinBucket);
  session.removeRoom(room.name);
  await room.detach(session, 'leave');
  session.send({ type: 'ok', id: frame.id });
  observe.left(session, room.name);
}
