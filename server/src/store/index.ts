/**
 * Chooses a history store by name.
 *
 * @module
 */

import { MemoryStore } from './memory.js';
import { SqliteStore } from './sqlite.js';
import type { HistoryStore } from './types.js';

/** Store kinds the server can run with. */
export type StoreKind = 'sqlite' | 'memory';

export function createStore(kind: StoreKind, dataDir: string): HistoryStore {
  switch (kind) {
    case 'memory':
      return new MemoryStore();
    case 'sqlite':
      return new SqliteStore({ dataDir });
  }
}

export type { AppendResult, HistoryStore, NewMessage, RangeQuery, RoomState } from './types.js';
export { MemoryStore, SqliteStore };
