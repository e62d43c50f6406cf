/**
 * The history store seam: where room logs live (PROTOCOL.md §10, §13, §16).
 *
 * A {@link HistoryStore} keeps each room's log of messages; a
 * {@link ChatStore} (version 2) keeps a log of entries of every kind
 * (messages, edits, deletes, reactions) with each message's folded state,
 * read markers and direct rooms. The server speaks protocol version 2 only
 * over a ChatStore.
 *
 * @module
 */

import type { Attachment, ChatMessage, EntryKind } from '@kuykan/protocol';

/** A room's log position. */
export interface RoomState {
  /** Names one continuous log; changes only when the log cannot be continued. */
  epoch: string;
  /** Last committed seq, 0 for an empty room. */
  lastSeq: number;
}

/**
 * v2: what a change entry changes [LOG-1, LOG-2]. `target` is the messageId
 * the client named; the store finds the message, or refuses.
 */
export type EntryChange =
  | { kind: typeof EntryKind.EDIT | typeof EntryKind.DELETE; target: string }
  | { kind: typeof EntryKind.REACT | typeof EntryKind.UNREACT; target: string; emoji: string };

/**
 * An entry to append; the store assigns seq, messageId and ts. Without the
 * v2 fields it is a message as version 1 knows it.
 */
export interface NewMessage {
  room: string;
  /** Display name of the sender. */
  from: string;
  /** Key of the sender for idempotency (name key or token subject): one clientId space per user and room [MSG-5, LOG-3]. */
  userKey: string;
  clientId: string;
  /** The text; an edit's new text; "" for deletes and reactions. */
  text: string;
  /** v2: the author's identity (identity.ts): who may edit and delete the message [EDIT-1]. */
  identity?: string;
  /** v2: the author is a bot [BOT-1]. */
  bot?: boolean;
  /** v2: a change entry; absent for a message. */
  change?: EntryChange;
  /** v2: a message's or edit's normalized mentions [MENTION-1]. */
  mentions?: string[];
  /** v2: the messageId a message answers [REPLY-1]. */
  replyTo?: string;
  /**
   * v2: the files a message holds [ATT-7], with unsigned URL paths (the
   * broker signs them as records leave it, see broker/store.ts).
   */
  attachments?: Attachment[];
  /**
   * The epoch the server believes the room's log has. A store whose data can
   * vanish beneath the server (Redis without persistence, restarted) refuses
   * the append with `EpochChangedError` instead of starting a new log that
   * would reuse seqs already delivered [MSG-6, RES-2]. Embedded stores never
   * change an epoch beneath the server and may ignore it.
   */
  epoch?: string;
}

/** The room's log is no longer the one the server holds: it must reload the room. */
export class EpochChangedError extends Error {
  constructor(readonly room: string) {
    super(`the log of room "${room}" was lost or replaced in the store`);
    this.name = 'EpochChangedError';
  }
}

/** The result of an append: the committed entry, and whether it existed already. */
export interface AppendResult {
  /** The entry as members receive it (v2 fields included). */
  message: ChatMessage;
  /** True when (room, userKey, clientId) was sent before: the original entry is returned. */
  duplicate: boolean;
  /**
   * v2: a reaction that changed nothing [LOG-5]: nothing was committed, and
   * `message` holds the ack only (seq 0, the target's messageId and ts).
   */
  unchanged?: boolean;
  /** v2: for a committed delete, the clientId of the message it removed, whose files are released [ATT-8]. */
  deletedClientId?: string;
}

/**
 * Which records a range holds (v2; a store of messages only has nothing else):
 * - `entries`: every entry, message entries folded [LOG-4] (catch-up, v2 resume gaps);
 * - `messages`: message records only, folded, tombstones included [FOLD-4] (v2 history);
 * - `visible`: messages that are not deleted, with their current text [VER-4] (v1 history).
 */
export type RangeRecords = 'entries' | 'messages' | 'visible';

/** A range query over one room's log, always answered in ascending seq. */
export interface RangeQuery {
  /** Only records with seq > afterSeq. */
  afterSeq?: number;
  /** Only records with seq < beforeSeq. */
  beforeSeq?: number;
  /** At most this many records (of the kind asked for). */
  limit: number;
  /** Take the newest `limit` records of the range instead of the oldest. */
  newest: boolean;
  /** v2: which records. [`entries`] */
  records?: RangeRecords;
  /** v2: the reading user's identity, which sets `me` on reactions [FOLD-3]. */
  viewer?: string;
}

