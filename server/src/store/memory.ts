/**
 * In-memory store: fast, and forgets everything on restart — every room
 * gets a new epoch, so resuming clients get `recovered: false` [RES-2].
 * It keeps the log of version 2 (store/fold.ts has its rules): each change
 * is checked and applied in the same call that commits it.
 *
 * @module
 */

import { type ChatMessage, EntryKind } from '@kuykan/protocol';
import { randomId } from '../ids.js';
import { nameSkeleton } from '../skeleton.js';
import {
  checkChange,
  checkReply,
  DEFAULT_RULES,
  inRange,
  newRow,
  type StoredEntry,
  type StoredReaction,
  targetSeq,
  toRecord,
  unchangedReaction,
} from './fold.js';
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

interface RoomLog {
  epoch: string;
  /** Entry n sits at index n - 1. */
  rows: StoredEntry[];
  /** `${userKey}\u0000${clientId}` → seq, for idempotent entries. */
  byClientId: Map<string, number>;
  /** Message seq → its reactions. */
  reactions: Map<number, StoredReaction[]>;
}

export class MemoryStore implements ChatStore {
  readonly description = 'memory';
  private readonly rooms = new Map<string, RoomLog>();
  /** `${identity}\u0000${room}` → epoch and seq. */
  private readonly markers = new Map<string, { epoch: string; seq: number }>();
  private readonly direct = new Map<string, DirectRoom>();

  constructor(private readonly rules: EntryRules = DEFAULT_RULES) {}

  available(): boolean {
    return true;
  }

  private log(room: string): RoomLog {
    let log = this.rooms.get(room);
    if (!log) {
      log = { epoch: randomId(), rows: [], byClientId: new Map(), reactions: new Map() };
      this.rooms.set(room, log);
    }
    return log;
  }

  async openRoom(room: string): Promise<RoomState> {
    const log = this.log(room);
    return { epoch: log.epoch, lastSeq: log.rows.length };
  }

  async append(input: NewMessage): Promise<AppendResult> {
    const log = this.log(input.room);
    const dedupeKey = `${input.userKey}\u0000${input.clientId}`;
    const existing = log.byClientId.get(dedupeKey);
    if (existing !== undefined) return { message: this.record(log, log.rows[existing - 1]!), duplicate: true };
    const now = Date.now();
    const { change } = input;
    let target: StoredEntry | undefined;
    let reply: StoredEntry | undefined;
    if (change) {
      const seq = targetSeq(log.epoch, change.target);
      target = checkChange(change, seq ? log.rows[seq - 1] : undefined, input.identity ?? '', now, this.rules);
      if ('emoji' in change) {
        const unchanged = unchangedReaction(change, target, log.reactions.get(target.seq) ?? [], input, this.rules);
        if (unchanged) return unchanged;
      }
    } else if (input.replyTo !== undefined) {
      const seq = targetSeq(log.epoch, input.replyTo);
      reply = checkReply(input.replyTo, seq ? log.rows[seq - 1] : undefined);
    }
    const seq = log.rows.length + 1;
    const ts = Math.max(now, log.rows.at(-1)?.ts ?? 0);
    const row = newRow(input, seq, ts, target?.seq, reply?.seq);
    log.rows.push(row);
    log.byClientId.set(dedupeKey, seq);
    const deletedClientId = change?.kind === EntryKind.DELETE ? target?.clientId : undefined;
    if (target) this.apply(log, target, row);
    const result: AppendResult = { message: toRecord(log.epoch, row, { reply }), duplicate: false };
    if (deletedClientId !== undefined) result.deletedClientId = deletedClientId;
    return result;
  }

