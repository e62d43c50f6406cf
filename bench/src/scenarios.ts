/** The scenarios, and one measurement of one target in each. */
import type { TargetKind } from './clients.js';
import { now } from './clock.js';
import { type Fleet, type LoadResult, openFleet } from './fleet.js';
import type { CpuWindow } from './marginal.js';
import type { LoadConfig } from './plan.js';
import { descriptors, type StartOptions, sampleAll, startTarget, type Target } from './procs.js';

export type Mode = 'smoke' | 'quick' | 'full';

export interface Shape {
  rooms: number;
  members: number;
}

export interface Settings {
  repetitions: number;
  durationMs: number;
  /** S1: connections held idle. */
  idleConnections: number;
  /**
   * S1: the window over which the server's idle CPU is measured with every connection held, ms. In --full
   * it spans a heartbeat interval (Kuykan and Socket.IO ping every 25 s), so each pays one round of pings.
   */
  idleWindowMs: number;
  /** S2: room shapes, and the deliveries per second offered to each (beyond what most targets can do). */
  shapes: Shape[];
  offeredDeliveries: number;
  churnConcurrency: number;
  /** S5: clients that stop reading while the others chat. */
  slowConsumers: number;
  /** Load-generator processes (`--loadgen-procs`): one process cannot hold more connections than its descriptor limit. */
  loadgenProcs: number;
}

export const SETTINGS: Record<Mode, Settings> = {
  smoke: {
    repetitions: 1,
    durationMs: 400,
    idleConnections: 30,
    idleWindowMs: 200,
    shapes: [{ rooms: 5, members: 3 }],
    offeredDeliveries: 600,
    churnConcurrency: 2,
    slowConsumers: 3,
    loadgenProcs: 1,
  },
  // 55 measurements, each starting a target and a generator and joining every client, in under 3 minutes:
  // joins cost up to 4 s per 1,000 Socket.IO clients, so quick keeps the fan-out of 10 but has 50 rooms,
  // and leaves S1's real figure (at 20,000) to --full.
  quick: {
    repetitions: 3,
    durationMs: 800,
    idleConnections: 1000,
    idleWindowMs: 2000,
    shapes: [{ rooms: 50, members: 10 }],
    offeredDeliveries: 60_000,
    churnConcurrency: 20,
    slowConsumers: 100,
    loadgenProcs: 1,
  },
  full: {
    repetitions: 3,
    durationMs: 8000,
    // The target: 20,000 idle connections on one node. Two load-generator processes hold them.
    idleConnections: 20_000,
    idleWindowMs: 30_000,
    shapes: [
      { rooms: 1000, members: 10 },
      { rooms: 100, members: 100 },
      { rooms: 1, members: 1000 },
    ],
    offeredDeliveries: 150_000,
    churnConcurrency: 50,
    slowConsumers: 100,
    loadgenProcs: 2,
  },
};

export const TARGETS: TargetKind[] = ['ceiling', 'kuykan-memory', 'kuykan-sqlite', 'socketio', 'socketio-msgpack'];

/** {@link TARGETS} and the memory server of each `--compare` ref, as the modes that take refs run them. */
export function targetsWith(refs: string[]): TargetKind[] {
  return [...TARGETS, ...refs.map((ref): TargetKind => `kuykan-memory@${ref}`)];
}

/** `value` as a multiple of the ceiling's, to two decimals; undefined without a ceiling figure. */
export function ofCeiling(value: number, ceiling: number): number | undefined {
  return ceiling > 0 ? Math.round((value / ceiling) * 100) / 100 : undefined;
}

export interface Measurement {
  deliveredPerSec: number;
  p50Ms: number;
  p99Ms: number;
  p999Ms: number;
  maxMs: number;
  /** Deliveries counted in the merged latency histogram. */
  delivered: number;
  /** Delivered / expected (1 = nothing lost). */
  completeness: number;
  serverCpu: number;
  serverRssMb: number;
  /** The busiest load-generator worker's event loop, % of the send phase (fleet.ts). */
  loadgenBusy: number;
  /** What each load-generator worker sent and received. */
  workers: { sent: number; delivered: number }[];
}

/**
 * Starts `kind` and, alongside it, load generators that get `config` once the target is up (their
 * start-ups overlap); runs `use`; then ends both.
 */
export async function withTarget<T>(
  kind: TargetKind,
  procs: number,
  config: (target: Target) => LoadConfig | Promise<LoadConfig>,
  use: (fleet: Fleet, pids: number[]) => Promise<T>,
  options: StartOptions = {},
): Promise<T> {
  const target = startTarget(kind, options);
  try {
    const fleet = await openFleet(target.then(config), procs);
    try {
      return await use(fleet, (await target).pids);
    } finally {
      await fleet.close();
    }
  } finally {
    await (await target).stop();
  }
}

/** One measured window, with the server's CPU and RSS sampled around it. */
async function window(fleet: Fleet, pids: number[]): Promise<Measurement> {
  const before = sampleAll(pids);
  const started = Date.now();
  const result: LoadResult = await fleet.measure();
  const after = sampleAll(pids);
  const elapsed = (Date.now() - started) / 1000;
  return {
    deliveredPerSec: result.deliveredPerSec,
    p50Ms: result.p50Ms,
    p99Ms: result.p99Ms,
    p999Ms: result.p999Ms,
    maxMs: result.maxMs,
    delivered: result.delivered,
    completeness: result.expected ? result.delivered / result.expected : 0,
    serverCpu: Math.round(((after.cpuSeconds - before.cpuSeconds) / elapsed) * 100),
    serverRssMb: Math.round(after.rssBytes / 1e5) / 10,
    loadgenBusy: result.loadgenBusy,
    workers: result.workers,
  };
}

