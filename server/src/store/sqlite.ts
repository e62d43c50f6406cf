/**
 * SQLite store (better-sqlite3, WAL) of protocol version 2's room logs,
 * read markers and direct rooms. Writes made in one event-loop tick are
 * committed in one transaction (group commit, group-commit.ts), and each
 * one's promise resolves only after that transaction commits [MSG-3]; an
 * entry is checked against its target's state inside that transaction, so
 * no other write comes between the check and the commit.
 *
 * Deleted content leaves the file [DEL-2]: `secure_delete` zeroes freed
 * bytes, a delete overwrites the message's text and its edits' texts, and a
 * commit that deleted checkpoints the WAL with TRUNCATE before any of its
 * writers is answered, so no old page stays in `kuykan.db-wal` either.
 *
 * @module
 */

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type ChatMessage, EntryKind } from '@kuykan/protocol';
import Database from 'better-sqlite3';
import { randomId } from '../ids.js';
import {
  checkChange,
  checkReply,
  DEFAULT_RULES,
  newRow,
  reactionChanges,
  type StoredEntry,
  targetSeq,
} from './fold.js';
import { GroupCommit } from './group-commit.js';
import { SqliteLog } from './sqlite-log.js';
import { SqliteMembers } from './sqlite-members.js';
import { migrate } from './sqlite-schema.js';
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

