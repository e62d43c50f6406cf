/**
 * `npm run bench -- --cluster`: what crossing nodes costs. The same open-loop
 * load (latency measured from each message's intended send time) against one
 * Kuykan node with the local engine, one node on the Redis engine, and three
 * Redis-engine nodes whose rooms each have members on every node, so that
 * two thirds of the deliveries cross nodes. All nodes share the server core:
 * the cluster has the CPU of one node, and Redis runs beside them.
 *
 * Each run is measured as in the efficiency scenario (efficiency.ts): a
 * warm-up, then per load an idle window and a loaded one, so the efficiency
 * figure is deliveries per marginal CPU-second of all nodes together.
 */

import { hostname } from 'node:os';
import type { TargetKind } from './clients.js';
import { type EfficiencySettings, type EfficiencyWindow, measureEfficiency } from './efficiency.js';
import { pairedRatios, type Spread, spread } from './marginal.js';
import { baseName, json, log, machine, writeResults } from './output.js';
import { PINNED } from './procs.js';
import { alternating } from './repeat.js';
import type { Mode } from './scenarios.js';

export const CLUSTER_TARGETS: TargetKind[] = ['kuykan-memory', 'kuykan-redis', 'kuykan-cluster'];

/**
 * Latency is read at the first load, well below what one node can do, so that it is not queueing;
 * efficiency at every load.
 */
export const CLUSTER_SETTINGS: Record<Mode, EfficiencySettings> = {
  smoke: { repetitions: 1, windowMs: 300, shape: { rooms: 3, members: 3 }, loads: [90, 180], textBytes: 120 },
  quick: { repetitions: 3, windowMs: 3000, shape: { rooms: 50, members: 10 }, loads: [5000, 20_000], textBytes: 120 },
  full: {
    repetitions: 3,
    windowMs: 15_000,
    shape: { rooms: 100, members: 10 },
    loads: [10_000, 30_000],
    textBytes: 120,
  },
};

export interface ClusterRow {
  target: TargetKind;
  /** At the first load. */
  p50Ms: number;
  p99Ms: number;
  p999Ms: number;
  maxMs: number;
  completeness: number;
  /** Server CPU at the first load, all nodes together, % of one core. */
  serverCpu: number;
  /** Deliveries per marginal CPU-second (all nodes) at each load, and run by run over the Redis-engine node's and the local node's. */
  efficiency: Array<Spread | undefined>;
  overRedisNode: Array<Spread | undefined>;
  overLocalNode: Array<Spread | undefined>;
}

const median = (xs: Array<number | undefined>) => spread(xs)?.median ?? 0;

/** Medians per target, and efficiency ratios paired by repetition. */
export function clusterRows(runs: Map<TargetKind, EfficiencyWindow[][]>, levels: number): ClusterRow[] {
  const at = (target: TargetKind, level: number) =>
    (runs.get(target) ?? []).map((windows) => windows.find((w) => w.level === level)?.efficiency);
  const ratios = (target: TargetKind, over: TargetKind) =>
    Array.from({ length: levels }, (_, level) => spread(pairedRatios(at(target, level), at(over, level))));
  return CLUSTER_TARGETS.map((target) => {
    const first = (runs.get(target) ?? []).map((windows) => windows.find((w) => w.level === 0)!);
    const of = (pick: (w: EfficiencyWindow) => number | undefined) => median(first.map(pick));
    return {
      target,
      p50Ms: of((w) => w.p50Ms),
      p99Ms: of((w) => w.p99Ms),
      p999Ms: of((w) => w.p999Ms),
      maxMs: of((w) => w.maxMs),
      completeness: of((w) => w.completeness),
      serverCpu: Math.round(of((w) => w.cpuSeconds / (w.windowMs / 1000)) * 100),
      efficiency: Array.from({ length: levels }, (_, level) => spread(at(target, level))),
      overRedisNode: ratios(target, 'kuykan-redis'),
      overLocalNode: ratios(target, 'kuykan-memory'),
    };
  });
}

const LABELS: Partial<Record<TargetKind, string>> = {
  'kuykan-memory': 'one node, local engine',
  'kuykan-redis': 'one node, Redis engine',
  'kuykan-cluster': 'three nodes, Redis engine',
};

