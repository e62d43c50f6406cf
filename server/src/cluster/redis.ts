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
 *   presence grace, at least {@link MIN_NODE_TTL_MS}) every third of the TTL. Any node sweeps a node whose key
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
 * @module
 */

import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { randomId } from '../ids.js';
import { connectRedis, RedisClient } from '../redis/client.js';
import { escapeKeyPart, RedisKeys } from '../redis/keys.js';
import { luaScript } from '../redis/lua.js';
import { dispatchEvent, readUserEvent, typingEvent, userEvent } from './events.js';
import type {
  Cluster,
  ClusterUser,
  NameHolder,
  PresenceEvent,
  PresenceSnapshot,
  RoomFeed,
  UserEvent,
} from './types.js';

interface Scripts {
  kuykanJoin(...args: Array<string | number>): Promise<number[]>;
  kuykanLeave(...args: Array<string | number>): Promise<[number, string] | []>;
  kuykanForget(...args: Array<string | number>): Promise<number>;
  kuykanSweep(...args: Array<string | number>): Promise<[number, number]>;
  kuykanClaim(...args: Array<string | number>): Promise<[string, string, string] | []>;
  kuykanRelease(...args: Array<string | number>): Promise<number>;
  kuykanHeartbeat(...args: Array<string | number>): Promise<number>;
}

export interface RedisClusterOptions {
  url: string;
  prefix: string;
  /** The advertised presence grace; the node TTL is two thirds of it. */
  presenceGraceMs: number;
  log: Logger;
}

/**
 * The shortest node TTL, ms. A node whose event loop stalls longer than its
 * TTL is presumed dead and must drop every connection, so the TTL must
 * outlast garbage collection and a busy machine even when the presence grace
 * is tiny (tests use 300 ms); with such a grace, a dead node's users leave
 * after up to this long instead.
 */
const MIN_NODE_TTL_MS = 1500;

/** Rooms of a dead node swept per script call. */
const SWEEP_BATCH = 100;

/** How long a join waits for the node to register in the cluster before UNAVAILABLE, ms. */
const REGISTER_WAIT_MS = 3000;

/** How long a barrier waits for its token before answering anyway (Redis unreachable), ms. */
const BARRIER_TIMEOUT_MS = 2000;

export class RedisCluster implements Cluster {
  readonly kind = 'redis';
  readonly nodeId = randomId(6);
  private readonly keys: RedisKeys;
  private readonly client: RedisClient<Redis & Scripts>;
  /** The subscriber connection: pub/sub only. */
  private readonly sub: Redis;
  private readonly subClient: RedisClient;
  /** Whether the node channel (barrier tokens) is subscribed. */
  private listening = false;
  private readonly feeds = new Map<string, RoomFeed>();
  private readonly barriers = new Map<string, () => void>();
  /** The barrier of the current tick, not yet published. */
  private nextBarrier: Promise<void> | undefined;
  private readonly lostListeners: Array<(reason: string) => void> = [];
  private readonly userListeners: Array<(nameKey: string, event: UserEvent) => void> = [];
  private readonly ttlMs: number;
  private readonly timer: NodeJS.Timeout;
  private registered = false;
  private readonly registrationWaiters = new Set<() => void>();
  private runId: string | undefined;
  private closed = false;

  constructor(private readonly options: RedisClusterOptions) {
    this.keys = new RedisKeys(options.prefix);
    this.ttlMs = Math.max(MIN_NODE_TTL_MS, Math.floor((options.presenceGraceMs * 2) / 3));
    const redis = connectRedis(options.url, `kuykan:${this.nodeId}:engine`) as Redis & Scripts;
    redis.defineCommand('kuykanJoin', { numberOfKeys: 5, lua: luaScript('join', 'publish-presence') });
    redis.defineCommand('kuykanLeave', { numberOfKeys: 4, lua: luaScript('leave', 'list', 'publish-presence') });
    redis.defineCommand('kuykanForget', { numberOfKeys: 2, lua: luaScript('forget') });
    redis.defineCommand('kuykanSweep', {
      numberOfKeys: 5,
      lua: luaScript('sweep', 'list', 'publish-presence', 'held'),
    });
    redis.defineCommand('kuykanClaim', { numberOfKeys: 2, lua: luaScript('claim') });
    redis.defineCommand('kuykanRelease', { numberOfKeys: 1, lua: luaScript('release', 'held') });
    redis.defineCommand('kuykanHeartbeat', { numberOfKeys: 2, lua: luaScript('heartbeat') });
    this.client = new RedisClient(redis, 1500, 'cluster engine');
    redis.on('ready', () => void this.checkRun());

    // Resubscribing is ours, not ioredis's: ioredis emits 'ready' before it
    // resubscribes, and a catch-up read then could miss what is published
    // before the SUBSCRIBE lands. Subscribed first, rooms then catch up.
    this.sub = connectRedis(options.url, `kuykan:${this.nodeId}:events`, { autoResubscribe: false });
    this.subClient = new RedisClient(this.sub, 1500, 'cluster engine');
    this.sub.on('message', (channel: string, payload: string) => this.receive(channel, payload));
    this.sub.on('ready', () => void this.resubscribe());

    this.timer = setInterval(() => void this.tick(), Math.floor(this.ttlMs / 3));
    this.timer.unref();
  }

