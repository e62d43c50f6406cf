/**
 * Prometheus metrics of one server instance (a registry per instance, so
 * several servers can run in one process). Names follow Prometheus
 * conventions: counters end in `_total`, durations are `_seconds`, and the
 * live gauges (rooms, users) are read from the node when scraped.
 *
 * @module
 */

import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { SERVER_VERSION } from './version.js';

/** What the live gauges read at scrape time. */
export interface LiveCounts {
  rooms(): number;
  users(): number;
  /** A store's group commits (see `HistoryStore.writerStats`), when it has them. */
  storeWrites?(): { commits: number; writes: number };
}

export class Metrics {
  readonly registry = new Registry();
  private live: LiveCounts = { rooms: () => 0, users: () => 0 };

  readonly buildInfo = new Gauge({
    name: 'kuykan_build_info',
    help: 'Always 1; labels say which server version runs on which Node.js with which engine and store',
    labelNames: ['version', 'node', 'engine', 'store'],
    registers: [this.registry],
  });
  readonly connections = new Gauge({
    name: 'kuykan_connections',
    help: 'Open WebSocket connections',
    registers: [this.registry],
  });
  readonly rooms: Gauge = new Gauge({
    name: 'kuykan_rooms',
    help: 'Rooms loaded on this node',
    registers: [this.registry],
    collect: (): void => this.rooms.set(this.live.rooms()),
  });
  readonly users: Gauge = new Gauge({
    name: 'kuykan_users',
    help: 'Users logged in on this node (a user with several connections counts once)',
    registers: [this.registry],
    collect: (): void => this.users.set(this.live.users()),
  });
  readonly connectionsOpened = new Counter({
    name: 'kuykan_connections_opened_total',
    help: 'WebSocket connections accepted',
    registers: [this.registry],
  });
  readonly connectionsClosed = new Counter({
    name: 'kuykan_connections_closed_total',
    help: 'WebSocket connections closed, by close code and by the side that closed (client or server)',
    labelNames: ['code', 'side'],
    registers: [this.registry],
  });
  readonly connectionDuration = new Histogram({
    name: 'kuykan_connection_duration_seconds',
    help: 'How long connections stayed open',
    buckets: [1, 10, 60, 300, 1800, 3600, 4 * 3600, 24 * 3600],
    registers: [this.registry],
  });
  readonly upgradesRefused = new Counter({
    name: 'kuykan_upgrades_refused_total',
    help: 'WebSocket upgrades refused before a connection opened, by HTTP status',
    labelNames: ['status'],
    registers: [this.registry],
  });
  readonly logins = new Counter({
    name: 'kuykan_logins_total',
    help: 'Successful logins',
    registers: [this.registry],
  });
  readonly joins = new Counter({
    name: 'kuykan_joins_total',
    help: 'Rooms joined, by kind: fresh, resumed (the whole gap recovered) or reset (not recoverable)',
    labelNames: ['kind'],
    registers: [this.registry],
  });
  readonly leaves = new Counter({
    name: 'kuykan_leaves_total',
    help: 'Rooms left with a leave frame (disconnects are counted as closes)',
    registers: [this.registry],
  });
  readonly rateLimited = new Counter({
    name: 'kuykan_rate_limited_total',
    help: 'Sends and typing notices refused by the rate limit',
    registers: [this.registry],
  });
  private readonly framesInByType = new Tally();
  private readonly framesOutByType = new Tally();
  readonly framesIn: Counter<'type'> = new Counter({
    name: 'kuykan_frames_in_total',
    help: 'Frames received, by type',
    labelNames: ['type'],
    registers: [this.registry],
    collect: (): void => this.framesInByType.moveInto(this.framesIn),
  });
  readonly framesOut: Counter<'type'> = new Counter({
    name: 'kuykan_frames_out_total',
    help: 'Frames sent, by type; each recipient of a message fan-out counts once',
    labelNames: ['type'],
    registers: [this.registry],
    collect: (): void => this.framesOutByType.moveInto(this.framesOut),
  });
  readonly errors = new Counter({
    name: 'kuykan_errors_total',
    help: 'Error frames sent, by protocol error code',
    labelNames: ['code'],
    registers: [this.registry],
  });
  readonly sendToAck = new Histogram({
    name: 'kuykan_send_ack_seconds',
    help: 'Time from receiving a send to sending its ack',
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
    registers: [this.registry],
  });
  readonly storeLatency = new Histogram({
    name: 'kuykan_store_seconds',
    help: 'History store call latency, by operation',
    labelNames: ['op'],
    buckets: [0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5],
    registers: [this.registry],
  });

  readonly storeCommits: Counter = new Counter({
    name: 'kuykan_store_commits_total',
    help: 'Transactions the store committed (SQLite: one per group commit of the writer thread)',
    registers: [this.registry],
    collect: (): void => this.setCount(this.storeCommits, this.live.storeWrites?.().commits),
  });
  readonly storeWrites: Counter = new Counter({
    name: 'kuykan_store_writes_total',
    help: 'Writes run in those transactions; writes per commit is the group commit batch size',
    registers: [this.registry],
    collect: (): void => this.setCount(this.storeWrites, this.live.storeWrites?.().writes),
  });

  constructor(info: { engine: string; store: string }) {
    // Process and Node.js metrics (CPU, memory, event-loop lag, GC, handles) under their standard names.
    collectDefaultMetrics({ register: this.registry });
    this.buildInfo.set({ version: SERVER_VERSION, node: process.version, engine: info.engine, store: info.store }, 1);
  }

  /** Where the live gauges read from; set once the node's rooms and users exist. */
  readFrom(live: LiveCounts): void {
    this.live = live;
  }

  /** A counter kept by someone else (the store), read when scraped. */
  private setCount(counter: Counter, value: number | undefined): void {
    counter.reset();
    if (value !== undefined) counter.inc(value);
  }

  /** A frame of `type` was received. */
  frameIn(type: string): void {
    this.framesInByType.add(type, 1);
  }

  /** `count` frames of `type` were sent (a fan-out counts each recipient). */
  framesSent(type: string, count = 1): void {
    this.framesOutByType.add(type, count);
  }

  /** A send received at `received` (`performance.now()`) was acked. */
  acked(received: number): void {
    this.sendToAck.observe((performance.now() - received) / 1000);
  }

  /** Times a store call. */
  async timeStore<T>(op: string, call: () => Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      return await call();
    } finally {
      this.storeLatency.observe({ op }, (performance.now() - started) / 1000);
    }
  }
}

/**
 * Counts by label value, kept in a plain map on the message path and moved
 * into their prom-client counter when it is scraped: prom-client's `inc`
 * builds a label string and a result object on every call, and every
 * message counted several (issue 23: allocations per message).
 */
class Tally {
  private readonly counts = new Map<string, number>();

  add(type: string, count: number): void {
    this.counts.set(type, (this.counts.get(type) ?? 0) + count);
  }

  moveInto(counter: Counter<'type'>): void {
    for (const [type, count] of this.counts) counter.inc({ type }, count);
    this.counts.clear();
  }
}
