/**
 * `npm run bench` (quick, ~3 min), `npm run bench -- --full`, `-- --smoke` (seconds, for CI);
 * `-- --cluster` compares one node with three on Redis instead (cluster.ts);
 * `--loadgen-procs N` runs the load generator as N processes (default: 1, 2 in --full).
 * Every scenario runs against every target in one run, in alternating order,
 * and medians of the repetitions are reported.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, hostname, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { TargetKind } from './clients.js';
import { CLUSTER_SETTINGS, clusterMarkdown, compareCluster } from './cluster.js';
import { LOAD_CORES, PINNED } from './procs.js';
import { markdown, type Row, svg } from './report.js';
import {
  type Footprint,
  type Measurement,
  type Mode,
  measureChurn,
  measureFootprint,
  measureLatency,
  measureLoad,
  SETTINGS,
  TARGETS,
} from './scenarios.js';

const { values } = parseArgs({
  options: {
    full: { type: 'boolean' },
    smoke: { type: 'boolean' },
    out: { type: 'string' },
    'loadgen-procs': { type: 'string' },
    cluster: { type: 'boolean' },
  },
});
const mode: Mode = values.full ? 'full' : values.smoke ? 'smoke' : 'quick';
const procs = Number(values['loadgen-procs'] ?? SETTINGS[mode].loadgenProcs);
if (!Number.isInteger(procs) || procs < 1) throw new Error(`--loadgen-procs must be a whole number ≥ 1, not ${procs}`);
const settings = { ...SETTINGS[mode], loadgenProcs: procs };
const loadProcesses = `${procs} load-generator process${procs > 1 ? 'es' : ''}`;
// Smoke figures mean nothing: they go to the ignored results/tmp/ so a smoke run leaves git clean.
const outDir =
  values.out ?? fileURLToPath(new URL(mode === 'smoke' ? '../results/tmp/' : '../results/', import.meta.url));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const log = (text: string) => process.stderr.write(`${text}\n`);

/** Targets in a different order each repetition, so warm-up and drift do not favour one. */
function order(rep: number): TargetKind[] {
  return rep % 2 === 0 ? TARGETS : [...TARGETS].reverse();
}

/**
 * Runs `fn` on every target, `settings.repetitions` times in alternating order. `fn` measures one
 * window per label (S3 and S5 share a server and its clients); returns, per label, each target's runs.
 */
async function repeated<Labels extends string[]>(
  labels: [...Labels],
  fn: (t: TargetKind) => Promise<Measurement[]>,
): Promise<{ [L in keyof Labels]: Map<TargetKind, Measurement[]> }> {
  const all = labels.map(() => new Map<TargetKind, Measurement[]>(TARGETS.map((t) => [t, []])));
  for (let rep = 0; rep < settings.repetitions; rep++) {
    for (const target of order(rep)) {
      const windows = await fn(target);
      windows.forEach((m, i) => {
        all[i]!.get(target)!.push(m);
        log(
          `  ${labels[i]} ${target.padEnd(17)} ${m.deliveredPerSec} deliveries/s  p50 ${m.p50Ms} ms  p99 ${m.p99Ms} ms  server CPU ${m.serverCpu}%  loadgen busy ${m.loadgenBusy}%`,
        );
      });
    }
  }
  return all as { [L in keyof Labels]: Map<TargetKind, Measurement[]> };
}

/** `--cluster`: one node against three on Redis, at a fixed load (cluster.ts). */
async function cluster(): Promise<void> {
  const started = Date.now();
  const cs = CLUSTER_SETTINGS[mode];
  log(
    `kuykan bench --cluster (${mode}) on ${hostname()}: ${cs.shape.rooms} rooms × ${cs.shape.members} members, ${cs.deliveries} deliveries/s offered, ${cs.repetitions} × ${cs.durationMs} ms, ${loadProcesses}`,
  );
  const loadBefore = loadavg();
  const rows = await compareCluster(cs, procs, log);
  const context =
    `Measured ${new Date().toISOString()} on ${hostname()} (${cpus().length}× ${cpus()[0]?.model.trim()}), Node ${process.version}; ` +
    `${PINNED ? `every node pinned to core 0, ${loadProcesses} to core${LOAD_CORES.length > 1 ? 's' : ''} ${LOAD_CORES.join(',')}, Redis unpinned` : `processes not pinned, ${loadProcesses}`}; load average before ${loadBefore.map((l) => l.toFixed(2)).join(' ')}. ` +
    `Mode ${mode}: medians of ${cs.repetitions} runs of ${cs.durationMs} ms; ${cs.shape.rooms} rooms × ${cs.shape.members} members at ${cs.deliveries} deliveries/s; ` +
    'on three nodes the members of each room are spread over the nodes and the sender is on the first, so two thirds of the deliveries cross nodes through Redis.';
  const table = clusterMarkdown(rows, context);
  const base = `${new Date().toISOString().slice(0, 10)}-${hostname()}-cluster-${mode}`;
  mkdirSync(outDir, { recursive: true });
  writeFileSync(
    join(outDir, `${base}.json`),
    `${JSON.stringify({ mode, date: new Date().toISOString(), host: hostname(), settings: cs, rows }, null, 2)}\n`,
  );
  writeFileSync(join(outDir, `${base}.md`), table);
  process.stdout.write(table);
  log(`wrote ${join(outDir, base)}.{json,md} in ${Math.round((Date.now() - started) / 1000)} s`);
}

