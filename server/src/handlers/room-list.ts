/**
 * `rooms` → `roomList` (PROTOCOL.md §9): every room with members or
 * messages once across pages [ROOM-9], in code point order of the names,
 * `limit` rooms after `after` with `more` when others follow [ROOM-11], and
 * no page over 4 MiB [WIRE-6]. Direct rooms are listed to their members
 * only, with the other member as `peer`, and only in v2 [DM-4, VER-4].
 *
 * @module
 */

import {
  encodeFrame,
  isDirectRoom,
  MAX_SERVER_FRAME_BYTES,
  ROOM_PAGE_MAX,
  type RoomInfo,
  type RoomListFrame,
  type RoomsFrame,
} from '@kuykan/protocol';
import type { Session } from '../session.js';
import { peerOf } from './direct.js';

/** Orders strings by code point, not UTF-16 unit (they differ above U+FFFF) [ROOM-11]. */
export function byCodePoint(a: string, b: string): number {
  const left = a[Symbol.iterator]();
  const right = b[Symbol.iterator]();
  for (;;) {
    const x = left.next();
    const y = right.next();
    if (x.done || y.done) return (x.done ? 0 : 1) - (y.done ? 0 : 1);
    const diff = x.value.codePointAt(0)! - y.value.codePointAt(0)!;
    if (diff !== 0) return diff;
  }
}

export async function handleRooms(session: Session, frame: RoomsFrame): Promise<void> {
  const { hub } = session;
  session.takeToken(session.roomsBucket);
  const { after } = frame;
  const peers = await directPeers(session);
  const shown = (room: string) =>
    (after === undefined || byCodePoint(room, after) > 0) && (!isDirectRoom(room) || peers.has(room));
  const unloaded = new Map<string, RoomInfo>();
  for (const { room, seq } of await hub.store.listRooms()) {
    if (shown(room)) unloaded.set(room, { room, members: 0, seq });
  }
  // A loaded room's seq and members count what other nodes acked before the request, as history does [HIST-5].
  await hub.cluster.barrier();
  const loaded = await hub.loadedRooms();
  await Promise.all(loaded.map((room) => room.settled().catch(() => {})));
  const listed: RoomInfo[] = [];
  for (const room of loaded) {
    unloaded.delete(room.name);
    if (shown(room.name)) listed.push({ room: room.name, members: room.memberCount, seq: room.lastSeq });
  }
  // No session of this node is in the other rooms; members of theirs are on other nodes [ROOM-9].
  const others = [...unloaded.values()];
  const counts = await hub.cluster.memberCounts(others.map((r) => r.room));
  others.forEach((r, i) => {
    r.members = counts[i]!;
    listed.push(r);
  });
  const page = listed
    .filter((r) => r.members > 0 || r.seq > 0)
    .map((r) => (isDirectRoom(r.room) ? { ...r, peer: peers.get(r.room) } : r))
    .sort((a, b) => byCodePoint(a.room, b.room));
  const limit = Math.max(1, Math.min(frame.limit ?? ROOM_PAGE_MAX, ROOM_PAGE_MAX));
  session.send(fitRoomList(session.version, frame.id, page, limit));
}

/** My direct rooms and their other members' names; none for a v1 session [VER-4]. */
async function directPeers(session: Session): Promise<Map<string, string>> {
  const { chat } = session.hub;
  const identity = session.user!.identity;
  if (session.version < 2 || !chat) return new Map();
  const mine = await chat.directRoomsOf(identity);
  return new Map(mine.map((direct) => [direct.room, peerOf(direct, identity)?.name ?? '']));
}

/** The first `limit` rooms, fewer when the page would pass 4 MiB; `more` when rooms remain [ROOM-11, WIRE-6]. */
function fitRoomList(version: number, id: number, rooms: RoomInfo[], limit: number): RoomListFrame {
  let count = Math.min(limit, rooms.length);
  const page = (n: number): RoomListFrame => ({
    type: 'roomList',
    id,
    rooms: rooms.slice(0, n),
    more: n < rooms.length,
  });
  while (count > 1 && encodeFrame(page(count), version).byteLength > MAX_SERVER_FRAME_BYTES) {
    count = Math.floor(count / 2);
  }
  return page(count);
}
