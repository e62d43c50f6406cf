/**
 * v2: direct rooms (PROTOCOL.md §16.10): `dm` finds or opens the room of
 * two identities [DM-1, DM-2], and only those two may join it [DM-3].
 *
 * @module
 */

import { type DmFrame, ErrorCode, isDirectRoom, ProtocolError, validateName } from '@kuykan/protocol';
import { directRoomName, isLasting } from '../identity.js';
import type { Session } from '../session.js';
import type { DirectMember, DirectRoom } from '../store/index.js';

/**
 * Answers `dm` with the direct room of the user and the named one, checked
 * in the order of §5.4: NAME_INVALID, DIRECT_INVALID (myself, or no lasting
 * identity), RATE_LIMITED (the join rate [LIMIT-9]), USER_NOT_FOUND,
 * DIRECT_INVALID (the other user has no lasting identity).
 */
export async function handleDm(session: Session, frame: DmFrame): Promise<void> {
  const { hub } = session;
  const user = session.user!;
  const checked = validateName(frame.name, hub.limits.maxNameLength);
  if (!checked.ok) throw new ProtocolError(checked.code, checked.reason);
  if (hub.users.keyOf(checked.value) === hub.users.keyOf(user.name)) {
    throw new ProtocolError(ErrorCode.DIRECT_INVALID, 'a direct room is with another user');
  }
  if (!isLasting(user.identity)) {
    throw new ProtocolError(ErrorCode.DIRECT_INVALID, 'direct rooms need a login with a key or a token');
  }
  const me: DirectMember = { identity: user.identity, name: user.name };
  await session.spend(session.joinBucket, async () => {
    const peer = await findPeer(session, checked.value);
    const room = directRoomName(me.identity, peer.identity);
    await hub.chat!.openDirectRoom({ room, members: [me, peer] });
    session.send({ type: 'directRoom', id: frame.id, room, name: peer.name });
  });
}

/**
 * The user a `dm` names: the one online with that name on any node [NAME-5], else the
 * other member of one of my direct rooms last seen with that name [DM-1]
 * (of several such, the room used last).
 */
async function findPeer(session: Session, name: string): Promise<DirectMember> {
  const { hub } = session;
  const online = await hub.users.holder(name);
  if (online) {
    if (!isLasting(online.identity)) {
      throw new ProtocolError(
        ErrorCode.DIRECT_INVALID,
        `${online.name} has no lasting identity (logged in without a key)`,
      );
    }
    return { identity: online.identity, name: online.name };
  }
  const key = hub.users.keyOf(name);
  const me = session.user!.identity;
  for (const direct of await hub.chat!.directRoomsOf(me)) {
    const other = peerOf(direct, me);
    if (other && hub.users.keyOf(other.name) === key) return other;
  }
  throw new ProtocolError(ErrorCode.USER_NOT_FOUND, `nobody named ${name} is online or in your direct rooms`);
}

/**
 * The direct room a `join` names, when the joining user is one of its two
 * members; undefined for a room that is not direct. Anyone else, and any
 * `@` name no `dm` opened, is refused [DM-3]: with FORBIDDEN in v2, with
 * ROOM_INVALID in v1, which has no such code and cannot open direct rooms.
 * A member's current name is recorded, for the other's room list [DM-4].
 */
export async function directAccess(session: Session, room: string): Promise<DirectRoom | undefined> {
  if (!isDirectRoom(room)) return undefined;
  const user = session.user!;
  const direct = await session.hub.chat?.directRoom(room);
  const mine = direct?.members.find((m) => m.identity === user.identity);
  if (!direct || !mine) {
    const code = session.version >= 2 ? ErrorCode.FORBIDDEN : ErrorCode.ROOM_INVALID;
    throw new ProtocolError(code, 'this direct room is not yours');
  }
  if (mine.name !== user.name) {
    const members = direct.members.map((m) => (m === mine ? { ...m, name: user.name } : m)) as DirectRoom['members'];
    await session.hub.chat!.openDirectRoom({ room, members });
  }
  return direct;
}

/** The other member of a direct room. */
export function peerOf(direct: DirectRoom, identity: string): DirectMember | undefined {
  return direct.members.find((m) => m.identity !== identity);
}
