/**
 * This node's place in the cluster: its liveness key `node:<id>` (TTL two
 * thirds of the presence grace, at least {@link MIN_NODE_TTL_MS}), refreshed
 * every third of the TTL, with the sweep of expired nodes on the same tick.
 * Losing the place (Redis restarted: a new run id; or the node was swept
 * while cut off) sweeps this node's own state, registers afresh and tells
 * the server to close every session with 1012.
 *
 * @module
 */

import type { Logger } from 'pino';
import type { RedisClient } from '../redis/client.js';
import type { RedisKeys } from '../redis/keys.js';
import type { EngineRedis } from './redis-scripts.js';
import { sweepNode } from './redis-sweep.js';

/**
 * The shortest node TTL, ms. A node whose event loop stalls longer than its
 * TTL is presumed dead and must drop every connection, so the TTL must
 * outlast garbage collection and a busy machine even when the presence grace
 * is tiny (tests use 300 ms); with such a grace, a dead node's users leave
 * after up to this long instead.
 */
const MIN_NODE_TTL_MS = 1500;

/** How long a join waits for the node to register in the cluster before UNAVAILABLE, ms. */
const REGISTER_WAIT_MS = 3000;

export class NodeLiveness {
  private readonly ttlMs: number;
  private readonly timer: NodeJS.Timeout;
  private isRegistered = false;
  private readonly registrationWaiters = new Set<() => void>();
  private readonly lostListeners: Array<(reason: string) => void> = [];
  private runId: string | undefined;
  private closed = false;

  constructor(
    private readonly client: RedisClient<EngineRedis>,
    private readonly keys: RedisKeys,
    private readonly nodeId: string,
    presenceGraceMs: number,
    private readonly log: Logger,
  ) {
    this.ttlMs = Math.max(MIN_NODE_TTL_MS, Math.floor((presenceGraceMs * 2) / 3));
    client.redis.on('ready', () => void this.checkRun());
    this.timer = setInterval(() => void this.tick(), Math.floor(this.ttlMs / 3));
    this.timer.unref();
  }

  /** Whether the node is registered: until then a join could be swept with it. */
  get registered(): boolean {
    return this.isRegistered;
  }

  onLost(listener: (reason: string) => void): void {
    this.lostListeners.push(listener);
  }

  /** Resolves once the node is registered; fails with UNAVAILABLE after the connect wait. */
  whenRegistered(): Promise<void> {
    if (this.isRegistered) return Promise.resolve();
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
      this.log.warn({ err: error }, 'could not read the Redis run id');
    }
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
    this.isRegistered = true;
    for (const done of this.registrationWaiters) done();
    this.registrationWaiters.clear();
    return true;
  }

  /** Refreshes this node's liveness and sweeps dead nodes. */
  private async tick(): Promise<void> {
    if (this.closed || !this.client.available()) return;
    try {
      if (!(await this.heartbeat(!this.isRegistered))) {
        await this.lose('this node was presumed dead while cut off from Redis');
        return;
      }
      // Registered nodes, and nodes whose sweep began (its sweeper may have died meanwhile).
      for (const node of await this.client.redis.sunion(this.keys.nodes, this.keys.sweeping)) {
        if (node !== this.nodeId) await sweepNode(this.client.redis, this.keys, node, this.nodeId, this.log);
      }
    } catch (error) {
      this.log.debug({ err: error }, 'cluster heartbeat failed');
    }
  }

  /**
   * The cluster no longer knows this node as it was: clear what it still
   * holds, tell the server to close every session, and register afresh.
   */
  private async lose(reason: string): Promise<void> {
    this.log.warn({ reason }, 'lost the node state in Redis: closing every session');
    this.isRegistered = false;
    await sweepNode(this.client.redis, this.keys, this.nodeId, this.nodeId, this.log).catch(() => {});
    // Registered again before the sessions are closed, so their rejoins are never swept with the old state.
    await this.heartbeat(true).catch(() => {});
    for (const listener of this.lostListeners) listener(reason);
  }

  /**
   * Stops refreshing. The liveness key is left to expire: users of this node
   * who reconnect elsewhere within the grace cause no presence change [PRES-5].
   */
  stop(): void {
    this.closed = true;
    clearInterval(this.timer);
  }
}
