/**
 * The Redis store's connection and its scripts, shared by the store's
 * parts (redis.ts appends, redis-read.ts reads, redis-members.ts keeps read
 * markers and direct rooms).
 *
 * @module
 */

import type { Redis } from 'ioredis';
import { connectRedis, RedisClient } from '../redis/client.js';
import { RedisKeys } from '../redis/keys.js';
import { luaScript } from '../redis/lua.js';

/** commit.lua's reply: committed, duplicate, or a row changed since it was read. */
export type CommitReply = [0, string, number, number] | [1, string, number, string] | [2];

export interface Scripts {
  kuykanCommit(...args: Array<string | number>): Promise<CommitReply>;
  kuykanOpen(...args: Array<string | number>): Promise<[string, number]>;
  kuykanReadMarker(...args: Array<string | number>): Promise<0 | 1>;
  kuykanDirect(...args: Array<string | number>): Promise<number>;
  kuykanMigrate(...args: Array<string | number>): Promise<number>;
}

export type StoreRedis = Redis & Scripts;

export class StoreConnection {
  readonly client: RedisClient<StoreRedis>;
  readonly keys: RedisKeys;

  constructor(url: string, prefix: string, connectWaitMs?: number) {
    this.keys = new RedisKeys(prefix);
    const redis = connectRedis(url) as StoreRedis;
    redis.defineCommand('kuykanCommit', { numberOfKeys: 9, lua: luaScript('commit') });
    redis.defineCommand('kuykanOpen', { numberOfKeys: 3, lua: luaScript('open') });
    redis.defineCommand('kuykanReadMarker', { numberOfKeys: 1, lua: luaScript('read-marker') });
    redis.defineCommand('kuykanDirect', { numberOfKeys: 4, lua: luaScript('direct') });
    redis.defineCommand('kuykanMigrate', { numberOfKeys: 5, lua: luaScript('migrate') });
    this.client = new RedisClient(redis, connectWaitMs);
  }

  /** Runs a transaction (MULTI … EXEC) and returns each command's result; fails on any error. */
  async multi(build: (tx: ReturnType<StoreRedis['multi']>) => unknown): Promise<unknown[]> {
    const results = await this.client.call((redis) => {
      const tx = redis.multi();
      build(tx);
      return tx.exec();
    });
    if (!results) throw this.client.unavailable(new Error('transaction aborted'));
    return results.map(([error, value]) => {
      if (error) throw error;
      return value;
    });
  }
}
