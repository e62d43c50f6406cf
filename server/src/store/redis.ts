/**
 * Redis store of protocol version 2's room logs (ioredis), for one node or
 * the nodes of a cluster. One room is a handful of keys under the store's
 * prefix (all key names in redis/keys.ts):
 *
 * - `room:<r>:epoch` — string, the room's epoch (set once);
 * - `room:<r>:seq`   — string, the last seq handed out (INCR);
 * - `room:<r>:ts`    — string, the ts of the last entry (ts never decreases);
 * - `room:<r>:entries` — hash seq → JSON row (redis-rows.ts): every entry,
 *                      a message's row folded (edits, tombstone, reactions);
 * - `room:<r>:messages`, `room:<r>:visible` — sorted sets of the message
 *                      seqs, and of those not deleted, for ranges of records;
 * - `room:<r>:first` — the lowest seq kept when entries are trimmed to the
 *                      newest `historyLength` (PROTOCOL.md §12 Retention);
 * - `room:<r>:dedupe` — hash `userKey\0clientId` → seq, for idempotency;
 * - `room:<r>:read`  — hash identity → read marker (redis-members.ts);
 * - `rooms`          — hash room name → last seq, for `listRooms`.
 *
 * An append reads the row its entry names (its target, or the message it
 * replies to), checks and folds in TypeScript with the rules of fold.ts
 * (redis-entry.ts), and commits with one script (redis/lua/commit.lua) that
 * writes only if that row is unchanged, else the append reads again
 * [LOG-1]; a plain message reads nothing first. The script also
 * decides idempotency, the seq and the ts atomically with the commit, so
 * several nodes may append to one room; the append resolves only after Redis
 * replied, which is the commit [MSG-3]. Durability beyond that is Redis's
 * own (`appendonly yes` with `appendfsync always` for the strongest). With
 * `publish`, the script publishes each entry's record on the room's channel
 * (cluster/events.ts reads it), so the other nodes learn of every entry.
 *
 * @module
 */

import { type ChatMessage, EntryKind, ErrorCode, ProtocolError } from '@kuykan/protocol';
import { randomId } from '../ids.js';
import { redactUrl } from '../redis/client.js';
import type { RoomKeyPart } from '../redis/keys.js';
import { DEFAULT_RULES, targetSeq } from './fold.js';
import { type CommitReply, StoreConnection } from './redis-connection.js';
import { planEntry, type RowWrite } from './redis-entry.js';
import { RedisMembers } from './redis-members.js';
import { migrateRoom } from './redis-migrate.js';
import { RedisReader } from './redis-read.js';
import { erasedEdit, parseRow, type RedisRow, render, template } from './redis-rows.js';
import {
  type AppendResult,
  type ChatStore,
  type DirectRoom,
  type EntryRules,
  EpochChangedError,
  type NewMessage,
  type RangeQuery,
  type RoomState,
  type UnreadQuery,
} from './types.js';

export interface RedisStoreOptions {
  /** e.g. `redis://127.0.0.1:6379`. */
  url: string;
  /** Prepended to every key, e.g. `kuykan:`. */
  prefix: string;
  /**
   * Entries kept per room; older ones are trimmed from the oldest end (and
   * forget their client ids), so the retained entries stay one run of seqs
   * [HIST-6]. 0 keeps every entry.
   */
  historyLength: number;
  /** How long a call waits for a (re)connection before failing with UNAVAILABLE. [1500] */
  connectWaitMs?: number;
  /** Publish each new entry on its room's channel (the Redis engine needs it). [false] */
  publish?: boolean;
  /** What entries are checked against. [edit window and reactions of the default limits] */
  rules?: EntryRules;
}

/** Reads and commits an append tries before giving up while other writers keep changing its rows. */
const MAX_ATTEMPTS = 50;

/** What an append read before computing its entry. */
interface Read {
  epoch: string | null;
  /** The seq of an earlier entry with the same clientId [LOG-3]. */
  duplicate: string | null;
  /** The row the entry targets or replies to, as stored (compared again at commit). */
  rowJson: string | null;
}

