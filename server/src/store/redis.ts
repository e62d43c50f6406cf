/**
 * Redis history store (ioredis). One room is a handful of keys under the
 * store's prefix (all key names in redis/keys.ts):
 *
 * - `room:<r>:epoch` — string, the room's epoch (set once, with SET NX);
 * - `room:<r>:seq`   — string, the last seq handed out (INCR);
 * - `room:<r>:ts`    — string, the ts of the last message (ts never decreases);
 * - `room:<r>:log`   — stream, one entry per message with ID `<seq>-0`,
 *                      trimmed to the newest `historyLength` entries when
 *                      that is set (PROTOCOL.md §12 Retention), else kept;
 * - `room:<r>:dedupe` — hash `userKey\0clientId` → seq, for idempotent sends;
 * - `rooms`          — hash room name → last seq, for `listRooms`.
 *
 * Every append is one Lua script, so the dedupe check, the seq, the ts, the
 * log entry and the index move together even with several processes
 * appending to the same room; the append resolves only after Redis replied,
 * which is the commit [MSG-3]. Durability beyond that is Redis's own
 * (`appendonly yes` with `appendfsync always` for the strongest). With
 * `publish`, the same script publishes the message on the room's channel,
 * so the other nodes of a cluster learn of every committed message.
 *
 * @module
 */

import type { ChatMessage } from '@kuykan/protocol';
import type { Redis } from 'ioredis';
import { messageIdOf, randomId } from '../ids.js';
import { connectRedis, RedisClient, redactUrl } from '../redis/client.js';
import { RedisKeys } from '../redis/keys.js';
import { luaScript } from '../redis/lua.js';
import {
  type AppendResult,
  EpochChangedError,
  type HistoryStore,
  type NewMessage,
  type RangeQuery,
  type RoomState,
} from './types.js';

export interface RedisStoreOptions {
  /** e.g. `redis://127.0.0.1:6379`. */
  url: string;
  /** Prepended to every key, e.g. `kuykan:`. */
  prefix: string;
  /**
   * Messages kept per room; older ones are trimmed from the oldest end (and
   * forget their client ids), so the retained messages stay one run of seqs
   * [HIST-6]. 0 keeps every message.
   */
  historyLength: number;
  /** How long a call waits for a (re)connection before failing with UNAVAILABLE. [1500] */
  connectWaitMs?: number;
  /** Publish each new message on its room's channel (the Redis engine needs it). [false] */
  publish?: boolean;
}

type AppendReply = [0 | 1, string, number, number, string, string, string];

interface Scripts {
  kuykanAppend(...args: Array<string | number>): Promise<AppendReply>;
  kuykanOpen(...args: Array<string | number>): Promise<[string, number]>;
}

export class RedisStore implements HistoryStore {
  readonly description: string;
  private readonly client: RedisClient<Redis & Scripts>;
  private readonly keys: RedisKeys;
  private readonly historyLength: number;
  private readonly publish: boolean;

  constructor(options: RedisStoreOptions) {
    if (!Number.isInteger(options.historyLength) || options.historyLength < 0) {
      throw new Error(`historyLength must be a whole number (0 keeps every message), got ${options.historyLength}`);
    }
    this.keys = new RedisKeys(options.prefix);
    this.historyLength = options.historyLength;
    this.publish = options.publish ?? false;
    this.description = `redis:${redactUrl(options.url)} prefix=${options.prefix}`;
    const redis = connectRedis(options.url) as Redis & Scripts;
    // redis/lua/append.lua also keeps idempotency exact under trimming; the server
    // refuses a historyLength below maxRecoverable, which keeps [MSG-5].
    redis.defineCommand('kuykanAppend', { numberOfKeys: 6, lua: luaScript('append') });
    redis.defineCommand('kuykanOpen', { numberOfKeys: 3, lua: luaScript('open') });
    this.client = new RedisClient(redis, options.connectWaitMs);
  }

  available(): boolean {
    return this.client.available();
  }

  private key(room: string, part: 'epoch' | 'seq' | 'ts' | 'log' | 'dedupe' | 'events'): string {
    return this.keys.room(room, part);
  }

  async openRoom(room: string): Promise<RoomState> {
    const [epoch, lastSeq] = await this.client.call((redis) =>
      redis.kuykanOpen(this.key(room, 'epoch'), this.key(room, 'seq'), this.keys.rooms, randomId(), room),
    );
    return { epoch, lastSeq: Number(lastSeq) };
  }

  async append(input: NewMessage): Promise<AppendResult> {
    const { room } = input;
    const reply = await this.client
      .call((redis) =>
        redis.kuykanAppend(
          this.key(room, 'epoch'),
          this.key(room, 'seq'),
          this.key(room, 'ts'),
          this.key(room, 'log'),
          this.key(room, 'dedupe'),
          this.keys.rooms,
          randomId(),
          room,
          input.userKey,
          input.clientId,
          input.from,
          input.text,
          this.historyLength,
          input.epoch ?? '',
          this.publish ? this.key(room, 'events') : '',
        ),
      )
      .catch((error: unknown) => {
        throw error instanceof Error && error.message.startsWith('EPOCHCHANGED') ? new EpochChangedError(room) : error;
      });
    const [duplicate, epoch, seq, ts, from, text, clientId] = reply;
    const message: ChatMessage = {
      seq: Number(seq),
      messageId: messageIdOf(epoch, Number(seq)),
      ts: Number(ts),
      from,
      text,
      clientId,
    };
    return { message, duplicate: duplicate === 1 };
  }

  async range(room: string, query: RangeQuery): Promise<ChatMessage[]> {
    // Entry IDs are `<seq>-0`, so the exclusive seq bounds become inclusive IDs.
    const first = Math.max(0, query.afterSeq ?? 0) + 1;
    const last = query.beforeSeq === undefined ? undefined : query.beforeSeq - 1;
    if (query.limit < 1 || (last !== undefined && last < first)) return [];
    const start = `${first}-0`;
    const end = last === undefined ? '+' : `${last}-0`;
    const log = this.key(room, 'log');
    const results = await this.client.call((redis) => {
      const tx = redis.multi().get(this.key(room, 'epoch'));
      return (
        query.newest
          ? tx.xrevrange(log, end, start, 'COUNT', query.limit)
          : tx.xrange(log, start, end, 'COUNT', query.limit)
      ).exec();
    });
    if (!results) throw this.client.unavailable(new Error('transaction aborted'));
    for (const [error] of results) if (error) throw error;
    const epoch = results[0]![1] as string | null;
    const entries = results[1]![1] as Array<[string, string[]]>;
    if (epoch === null) return [];
    if (query.newest) entries.reverse();
    return entries.map(([id, flat]) => {
      const fields = new Map<string, string>();
      for (let i = 0; i + 1 < flat.length; i += 2) fields.set(flat[i]!, flat[i + 1]!);
      const seq = Number(id.slice(0, id.indexOf('-')));
      return {
        seq,
        messageId: messageIdOf(epoch, seq),
        ts: Number(fields.get('ts')),
        from: fields.get('from') ?? '',
        text: fields.get('text') ?? '',
        clientId: fields.get('clientId') ?? '',
      };
    });
  }

  async listRooms(): Promise<Array<{ room: string; seq: number }>> {
    const all = await this.client.call((redis) => redis.hgetall(this.keys.rooms));
    return Object.entries(all).map(([room, seq]) => ({ room, seq: Number(seq) }));
  }

  close(): Promise<void> {
    return this.client.close();
  }
}