  /** Folds a change entry into its message [FOLD-1]; a delete erases what it removes [DEL-2]. */
  private apply(log: RoomLog, message: StoredEntry, entry: StoredEntry): void {
    message.revision = entry.seq;
    switch (entry.kind) {
      case EntryKind.EDIT:
        message.text = entry.text;
        message.mentions = entry.mentions;
        message.editedTs = entry.ts;
        return;
      case EntryKind.DELETE:
        message.deleted = true;
        message.text = '';
        message.mentions = undefined;
        message.attachments = undefined;
        log.reactions.delete(message.seq);
        for (const row of log.rows) {
          if (row.kind === EntryKind.EDIT && row.target === message.seq) {
            row.text = '';
            row.mentions = undefined;
          }
        }
        return;
      case EntryKind.REACT: {
        const reactions = log.reactions.get(message.seq) ?? [];
        const present = reactions.find((r) => r.emoji === entry.emoji);
        const appeared = present?.appeared ?? entry.seq;
        reactions.push({ emoji: entry.emoji!, identity: entry.identity, name: entry.from, seq: entry.seq, appeared });
        log.reactions.set(message.seq, reactions);
        return;
      }
      case EntryKind.UNREACT: {
        const reactions = log.reactions.get(message.seq) ?? [];
        const rest = reactions.filter((r) => !(r.emoji === entry.emoji && r.identity === entry.identity));
        log.reactions.set(message.seq, rest);
        return;
      }
    }
  }

  private record(log: RoomLog, row: StoredEntry, viewer?: string): ChatMessage {
    return toRecord(log.epoch, row, {
      reply: row.replyTo === undefined ? undefined : log.rows[row.replyTo - 1],
      reactions: log.reactions.get(row.seq),
      viewer,
    });
  }

  async range(room: string, query: RangeQuery): Promise<ChatMessage[]> {
    const log = this.rooms.get(room);
    if (!log) return [];
    // seq n sits at index n - 1, so the range bounds are index arithmetic.
    const from = Math.max(0, query.afterSeq ?? 0);
    const to = Math.min(log.rows.length, (query.beforeSeq ?? Number.POSITIVE_INFINITY) - 1);
    const picked: StoredEntry[] = [];
    const step = query.newest ? -1 : 1;
    for (let i = query.newest ? to - 1 : from; i >= from && i < to && picked.length < query.limit; i += step) {
      const row = log.rows[i]!;
      if (inRange(row, query.records)) picked.push(row);
    }
    if (query.newest) picked.reverse();
    return picked.map((row) => this.record(log, row, query.viewer));
  }

  async listRooms(): Promise<Array<{ room: string; seq: number }>> {
    return [...this.rooms].map(([room, log]) => ({ room, seq: log.rows.length }));
  }

  async unread(room: string, query: UnreadQuery): Promise<{ unread: number; mentions: number }> {
    const rows = this.rooms.get(room)?.rows.slice(query.afterSeq, query.upToSeq) ?? [];
    let unread = 0;
    let mentions = 0;
    for (const row of rows) {
      if (row.kind !== undefined || row.deleted || row.identity === query.identity) continue;
      unread += 1;
      if (query.direct || row.mentions?.some((name) => nameSkeleton(name) === query.nameKey)) mentions += 1;
    }
    return { unread, mentions };
  }

  async readMarker(identity: string, room: string, epoch: string): Promise<number> {
    const marker = this.markers.get(`${identity}\u0000${room}`);
    return marker?.epoch === epoch ? marker.seq : 0;
  }

  async moveReadMarker(identity: string, room: string, epoch: string, seq: number): Promise<boolean> {
    if (seq <= (await this.readMarker(identity, room, epoch))) return false;
    this.markers.set(`${identity}\u0000${room}`, { epoch, seq });
    return true;
  }

  async directRoom(room: string): Promise<DirectRoom | undefined> {
    return this.direct.get(room);
  }

  async openDirectRoom(room: DirectRoom): Promise<void> {
    // Map order is insertion order: the room used last goes to the end.
    this.direct.delete(room.room);
    this.direct.set(room.room, room);
  }

  async directRoomsOf(identity: string): Promise<DirectRoom[]> {
    return [...this.direct.values()].filter((d) => d.members.some((m) => m.identity === identity)).reverse();
  }

  async close(): Promise<void> {}
}
