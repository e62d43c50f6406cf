/**
 * The SQLite store's schema and its in-place migrations. A file records its
 * store version in `meta`; opening a file of an older version upgrades it
 * in one transaction, so a file is either wholly of the old version or
 * wholly of the new one. A new file is created at version 1 and migrated
 * like any other, so every file takes the same path.
 *
 * Version 1 (protocol v1): `rooms` and `messages`, one row per message.
 *
 * Version 2 (protocol v2, PROTOCOL.md §16): `messages` holds one row per
 * log entry (a message, or a change with `kind` and `target`, the seq of
 * its message); a message row holds its folded state (current text and
 * mentions, `edited_ts`, `deleted`, `revision`; `attachments` is kept for
 * the file references of §17, see attachments.ts) and its author's identity
 * (rows from version 1 get {@link LEGACY_IDENTITY}, which matches nobody,
 * so nobody can edit or delete them); `reactions` holds who reacts with
 * what now; `mentions` the name keys each message mentions now (for unread
 * counts); `read_markers` and `direct_rooms` are per identity.
 *
 * @module
 */

import type Database from 'better-sqlite3';
import { LEGACY_IDENTITY } from '../identity.js';

/** Bumped when the schema changes; {@link migrate} upgrades older files. */
export const STORE_VERSION = 2;

const VERSION_1 = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS rooms (name TEXT PRIMARY KEY, epoch TEXT NOT NULL, last_seq INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS messages (
  room TEXT NOT NULL, seq INTEGER NOT NULL, ts INTEGER NOT NULL,
  sender TEXT NOT NULL, sender_key TEXT NOT NULL, client_id TEXT NOT NULL, text TEXT NOT NULL,
  PRIMARY KEY (room, seq)
) WITHOUT ROWID;
CREATE UNIQUE INDEX IF NOT EXISTS messages_by_client ON messages (room, sender_key, client_id);
`;

const TO_VERSION_2 = `
ALTER TABLE messages ADD COLUMN kind TEXT;
ALTER TABLE messages ADD COLUMN target INTEGER;
ALTER TABLE messages ADD COLUMN emoji TEXT;
ALTER TABLE messages ADD COLUMN identity TEXT NOT NULL DEFAULT '${LEGACY_IDENTITY}';
ALTER TABLE messages ADD COLUMN bot INTEGER NOT NULL DEFAULT 0;
ALTER TABLE messages ADD COLUMN mentions TEXT;
ALTER TABLE messages ADD COLUMN reply_to INTEGER;
ALTER TABLE messages ADD COLUMN edited_ts INTEGER;
ALTER TABLE messages ADD COLUMN deleted INTEGER NOT NULL DEFAULT 0;
ALTER TABLE messages ADD COLUMN revision INTEGER;
ALTER TABLE messages ADD COLUMN attachments TEXT;
CREATE INDEX messages_by_target ON messages (room, target) WHERE target IS NOT NULL;
CREATE TABLE reactions (
  room TEXT NOT NULL, target INTEGER NOT NULL, emoji TEXT NOT NULL, identity TEXT NOT NULL,
  name TEXT NOT NULL, seq INTEGER NOT NULL, appeared INTEGER NOT NULL,
  PRIMARY KEY (room, target, emoji, identity)
) WITHOUT ROWID;
CREATE TABLE mentions (room TEXT NOT NULL, key TEXT NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY (room, key, seq)) WITHOUT ROWID;
CREATE TABLE read_markers (
  identity TEXT NOT NULL, room TEXT NOT NULL, epoch TEXT NOT NULL, seq INTEGER NOT NULL,
  PRIMARY KEY (identity, room)
) WITHOUT ROWID;
CREATE TABLE direct_rooms (
  room TEXT PRIMARY KEY, identity_a TEXT NOT NULL, name_a TEXT NOT NULL, identity_b TEXT NOT NULL, name_b TEXT NOT NULL,
  used INTEGER NOT NULL
);
CREATE INDEX direct_rooms_a ON direct_rooms (identity_a);
CREATE INDEX direct_rooms_b ON direct_rooms (identity_b);
`;

/** Upgrades of version n - 1 to n, at index n. */
const MIGRATIONS: Record<number, string> = { 2: TO_VERSION_2 };

/** Creates the tables of a new file and upgrades an older file in place; returns the version found. */
export function migrate(db: Database.Database): number {
  db.exec(VERSION_1);
  const readVersion = db.prepare<[], { value: string }>("SELECT value FROM meta WHERE key = 'store_version'");
  const found = Number(readVersion.get()?.value ?? 1);
  if (found > STORE_VERSION) {
    throw new Error(`data file has store version ${found}; this server understands up to ${STORE_VERSION}`);
  }
  db.transaction(() => {
    for (let version = found + 1; version <= STORE_VERSION; version++) db.exec(MIGRATIONS[version]!);
    db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('store_version', ?)").run(String(STORE_VERSION));
  })();
  return found;
}
