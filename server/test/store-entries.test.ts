/**
 * The version 2 log of the embedded stores (memory, SQLite), on its own:
 * the store contract of store-contract.ts (Redis runs it in
 * redis-v2-store.test.ts).
 */

import { MemoryStore } from '../src/store/memory.js';
import { SqliteStore } from '../src/store/sqlite.js';
import { tempDir } from './helpers.js';
import { CONTRACT_RULES, storeContract } from './store-contract.js';

storeContract([
  ['memory', () => new MemoryStore(CONTRACT_RULES)],
  ['sqlite', () => new SqliteStore({ dataDir: tempDir(), rules: CONTRACT_RULES })],
]);