/**
 * Durable (or not) storage of room logs. Implementations assign seqs in call
 * order of `append` and resolve each append only after it is committed [MSG-3].
 */
export interface HistoryStore {
  /** Human-readable kind, e.g. `sqlite:./data/kuykan.db`. */
  readonly description: string;
  /** Whether requests can be served now: false while a remote store is disconnected. */
  available(): boolean;
  /** The room's epoch and last seq, creating the room's log if needed. */
  openRoom(room: string): Promise<RoomState>;
  /** Appends a message (or finds its duplicate) and resolves after commit. */
  append(message: NewMessage): Promise<AppendResult>;
  /** Messages of a room in ascending seq. */
  range(room: string, query: RangeQuery): Promise<ChatMessage[]>;
  /**
   * The server unloaded the room (no local member): drop whatever the store
   * caches for it. The log itself stays; the next `openRoom` reads it again.
   */
  releaseRoom?(room: string): void;
  /** Rooms that have a log, with their last seq. */
  listRooms(): Promise<Array<{ room: string; seq: number }>>;
  /**
   * A store that commits writes in groups: transactions committed, and writes
   * run in them (their ratio is the batch size), for the metrics.
   */
  writerStats?(): { commits: number; writes: number };
  /** Flushes pending writes and releases resources. */
  close(): Promise<void>;
}

/** v2: one member of a direct room, as last seen. */
export interface DirectMember {
  identity: string;
  name: string;
}

/** v2: a direct room and its two members [DM-1]. */
export interface DirectRoom {
  room: string;
  members: [DirectMember, DirectMember];
}

/** v2: what a user's `joined` counts [READ-3]. */
export interface UnreadQuery {
  /** The reader's identity: their own messages are not unread. */
  identity: string;
  /** The reader's name key [NAME-5]: messages mentioning it count as mentions. */
  nameKey: string;
  /** Count messages with seq in (afterSeq, upToSeq]. */
  afterSeq: number;
  upToSeq: number;
  /** A direct room: every message of the other member mentions the reader [MENTION-4]. */
  direct: boolean;
}

/**
 * A store of protocol version 2: entries of every kind in one log per room,
 * checked against the target's state atomically with their commit (the
 * append refuses with a `ProtocolError`: MESSAGE_NOT_FOUND, NOT_AUTHOR,
 * MESSAGE_DELETED, EDIT_EXPIRED, TOO_MANY_REACTIONS; idempotent retries get
 * the original before any check [LOG-3]), each message's folded state
 * [FOLD-1], deleted content removed from storage [DEL-2], read markers and
 * direct rooms.
 */
export interface ChatStore extends HistoryStore {
  /** Unread messages and mentions of one reader [READ-3]. */
  unread(room: string, query: UnreadQuery): Promise<{ unread: number; mentions: number }>;
  /** The read marker of an identity in the room's log of `epoch`, 0 when none [READ-1]. */
  readMarker(identity: string, room: string, epoch: string): Promise<number>;
  /** Moves a read marker forward; resolves true when it moved (after commit) [READ-1]. */
  moveReadMarker(identity: string, room: string, epoch: string, seq: number): Promise<boolean>;
  /** The direct room of this name, if a `dm` opened it [DM-3]. */
  directRoom(room: string): Promise<DirectRoom | undefined>;
  /** Records a direct room, or the members' current names if it exists, as used now [DM-2]. */
  openDirectRoom(room: DirectRoom): Promise<void>;
  /** The direct rooms an identity is a member of, the one opened or joined last first [DM-4]. */
  directRoomsOf(identity: string): Promise<DirectRoom[]>;
}

/** What a store of version 2 checks entries against. */
export interface EntryRules {
  /** Time after a message's ts in which its author may edit it, ms; 0: always [EDIT-2]. */
  editWindowMs: number;
  /** Distinct emoji one message may carry [REACT-3]. */
  maxReactions: number;
}

/** Whether a store keeps the log of version 2. */
export function isChatStore(store: HistoryStore): store is ChatStore {
  return typeof (store as Partial<ChatStore>).unread === 'function';
}
