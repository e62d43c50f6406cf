/**
 * The broker over a history store: memory, SQLite (one process) or Redis
 * (its commit script also publishes each entry for the other nodes, which
 * reach the rooms through the cluster feed, presented here as well).
 *
 * @module
 */

import type { ChatMessage } from '@kuykan/protocol';
import type { AppendResult, HistoryStore, NewMessage, RangeQuery, RoomState } from '../store/types.js';
import { type LogHandler, LogSubscription } from './subscription.js';
import type { Broker } from './types.js';

/** How a record leaves the broker: e.g. with its attachments' URLs signed (attachments.ts). */
export type Present = (record: ChatMessage) => ChatMessage;

export class StoreBroker implements Broker {
  constructor(
    private readonly store: HistoryStore,
    /** Applied to every record the broker hands out: appended, read back, and other nodes'. */
    readonly present: Present = (record) => record,
  ) {}

  get description(): string {
    return this.store.description;
  }

  available(): boolean {
    return this.store.available();
  }

  open(room: string): Promise<RoomState> {
    return this.store.openRoom(room);
  }

  async append(message: NewMessage): Promise<AppendResult> {
    const result = await this.store.append(message);
    return { ...result, message: this.present(result.message) };
  }

  subscribe<S>(room: string, from: RoomState, handler: LogHandler<S>): LogSubscription<S> {
    return new LogSubscription(room, from, this, handler);
  }

  unsubscribe(room: string): void {
    this.store.releaseRoom?.(room);
  }

  async range(room: string, query: RangeQuery): Promise<ChatMessage[]> {
    return (await this.store.range(room, query)).map(this.present);
  }

  listRooms(): Promise<Array<{ room: string; seq: number }>> {
    return this.store.listRooms();
  }

  close(): Promise<void> {
    return this.store.close();
  }
}
