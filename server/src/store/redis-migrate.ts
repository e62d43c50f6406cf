/**
 * Rooms kept by an older Redis store, whose log is a stream of messages
 * (`room:<r>:log`), are moved into the entries of protocol version 2 the
 * first time a node opens them (redis/lua/migrate.lua), in batches so Redis
 * serves other clients in between. Their authors get the legacy identity,
 * which nobody holds: nobody may edit or delete them [EDIT-1].
 *
 * @module
 */

import { LEGACY_IDENTITY } from '../identity.js';
import type { StoreConnection } from './redis-connection.js';

/** Messages moved per script call. */
const MIGRATE_BATCH = 500;

/** Moves a room's old log, if it has one, into its entries. */
export async function migrateRoom(connection: StoreConnection, room: string): Promise<void> {
  const key = (part: 'log' | 'entries' | 'messages' | 'visible' | 'first') => connection.keys.room(room, part);
  for (;;) {
    const left = await connection.client.call((redis) =>
      redis.kuykanMigrate(
        key('log'),
        key('entries'),
        key('messages'),
        key('visible'),
        key('first'),
        MIGRATE_BATCH,
        LEGACY_IDENTITY,
      ),
    );
    if (left === 0) return;
  }
}
