/** The scenarios, and one measurement of one target in each. */
import type { TargetKind } from './clients.js';
import { runLoad, sample, startTarget } from './procs.js';

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
  },
  quick: {
    repetitions: 3,
    durationMs: 1500,
    idleConnections: 2000,
    shapes: [{ rooms: 100, members: 10 }],
    offeredDeliveries: 60_000,
    churnConcurrency: 20,
    slowConsumers: 100,
  },
  full: {
    repetitions: 3,
    durationMs: 8000,
    idleConnections: 10_000,
    shapes: [
      { rooms: 1000, members: 10 },
      { rooms: 100, members: 100 },
      { rooms: 1, members: 1000 },
    ],
    offeredDeliveries: 150_000,
    churnConcurrency: 50,
    slowConsumers: 100,
  },
};

export const TARGETS: TargetKind[] = ['ceiling', 'kuykan-memory', 'kuykan-sqlite', 'socketio', 'socketio-msgpack'];

export interface Measurement {
  deliveredPerSec: number;
  p50Ms: number;
  p99Ms: number;
  p999Ms: number;
  maxMs: number;
  /** Delivered / expected (1 = nothing lost). */
  completeness: number;
  serverCpu: number;
  serverRssMb: number;
  loadgenCpu: number;
}

/** S2/S3: open-loop load on one target at `rate` sends per second. */
export async function measureLoad(
  kind: TargetKind,
  shape: Shape,
  rate: number,
  durationMs: number,
  slowConsumers = 0,
): Promise<Measurement> {
  const target = await startTarget(kind);
  try {
    const before = sample(target.pid);
    const started = Date.now();
    const result = (await runLoad({
      target: kind,
      url: target.url,
      rooms: shape.rooms,
      members: shape.members,
      rate,
      durationMs,
      slowConsumers,
    }))!;
    const after = sample(target.pid);
    const elapsed = (Date.now() - started) / 1000;
    return {
      deliveredPerSec: result.deliveredPerSec,
      p50Ms: result.p50Ms,
      p99Ms: result.p99Ms,
      p999Ms: result.p999Ms,
      maxMs: result.maxMs,
      completeness: result.expected ? result.delivered / result.expected : 0,
      serverCpu: Math.round(((after.cpuSeconds - before.cpuSeconds) / elapsed) * 100),
      serverRssMb: Math.round(after.rssBytes / 1e5) / 10,
      loadgenCpu: result.loadgenCpu,
    };
  } finally {
    await target.stop();
  }
}

/** S1: memory per idle connection (logged in and joined), from the server's RSS. */
export async function measureFootprint(kind: TargetKind, connections: number): Promise<{ rssPerConnectionKb: number }> {
  const target = await startTarget(kind);
  try {
    await new Promise((r) => setTimeout(r, 300));
    const before = sample(target.pid).rssBytes;
    let after = before;
    const members = 10;
    await runLoad(
      { target: kind, url: target.url, rooms: Math.ceil(connections / members), members, rate: 0, durationMs: 0 },
      async () => {
        await new Promise((r) => setTimeout(r, 500));
        after = sample(target.pid).rssBytes;
      },
    );
    return { rssPerConnectionKb: Math.round(((after - before) / connections / 1024) * 10) / 10 };
  } finally {
    await target.stop();
  }
}

/** S4: connect + log in + join per second, with `concurrency` clients at a time. */
export async function measureChurn(
  kind: TargetKind,
  concurrency: number,
  durationMs: number,
): Promise<{ perSec: number }> {
  const target = await startTarget(kind);
  try {
    const result = (await runLoad({
      target: kind,
      url: target.url,
      rooms: 0,
      members: 0,
      rate: 1,
      durationMs,
      churn: concurrency,
    }))!;
    return { perSec: Math.round(result.churnPerSec ?? 0) };
  } finally {
    await target.stop();
  }
}