async function main(): Promise<void> {
  const started = Date.now();
  const shape = settings.shapes[0]!;
  log(
    `kuykan bench (${mode}) on ${hostname()}, ${cpus().length} cores, ${PINNED ? 'server on core 0, load on the others (taskset)' : 'unpinned'}, ${loadProcesses}`,
  );
  const loadBefore = loadavg();

  const throughput: Record<string, Map<TargetKind, Measurement[]>> = {};
  for (const s of settings.shapes) {
    log(`S2 throughput: ${s.rooms} rooms × ${s.members} members, offered ${settings.offeredDeliveries} deliveries/s`);
    [throughput[`${s.rooms}x${s.members}`]] = await repeated(['S2'], async (t) => [
      await measureLoad(t, s, settings.offeredDeliveries / s.members, settings.durationMs, procs),
    ]);
  }
  const main = throughput[`${shape.rooms}x${shape.members}`]!;
  const ceilingRate = median(main.get('ceiling')!.map((m) => m.deliveredPerSec));
  const halfRate = Math.max(1, Math.round(ceilingRate / 2 / shape.members));
  log(
    `S3 latency at half the ceiling, ${halfRate * shape.members} deliveries/s; then S5 on the same server and clients: ${settings.slowConsumers} more clients join and stop reading`,
  );
  const [latency, slow] = await repeated(['S3', 'S5'], async (t) => {
    const { alone, withSlow } = await measureLatency(
      t,
      shape,
      halfRate,
      settings.durationMs,
      procs,
      settings.slowConsumers,
    );
    return [alone, withSlow];
  });

  log(`S1 idle footprint: ${settings.idleConnections} connections`);
  const footprint = new Map<TargetKind, Footprint>();
  for (const t of TARGETS) {
    const f = await measureFootprint(t, settings.idleConnections, procs);
    footprint.set(t, f);
    log(
      `  ${t.padEnd(17)} ${f.connected} of ${f.asked} joined  ${f.rssPerConnectionKb} KB RSS/conn  server RSS ${f.serverRssMb} MB  server fds ${f.serverFds.open} of ${f.serverFds.limit}${f.firstError ? `  first failure: ${f.firstError}` : ''}`,
    );
  }
  log('S4 churn');
  const churn = new Map<TargetKind, number>();
  for (const t of TARGETS)
    churn.set(t, (await measureChurn(t, settings.churnConcurrency, Math.max(500, settings.durationMs), procs)).perSec);

  const rows: Row[] = TARGETS.map((target) => ({
    target,
    throughput: median(main.get(target)!.map((m) => m.deliveredPerSec)),
    p50AtHalf: median(latency.get(target)!.map((m) => m.p50Ms)),
    p99AtHalf: median(latency.get(target)!.map((m) => m.p99Ms)),
    rssPerConnectionKb: footprint.get(target)!.rssPerConnectionKb,
    idleConnected: footprint.get(target)!.connected,
    idleAsked: footprint.get(target)!.asked,
    churnPerSec: churn.get(target)!,
    serverCpu: median(main.get(target)!.map((m) => m.serverCpu)),
    loadgenBusy: median(main.get(target)!.map((m) => m.loadgenBusy)),
    completeness: median(main.get(target)!.map((m) => m.completeness)),
    p99WithSlow: median(slow.get(target)!.map((m) => m.p99Ms)),
    rssWithSlowMb: median(slow.get(target)!.map((m) => m.serverRssMb)),
  }));
  const date = new Date().toISOString().slice(0, 10);
  const base = `${date}-${hostname()}-${mode}`;
  const context =
    `Measured ${new Date().toISOString()} on ${hostname()} (${cpus().length}× ${cpus()[0]?.model.trim()}), Node ${process.version}, ` +
    `${PINNED ? `server pinned to core 0 and ${loadProcesses} to core${LOAD_CORES.length > 1 ? 's' : ''} ${LOAD_CORES.join(',')}` : `processes not pinned, ${loadProcesses}`}; load average before ${loadBefore.map((l) => l.toFixed(2)).join(' ')}. ` +
    `Mode ${mode}: ${settings.repetitions} repetitions (median), ${settings.durationMs} ms each, S2 ${shape.rooms} rooms × ${shape.members} members offered ${settings.offeredDeliveries} deliveries/s. ` +
    `Load generator busy (busiest process's event loop, median, S2): ${rows.map((r) => `${r.target} ${r.loadgenBusy}%`).join(', ')} — near 100% means the generator, not the server, was the limit.`;
  const table = markdown(rows, context);
  mkdirSync(outDir, { recursive: true });
  writeFileSync(
    join(outDir, `${base}.json`),
    `${JSON.stringify({ mode, date: new Date().toISOString(), host: hostname(), pinned: PINNED, settings, rows, raw: { throughput: Object.fromEntries(Object.entries(throughput).map(([k, v]) => [k, Object.fromEntries(v)])), latency: Object.fromEntries(latency), slow: Object.fromEntries(slow), footprint: Object.fromEntries(footprint) } }, null, 2)}\n`,
  );
  writeFileSync(join(outDir, `${base}.md`), table);
  writeFileSync(join(outDir, `${base}.svg`), svg(rows));
  process.stdout.write(table);
  log(`wrote ${join(outDir, base)}.{json,md,svg} in ${Math.round((Date.now() - started) / 1000)} s`);
}

(values.cluster ? cluster() : main()).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
