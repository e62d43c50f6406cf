/**
 * SQLite history store (better-sqlite3, WAL). Appends made in one event-loop
 * tick are committed in one transaction (group commit), and each append's
 * promise resolves only after that transaction commits [MSG-3].
 *
 * @module
 */

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ChatMessage } from '@kuykan/protocol';
import Database from 'better-sqlite3';
import { messageIdOf, randomId } from '../ids.js';
import type { AppendResult, HistoryStore, NewMessage, RangeQuery, RoomState } from './types.js';

/** Bumped when the schema changes; `migrate()` upgrades older files. */
export const STORE_VERSION = 1;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS rooms (name TEXT PRIMARY KEY, epoch TEXT NOT NULL, last_seq INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS messages (
  room TEXT NOT NULL, seq INTEGER NOT NULL, ts INTEGER NOT NULL,
  sender TEXT NOT NULL, sender_key TEXT NOT NULL, client_id TEXT NOT NULL, text TEXT NOT NULL,
  PRIMARY KEY (room, seq)
) WITHOUT ROWID;
CREATE UNIQUE INDEX IF NOT EXISTS messages_by_client ON messages (room, sender_key, client_id);
`;

interface Row {
  room: string;
  seq: number;
  ts: number;
  sender: string;
  sender_key: string;
  client_id: string;
  text: string;
}

interface CachedRoom {
  epoch: string;
  /** Last seq handed out (committed or pending). */
  assigned: number;
  lastTs: number;
}

interface Pending {
  row: Row;
  promise: Promise<AppendResult>;
  resolve: (result: AppendResult) => void;
  reject: (error: unknown) => void;
}

export interface SqliteStoreOptions {
  /** Directory of the database file `kuykan.db`; created if missing. */
  dataDir: string;
  /** `FULL` (default) fsyncs every commit; `NORMAL` survives process crashes but not power loss. */
  synchronous?: 'FULL' | 'NORMAL';
}

export class SqliteStore implements HistoryStore {
  readonly description: string;
  private readonly db: Database.Database;
  private readonly rooms = new Map<string, CachedRoom>();
  private batch: Pending[] = [];
  /** Pending appends by dedupe key, so a retry racing its original gets the same result. */
  private readonly pendingByClient = new Map<string, Pending>();
  private flushScheduled = false;
  private readonly statements;

  constructor(options: SqliteStoreOptions) {
    mkdirSync(options.dataDir, { recursive: true });
    const file = join(options.dataDir, 'kuykan.db');
    this.description = `sqlite:${file}`;
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma(`synchronous = ${options.synchronous ?? 'FULL'}`);
    this.db.exec(SCHEMA);
    this.migrate();
    this.statements = {
      room: this.db.prepare<[string], { epoch: string; last_seq: number }>(
        'SELECT epoch, last_seq FROM rooms WHERE name = ?',
      ),
      lastTs: this.db.prepare<[string], { ts: number }>(
        'SELECT ts FROM messages WHERE room = ? ORDER BY seq DESC LIMIT 1',
      ),
      createRoom: this.db.prepare('INSERT INTO rooms (name, epoch, last_seq) VALUES (?, ?, 0)'),
      byClient: this.db.prepare<[string, string, string], Row>(
        'SELECT * FROM messages WHERE room = ? AND sender_key = ? AND client_id = ?',
      ),
      insert: this.db.prepare(
        'INSERT INTO messages (room, seq, ts, sender, sender_key, client_id, text) VALUES (@room, @seq, @ts, @sender, @sender_key, @client_id, @text)',
      ),
      setLastSeq: this.db.prepare('UPDATE rooms SET last_seq = ? WHERE name = ? AND last_seq < ?'),
      oldest: this.db.prepare<[string, number, number, number], Row>(
        'SELECT * FROM messages WHERE room = ? AND seq > ? AND seq < ? ORDER BY seq ASC LIMIT ?',
      ),
      newest: this.db.prepare<[string, number, number, number], Row>(
        'SELECT * FROM (SELECT * FROM messages WHERE room = ? AND seq > ? AND seq < ? ORDER BY seq DESC LIMIT ?) ORDER BY seq ASC',
      ),
      listRooms: this.db.prepare<[], { name: string; last_seq: number }>('SELECT name, last_seq FROM rooms'),
    };
  }

  private migrate(): void {
    const row = this.db.prepare<[], { value: string }>("SELECT value FROM meta WHERE key = 'store_version'").get();
    if (!row) {
      this.db.prepare("INSERT INTO meta (key, value) VALUES ('store_version', ?)").run(String(STORE_VERSION));
      return;
    }
    const version = Number(row.value);
    if (version > STORE_VERSION) {
      throw new Error(`data file has store version ${version}; this server understands up to ${STORE_VERSION}`);
    }
    // Version 1 is the first schema: nothing to upgrade yet.
  }

  private cached(room: string): CachedRoom {
    let cached = this.rooms.get(room);
    if (!cached) {
      let state = this.statements.room.get(room);
      if (!state) {
        state = { epoch: randomId(), last_seq: 0 };
        this.statements.createRoom.run(room, state.epoch);
      }
      cached = { epoch: state.epoch, assigned: state.last_seq, lastTs: this.statements.lastTs.get(room)?.ts ?? 0 };
      this.rooms.set(room, cached);
    }
    return cached;
  }

  /** An embedded database is there as long as the process is. */
  available(): boolean {
    return true;
  }

  async openRoom(room: string): Promise<RoomState> {
    const cached = this.cached(room);
    return { epoch: cached.epoch, lastSeq: cached.assigned - this.pendingCount(room) };
  }

  /** Forgets the cached position of an unloaded room, unless appends to it are still pending. */
  releaseRoom(room: string): void {
    if (this.pendingCount(room) === 0) this.rooms.delete(room);
  }

  private pendingCount(room: string): number {
    let n = 0;
    for (const pending of this.batch) if (pending.row.room === room) n++;
    return n;
  }

  append(input: NewMessage): Promise<AppendResult> {
    const room = this.cached(input.room);
    const dedupeKey = `${input.room}\u0000${input.userKey}\u0000${input.clientId}`;
    const racing = this.pendingByClient.get(dedupeKey);
    if (racing) return racing.promise.then((result) => ({ message: result.message, duplicate: true }));
    const existing = this.statements.byClient.get(input.room, input.userKey, input.clientId);
    if (existing) return Promise.resolve({ message: this.toMessage(room.epoch, existing), duplicate: true });

    room.assigned += 1;
    room.lastTs = Math.max(Date.now(), room.lastTs);
    const row: Row = {
      room: input.room,
      seq: room.assigned,
      ts: room.lastTs,
      sender: input.from,
      sender_key: input.userKey,
      client_id: input.clientId,
      text: input.text,
    };
    let resolve!: Pending['resolve'];
    let reject!: Pending['reject'];
    const promise = new Promise<AppendResult>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    const pending: Pending = { row, promise, resolve, reject };
    this.batch.push(pending);
    this.pendingByClient.set(dedupeKey, pending);
    promise.then(
      () => this.pendingByClient.delete(dedupeKey),
      () => this.pendingByClient.delete(dedupeKey),
    );
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
    return promise;
  }

  /** Commits every append of this tick in one transaction, then resolves them in seq order. */
  private flush(): void {
    this.flushScheduled = false;
    const batch = this.batch;
    this.batch = [];
    if (batch.length === 0) return;
    try {
      this.db.transaction(() => {
        const last = new Map<string, number>();
        for (const { row } of batch) {
          this.statements.insert.run(row);
          last.set(row.room, row.seq);
        }
        for (const [room, seq] of last) this.statements.setLastSeq.run(seq, room, seq);
      })();
    } catch (error) {
      // Nothing of the batch was committed: forget the seqs handed out so the
      // next append continues from the last committed one.
      for (const room of new Set(batch.map((p) => p.row.room))) this.rooms.delete(room);
      for (const pending of batch) pending.reject(error);
      return;
    }
    for (const pending of batch) {
      const epoch = this.rooms.get(pending.row.room)?.epoch ?? '';
      pending.resolve({ message: this.toMessage(epoch, pending.row), duplicate: false });
    }
  }

  private toMessage(epoch: string, row: Row): ChatMessage {
    return {
      seq: row.seq,
      messageId: messageIdOf(epoch, row.seq),
      ts: row.ts,
      from: row.sender,
      text: row.text,
      clientId: row.client_id,
    };
  }

  async range(room: string, query: RangeQuery): Promise<ChatMessage[]> {
    const epoch = this.cached(room).epoch;
    const args = [room, query.afterSeq ?? 0, query.beforeSeq ?? Number.MAX_SAFE_INTEGER, query.limit] as const;
    const rows = query.newest ? this.statements.newest.all(...args) : this.statements.oldest.all(...args);
    return rows.map((row) => this.toMessage(epoch, row));
  }

  async listRooms(): Promise<Array<{ room: string; seq: number }>> {
    return this.statements.listRooms.all().map((r) => ({ room: r.name, seq: r.last_seq }));
  }

  async close(): Promise<void> {
    this.flush();
    this.db.close();
  }
}
