/**
 * SQLite store (better-sqlite3, WAL) of protocol version 2's room logs,
 * read markers and direct rooms.
 *
 * Writes run on a writer thread (sqlite-thread.ts, sqlite-writer.ts), so
 * the fsync of a commit never blocks the event loop that reads requests
 * and fans messages out. The writes asked for in one event-loop turn go to
 * the writer as one message; the writer commits everything that reached it
 * while it was busy in one transaction (group commit: a batch grows by
 * itself while an fsync is in flight), and each promise resolves only after
 * that transaction committed [MSG-3]. An entry is checked against its
 * target's state inside that transaction, so no other write comes between
 * the check and the commit.
 *
 * Reads stay here, on a connection of this thread: they are short indexed
 * lookups, a round trip to the writer would cost more than they do and
 * queue behind its fsync, and in WAL mode a reader never waits for the
 * writer. A read sees every committed transaction and a write is answered
 * only after its commit, so a client reads whatever it was acked.
 *
 * This thread also creates and migrates the file when the store is
 * constructed, so a file the server cannot read is refused there.
 *
 * @module
 */

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type ChatMessage, EntryKind } from '@kuykan/protocol';
import Database from 'better-sqlite3';
import { DEFAULT_RULES } from './fold.js';
import { SqliteLog } from './sqlite-log.js';
import { SqliteMembers } from './sqlite-members.js';
import type { WriteRequest } from './sqlite-messages.js';
import { migrate } from './sqlite-schema.js';
import { WriterThread } from './sqlite-thread.js';
import type {
  AppendResult,
  ChatStore,
  DirectRoom,
  EntryRules,
  NewMessage,
  RangeQuery,
  RoomState,
  UnreadQuery,
} from './types.js';

export { STORE_VERSION } from './sqlite-schema.js';

export interface SqliteStoreOptions {
  /** Directory of the database file `kuykan.db`; created if missing. */
  dataDir: string;
  /** `FULL` (default) fsyncs every commit; `NORMAL` survives process crashes but not power loss. */
  synchronous?: 'FULL' | 'NORMAL';
  /** What entries are checked against. [edit window 0, 20 reactions] */
  rules?: EntryRules;
}

export class SqliteStore implements ChatStore {
  readonly description: string;
  /** The reading connection (the writer thread has its own). */
  private readonly db: Database.Database;
  private readonly writer: WriterThread;
  /** Epochs of rooms whose log exists: an epoch never changes in this store. */
  private readonly epochs = new Map<string, string>();
  /** Pending appends by dedupe key, so a retry racing its original gets the same result. */
  private readonly pendingByClient = new Map<string, Promise<AppendResult>>();
  private readonly log: SqliteLog;
  private readonly members: SqliteMembers;
  private readonly statements;

  constructor(options: SqliteStoreOptions) {
    mkdirSync(options.dataDir, { recursive: true });
    const file = join(options.dataDir, 'kuykan.db');
    const synchronous = options.synchronous ?? 'FULL';
    this.description = `sqlite:${file}`;
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma(`synchronous = ${synchronous}`);
    migrate(this.db);
    this.log = new SqliteLog(this.db);
    this.members = new SqliteMembers(this.db);
    this.writer = new WriterThread({ file, synchronous, rules: options.rules ?? DEFAULT_RULES }, (request) =>
      this.committed(request),
    );
    this.statements = {
      epoch: this.db.prepare<[string], { epoch: string }>('SELECT epoch FROM rooms WHERE name = ?'),
      listRooms: this.db.prepare<[], { name: string; last_seq: number }>('SELECT name, last_seq FROM rooms'),
    };
  }

  /** An embedded database is there as long as the process is (a writer that dies is started again). */
  available(): boolean {
    return true;
  }

  /**
   * Transactions the writer committed, writes run in them (their ratio is
   * the group commit's batch size), and writers started again after dying.
   */
  writerStats(): { commits: number; writes: number; restarts: number } {
    return this.writer.stats();
  }

  async openRoom(room: string): Promise<RoomState> {
    // Through the writer: it creates the log, and its position counts the appends queued before.
    const state = await this.writer.call<RoomState>({ op: 'open', room });
    this.epochs.set(room, state.epoch);
    return state;
  }

  /** Forgets the cached position of an unloaded room. */
  releaseRoom(room: string): void {
    this.epochs.delete(room);
    this.writer.tell({ op: 'release', room });
  }

  append(input: NewMessage): Promise<AppendResult> {
    const dedupeKey = `${input.room}\u0000${input.userKey}\u0000${input.clientId}`;
    const racing = this.pendingByClient.get(dedupeKey);
    if (racing) return racing.then((result) => ({ ...result, duplicate: !result.unchanged }));
    // A retry of a committed entry is found by the writer, inside its transaction [LOG-3].
    const promise = this.writer.call<AppendResult>({ op: 'append', input });
    this.pendingByClient.set(dedupeKey, promise);
    const forget = () => this.pendingByClient.delete(dedupeKey);
    promise.then(forget, forget);
    return promise;
  }

  /** The epoch of a room whose log exists, else undefined. */
  private epoch(room: string): string | undefined {
    let epoch = this.epochs.get(room);
    if (epoch === undefined) {
      epoch = this.statements.epoch.get(room)?.epoch;
      if (epoch !== undefined) this.epochs.set(room, epoch);
    }
    return epoch;
  }

  /** After the writer died: an append it committed without answering, as it would have answered. */
  private committed(request: WriteRequest): AppendResult | undefined {
    if (request.op !== 'append') return undefined;
    const { room, userKey, clientId } = request.input;
    const row = this.log.byClient(room, userKey, clientId);
    const epoch = row && this.epoch(room);
    if (!row || !epoch) return undefined;
    const message = this.log.record(room, epoch, row);
    if (row.kind !== EntryKind.DELETE) return { message, duplicate: false };
    return { message, duplicate: false, deletedClientId: this.log.row(room, row.target!)?.clientId };
  }

  async range(room: string, query: RangeQuery): Promise<ChatMessage[]> {
    const epoch = this.epoch(room);
    return epoch === undefined ? [] : this.log.range(room, epoch, query);
  }

  async listRooms(): Promise<Array<{ room: string; seq: number }>> {
    return this.statements.listRooms.all().map((r) => ({ room: r.name, seq: r.last_seq }));
  }

  async unread(room: string, query: UnreadQuery): Promise<{ unread: number; mentions: number }> {
    return this.log.unread(room, query);
  }

  async readMarker(identity: string, room: string, epoch: string): Promise<number> {
    return this.members.readMarker(identity, room, epoch);
  }

  moveReadMarker(identity: string, room: string, epoch: string, seq: number): Promise<boolean> {
    return this.writer.call<boolean>({ op: 'marker', identity, room, epoch, seq });
  }

  async directRoom(room: string): Promise<DirectRoom | undefined> {
    return this.members.directRoom(room);
  }

  openDirectRoom(room: DirectRoom): Promise<void> {
    return this.writer.call<void>({ op: 'direct', room });
  }

  async directRoomsOf(identity: string): Promise<DirectRoom[]> {
    return this.members.directRoomsOf(identity);
  }

  /** Commits every write asked for, ends the writer, then closes the reading connection. */
  async close(): Promise<void> {
    await this.writer.close();
    this.db.close();
  }
}
