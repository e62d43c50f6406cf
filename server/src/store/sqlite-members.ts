/**
 * The SQL of what the SQLite store keeps per identity (schema in
 * sqlite-schema.ts): read markers [READ-1] and direct rooms [DM-1].
 * Synchronous; the store runs the writes inside its group commit.
 *
 * @module
 */

import type Database from 'better-sqlite3';
import type { DirectRoom } from './types.js';

interface DirectRow {
  room: string;
  identity_a: string;
  name_a: string;
  identity_b: string;
  name_b: string;
}

function toDirectRoom(row: DirectRow): DirectRoom {
  return {
    room: row.room,
    members: [
      { identity: row.identity_a, name: row.name_a },
      { identity: row.identity_b, name: row.name_b },
    ],
  };
}

export class SqliteMembers {
  private readonly sql;
  /** The last `used` stamp given to a direct room. */
  private used: number;

  constructor(db: Database.Database) {
    this.sql = {
      marker: db.prepare<[string, string], { epoch: string; seq: number }>(
        'SELECT epoch, seq FROM read_markers WHERE identity = ? AND room = ?',
      ),
      setMarker: db.prepare(
        `INSERT INTO read_markers (identity, room, epoch, seq) VALUES (?, ?, ?, ?)
         ON CONFLICT (identity, room) DO UPDATE SET epoch = excluded.epoch, seq = excluded.seq`,
      ),
      direct: db.prepare<[string], DirectRow>('SELECT * FROM direct_rooms WHERE room = ?'),
      directOf: db.prepare<[string, string], DirectRow>(
        `SELECT * FROM (SELECT * FROM direct_rooms WHERE identity_a = ? UNION SELECT * FROM direct_rooms WHERE identity_b = ?)
         ORDER BY used DESC`,
      ),
      saveDirect: db.prepare(
        `INSERT INTO direct_rooms (room, identity_a, name_a, identity_b, name_b, used) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (room) DO UPDATE SET name_a = excluded.name_a, name_b = excluded.name_b, used = excluded.used`,
      ),
    };
    this.used = db.prepare<[], { used: number | null }>('SELECT max(used) AS used FROM direct_rooms').get()?.used ?? 0;
  }

  /** The marker of the room's log of `epoch` (a marker of an older log counts as none). */
  readMarker(identity: string, room: string, epoch: string): number {
    const marker = this.sql.marker.get(identity, room);
    return marker?.epoch === epoch ? marker.seq : 0;
  }

  /** Moves the marker forward only; returns whether it moved. */
  moveReadMarker(identity: string, room: string, epoch: string, seq: number): boolean {
    if (seq <= this.readMarker(identity, room, epoch)) return false;
    this.sql.setMarker.run(identity, room, epoch, seq);
    return true;
  }

  directRoom(room: string): DirectRoom | undefined {
    const row = this.sql.direct.get(room);
    return row && toDirectRoom(row);
  }

  directRoomsOf(identity: string): DirectRoom[] {
    return this.sql.directOf.all(identity, identity).map(toDirectRoom);
  }

  /** Records a direct room, or its members' current names; the members of a room never change. */
  saveDirectRoom(room: DirectRoom): void {
    const existing = this.directRoom(room.room);
    // Names are stored beside the identity they belong to, whichever order the caller gives.
    const [a, b] =
      existing && existing.members[0].identity !== room.members[0].identity
        ? [room.members[1], room.members[0]]
        : room.members;
    // A counter rather than a clock: two saves in one millisecond still order.
    this.used += 1;
    this.sql.saveDirect.run(room.room, a.identity, a.name, b.identity, b.name, this.used);
  }
}
