/**
 * The scenarios S1–S5 against every target: S2 throughput beyond what the
 * targets sustain, S3 latency at half the ceiling's throughput and S5 slow
 * consumers on the same server, S1 idle footprint, S4 churn. Medians of the
 * repetitions, in alternating order.
 */
import { hostname } from 'node:os';
import { churnMs, logChurn } from './churn.js';
import type { TargetKind } from './clients.js';
import { logFootprint } from './footprint.js';
import { spread } from './marginal.js';
import { baseName, json, log, machine, writeResults } from './output.js';
import { PINNED } from './procs.js';
import { alternating } from './repeat.js';
import { markdown, type Row, svg } from './report.js';
import {
  type Churn,
  type Footprint,
  type Measurement,
  type Mode,
  measureChurn,
  measureFootprint,
  measureLatency,
  measureLoad,
  type Settings,
  TARGETS,
} from './scenarios.js';

const median = (xs: number[]) => spread(xs)?.median ?? 0;

function logWindow(label: string, target: TargetKind, m: Measurement): void {
  log(
    `  ${label} ${target.padEnd(17)} ${m.deliveredPerSec} deliveries/s  p50 ${m.p50Ms} ms  p99 ${m.p99Ms} ms  server CPU ${m.serverCpu}%  loadgen busy ${m.loadgenBusy}%`,
  );
}

/** Runs S1–S5 and writes `<date>-<host>-<mode>.{json,md,svg}` to `outDir`; prints the table. */
export async function runSuite(mode: Mode, settings: Settings, outDir: string, loadBefore: string): Promise<void> {
  const procs = settings.loadgenProcs;
  const shape = settings.shapes[0]!;
  const throughput: Record<string, Map<TargetKind, Measurement[]>> = {};
  for (const s of settings.shapes) {
    log(`S2 throughput: ${s.rooms} rooms × ${s.members} members, offered ${settings.offeredDeliveries} deliveries/s`);
    throughput[`${s.rooms}x${s.members}`] = await alternating(TARGETS, settings.repetitions, async (t) => {
      const m = await measureLoad(t, s, settings.offeredDeliveries / s.members, settings.durationMs, procs);
      logWindow('S2', t, m);
      return m;
    });
  }
  const main = throughput[`${shape.rooms}x${shape.members}`]!;
  const ceilingRate = median(main.get('ceiling')!.map((m) => m.deliveredPerSec));
  const halfRate = Math.max(1, Math.round(ceilingRate / 2 / shape.members));
  log(
    `S3 latency at half the ceiling, ${halfRate * shape.members} deliveries/s; then S5 on the same server and clients: ${settings.slowConsumers} more clients join and stop reading`,
  );
  const latencyRuns = await alternating(TARGETS, settings.repetitions, async (t) => {
    const runs = await measureLatency(t, shape, halfRate, settings.durationMs, procs, settings.slowConsumers);
    logWindow('S3', t, runs.alone);
    logWindow('S5', t, runs.withSlow);
    return runs;
  });
  const latency = new Map([...latencyRuns].map(([t, runs]) => [t, runs.map((r) => r.alone)]));
  const slow = new Map([...latencyRuns].map(([t, runs]) => [t, runs.map((r) => r.withSlow)]));

  log(`S1 idle footprint: ${settings.idleConnections} connections, idle CPU over ${settings.idleWindowMs} ms`);
  const footprint = new Map<TargetKind, Footprint>();
  for (const t of TARGETS) {
    const f = await measureFootprint(t, settings.idleConnections, procs, settings.idleWindowMs);
    footprint.set(t, f);
    logFootprint(t, f);
  }
  log('S4 churn');
  const churn = new Map<TargetKind, Churn>();
  for (const t of TARGETS) {
    const c = await measureChurn(t, settings.churnConcurrency, churnMs(settings), procs);
    churn.set(t, c);
    logChurn(t, c);
  }

  const rows: Row[] = TARGETS.map((target) => ({
    target,
    throughput: median(main.get(target)!.map((m) => m.deliveredPerSec)),
    p50AtHalf: median(latency.get(target)!.map((m) => m.p50Ms)),
    p99AtHalf: median(latency.get(target)!.map((m) => m.p99Ms)),
    rssPerConnectionKb: footprint.get(target)!.rssPerConnectionKb,
    idleCpuMsPerSec: footprint.get(target)!.idleCpuMsPerSec,
    idleConnected: footprint.get(target)!.connected,
    idleAsked: footprint.get(target)!.asked,
    churnPerSec: churn.get(target)!.perSec,
    churnCpuMs: churn.get(target)!.cpuMsPerConnection,
    serverCpu: median(main.get(target)!.map((m) => m.serverCpu)),
    loadgenBusy: median(main.get(target)!.map((m) => m.loadgenBusy)),
    completeness: median(main.get(target)!.map((m) => m.completeness)),
    p99WithSlow: median(slow.get(target)!.map((m) => m.p99Ms)),
    rssWithSlowMb: median(slow.get(target)!.map((m) => m.serverRssMb)),
  }));
  const context =
    `${machine(procs, loadBefore)} ` +
    `Mode ${mode}: ${settings.repetitions} repetitions (median), ${settings.durationMs} ms each, S2 ${shape.rooms} rooms × ${shape.members} members offered ${settings.offeredDeliveries} deliveries/s; S1 idle CPU over ${settings.idleWindowMs} ms. ` +
    `Load generator busy (busiest process's event loop, median, S2): ${rows.map((r) => `${r.target} ${r.loadgenBusy}%`).join(', ')} — near 100% means the generator, not the server, was the limit.`;
  const table = markdown(rows, context);
  const raw = {
    throughput: Object.fromEntries(Object.entries(throughput).map(([k, v]) => [k, Object.fromEntries(v)])),
    latency: Object.fromEntries(latency),
    slow: Object.fromEntries(slow),
    footprint: Object.fromEntries(footprint),
    churn: Object.fromEntries(churn),
  };
  writeResults(outDir, baseName(mode), {
    json: json({ mode, date: new Date().toISOString(), host: hostname(), pinned: PINNED, settings, rows, raw }),
    md: table,
    svg: svg(rows),
  });
  process.stdout.write(table);
}