export class RedisStore implements ChatStore {
  readonly description: string;
  private readonly connection: StoreConnection;
  private readonly reader: RedisReader;
  private readonly members: RedisMembers;
  private readonly historyLength: number;
  private readonly publish: boolean;
  private readonly rules: EntryRules;
  /** Per room, resolves once this process's last append sent its commit. */
  private readonly sending = new Map<string, Promise<void>>();
  /** Rooms whose log of an older store was moved into entries by this process. */
  private readonly migrated = new Set<string>();

  constructor(options: RedisStoreOptions) {
    if (!Number.isInteger(options.historyLength) || options.historyLength < 0) {
      throw new Error(`historyLength must be a whole number (0 keeps every entry), got ${options.historyLength}`);
    }
    this.historyLength = options.historyLength;
    this.publish = options.publish ?? false;
    this.rules = options.rules ?? DEFAULT_RULES;
    this.description = `redis:${redactUrl(options.url)} prefix=${options.prefix}`;
    // The server refuses a historyLength below maxRecoverable, which keeps [MSG-5].
    this.connection = new StoreConnection(options.url, options.prefix, options.connectWaitMs);
    this.reader = new RedisReader(this.connection);
    this.members = new RedisMembers(this.connection);
  }

  private get keys() {
    return this.connection.keys;
  }

  private get client() {
    return this.connection.client;
  }

  available(): boolean {
    return this.client.available();
  }

  async openRoom(room: string): Promise<RoomState> {
    if (!this.migrated.has(room)) {
      await migrateRoom(this.connection, room);
      this.migrated.add(room);
    }
    const [epoch, lastSeq] = await this.client.call((redis) =>
      redis.kuykanOpen(this.keys.room(room, 'epoch'), this.keys.room(room, 'seq'), this.keys.rooms, randomId(), room),
    );
    return { epoch, lastSeq: Number(lastSeq) };
  }

  releaseRoom(room: string): void {
    this.migrated.delete(room);
  }

