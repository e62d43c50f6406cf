/**
 * The cluster engine's connection and its Lua scripts (redis/lua/*.lua),
 * defined once on it: presence (join, leave, forget), names (claim,
 * release), liveness (heartbeat) and the dead-node sweep all run on this
 * one connection, so Redis applies and publishes them in the order sent.
 *
 * @module
 */

import type { Redis } from 'ioredis';
import { connectRedis } from '../redis/client.js';
import { luaScript } from '../redis/lua.js';

/** The cluster's scripts as commands of the engine connection. */
export interface ClusterScripts {
  kuykanJoin(...args: Array<string | number>): Promise<number[]>;
  kuykanLeave(...args: Array<string | number>): Promise<[number, string] | []>;
  kuykanForget(...args: Array<string | number>): Promise<number>;
  kuykanSweep(...args: Array<string | number>): Promise<[number, number]>;
  kuykanClaim(...args: Array<string | number>): Promise<[string, string, string] | []>;
  kuykanRelease(...args: Array<string | number>): Promise<number>;
  kuykanHeartbeat(...args: Array<string | number>): Promise<number>;
}

/** The engine connection: commands, scripts and publishes (never subscribed). */
export type EngineRedis = Redis & ClusterScripts;

/** Opens the node's engine connection, named `kuykan:<node>:engine` in CLIENT LIST, with every script defined. */
export function connectEngine(url: string, nodeId: string): EngineRedis {
  const redis = connectRedis(url, `kuykan:${nodeId}:engine`) as EngineRedis;
  redis.defineCommand('kuykanJoin', { numberOfKeys: 5, lua: luaScript('join', 'publish-presence') });
  redis.defineCommand('kuykanLeave', { numberOfKeys: 4, lua: luaScript('leave', 'list', 'publish-presence') });
  redis.defineCommand('kuykanForget', { numberOfKeys: 2, lua: luaScript('forget') });
  redis.defineCommand('kuykanSweep', {
    numberOfKeys: 6,
    lua: luaScript('sweep', 'list', 'publish-presence', 'held'),
  });
  redis.defineCommand('kuykanClaim', { numberOfKeys: 2, lua: luaScript('claim') });
  redis.defineCommand('kuykanRelease', { numberOfKeys: 1, lua: luaScript('release', 'held') });
  redis.defineCommand('kuykanHeartbeat', { numberOfKeys: 2, lua: luaScript('heartbeat') });
  return redis;
}