export const loadConfig = (
  kind: TargetKind,
  urls: string[],
  shape: Shape,
  rate: number,
  durationMs: number,
  textBytes?: number,
): LoadConfig => ({
  target: kind,
  urls,
  rooms: shape.rooms,
  members: shape.members,
  rate,
  durationMs,
  ...(textBytes === undefined ? {} : { textBytes }),
});

/** S2: open-loop load on one target at `rate` sends per second. */
export function measureLoad(
  kind: TargetKind,
  shape: Shape,
  rate: number,
  durationMs: number,
  procs: number,
): Promise<Measurement> {
  return withTarget(kind, procs, (t) => loadConfig(kind, t.urls, shape, rate, durationMs), window);
}

/**
 * S3, then S5 on the same server and clients: after S3's window `slowConsumers` more members join and
 * stop reading, and the same load runs again, so the two p99s compare like for like. A first window
 * warms both up and is not reported: on fresh connections p99 is the JIT's and the joins' garbage,
 * several times a warm one.
 */
export function measureLatency(
  kind: TargetKind,
  shape: Shape,
  rate: number,
  durationMs: number,
  procs: number,
  slowConsumers: number,
): Promise<{ alone: Measurement; withSlow: Measurement }> {
  return withTarget(
    kind,
    procs,
    (t) => loadConfig(kind, t.urls, shape, rate, durationMs),
    async (fleet, pids) => {
      // A warm-up window, not reported: the first messages meet cold code paths and caches.
      await fleet.measure();
      const alone = await window(fleet, pids);
      await fleet.addSlowConsumers(slowConsumers);
      return { alone, withSlow: await window(fleet, pids) };
    },
  );
}

export interface Footprint {
  /** Connections asked for, and those that logged in and joined. */
  asked: number;
  connected: number;
  /** Why the first failed connection failed, if any did. */
  firstError?: string;
  /** Server RSS growth per joined connection, KB. */
  rssPerConnectionKb: number;
  serverRssMb: number;
  /** Server CPU with every connection held and nothing sent, ms per second (heartbeats, timers, GC). */
  idleCpuMsPerSec: number;
  /** The server's open file descriptors and its limit, with every connection held: a full table refuses the rest. */
  serverFds: { open: number; limit: number };
}

/** S1: memory per idle connection (logged in and joined), from the server's RSS; then its idle CPU over `idleWindowMs`. */
export function measureFootprint(
  kind: TargetKind,
  connections: number,
  procs: number,
  idleWindowMs: number,
): Promise<Footprint> {
  const members = 10;
  let before = 0;
  return withTarget(
    kind,
    procs,
    async (t) => {
      // The baseline: the server started and settled, before any client.
      await sleep(300);
      before = sampleAll(t.pids).rssBytes;
      return loadConfig(kind, t.urls, { rooms: Math.ceil(connections / members), members }, 0, 0);
    },
    async (fleet, pids) => {
      await sleep(500);
      const after = sampleAll(pids).rssBytes;
      const idle = await idleWindow(pids, idleWindowMs);
      const { connected, firstError } = fleet.ready;
      return {
        asked: connections,
        connected,
        ...(firstError ? { firstError } : {}),
        rssPerConnectionKb: Math.round(((after - before) / Math.max(1, connected) / 1024) * 10) / 10,
        serverRssMb: Math.round(after / 1e5) / 10,
        idleCpuMsPerSec: Math.round((idle.cpuSeconds / idle.ms) * 1e5) / 100,
        serverFds: descriptors(pids[0]!),
      };
    },
  );
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The CPU `pids` spend over `ms` in which the load generator sends nothing. */
export async function idleWindow(pids: number[], ms: number): Promise<CpuWindow> {
  const before = sampleAll(pids).cpuSeconds;
  const started = now();
  // A timer may fire a fraction of a millisecond early by this clock (seen on Node 24): wait out the rest.
  while (now() - started < ms) await sleep(Math.max(1, ms - (now() - started)));
  return { cpuSeconds: sampleAll(pids).cpuSeconds - before, ms: now() - started };
}

/** What S4 measured for one target. */
export interface Churn {
  perSec: number;
  cpuMsPerConnection: number;
}

/**
 * S4: connect + log in + join per second, with `concurrency` clients at a time, and the server's CPU per
 * connection: the rate is partly the generator's (it opens the sockets too), the CPU is the server's alone.
 */
export function measureChurn(kind: TargetKind, concurrency: number, durationMs: number, procs: number): Promise<Churn> {
  return withTarget(
    kind,
    procs,
    (t) => ({ ...loadConfig(kind, t.urls, { rooms: 0, members: 0 }, 1, durationMs), churn: concurrency }),
    async (fleet, pids) => {
      const before = sampleAll(pids).cpuSeconds;
      const result = await fleet.measure();
      const cpuSeconds = sampleAll(pids).cpuSeconds - before;
      const perSec = result.churnPerSec ?? 0;
      const cycles = (perSec * durationMs) / 1000;
      return {
        perSec: Math.round(perSec),
        cpuMsPerConnection: cycles > 0 ? Math.round((cpuSeconds / cycles) * 1e5) / 100 : 0,
      };
    },
  );
}
