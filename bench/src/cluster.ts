/**
 * `npm run bench -- --cluster`: what crossing nodes costs. The same open-loop
 * load (latency measured from each message's intended send time) against one
 * Kuykan node with the local engine, one node on the Redis engine, and three
 * Redis-engine nodes whose rooms each have members on every node, so that
 * two thirds of the deliveries cross nodes. All nodes share the server core:
 * the cluster has the CPU of one node, and Redis runs beside them.
 */
import type { TargetKind } from './clients.js';
import { type Measurement, measureLoad, type Shape } from './scenarios.js';

export const CLUSTER_TARGETS: TargetKind[] = ['kuykan-memory', 'kuykan-redis', 'kuykan-cluster'];

export interface ClusterSettings {
  repetitions: number;
  durationMs: number;
  shape: Shape;
  /** Deliveries per second offered (well below what one node can do, so latency is not queueing). */
  deliveries: number;
}

export const CLUSTER_SETTINGS: Record<'smoke' | 'quick' | 'full', ClusterSettings> = {
  smoke: { repetitions: 1, durationMs: 400, shape: { rooms: 3, members: 3 }, deliveries: 90 },
  quick: { repetitions: 3, durationMs: 5000, shape: { rooms: 50, members: 10 }, deliveries: 5000 },
  full: { repetitions: 3, durationMs: 15_000, shape: { rooms: 100, members: 10 }, deliveries: 10_000 },
};

export interface ClusterRow {
  target: TargetKind;
  p50Ms: number;
  p99Ms: number;
  p999Ms: number;
  maxMs: number;
  completeness: number;
  /** Server CPU, all nodes together, % of one core. */
  serverCpu: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

/** Runs every cluster target `repetitions` times in alternating order; medians per target. */
export async function compareCluster(
  settings: ClusterSettings,
  procs: number,
  log: (line: string) => void,
): Promise<ClusterRow[]> {
  const { shape, deliveries, durationMs } = settings;
  const all = new Map<TargetKind, Measurement[]>(CLUSTER_TARGETS.map((t) => [t, []]));
  for (let rep = 0; rep < settings.repetitions; rep++) {
    const order = rep % 2 === 0 ? CLUSTER_TARGETS : [...CLUSTER_TARGETS].reverse();
    for (const target of order) {
      const m = await measureLoad(target, shape, deliveries / shape.members, durationMs, procs);
      all.get(target)!.push(m);
      log(
        `  ${target.padEnd(15)} p50 ${m.p50Ms} ms  p99 ${m.p99Ms} ms  p99.9 ${m.p999Ms} ms  delivered ${Math.round(m.completeness * 100)}%  server CPU ${m.serverCpu}%`,
      );
    }
  }
  return CLUSTER_TARGETS.map((target) => {
    const runs = all.get(target)!;
    const of = (pick: (m: Measurement) => number) => median(runs.map(pick));
    return {
      target,
      p50Ms: of((m) => m.p50Ms),
      p99Ms: of((m) => m.p99Ms),
      p999Ms: of((m) => m.p999Ms),
      maxMs: of((m) => m.maxMs),
      completeness: of((m) => m.completeness),
      serverCpu: of((m) => m.serverCpu),
    };
  });
}

const LABELS: Partial<Record<TargetKind, string>> = {
  'kuykan-memory': 'one node, local engine',
  'kuykan-redis': 'one node, Redis engine',
  'kuykan-cluster': 'three nodes, Redis engine',
};

export function clusterMarkdown(rows: ClusterRow[], context: string): string {
  const base = rows.find((r) => r.target === 'kuykan-redis');
  const ratio = (a: number, b: number | undefined) => (b ? `${(a / b).toFixed(2)}×` : '–');
  return [
    '| target | p50 (ms) | p99 (ms) | p99 × one Redis-engine node | p99.9 (ms) | max (ms) | delivered | server CPU % (all nodes) |',
    '|---|---|---|---|---|---|---|---|',
    ...rows
      .map((r) =>
        [
          `${r.target} (${LABELS[r.target] ?? r.target})`,
          r.p50Ms,
          r.p99Ms,
          ratio(r.p99Ms, base?.p99Ms),
          r.p999Ms,
          r.maxMs,
          `${Math.round(r.completeness * 1000) / 10}%`,
          r.serverCpu,
        ].join(' | '),
      )
      .map((line) => `| ${line} |`),
    '',
    context,
    '',
  ].join('\n');
}
