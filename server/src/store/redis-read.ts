/**
 * The Redis store's reads: ranges of a room's log as entries, message
 * records or visible messages, folded for a viewer [LOG-4, FOLD-4, VER-4],
 * and unread counts [READ-3].
 *
 * @module
 */

import type { ChatMessage } from '@kuykan/protocol';
import { nameSkeleton } from '../skeleton.js';
import { toRecord } from './fold.js';
import type { StoreConnection } from './redis-connection.js';
import { parseRow, type RedisRow } from './redis-rows.js';
import type { RangeQuery, UnreadQuery } from './types.js';

/** Rows read per command when counting unread messages. */
const UNREAD_PAGE = 1000;

export class RedisReader {
  constructor(private readonly connection: StoreConnection) {}

  private key(room: string, part: 'epoch' | 'seq' | 'first' | 'entries' | 'messages' | 'visible'): string {
    return this.connection.keys.room(room, part);
  }

  /** A row as clients receive it, folded with its reactions and reply preview for `viewer` [FOLD-1]. */
  toRecord(epoch: string, row: RedisRow, reply: RedisRow | undefined, viewer?: string): ChatMessage {
    return toRecord(epoch, row, { reply, reactions: row.reactions, viewer });
  }

  /** The record of one entry as it is now, if it is kept. */
  async record(room: string, epoch: string, seq: number): Promise<ChatMessage | undefined> {
    const [json] = await this.rows(room, [seq]);
    if (!json) return undefined;
    const row = parseRow(json);
    return (await this.fold(room, epoch, [row]))[0];
  }

  private rows(room: string, seqs: number[]): Promise<Array<string | null>> {
    if (seqs.length === 0) return Promise.resolve([]);
    return this.connection.client.call((redis) => redis.hmget(this.key(room, 'entries'), ...seqs.map(String)));
  }

  /** Records of rows, with the originals their replies preview read in one more command. */
  private async fold(room: string, epoch: string, rows: RedisRow[], viewer?: string): Promise<ChatMessage[]> {
    const replies = rows.flatMap((row) => (row.replyTo !== undefined && !row.deleted ? [row.replyTo] : []));
    const originals = new Map<number, RedisRow>();
    const read = await this.rows(room, [...new Set(replies)]);
    for (const json of read) {
      if (json === null) continue;
      const original = parseRow(json);
      originals.set(original.seq, original);
    }
    return rows.map((row) =>
      this.toRecord(epoch, row, row.replyTo === undefined ? undefined : originals.get(row.replyTo), viewer),
    );
  }

  async range(room: string, query: RangeQuery): Promise<ChatMessage[]> {
    const records = query.records ?? 'entries';
    const after = Math.max(0, query.afterSeq ?? 0);
    const before = query.beforeSeq ?? Number.MAX_SAFE_INTEGER;
    if (query.limit < 1 || before <= after + 1) return [];
    let epoch: string | null;
    let seqs: number[];
    if (records === 'entries') {
      // Entries are one run of seqs from `first` to the last: the range is arithmetic.
      const [e, last, first] = (await this.connection.multi((tx) => {
        tx.get(this.key(room, 'epoch'));
        tx.get(this.key(room, 'seq'));
        tx.get(this.key(room, 'first'));
      })) as Array<string | null>;
      epoch = e ?? null;
      const from = Math.max(after + 1, Number(first ?? 1));
      const to = Math.min(before - 1, Number(last ?? 0));
      const count = Math.max(0, Math.min(query.limit, to - from + 1));
      const start = query.newest ? to - count + 1 : from;
      seqs = Array.from({ length: count }, (_, i) => start + i);
    } else {
      const index = this.key(room, records === 'messages' ? 'messages' : 'visible');
      const [e, found] = (await this.connection.multi((tx) => {
        tx.get(this.key(room, 'epoch'));
        if (query.newest) tx.zrevrangebyscore(index, `(${before}`, `(${after}`, 'LIMIT', 0, query.limit);
        else tx.zrangebyscore(index, `(${after}`, `(${before}`, 'LIMIT', 0, query.limit);
      })) as [string | null, string[]];
      epoch = e;
      seqs = found.map(Number).sort((a, b) => a - b);
    }
    if (epoch === null || seqs.length === 0) return [];
    const rows = (await this.rows(room, seqs)).flatMap((json) => (json === null ? [] : [parseRow(json)]));
    return this.fold(room, epoch, rows, query.viewer);
  }

  /** Messages after a marker that are neither deleted nor the reader's, and those mentioning them [READ-3]. */
  async unread(room: string, query: UnreadQuery): Promise<{ unread: number; mentions: number }> {
    let unread = 0;
    let mentions = 0;
    let after = query.afterSeq;
    for (;;) {
      const page = await this.connection.client.call((redis) =>
        redis.zrangebyscore(this.key(room, 'visible'), `(${after}`, query.upToSeq, 'LIMIT', 0, UNREAD_PAGE),
      );
      for (const json of await this.rows(room, page.map(Number))) {
        if (json === null) continue;
        const row = parseRow(json);
        if (row.deleted || row.identity === query.identity) continue;
        unread += 1;
        if (query.direct || row.mentions?.some((name) => nameSkeleton(name) === query.nameKey)) mentions += 1;
      }
      if (page.length < UNREAD_PAGE) return { unread, mentions };
      after = Number(page.at(-1));
    }
  }
}
