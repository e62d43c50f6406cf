/**
 * Chooses a history store by name.
 *
 * @module
 */

import { MemoryStore } from './memory.js';
import { RedisStore } from './redis.js';
import { SqliteStore } from './sqlite.js';
import type { EntryRules, HistoryStore } from './types.js';

/** Store kinds the server can run with. */
export type StoreKind = 'sqlite' | 'memory' | 'redis';

/** What the stores need from the server options. */
export interface StoreOptions {
  /** SQLite: directory of the database file. */
  dataDir: string;
  /** Redis: connection URL. */
  redisUrl: string;
  /** Redis: prefix of every key. */
  redisPrefix: string;
  /** Redis: entries kept per room. */
  historyLength: number;
  /** Redis: publish each entry for the other nodes (the Redis engine). */
  engine: 'local' | 'redis';
  /** v2 stores: what entries are checked against (from the limits). */
  rules?: EntryRules;
}

export function createStore(kind: StoreKind, options: StoreOptions): HistoryStore {
  switch (kind) {
    case 'memory':
      return new MemoryStore(options.rules);
    case 'sqlite':
      return new SqliteStore({ dataDir: options.dataDir, rules: options.rules });
    case 'redis':
      return new RedisStore({
        url: options.redisUrl,
        prefix: options.redisPrefix,
        historyLength: options.historyLength,
        publish: options.engine === 'redis',
        rules: options.rules,
      });
  }
}

export type {
  AppendResult,
  ChatStore,
  DirectMember,
  DirectRoom,
  EntryChange,
  EntryRules,
  HistoryStore,
  NewMessage,
  RangeQuery,
  RangeRecords,
  RoomState,
  UnreadQuery,
} from './types.js';
export { EpochChangedError, isChatStore } from './types.js';
export { MemoryStore, RedisStore, SqliteStore };