interface CachedRoom {
  epoch: string;
  /** Last committed seq (during a commit: the last seq handed out in it). */
  last: number;
  lastTs: number;
}

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
  private readonly db: Database.Database;
  private readonly rules: EntryRules;
  private readonly rooms = new Map<string, CachedRoom>();
  private readonly commits: GroupCommit;
  /** Pending appends by dedupe key, so a retry racing its original gets the same result. */
  private readonly pendingByClient = new Map<string, Promise<AppendResult>>();
  /** A checkpoint after an erasing commit failed: tried again after the next one, and on close. */
  private uncheckpointed = false;
  private readonly log: SqliteLog;
  private readonly members: SqliteMembers;
  private readonly statements;

  constructor(options: SqliteStoreOptions) {
    mkdirSync(options.dataDir, { recursive: true });
    const file = join(options.dataDir, 'kuykan.db');
    this.description = `sqlite:${file}`;
    this.rules = options.rules ?? DEFAULT_RULES;
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma(`synchronous = ${options.synchronous ?? 'FULL'}`);
    this.db.pragma('secure_delete = ON');
    migrate(this.db);
    this.log = new SqliteLog(this.db);
    this.members = new SqliteMembers(this.db);
    this.commits = new GroupCommit(this.db, {
      aborted: (rooms) => {
        // Nothing of the batch was committed: forget the seqs handed out so the
        // next append continues from the last committed one.
        for (const room of rooms) this.rooms.delete(room);
      },
      erased: () => this.checkpoint(),
    });
    this.statements = {
      room: this.db.prepare<[string], { epoch: string; last_seq: number }>(
        'SELECT epoch, last_seq FROM rooms WHERE name = ?',
      ),
      lastTs: this.db.prepare<[string], { ts: number }>(
        'SELECT ts FROM messages WHERE room = ? ORDER BY seq DESC LIMIT 1',
      ),
      createRoom: this.db.prepare('INSERT INTO rooms (name, epoch, last_seq) VALUES (?, ?, 0)'),
      setLastSeq: this.db.prepare('UPDATE rooms SET last_seq = ? WHERE name = ? AND last_seq < ?'),
      listRooms: this.db.prepare<[], { name: string; last_seq: number }>('SELECT name, last_seq FROM rooms'),
    };
  }

  private cached(room: string): CachedRoom {
    let cached = this.rooms.get(room);
    if (!cached) {
      let state = this.statements.room.get(room);
      if (!state) {
        state = { epoch: randomId(), last_seq: 0 };
        this.statements.createRoom.run(room, state.epoch);
      }
      cached = { epoch: state.epoch, last: state.last_seq, lastTs: this.statements.lastTs.get(room)?.ts ?? 0 };
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
    return { epoch: cached.epoch, lastSeq: cached.last };
  }

  /** Forgets the cached position of an unloaded room, unless appends to it are still pending. */
  releaseRoom(room: string): void {
    if (this.commits.pending(room) === 0) this.rooms.delete(room);
  }

  append(input: NewMessage): Promise<AppendResult> {
    const room = this.cached(input.room);
    const dedupeKey = `${input.room}\u0000${input.userKey}\u0000${input.clientId}`;
    const racing = this.pendingByClient.get(dedupeKey);
    if (racing) return racing.then((result) => ({ ...result, duplicate: !result.unchanged }));
    const existing = this.log.byClient(input.room, input.userKey, input.clientId);
    if (existing) {
      return Promise.resolve({ message: this.log.record(input.room, room.epoch, existing), duplicate: true });
    }
    const erases = input.change?.kind === EntryKind.DELETE;
    const promise = this.commits.run(() => this.commit(input), { room: input.room, erases });
    this.pendingByClient.set(dedupeKey, promise);
    const forget = () => this.pendingByClient.delete(dedupeKey);
    promise.then(forget, forget);
    return promise;
  }

  /** Checks and writes one entry, inside the group commit's transaction. */
  private commit(input: NewMessage): AppendResult {
    const room = this.cached(input.room);
    const now = Date.now();
    const { change } = input;
    let target: StoredEntry | undefined;
    let reply: StoredEntry | undefined;
    if (change) {
      const seq = targetSeq(room.epoch, change.target);
      const row = seq === undefined ? undefined : this.log.row(input.room, seq);
      target = checkChange(change, row, input.identity ?? '', now, this.rules);
      if ('emoji' in change) {
        const reactions = this.log.reactions(input.room, target.seq);
        const mine = reactions.some((r) => r.emoji === change.emoji && r.identity === input.identity);
        const present = reactions.some((r) => r.emoji === change.emoji);
        const distinct = new Set(reactions.map((r) => r.emoji)).size;
        if (!reactionChanges(change.kind === EntryKind.REACT, mine, present, distinct, this.rules)) {
          const ack = { seq: 0, messageId: change.target, ts: target.ts, from: input.from, text: '' };
          return { message: ack, duplicate: false, unchanged: true };
        }
      }
    } else if (input.replyTo !== undefined) {
      const seq = targetSeq(room.epoch, input.replyTo);
      reply = checkReply(input.replyTo, seq === undefined ? undefined : this.log.row(input.room, seq));
    }
    const ts = Math.max(now, room.lastTs);
    const row = newRow(input, room.last + 1, ts, target?.seq, reply?.seq);
    this.log.insert(input.room, input.userKey, row);
    if (target) this.log.apply(input.room, target, row);
    this.statements.setLastSeq.run(row.seq, input.room, row.seq);
    room.last = row.seq;
    room.lastTs = ts;
    const message = this.log.record(input.room, room.epoch, row);
    return change?.kind === EntryKind.DELETE && target
      ? { message, duplicate: false, deletedClientId: target.clientId }
      : { message, duplicate: false };
  }

  /** Moves every page of the WAL into the file and empties it [DEL-2]. */
  private checkpoint(): void {
    try {
      const [result] = this.db.pragma('wal_checkpoint(TRUNCATE)') as Array<{ busy: number }>;
      this.uncheckpointed = result?.busy !== 0;
    } catch {
      this.uncheckpointed = true;
    }
  }

  async range(room: string, query: RangeQuery): Promise<ChatMessage[]> {
    return this.log.range(room, this.cached(room).epoch, query);
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
    return this.commits.run(() => this.members.moveReadMarker(identity, room, epoch, seq));
  }

  async directRoom(room: string): Promise<DirectRoom | undefined> {
    return this.members.directRoom(room);
  }

  openDirectRoom(room: DirectRoom): Promise<void> {
    return this.commits.run(() => this.members.saveDirectRoom(room));
  }

  async directRoomsOf(identity: string): Promise<DirectRoom[]> {
    return this.members.directRoomsOf(identity);
  }

  async close(): Promise<void> {
    this.commits.flush();
    if (this.uncheckpointed) this.checkpoint();
    this.db.close();
  }
}
