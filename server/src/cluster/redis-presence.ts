/**
 * Room presence in Redis, the cluster's source of truth for it: per room the
 * members, per member the nodes holding them (`room:<r>:holders`), the bots
 * and the presence version. Join and leave scripts change them atomically
 * and publish a numbered presence event when the member list changes, so a
 * user is listed once however many sessions and nodes they use [PRES-2].
 *
 * @module
 */

import type { Logger } from 'pino';
import type { RedisClient } from '../redis/client.js';
import { escapeKeyPart, type RedisKeys } from '../redis/keys.js';
import type { EngineRedis } from './redis-scripts.js';
import type { ClusterUser, PresenceEvent, PresenceSnapshot } from './types.js';

export class RedisPresence {
  constructor(
    private readonly client: RedisClient<EngineRedis>,
    private readonly keys: RedisKeys,
    private readonly nodeId: string,
    private readonly log: Logger,
  ) {}

  /** The room's members now, at one presence version. */
  async snapshot(room: string): Promise<PresenceSnapshot> {
    const results = await this.client.call((redis) =>
      redis
        .multi()
        .get(this.keys.room(room, 'pv'))
        .hgetall(this.keys.room(room, 'members'))
        .smembers(this.keys.room(room, 'bots'))
        .exec(),
    );
    if (!results) throw this.client.unavailable(new Error('transaction aborted'));
    for (const [error] of results) if (error) throw error;
    const version = Number(results[0]![1] ?? 0);
    const members = new Map(Object.entries(results[1]![1] as Record<string, string>));
    return { version, members, bots: new Set(results[2]![1] as string[]) };
  }

  /** How many members each room has now: one pipeline of HLEN, one reply per room. */
  async counts(rooms: readonly string[]): Promise<number[]> {
    if (rooms.length === 0) return [];
    const results = await this.client.call((redis) => {
      const pipeline = redis.pipeline();
      for (const room of rooms) pipeline.hlen(this.keys.room(room, 'members'));
      return pipeline.exec();
    });
    if (!results) throw this.client.unavailable(new Error('pipeline aborted'));
    return results.map(([error, count]) => {
      if (error) throw error;
      return count as number;
    });
  }

  /** This node holds `user` in the room; the join event when they were a member nowhere. */
  async join(room: string, user: ClusterUser): Promise<PresenceEvent | undefined> {
    const [version] = await this.client.call((redis) =>
      redis.kuykanJoin(
        this.keys.room(room, 'holders'),
        this.keys.room(room, 'members'),
        this.keys.room(room, 'pv'),
        this.keys.node(this.nodeId, 'rooms'),
        this.keys.room(room, 'bots'),
        user.key,
        user.name,
        this.nodeId,
        this.keys.room(room, 'events'),
        escapeKeyPart(room),
        user.bot ? '1' : '0',
      ),
    );
    if (version === undefined) return undefined;
    return { version, kind: 'join', userKey: user.key, name: user.name, ...(user.bot ? { bot: true } : {}) };
  }

  /** This node no longer holds `user` in the room; the leave event when no node holds them. */
  async leave(room: string, user: ClusterUser): Promise<PresenceEvent | undefined> {
    const reply = await this.client.call((redis) =>
      redis.kuykanLeave(
        this.keys.room(room, 'holders'),
        this.keys.room(room, 'members'),
        this.keys.room(room, 'pv'),
        this.keys.room(room, 'bots'),
        user.key,
        this.nodeId,
        this.keys.room(room, 'events'),
      ),
    );
    if (reply.length === 0) return undefined;
    return { version: reply[0], kind: 'leave', userKey: user.key, name: reply[1] };
  }

  /** Takes an unloaded room off `node:<id>:rooms`, so the sweep of this node skips it. */
  forget(room: string): void {
    // Sent after this node's leaves of the room (one connection keeps order);
    // a later join adds the room again. Failing, the sweep visits one room more.
    this.client
      .call((redis) =>
        redis.kuykanForget(
          this.keys.room(room, 'holders'),
          this.keys.node(this.nodeId, 'rooms'),
          this.nodeId,
          escapeKeyPart(room),
        ),
      )
      .catch((error: unknown) => this.log.debug({ err: error, room }, 'forgetting an unloaded room failed'));
  }
}
