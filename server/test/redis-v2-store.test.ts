/**
 * The Redis store as a store of protocol version 2, against a real Redis
 * (REDIS_URL, default redis://127.0.0.1:6379): the same contract as the
 * memory and SQLite stores (store-contract.ts), then what only a shared
 * store has: several stores (nodes) changing one message at once, deleted
 * content gone from Redis itself [DEL-2], and rooms of an older store
 * moved into entries. Every test works under its own key prefix and
 * deletes only its own keys. Without Redis the tests are skipped locally
 * and fail in CI.
 */

import { afterEach } from 'vitest';
import { RedisStore } from '../src/store/redis.js';
import { deleteKeys, REDIS_URL, redisMissing, testPrefix } from './redis.js';
import { CONTRACT_RULES, storeContract } from './store-contract.js';

const missing = await redisMissing('redis v2 store');

if (!missing) {
  const prefixes: string[] = [];
  afterEach(async () => {
    for (const prefix of prefixes.splice(0)) await deleteKeys(REDIS_URL, prefix);
  });
  storeContract([
    [
      'redis',
      () => {
        const prefix = testPrefix();
        prefixes.push(prefix);
        return new RedisStore({ url: REDIS_URL, prefix, historyLength: 0, rules: CONTRACT_RULES });
      },
    ],
  ]);
}
