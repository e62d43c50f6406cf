/**
 * The broker seam: who owns a room's log. A node appends through the
 * broker, reads history and resume gaps from it, and each loaded room
 * subscribes to it for the ordered stream of committed messages
 * (see subscription.ts).
 *
 * @module
 */

import type { ChatMessage } from '@kuykan/protocol';
import type { AppendResult, NewMessage, RangeQuery, RoomState } from '../store/types.js';
import type { LogHandler, LogSubscription } from './subscription.js';

/** The room logs of one chat. */
export interface Broker {
  /** Human-readable kind of the log storage, e.g. `sqlite:./data/kuykan.db`. */
  readonly description: string;
  /** Whether requests can be served now: false while a remote log is disconnected. */
  available(): boolean;
  /** The room's log position (epoch, last seq), creating the log if needed. */
  open(room: string): Promise<RoomState>;
  /**
   * Appends a message, idempotent on (room, userKey, clientId) [MSG-5];
   * resolves after commit [MSG-3]. Seqs follow call order.
   */
  append(message: NewMessage): Promise<AppendResult>;
  /**
   * Subscribes a loaded room from `from` (what {@link open} returned): the
   * subscription delivers the room's messages after `from.lastSeq` in order,
   * once, catching up from the log across gaps.
   */
  subscribe<S>(room: string, from: RoomState, handler: LogHandler<S>): LogSubscription<S>;
  /** The room was unloaded: the broker drops whatever it caches for it (the log stays). */
  unsubscribe(room: string): void;
  /**
   * A record another node committed, as records leave this broker (e.g. with
   * its files' URLs signed): the cluster feed hands such records to rooms.
   */
  present(record: ChatMessage): ChatMessage;
  /** Messages of a room in ascending seq (history, resume, catch-up). */
  range(room: string, query: RangeQuery): Promise<ChatMessage[]>;
  /** Rooms that have a log, with their last seq. */
  listRooms(): Promise<Array<{ room: string; seq: number }>>;
  /** Flushes pending writes and releases resources. */
  close(): Promise<void>;
}
