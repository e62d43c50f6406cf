/**
 * The history store seam: where room logs live (PROTOCOL.md §10, §13).
 *
 * @module
 */

import type { ChatMessage } from '@kuykan/protocol';

/** A room's log position. */
export interface RoomState {
  /** Names one continuous log; changes only when the log cannot be continued. */
  epoch: string;
  /** Last committed seq, 0 for an empty room. */
  lastSeq: number;
}

/** A message to append; the store assigns seq, messageId and ts. */
export interface NewMessage {
  room: string;
  /** Display name of the sender. */
  from: string;
  /** Identity of the sender for idempotency (name key or token subject). */
  userKey: string;
  clientId: string;
  text: string;
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

/** The result of an append: the committed message, and whether it existed already. */
export interface AppendResult {
  message: ChatMessage;
  /** True when (room, userKey, clientId) was sent before: the original message is returned. */
  duplicate: boolean;
}

/** A range query over one room's log, always answered in ascending seq. */
export interface RangeQuery {
  /** Only messages with seq > afterSeq. */
  afterSeq?: number;
  /** Only messages with seq < beforeSeq. */
  beforeSeq?: number;
  limit: number;
  /** Take the newest `limit` messages of the range instead of the oldest. */
  newest: boolean;
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
  /** Flushes pending writes and releases resources. */
  close(): Promise<void>;
}