const spreadText = (s: Spread | undefined, show: (n: number) => string) =>
  !s ? '–' : s.min === s.max ? show(s.median) : `${show(s.median)} (${show(s.min)}–${show(s.max)})`;

export function clusterMarkdown(rows: ClusterRow[], loads: number[], context: string): string {
  const base = rows.find((r) => r.target === 'kuykan-redis');
  const ratio = (a: number, b: number | undefined) => (b ? `${(a / b).toFixed(2)}×` : '–');
  const k = (n: number) => `${n / 1000}k/s`;
  const perLoad = (title: string) => loads.map((l) => `${title} at ${k(l)}`);
  const header = [
    `target`,
    `p50 (ms, ${k(loads[0]!)})`,
    'p99 (ms)',
    'p99 × one Redis-engine node',
    'p99.9 (ms)',
    'max (ms)',
    'delivered',
    'server CPU % (all nodes)',
    ...perLoad('deliveries per marginal CPU-second'),
    ...perLoad('× one Redis-engine node'),
    ...perLoad('× one node, local engine'),
  ];
  const times = (n: number) => `${n.toFixed(2)}×`;
  const count = (n: number) => Math.round(n).toLocaleString('en-US');
  return [
    `| ${header.join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...rows.map(
      (r) =>
        `| ${[
          `${r.target} (${LABELS[r.target] ?? r.target})`,
          r.p50Ms,
          r.p99Ms,
          ratio(r.p99Ms, base?.p99Ms),
          r.p999Ms,
          r.maxMs,
          `${Math.round(r.completeness * 1000) / 10}%`,
          r.serverCpu,
          ...r.efficiency.map((s) => spreadText(s, count)),
          ...r.overRedisNode.map((s) => spreadText(s, times)),
          ...r.overLocalNode.map((s) => spreadText(s, times)),
        ].join(' | ')} |`,
    ),
    '',
    context,
    '',
  ].join('\n');
}

/** Runs every cluster target in alternating order; writes `<date>-<host>-cluster-<mode>.{json,md}`. */
export async function runCluster(mode: Mode, procs: number, outDir: string, loadBefore: string): Promise<void> {
  const cs = CLUSTER_SETTINGS[mode];
  log(
    `kuykan bench --cluster (${mode}) on ${hostname()}: ${cs.shape.rooms} rooms × ${cs.shape.members} members, ${cs.loads.join(' and ')} deliveries/s offered, ${cs.repetitions} × ${cs.windowMs} ms windows`,
  );
  const runs = await alternating(CLUSTER_TARGETS, cs.repetitions, async (target, rep) => {
    const windows = await measureEfficiency(target, rep, cs, procs);
    for (const w of windows) {
      log(
        `  ${target.padEnd(15)} ${w.load}/s  p50 ${w.p50Ms} ms  p99 ${w.p99Ms} ms  delivered ${Math.round(w.completeness * 100)}%  ${Math.round(w.efficiency ?? 0)} deliveries per marginal CPU-s`,
      );
    }
    return windows;
  });
  const rows = clusterRows(runs, cs.loads.length);
  const context =
    `${machine(procs, loadBefore)} Every node pinned to the server core${PINNED ? '' : ' (not pinned here)'}, Redis unpinned (its CPU is not counted). ` +
    `Mode ${mode}: medians of ${cs.repetitions} runs (least and greatest in brackets), ${cs.shape.rooms} rooms × ${cs.shape.members} members, ${cs.textBytes}-byte texts; each run warms up, then per load measures an idle window and a loaded one of ${cs.windowMs} ms; ` +
    'on three nodes the members of each room are spread over the nodes and the sender is on the first, so two thirds of the deliveries cross nodes through Redis.';
  const table = clusterMarkdown(rows, cs.loads, context);
  writeResults(outDir, baseName(`cluster-${mode}`), {
    json: json({ mode, date: new Date().toISOString(), settings: cs, rows, runs: Object.fromEntries(runs) }),
    md: table,
  });
  process.stdout.write(table);
}
