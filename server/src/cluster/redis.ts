/**
 * The Redis cluster: several server nodes on one Redis act as one chat.
 *
 * - Entries: the store's commit script publishes each committed entry's
 *   whole record (v2 fields included) on the room's channel; every node with
 *   the room loaded feeds it to the room's sequencer, so members everywhere
 *   see one seq order, each in its own protocol version.
 * - Presence: per room, Redis holds the members and, per member, the nodes
 *   holding them (a session there, or a session in its grace). Join and
 *   leave scripts change both atomically and publish a numbered presence
 *   event when the member list changes; so a user is listed once however
 *   many sessions and nodes they use [PRES-2].
 * - Node liveness: each node refreshes `node:<id>` (TTL two thirds of the
 *   presence grace, at least 1.5 s) every third of the TTL. Any node sweeps a node whose key
 *   expired: its users leave the rooms no other node holds them in, one
 *   event each, within the grace of the death [PRES-4].
 * - Names: a name is held by the nodes with a session of its user [NAME-5],
 *   and records who holds it (identity, name, bot flag of the first session),
 *   so every node finds a user online elsewhere [DM-1] and knows a bot [BOT-1].
 * - User events (v2 read markers and mentions): published on one channel
 *   every node subscribes to; each delivers them to the user's sessions it
 *   holds [READ-2, MENTION-2].
 * - Barrier: a token published on the node's own channel comes back after
 *   everything published before it (Redis delivers one connection's
 *   messages in publish order) [PING-3].
 * - Losing the node's place (Redis restarted: new run id; or the node's key
 *   expired while it was cut off): every session is closed with 1012, and
 *   clients rejoin with `recovered: false` where an epoch changed.
 *
 * Scripts (redis/lua/*.lua) read a few keys whose names they build from
 * templates given by redis/keys.ts (a dead node's rooms, a name holder's
 * liveness), which a single Redis or a replicated primary allows; Redis
 * Cluster is not supported. A dead node is swept in batches of rooms.
 *
 * This class puts together one job per file: the engine connection and its
 * scripts (redis-scripts.ts), presence (redis-presence.ts), names
 * (redis-names.ts), liveness (redis-liveness.ts) and the sweep
 * (redis-sweep.ts), pub/sub (redis-channels.ts) and the barrier
 * (redis-barrier.ts).
 *
 * @module
 */

import type { Logger } from 'pino';
import { randomId } from '../ids.js';
import { RedisClient } from '../redis/client.js';
import { RedisKeys } from '../redis/keys.js';
import { BarrierTokens } from './redis-barrier.js';
import { RedisChannels } from './redis-channels.js';
import { NodeLiveness } from './redis-liveness.js';
import { RedisNames } from './redis-names.js';
import { RedisPresence } from './redis-presence.js';
import { connectEngine, type EngineRedis } from './redis-scripts.js';
import type {
  Cluster,
  ClusterUser,
  NameHolder,
  PresenceEvent,
  PresenceSnapshot,
  RoomFeed,
  UserEvent,
} from './types.js';

export interface RedisClusterOptions {
  url: string;
  prefix: string;
  /** The advertised presence grace; the node TTL is two thirds of it. */
  presenceGraceMs: number;
  log: Logger;
}

export class RedisCluster implements Cluster {
  readonly kind = 'redis';
  readonly nodeId = randomId(6);
  private readonly client: RedisClient<EngineRedis>;
  private readonly liveness: NodeLiveness;
  private readonly barriers: BarrierTokens;
  private readonly channels: RedisChannels;
  private readonly roomPresence: RedisPresence;
  private readonly names: RedisNames;

  constructor(options: RedisClusterOptions) {
    const keys = new RedisKeys(options.prefix);
    const { log } = options;
    this.client = new RedisClient(connectEngine(options.url, this.nodeId), 1500, 'cluster engine');
    this.liveness = new NodeLiveness(this.client, keys, this.nodeId, options.presenceGraceMs, log);
    const nodeChannel = keys.node(this.nodeId, 'events');
    this.barriers = new BarrierTokens((token) => this.client.redis.publish(nodeChannel, token));
    this.channels = new RedisChannels({
      url: options.url,
      nodeId: this.nodeId,
      keys,
      engine: this.client,
      token: (token) => this.barriers.arrived(token),
      log,
    });
    this.roomPresence = new RedisPresence(this.client, keys, this.nodeId, log);
    this.names = new RedisNames(this.client, keys, this.nodeId, log);
  }

  available(): boolean {
    return this.client.available() && this.channels.available() && this.liveness.registered;
  }

  onLost(listener: (reason: string) => void): void {
    this.liveness.onLost(listener);
  }

  async openRoom(room: string, feed: RoomFeed): Promise<PresenceSnapshot> {
    await this.channels.openRoom(room, feed);
    return this.roomPresence.snapshot(room);
  }

  closeRoom(room: string): void {
    this.channels.closeRoom(room);
    this.roomPresence.forget(room);
  }

  presence(room: string): Promise<PresenceSnapshot> {
    return this.roomPresence.snapshot(room);
  }

  memberCounts(rooms: readonly string[]): Promise<number[]> {
    return this.roomPresence.counts(rooms);
  }

  async join(room: string, user: ClusterUser): Promise<PresenceEvent | undefined> {
    // A node that is not registered could be swept at any moment, taking this join with it.
    await this.liveness.whenRegistered();
    return this.roomPresence.join(room, user);
  }

  leave(room: string, user: ClusterUser): Promise<PresenceEvent | undefined> {
    return this.roomPresence.leave(room, user);
  }

  typing(room: string, user: ClusterUser, active: boolean): void {
    this.channels.typing(room, user, active);
  }

  barrier(): Promise<void> {
    if (!this.available()) return Promise.resolve();
    return this.barriers.barrier();
  }

  claimName(nameKey: string, secret: string | undefined, user: NameHolder): Promise<NameHolder | undefined> {
    return this.names.claim(nameKey, secret, user);
  }

  /** The user holding a name on some node, as its first session logged in [DM-1]. */
  nameHolder(nameKey: string): Promise<NameHolder | undefined> {
    return this.names.holder(nameKey);
  }

  releaseName(nameKey: string): void {
    this.names.release(nameKey);
  }

  notifyUser(nameKey: string, event: UserEvent): Promise<void> {
    return this.channels.notifyUser(nameKey, event);
  }

  onUserEvent(listener: (nameKey: string, event: UserEvent) => void): void {
    this.channels.onUserEvent(listener);
  }

  async close(): Promise<void> {
    this.liveness.stop();
    this.barriers.releaseAll();
    await Promise.all([this.channels.close(), this.client.close()]);
  }
}
