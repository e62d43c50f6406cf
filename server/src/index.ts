/**
 * @kuykan/server — the Kuykan reference server.
 *
 * @module
 */

export type { FaultName } from './faults.js';
// test-only fault injection
export { FAULTS } from './faults.js';
export type { ServerOptions } from './options.js';
export type { RunningServer } from './server.js';
// server
export { startServer } from './server.js';
export type {
  AppendResult,
  ChatStore,
  DirectRoom,
  EntryChange,
  HistoryStore,
  NewMessage,
  RangeQuery,
  RoomState,
} from './store/index.js';
// stores
export { MemoryStore, RedisStore, SqliteStore } from './store/index.js';
