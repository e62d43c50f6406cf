/**
 * In-memory history store: fast, and forgets everything on restart — every
 * room gets a new epoch, so resuming clients get `recovered: false` [RES-2].
 *
 * @module
 */

import type { ChatMessage } from '@kuykan/protocol';
import { messageIdOf, randomId } from '../ids.js';
import type { AppendResult, HistoryStore, NewMessage, RangeQuery, RoomState } from './types.js';

interface RoomLog {
  epoch: string;
  messages: ChatMessage[];
  /** `${userKey}\u0000${clientId}` → seq, for idempotent sends. */
  byClientId: Map<string, number>;
}

export class MemoryStore implements HistoryStore {
  readonly description = 'memory';
  private readonly rooms = new Map<string, RoomLog>();

  available(): boolean {
    return true;
  }

  private log(room: string): RoomLog {
    let log = this.rooms.get(room);
    if (!log) {
      log = { epoch: randomId(), messages: [], byClientId: new Map() };
      this.rooms.set(room, log);
    }
    return log;
  }

  async openRoom(room: string): Promise<RoomState> {
    const log = this.log(room);
    return { epoch: log.epoch, lastSeq: log.messages.length };
  }

  async append(input: NewMessage): Promise<AppendResult> {
    const log = this.log(input.room);
    const dedupeKey = `${input.userKey}\u0000${input.clientId}`;
    const existing = log.byClientId.get(dedupeKey);
    if (existing !== undefined) return { message: log.messages[existing - 1]!, duplicate: true };
    const seq = log.messages.length + 1;
    const previous = log.messages[log.messages.length - 1];
    const message: ChatMessage = {
      seq,
      messageId: messageIdOf(log.epoch, seq),
      ts: Math.max(Date.now(), previous?.ts ?? 0),
      from: input.from,
      text: input.text,
      clientId: input.clientId,
    };
    log.messages.push(message);
    log.byClientId.set(dedupeKey, seq);
    return { message, duplicate: false };
  }

  async range(room: string, query: RangeQuery): Promise<ChatMessage[]> {
    const messages = this.rooms.get(room)?.messages ?? [];
    // seq n sits at index n - 1, so the range bounds are index arithmetic.
    const from = Math.max(0, query.afterSeq ?? 0);
    const to = Math.min(messages.length, (query.beforeSeq ?? Number.POSITIVE_INFINITY) - 1);
    if (to <= from) return [];
    return query.newest
      ? messages.slice(Math.max(from, to - query.limit), to)
      : messages.slice(from, Math.min(to, from + query.limit));
  }

  async listRooms(): Promise<Array<{ room: string; seq: number }>> {
    return [...this.rooms].map(([room, log]) => ({ room, seq: log.messages.length }));
  }

  async close(): Promise<void> {}
}