  available(): boolean {
    return this.client.available() && this.subClient.available() && this.listening && this.registered;
  }

  /**
   * On every (re)connection of the subscriber: subscribes to the node channel
   * and every loaded room's channel, then has each room catch up on what was
   * published while it was not subscribed [PRES-7].
   */
  private async resubscribe(): Promise<void> {
    this.listening = false;
    const feeds = [...this.feeds];
    try {
      await this.sub.subscribe(
        this.keys.node(this.nodeId, 'events'),
        this.keys.userEvents,
        ...feeds.map(([channel]) => channel),
      );
    } catch (error) {
      // The connection dropped again; its next 'ready' retries.
      this.options.log.warn({ err: error }, 'could not subscribe to the cluster channels');
      return;
    }
    this.listening = true;
    for (const [, feed] of feeds) feed.resync();
  }

  onLost(listener: (reason: string) => void): void {
    this.lostListeners.push(listener);
  }

  async openRoom(room: string, feed: RoomFeed): Promise<PresenceSnapshot> {
    const channel = this.keys.room(room, 'events');
    this.feeds.set(channel, feed);
    await this.subClient.call((sub) => sub.subscribe(channel));
    return this.presence(room);
  }

  closeRoom(room: string): void {
    const channel = this.keys.room(room, 'events');
    if (this.feeds.delete(channel)) void this.sub.unsubscribe(channel).catch(() => {});
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
      .catch((error: unknown) => this.options.log.debug({ err: error, room }, 'forgetting an unloaded room failed'));
  }

