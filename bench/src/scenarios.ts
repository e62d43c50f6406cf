/** The scenarios, and one measurement of one target in each. */
import type { TargetKind } from './clients.js';
import { holdConnections, runLoad } from './fleet.js';
import { descriptors, sampleAll, startTarget } from './procs.js';

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
    shapes: [{ rooms: 5, members: 3 }],
    offeredDeliveries: 600,
    churnConcurrency: 2,
    slowConsumers: 3,
    loadgenProcs: 1,
  },
  // 55 measurements, each starting a target and a generator and joining every client, in under 3 minutes:
  // joins cost up to 3 s per 1,000 Socket.IO clients, so quick keeps the fan-out of 10 but has 50 rooms.
  quick: {
    repetitions: 3,
    durationMs: 1000,
    idleConnections: 2000,
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

/** S2/S3/S5: open-loop load on one target at `rate` sends per second. */
export async function measureLoad(
  kind: TargetKind,
  shape: Shape,
  rate: number,
  durationMs: number,
  procs: number,
  slowConsumers = 0,
): Promise<Measurement> {
  // The load generators start while the target does; they get its URL once it is up.
  const target = startTarget(kind);
  let before = { cpuSeconds: 0, rssBytes: 0 };
  let started = 0;
  try {
    const config = target.then((t) => {
      before = sampleAll(t.pids);
      started = Date.now();
      return {
        target: kind,
        urls: t.urls,
        rooms: shape.rooms,
        members: shape.members,
        rate,
        durationMs,
        slowConsumers,
      };
    });
    const result = await runLoad(config, procs);
    const after = sampleAll((await target).pids);
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
  } finally {
    await (await target).stop();
  }
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
  /** The server's open file descriptors and its limit, with every connection held: a full table refuses the rest. */
  serverFds: { open: number; limit: number };
}

/** S1: memory per idle connection (logged in and joined), from the server's RSS. */
export async function measureFootprint(kind: TargetKind, connections: number, procs: number): Promise<Footprint> {
  const target = startTarget(kind);
  let before = 0;
  let after = 0;
  let serverFds = { open: 0, limit: 0 };
  const members = 10;
  try {
    const config = target.then(async (t) => {
      await new Promise((r) => setTimeout(r, 300));
      before = sampleAll(t.pids).rssBytes;
      return { target: kind, urls: t.urls, rooms: Math.ceil(connections / members), members, rate: 0, durationMs: 0 };
    });
    const ready = await holdConnections(config, procs, async () => {
      const { pids } = await target;
      await new Promise((r) => setTimeout(r, 500));
      after = sampleAll(pids).rssBytes;
      serverFds = descriptors(pids[0]!);
    });
    return {
      asked: connections,
      connected: ready.connected,
      ...(ready.firstError ? { firstError: ready.firstError } : {}),
      rssPerConnectionKb: Math.round(((after - before) / Math.max(1, ready.connected) / 1024) * 10) / 10,
      serverRssMb: Math.round(after / 1e5) / 10,
      serverFds,
    };
  } finally {
    await (await target).stop();
  }
}

/** S4: connect + log in + join per second, with `concurrency` clients at a time. */
export async function measureChurn(
  kind: TargetKind,
  concurrency: number,
  durationMs: number,
  procs: number,
): Promise<{ perSec: number }> {
  const target = startTarget(kind);
  try {
    const config = target.then((t) => ({
      target: kind,
      urls: t.urls,
      rooms: 0,
      members: 0,
      rate: 1,
      durationMs,
      churn: concurrency,
    }));
    const result = await runLoad(config, procs);
    return { perSec: Math.round(result.churnPerSec ?? 0) };
  } finally {
    await (await target).stop();
  }
}
