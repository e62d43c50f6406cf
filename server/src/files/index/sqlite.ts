/**
 * SQLite file index, in the history store's database file (its own tables:
 * `file_blobs`, `files`, `upload_slots`). Each method is one transaction;
 * better-sqlite3 is synchronous, so nothing interleaves inside one.
 *
 * @module
 */

import type Database from 'better-sqlite3';
import { attachRefusal, repeated } from './check.js';
import type { BlobRecord, CommitInput, CommitResult, ExpiryQuery, FileIndex, FileRecord, SlotState } from './types.js';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS file_blobs (
  hash TEXT PRIMARY KEY, gen TEXT NOT NULL, size INTEGER NOT NULL, type TEXT NOT NULL,
  width INTEGER, height INTEGER, thumb_size INTEGER,
  last_used INTEGER NOT NULL, deleting INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS files (
  id TEXT PRIMARY KEY, hash TEXT NOT NULL, gen TEXT NOT NULL, size INTEGER NOT NULL, type TEXT NOT NULL,
  width INTEGER, height INTEGER, thumb_size INTEGER,
  owner_key TEXT NOT NULL, owner_name TEXT NOT NULL, room TEXT NOT NULL, name TEXT NOT NULL,
  slot TEXT NOT NULL, created_at INTEGER NOT NULL, ref TEXT, released_at INTEGER
);
CREATE INDEX IF NOT EXISTS files_by_owner ON files (owner_key);
CREATE INDEX IF NOT EXISTS files_by_hash ON files (hash);
CREATE INDEX IF NOT EXISTS files_by_ref ON files (ref) WHERE ref IS NOT NULL;
CREATE INDEX IF NOT EXISTS files_unattached ON files (created_at) WHERE ref IS NULL;
CREATE INDEX IF NOT EXISTS files_released ON files (released_at) WHERE released_at IS NOT NULL;
CREATE TABLE IF NOT EXISTS upload_slots (
  id TEXT PRIMARY KEY, expires_at INTEGER NOT NULL, lease_until INTEGER, file_id TEXT
);
CREATE INDEX IF NOT EXISTS upload_slots_by_expiry ON upload_slots (expires_at);
`;

interface BlobRow {
  hash: string;
  gen: string;
  size: number;
  type: string;
  width: number | null;
  height: number | null;
  thumb_size: number | null;
}

interface FileRow extends BlobRow {
  id: string;
  owner_key: string;
  owner_name: string;
  room: string;
  name: string;
  slot: string;
  created_at: number;
  ref: string | null;
  released_at: number | null;
}

export class SqliteFileIndex implements FileIndex {
  readonly description = 'sqlite';
  private readonly q;
  private readonly tx;

  /** Uses `db` (the history store's handle, or one of its own); creates the tables if missing. */
  constructor(db: Database.Database) {
    db.exec(SCHEMA);
    const q = {
      slot: db.prepare<[string], { lease_until: number | null; file_id: string | null }>(
        'SELECT lease_until, file_id FROM upload_slots WHERE id = ?',
      ),
      lease: db.prepare(
        'INSERT INTO upload_slots (id, expires_at, lease_until) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET lease_until = excluded.lease_until',
      ),
      unlease: db.prepare('UPDATE upload_slots SET lease_until = NULL WHERE id = ? AND file_id IS NULL'),
      complete: db.prepare(
        'INSERT INTO upload_slots (id, expires_at, file_id) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET file_id = excluded.file_id, lease_until = NULL',
      ),
      blob: db.prepare<[string], BlobRow & { deleting: number }>('SELECT * FROM file_blobs WHERE hash = ?'),
      touch: db.prepare('UPDATE file_blobs SET last_used = ? WHERE hash = ?'),
      putBlob: db.prepare(
        `INSERT INTO file_blobs (hash, gen, size, type, width, height, thumb_size, last_used, deleting)
         VALUES (@hash, @gen, @size, @type, @width, @height, @thumb_size, @now, 0)
         ON CONFLICT (hash) DO UPDATE SET gen = excluded.gen, size = excluded.size, type = excluded.type,
           width = excluded.width, height = excluded.height, thumb_size = excluded.thumb_size,
           last_used = excluded.last_used, deleting = 0`,
      ),
      usage: db.prepare<[string], { total: number | null }>('SELECT SUM(size) AS total FROM files WHERE owner_key = ?'),
      file: db.prepare<[string], FileRow>('SELECT * FROM files WHERE id = ?'),
      insertFile: db.prepare(
        `INSERT INTO files (id, hash, gen, size, type, width, height, thumb_size, owner_key, owner_name, room, name, slot, created_at)
         VALUES (@id, @hash, @gen, @size, @type, @width, @height, @thumb_size, @owner_key, @owner_name, @room, @name, @slot, @created_at)`,
      ),
      setRef: db.prepare('UPDATE files SET ref = ? WHERE id = ?'),
      release: db.prepare('UPDATE files SET released_at = ? WHERE ref = ? AND released_at IS NULL'),
      expired: db.prepare<[number, number, number], FileRow>(
        `SELECT * FROM files WHERE id IN (
           SELECT id FROM files WHERE released_at IS NOT NULL AND released_at <= ?
           UNION ALL SELECT id FROM files WHERE ref IS NULL AND created_at <= ?
         ) LIMIT ?`,
      ),
      deleteFile: db.prepare('DELETE FROM files WHERE id = ?'),
      orphans: db.prepare<[number, number], BlobRow>(
        `SELECT * FROM file_blobs b WHERE deleting = 0 AND last_used <= ?
           AND NOT EXISTS (SELECT 1 FROM files f WHERE f.hash = b.hash) LIMIT ?`,
      ),
      markDeleting: db.prepare('UPDATE file_blobs SET deleting = 1 WHERE hash = ?'),
      dropBlob: db.prepare('DELETE FROM file_blobs WHERE hash = ? AND gen = ? AND deleting = 1'),
      dropSlots: db.prepare(
        'DELETE FROM upload_slots WHERE id IN (SELECT id FROM upload_slots WHERE expires_at <= ? LIMIT ?)',
      ),
    };
    this.q = q;
    this.tx = {
      begin: db.transaction((slot: string, expires: number, leaseUntil: number, now: number): SlotState => {
        const row = q.slot.get(slot);
        if (row?.file_id) {
          const file = q.file.get(row.file_id);
          return file ? { kind: 'done', file: toFile(file) } : { kind: 'busy' };
        }
        if (row?.lease_until != null && row.lease_until > now) return { kind: 'busy' };
        q.lease.run(slot, expires, leaseUntil);
        return { kind: 'started' };
      }),
      commit: db.transaction(({ file, slotExpires, newBlob, quotaBytes, now }: CommitInput): CommitResult => {
        const slot = q.slot.get(file.slot);
        const done = slot?.file_id ? q.file.get(slot.file_id) : undefined;
        if (done) return { kind: 'done', file: toFile(done) };
        let blob = q.blob.get(file.hash);
        if (!newBlob && (!blob || blob.deleting || blob.gen !== file.gen)) return { kind: 'blobGone' };
        const usage = q.usage.get(file.ownerKey)?.total ?? 0;
        if (usage + file.size > quotaBytes) return { kind: 'quota', usage };
        if (!blob || blob.deleting) {
          q.putBlob.run({ ...blobRow(file), now });
          blob = q.blob.get(file.hash)!;
        } else {
          q.touch.run(now, file.hash);
        }
        const stored: FileRecord = { ...file, ...toBlob(blob) };
        q.insertFile.run({
          ...blobRow(stored),
          id: stored.fileId,
          owner_key: stored.ownerKey,
          owner_name: stored.ownerName,
          room: stored.room,
          name: stored.name,
          slot: stored.slot,
          created_at: stored.createdAt,
        });
        q.complete.run(file.slot, slotExpires, stored.fileId);
        return { kind: 'stored', file: stored, blob: toBlob(blob) };
      }),
      attach: db.transaction((userKey: string, room: string, fileIds: readonly string[], ref: string) => {
        const twice = repeated(fileIds);
        if (twice !== undefined) return { invalid: twice, why: 'the file is listed twice' };
        const files: FileRecord[] = [];
        for (const id of fileIds) {
          const row = q.file.get(id);
          const file = row ? toFile(row) : undefined;
          const why = attachRefusal(file, userKey, room, ref);
          if (why !== undefined || !file) return { invalid: id, why: why ?? 'unknown file' };
          files.push({ ...file, ref });
        }
        for (const file of files) q.setRef.run(ref, file.fileId);
        return { files };
      }),
      expired: db.transaction(({ unattachedBefore, releasedBefore, limit }: ExpiryQuery) => {
        const rows = q.expired.all(releasedBefore, unattachedBefore, limit);
        for (const row of rows) q.deleteFile.run(row.id);
        return rows.map(toFile);
      }),
      orphans: db.transaction((before: number, limit: number) => {
        const rows = q.orphans.all(before, limit);
        for (const row of rows) q.markDeleting.run(row.hash);
        return rows.map(toBlob);
      }),
    };
  }

  async beginUpload(slot: string, slotExpires: number, leaseUntil: number, now: number): Promise<SlotState> {
    return this.tx.begin(slot, slotExpires, leaseUntil, now);
  }

  async endUpload(slot: string): Promise<void> {
    this.q.unlease.run(slot);
  }

  async blob(hash: string, now: number): Promise<BlobRecord | undefined> {
    const row = this.q.blob.get(hash);
    if (!row || row.deleting) return undefined;
    this.q.touch.run(now, hash);
    return toBlob(row);
  }

  async commit(input: CommitInput): Promise<CommitResult> {
    return this.tx.commit(input);
  }

  async usage(userKey: string): Promise<number> {
    return this.q.usage.get(userKey)?.total ?? 0;
  }

  async file(fileId: string): Promise<FileRecord | undefined> {
    const row = this.q.file.get(fileId);
    return row ? toFile(row) : undefined;
  }

  async attach(userKey: string, room: string, fileIds: readonly string[], ref: string) {
    return this.tx.attach(userKey, room, fileIds, ref);
  }

  async release(ref: string, now: number): Promise<number> {
    return this.q.release.run(now, ref).changes;
  }

  async takeExpiredFiles(query: ExpiryQuery): Promise<FileRecord[]> {
    return this.tx.expired(query);
  }

  async takeOrphanBlobs(before: number, limit: number): Promise<BlobRecord[]> {
    return this.tx.orphans(before, limit);
  }

  async dropBlob(hash: string, gen: string): Promise<void> {
    this.q.dropBlob.run(hash, gen);
  }

  async dropExpiredSlots(now: number, limit: number): Promise<number> {
    return this.q.dropSlots.run(now, limit).changes;
  }

  /** The handle belongs to the history store (or its opener): nothing to close here. */
  async close(): Promise<void> {}
}

function blobRow(blob: BlobRecord) {
  return {
    hash: blob.hash,
    gen: blob.gen,
    size: blob.size,
    type: blob.type,
    width: blob.width ?? null,
    height: blob.height ?? null,
    thumb_size: blob.thumbSize ?? null,
  };
}

function toBlob(row: BlobRow): BlobRecord {
  return {
    hash: row.hash,
    gen: row.gen,
    size: row.size,
    type: row.type,
    ...(row.width === null ? {} : { width: row.width }),
    ...(row.height === null ? {} : { height: row.height }),
    ...(row.thumb_size === null ? {} : { thumbSize: row.thumb_size }),
  };
}

function toFile(row: FileRow): FileRecord {
  return {
    ...toBlob(row),
    fileId: row.id,
    ownerKey: row.owner_key,
    ownerName: row.owner_name,
    room: row.room,
    name: row.name,
    slot: row.slot,
    createdAt: row.created_at,
    ...(row.ref === null ? {} : { ref: row.ref }),
    ...(row.released_at === null ? {} : { releasedAt: row.released_at }),
  };
}
