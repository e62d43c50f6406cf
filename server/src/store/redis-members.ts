/**
 * What the Redis store keeps per identity: read markers [READ-1], one hash
 * per room (`room:<r>:read`, identity → `<seq> <epoch>`), and direct rooms
 * [DM-1] (`direct`, `direct:of:<identity>`; see redis/keys.ts).
 *
 * @module
 */

import type { StoreConnection } from './redis-connection.js';
import type { DirectRoom } from './types.js';

export class RedisMembers {
  constructor(private readonly connection: StoreConnection) {}

  private get keys() {
    return this.connection.keys;
  }

  /** The marker of the room's log of `epoch` (a marker of an older log counts as none). */
  async readMarker(identity: string, room: string, epoch: string): Promise<number> {
    const marker = await this.connection.client.call((redis) => redis.hget(this.keys.room(room, 'read'), identity));
    if (marker === null) return 0;
    const space = marker.indexOf(' ');
    return marker.slice(space + 1) === epoch ? Number(marker.slice(0, space)) : 0;
  }

  /** Moves the marker forward only, atomically (read-marker.lua); resolves whether it moved. */
  async moveReadMarker(identity: string, room: string, epoch: string, seq: number): Promise<boolean> {
    const moved = await this.connection.client.call((redis) =>
      redis.kuykanReadMarker(this.keys.room(room, 'read'), identity, epoch, seq),
    );
    return moved === 1;
  }

  async directRoom(room: string): Promise<DirectRoom | undefined> {
    const json = await this.connection.client.call((redis) => redis.hget(this.keys.direct, room));
    return json === null ? undefined : (JSON.parse(json) as DirectRoom);
  }

  /** Records a direct room, or its members' current names; the members of a room never change. */
  async openDirectRoom(room: DirectRoom): Promise<void> {
    const existing = await this.directRoom(room.room);
    // Names are stored beside the identity they belong to, whichever order the caller gives.
    const members: DirectRoom['members'] =
      existing && existing.members[0].identity !== room.members[0].identity
        ? [room.members[1], room.members[0]]
        : room.members;
    await this.connection.client.call((redis) =>
      redis.kuykanDirect(
        this.keys.direct,
        this.keys.directUsed,
        this.keys.directOf(members[0].identity),
        this.keys.directOf(members[1].identity),
        room.room,
        JSON.stringify({ room: room.room, members }),
      ),
    );
  }

  /** The identity's direct rooms, the one used last first [DM-4]. */
  async directRoomsOf(identity: string): Promise<DirectRoom[]> {
    const rooms = await this.connection.client.call((redis) => redis.zrevrange(this.keys.directOf(identity), 0, -1));
    if (rooms.length === 0) return [];
    const found = await this.connection.client.call((redis) => redis.hmget(this.keys.direct, ...rooms));
    return found.flatMap((json) => (json === null ? [] : [JSON.parse(json) as DirectRoom]));
  }
}
