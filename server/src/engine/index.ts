/**
 * Chooses the engine by name.
 *
 * @module
 */

import type { Logger } from 'pino';
import { LocalEngine } from './local.js';
import { RedisEngine } from './redis.js';
import type { Engine } from './types.js';

/** Engine kinds: one process, or several nodes on Redis. */
export type EngineKind = 'local' | 'redis';

export interface EngineOptions {
  redisUrl: string;
  redisPrefix: string;
  limits: { presenceGraceMs: number };
}

export function createEngine(kind: EngineKind, options: EngineOptions, log: Logger): Engine {
  if (kind === 'local') return new LocalEngine();
  return new RedisEngine({
    url: options.redisUrl,
    prefix: options.redisPrefix,
    presenceGraceMs: options.limits.presenceGraceMs,
    log,
  });
}

export type { Engine, EngineUser, PresenceEvent, PresenceSnapshot, RoomFeed } from './types.js';
export { LocalEngine, RedisEngine };
