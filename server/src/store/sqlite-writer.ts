/**
 * The SQLite store's writes, as its writer thread runs them
 * (sqlite-worker.ts): this object owns the write connection, the rooms'
 * positions and the group commit. Each entry is checked against its
 * target's state inside the transaction that commits it, so no other write
 * comes between the check and the commit; each request is answered only
 * after that transaction committed [MSG-3].
 *
 * Deleted content leaves the file [DEL-2]: `secure_delete` zeroes freed
 * bytes, a delete overwrites the message's text and its edits' texts, and a
 * commit that deleted checkpoints the WAL with TRUNCATE before any of its
 * writers is answered, so no old page stays in `kuykan.db-wal` either.
 *
 * @module
 */

import { EntryKind } from '@kuykan/protocol';
import Database from 'better-sqlite3';
import { randomId } from '../ids.js';
import { checkChange, checkReply, newRow, type StoredEntry, targetSeq, unchangedReaction } from './fold.js';
import { GroupCommit } from './group-commit.js';
import { SqliteLog } from './sqlite-log.js';
import { SqliteMembers } from './sqlite-members.js';
import type { WriteRequest, WriterConfig } from './sqlite-messages.js';
import type { AppendResult, EntryRules, NewMessage, RoomState } from './types.js';

interface CachedRoom {
  epoch: string;
  /** Last committed seq (during a commit: the last seq handed out in it). */
  last: number;
  lastTs: number;
}

export class SqliteWriter {
  private readonly db: Database.Database;
  private readonly rules: EntryRules;
  private readonly rooms = new Map<string, CachedRoom>();
  private readonly commits: GroupCommit;
  /** A checkpoint after an erasing commit failed: tried again after the next one, and on close. */
  private uncheckpointed = false;
  private readonly log: SqliteLog;
  private readonly members: SqliteMembers;
  private readonly statements;

  /** Opens the file the main thread created and migrated (sqlite.ts). */
  constructor(config: WriterConfig) {
    this.rules = config.rules;
    this.db = new Database(config.file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma(`synchronous = ${config.synchronous}`);
    this.db.pragma('secure_delete = ON');
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
    };
  }

  /** Transactions committed and writes run so far. */
  get totals(): { commits: number; writes: number } {
    return { commits: this.commits.commits, writes: this.commits.writes };
  }

  /** Queues a request into the next transaction; settles once it committed. */
  run(request: WriteRequest): Promise<unknown> {
    switch (request.op) {
      case 'append': {
        const erases = request.input.change?.kind === EntryKind.DELETE;
        return this.commits.run(() => this.append(request.input), { room: request.input.room, erases });
      }
      case 'open':
        return this.commits.run(
          (): RoomState => {
            const cached = this.cached(request.room);
            return { epoch: cached.epoch, lastSeq: cached.last };
          },
          { room: request.room },
        );
      case 'marker':
        return this.commits.run(() =>
          this.members.moveReadMarker(request.identity, request.room, request.epoch, request.seq),
        );
      case 'direct':
        return this.commits.run(() => this.members.saveDirectRoom(request.room));
    }
  }

  /**
   * Forgets a room's cached position. Always safe here: writes still queued
   * for it read the position again inside their transaction, which sees
   * what this connection wrote before.
   */
  release(room: string): void {
    this.rooms.delete(room);
  }

  /** Commits everything queued, checkpoints if an erasing commit could not, and closes the file. */
  close(): void {
    this.commits.flush();
    if (this.uncheckpointed) this.checkpoint();
    this.db.close();
  }

  /** The room's position, created with a new epoch if the room has no log yet; inside a transaction. */
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

  /** Checks and writes one entry, inside the group commit's transaction. */
  private append(input: NewMessage): AppendResult {
    const room = this.cached(input.room);
    // Before any check: a retry gets the original entry [LOG-3].
    const existing = this.log.byClient(input.room, input.userKey, input.clientId);
    if (existing) return { message: this.log.record(input.room, room.epoch, existing), duplicate: true };
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
        const unchanged = unchangedReaction(change, target, reactions, input, this.rules);
        if (unchanged) return unchanged;
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
}