  /**
   * Reads, checks and commits until the rows read are still current at
   * commit; every attempt judges the entry against the state it commits on.
   * Appends to one room from this process read only after the previous one
   * sent its commit (one connection answers in order), so they commit in
   * call order and each sees the ones before it.
   */
  async append(input: NewMessage): Promise<AppendResult> {
    const previous = this.sending.get(input.room);
    let sent!: () => void;
    const mine = new Promise<void>((resolve) => {
      sent = resolve;
    });
    this.sending.set(input.room, mine);
    try {
      if (previous) await previous;
      for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
        const result = await this.attempt(input, sent);
        if (result) return result;
      }
      throw new ProtocolError(ErrorCode.UNAVAILABLE, 'the message changed too often meanwhile, try again');
    } finally {
      sent();
      if (this.sending.get(input.room) === mine) this.sending.delete(input.room);
    }
  }

  /**
   * One read, check and commit; undefined when a row changed before the
   * commit. A message that names no other one needs no read: the script
   * alone decides it. `sent` is called once the commit is on its way.
   */
  private async attempt(input: NewMessage, sent: () => void): Promise<AppendResult | undefined> {
    const { room, change } = input;
    const named = change?.target ?? input.replyTo;
    const read = named === undefined ? undefined : await this.read(input, named);
    // The log the server holds is gone or replaced: the room reloads rather than finding no target [RES-2].
    if (read && input.epoch !== undefined && read.epoch !== input.epoch) throw new EpochChangedError(room);
    if (read?.duplicate != null && read.epoch !== null) {
      const original = await this.reader.record(room, read.epoch, Number(read.duplicate));
      if (original) return { message: original, duplicate: true };
    }
    // The targets were found in the log of the epoch read: the commit must land in that log.
    const epoch = input.epoch ?? read?.epoch ?? '';
    const row =
      read?.rowJson != null && read.epoch !== null && targetSeq(read.epoch, named!) !== undefined
        ? parseRow(read.rowJson)
        : undefined;
    const planned = planEntry(input, epoch, { row, json: read?.rowJson ?? null }, this.rules, Date.now());
    if (!('writes' in planned)) return planned;
    const { target, writes, record } = planned;
    if (target && change?.kind === EntryKind.DELETE) writes.push(...(await this.erasedEdits(room, target)));
    const deleted = change?.kind === EntryKind.DELETE ? target?.seq : undefined;
    const committing = this.commit(input, epoch, planned.entry, record, deleted, writes);
    sent();
    const committed = await committing;
    if (committed[0] === 2) return undefined;
    if (committed[0] === 1) {
      const original = await this.reader.record(room, committed[1], Number(committed[2]));
      return original ? { message: original, duplicate: true } : undefined;
    }
    const [, committedEpoch, seq, ts] = committed;
    const message = render<ChatMessage>(record, Number(seq), Number(ts), committedEpoch);
    return deleted === undefined
      ? { message, duplicate: false }
      : { message, duplicate: false, deletedClientId: target!.clientId };
  }

  /** The room's epoch, an earlier entry of the clientId, and the row `named` names. */
  private async read(input: NewMessage, named: string): Promise<Read> {
    // The seq the messageId names if the room's epoch is its prefix (checked once the epoch is known).
    const seq = targetSeq(named.slice(0, named.lastIndexOf('.')), named) ?? 0;
    const [epoch, duplicate, rowJson] = (await this.connection.multi((tx) => {
      tx.get(this.keys.room(input.room, 'epoch'));
      tx.hget(this.keys.room(input.room, 'dedupe'), `${input.userKey}\u0000${input.clientId}`);
      tx.hget(this.keys.room(input.room, 'entries'), String(seq));
    })) as [string | null, string | null, string | null];
    return { epoch, duplicate, rowJson };
  }

  /** The edit entries of a message being deleted, rewritten without their text [DEL-2]. */
  private async erasedEdits(room: string, message: RedisRow): Promise<RowWrite[]> {
    const edits = message.edits ?? [];
    if (edits.length === 0) return [];
    const rows = await this.client.call((redis) => redis.hmget(this.keys.room(room, 'entries'), ...edits.map(String)));
    return rows.flatMap((json, i) =>
      json === null ? [] : [[edits[i]!, '', template(erasedEdit(parseRow(json)))] as RowWrite],
    );
  }

  /** Runs commit.lua; `epoch` is the epoch the entry expects ('' for any, creating the room's log). */
  private commit(
    input: NewMessage,
    epoch: string,
    entry: string,
    record: string,
    deleted: number | undefined,
    writes: RowWrite[],
  ): Promise<CommitReply> {
    const { room, change } = input;
    const key = (part: RoomKeyPart) => this.keys.room(room, part);
    return this.client
      .call((redis) =>
        redis.kuykanCommit(
          key('epoch'),
          key('seq'),
          key('ts'),
          key('entries'),
          key('dedupe'),
          this.keys.rooms,
          key('messages'),
          key('visible'),
          key('first'),
          randomId(),
          room,
          `${input.userKey}\u0000${input.clientId}`,
          epoch,
          this.historyLength,
          this.publish ? key('events') : '',
          entry,
          record,
          change ? '0' : '1',
          deleted ?? '',
          ...writes.flat(),
        ),
      )
      .catch((error: unknown) => {
        throw error instanceof Error && error.message.startsWith('EPOCHCHANGED') ? new EpochChangedError(room) : error;
      });
  }

  range(room: string, query: RangeQuery): Promise<ChatMessage[]> {
    return this.reader.range(room, query);
  }

  async listRooms(): Promise<Array<{ room: string; seq: number }>> {
    const all = await this.client.call((redis) => redis.hgetall(this.keys.rooms));
    return Object.entries(all).map(([room, seq]) => ({ room, seq: Number(seq) }));
  }

  unread(room: string, query: UnreadQuery): Promise<{ unread: number; mentions: number }> {
    return this.reader.unread(room, query);
  }

  readMarker(identity: string, room: string, epoch: string): Promise<number> {
    return this.members.readMarker(identity, room, epoch);
  }

  moveReadMarker(identity: string, room: string, epoch: string, seq: number): Promise<boolean> {
    return this.members.moveReadMarker(identity, room, epoch, seq);
  }

  directRoom(room: string): Promise<DirectRoom | undefined> {
    return this.members.directRoom(room);
  }

  openDirectRoom(room: DirectRoom): Promise<void> {
    return this.members.openDirectRoom(room);
  }

  directRoomsOf(identity: string): Promise<DirectRoom[]> {
    return this.members.directRoomsOf(identity);
  }

  close(): Promise<void> {
    return this.client.close();
  }
}
