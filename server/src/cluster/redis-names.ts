/**
 * Name holders in Redis (`name:<n>`): a name is held by the nodes with a
 * session of its user, cluster-wide unique [NAME-5], and records who holds
 * it (identity, name, bot flag of the first session), so every node finds a
 * user online elsewhere [DM-1] and knows a bot [BOT-1]. A dead node's names
 * are freed by the sweep.
 *
 * @module
 */

import type { Logger } from 'pino';
import type { RedisClient } from '../redis/client.js';
import type { RedisKeys } from '../redis/keys.js';
import type { EngineRedis } from './redis-scripts.js';
import type { NameHolder } from './types.js';

export class RedisNames {
  constructor(
    private readonly client: RedisClient<EngineRedis>,
    private readonly keys: RedisKeys,
    private readonly nodeId: string,
    private readonly log: Logger,
  ) {}

  /** Claims a name for this node: the user holding it, or undefined when another user does. */
  async claim(nameKey: string, secret: string | undefined, user: NameHolder): Promise<NameHolder | undefined> {
    const holder = await this.client.call((redis) =>
      redis.kuykanClaim(
        this.keys.name(nameKey),
        this.keys.node(this.nodeId, 'names'),
        secret ?? '',
        this.nodeId,
        ...this.keys.nodeKeyAround(),
        user.identity,
        user.name,
        user.bot ? '1' : '0',
      ),
    );
    if (holder.length === 0) return undefined;
    return { identity: holder[0], name: holder[1], bot: holder[2] === '1' };
  }

  /** The user holding a name on some node, as its first session logged in [DM-1]. */
  async holder(nameKey: string): Promise<NameHolder | undefined> {
    const fields = await this.client.call((redis) => redis.hgetall(this.keys.name(nameKey)));
    const held = Object.keys(fields).some((field) => field.startsWith('n:'));
    if (!held || fields.i === undefined || fields.d === undefined) return undefined;
    return { identity: fields.i, name: fields.d, bot: fields.b === '1' };
  }

  /** This node no longer holds the name; a failure is logged (the node's TTL frees it). */
  release(nameKey: string): void {
    this.client
      .call((redis) => redis.kuykanRelease(this.keys.name(nameKey), this.nodeId))
      .catch((error: unknown) => this.log.warn({ err: error }, 'name release failed; the node TTL frees it'));
  }
}