  async presence(room: string): Promise<PresenceSnapshot> {
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

  async join(room: string, user: ClusterUser): Promise<PresenceEvent | undefined> {
    // A node that is not registered could be swept at any moment, taking this join with it.
    await this.whenRegistered();
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

  typing(room: string, user: ClusterUser, active: boolean): void {
    if (!this.client.available()) return; // typing is best effort [TYPE-2]
    const event = typingEvent(this.nodeId, user.key, user.name, active);
    this.client.redis.publish(this.keys.room(room, 'events'), event).catch(() => {});
  }

  /**
   * Every barrier asked for in one tick shares one token, published once the
   * tick ends: it still comes back after everything published before each
   * of those calls, and a burst of pings or joins costs one PUBLISH.
   */
  barrier(): Promise<void> {
    if (!this.available()) return Promise.resolve();
    this.nextBarrier ??= new Promise<void>((resolve) => {
      setImmediate(() => {
        this.nextBarrier = undefined;
        const token = randomId(6);
        const done = () => {
          clearTimeout(timeout);
          this.barriers.delete(token);
          resolve();
        };
        const timeout = setTimeout(done, BARRIER_TIMEOUT_MS);
        this.barriers.set(token, done);
        this.client.redis.publish(this.keys.node(this.nodeId, 'events'), token).catch(done);
      });
    });
    return this.nextBarrier;
  }

  async claimName(nameKey: string, secret: string | undefined, user: NameHolder): Promise<NameHolder | undefined> {
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
  async nameHolder(nameKey: string): Promise<NameHolder | undefined> {
    const fields = await this.client.call((redis) => redis.hgetall(this.keys.name(nameKey)));
    const held = Object.keys(fields).some((field) => field.startsWith('n:'));
    if (!held || fields.i === undefined || fields.d === undefined) return undefined;
    return { identity: fields.i, name: fields.d, bot: fields.b === '1' };
  }

  releaseName(nameKey: string): void {
    this.client
      .call((redis) => redis.kuykanRelease(this.keys.name(nameKey), this.nodeId))
      .catch((error: unknown) => this.options.log.warn({ err: error }, 'name release failed; the node TTL frees it'));
  }

  /**
   * Hands a user event to every other node (one channel for all: each node
   * delivers it to the user's sessions it holds, if any) [READ-2, MENTION-2].
   * Best effort, like typing: a node cut off from Redis reaches its own sessions only.
   */
  async notifyUser(nameKey: string, event: UserEvent): Promise<void> {
    if (!this.client.available()) return;
    await this.client.redis.publish(this.keys.userEvents, userEvent(this.nodeId, nameKey, event)).catch(() => {});
  }

  onUserEvent(listener: (nameKey: string, event: UserEvent) => void): void {
    this.userListeners.push(listener);
  }

  private receive(channel: string, payload: string): void {
    if (channel === this.keys.node(this.nodeId, 'events')) {
      this.barriers.get(payload)?.();
      return;
    }
    if (channel === this.keys.userEvents) {
      const received = readUserEvent(payload, this.nodeId);
      if (received) for (const listener of this.userListeners) listener(received.nameKey, received.event);
      return;
    }
    const feed = this.feeds.get(channel);
    if (!feed) return;
    if (!dispatchEvent(payload, feed, this.nodeId)) {
      this.options.log.warn({ channel }, 'unreadable event on a room channel');
    }
  }

  /** On every (re)connection: a new Redis run id means Redis restarted and forgot this node. */
  private async checkRun(): Promise<void> {
    try {
      const info = await this.client.redis.info('server');
      const runId = /run_id:(\w+)/.exec(info)?.[1];
      const restarted = this.runId !== undefined && runId !== this.runId;
      this.runId = runId;
      if (restarted) await this.lose('Redis restarted');
      await this.tick();
    } catch (error) {
      this.options.log.warn({ err: error }, 'could not read the Redis run id');
    }
  }

  /** Refreshes this node's liveness and sweeps dead nodes. */
  /** Resolves once the node is registered; fails with UNAVAILABLE after the connect wait. */
  private whenRegistered(): Promise<void> {
    if (this.registered) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.registrationWaiters.delete(done);
        reject(this.client.unavailable(new Error('the node is not registered in the cluster')));
      }, REGISTER_WAIT_MS);
      const done = () => {
        clearTimeout(timer);
        resolve();
      };
      this.registrationWaiters.add(done);
    });
  }

  /** Refreshes (or, with `fresh`, creates) the liveness key; false when the node was swept meanwhile. */
  private async heartbeat(fresh: boolean): Promise<boolean> {
    const alive = await this.client.redis.kuykanHeartbeat(
      this.keys.node(this.nodeId),
      this.keys.nodes,
      this.nodeId,
      this.ttlMs,
      fresh ? '0' : '1',
    );
    if (alive === 0) return false;
    this.registered = true;
    for (const done of this.registrationWaiters) done();
    this.registrationWaiters.clear();
    return true;
  }

  private async tick(): Promise<void> {
    if (this.closed || !this.client.available()) return;
    try {
      if (!(await this.heartbeat(!this.registered))) {
        await this.lose('this node was presumed dead while cut off from Redis');
        return;
      }
      // Registered nodes, and nodes whose sweep began (its sweeper may have died meanwhile).
      for (const node of await this.client.redis.sunion(this.keys.nodes, this.keys.sweeping)) {
        if (node !== this.nodeId) await this.sweep(node, false);
      }
    } catch (error) {
      this.options.log.debug({ err: error }, 'cluster heartbeat failed');
    }
  }

  /**
   * Sweeps a dead node (or, with `force`, this one) in batches of
   * {@link SWEEP_BATCH} rooms, one script each, so Redis serves other
   * clients in between however many rooms the node had.
   */
  private async sweep(node: string, force: boolean): Promise<void> {
    const [head, ...tails] = [
      this.keys.roomKeyAround('holders'),
      this.keys.roomKeyAround('members'),
      this.keys.roomKeyAround('pv'),
      this.keys.roomKeyAround('events'),
      this.keys.roomKeyAround('bots'),
    ].flatMap(([h, t], i) => (i === 0 ? [h, t] : [t]));
    let total = 0;
    for (;;) {
      const [left, more] = await this.client.redis.kuykanSweep(
        this.keys.node(node),
        this.keys.node(node, 'rooms'),
        this.keys.node(node, 'names'),
        this.keys.nodes,
        this.keys.sweeping,
        node,
        force ? '1' : '0',
        SWEEP_BATCH,
        head!,
        ...tails,
      );
      if (left < 0) return;
      total += left;
      if (more === 0) break;
    }
    this.options.log.info({ node, left: total }, 'swept a dead node');
  }

  /**
   * The cluster no longer knows this node as it was: clear what it still
   * holds, tell the server to close every session, and register afresh.
   */
  private async lose(reason: string): Promise<void> {
    this.options.log.warn({ reason }, 'lost the node state in Redis: closing every session');
    this.registered = false;
    await this.sweep(this.nodeId, true).catch(() => {});
    // Registered again before the sessions are closed, so their rejoins are never swept with the old state.
    await this.heartbeat(true).catch(() => {});
    for (const listener of this.lostListeners) listener(reason);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    for (const done of this.barriers.values()) done();
    // The liveness key is left to expire: users of this node who reconnect
    // elsewhere within the grace cause no presence change [PRES-5].
    await Promise.all([this.subClient.close(), this.client.close()]);
  }
}
