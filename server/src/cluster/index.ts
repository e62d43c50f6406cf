/**
 * Chooses the cluster by the `engine` option.
 *
 * @module
 */

import type { Logger } from 'pino';
import { LocalCluster } from './local.js';
import { RedisCluster } from './redis.js';
import type { Cluster } from './types.js';

/** Cluster kinds (the `engine` option): one process, or several nodes on Redis. */
export type EngineKind = 'local' | 'redis';

export interface ClusterOptions {
  redisUrl: string;
  redisPrefix: string;
  limits: { presenceGraceMs: number };
}

export function createCluster(kind: EngineKind, options: ClusterOptions, log: Logger): Cluster {
  if (kind === 'local') return new LocalCluster();
  return new RedisCluster({
    url: options.redisUrl,
    prefix: options.redisPrefix,
    presenceGraceMs: options.limits.presenceGraceMs,
    log,
  });
}

export type { Cluster, ClusterUser, NameHolder, PresenceEvent, PresenceSnapshot, RoomFeed } from './types.js';
export { LocalCluster, RedisCluster };
