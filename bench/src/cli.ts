/**
 * `npm run bench` (quick, ~3 min), `npm run bench -- --full`, `-- --smoke` (seconds, for CI).
 * Every scenario runs against every target in one run, in alternating order,
 * and medians of the repetitions are reported.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, hostname, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { TargetKind } from './clients.js';
import { PINNED } from './procs.js';
import { markdown, type Row, svg } from './report.js';
import {
  type Measurement,
  type Mode,
  measureChurn,
  measureFootprint,
  measureLoad,
  SETTINGS,
  TARGETS,
} from './scenarios.js';

const { values } = parseArgs({
  options: { full: { type: 'boolean' }, smoke: { type: 'boolean' }, out: { type: 'string' } },
});
const mode: Mode = values.full ? 'full' : values.smoke ? 'smoke' : 'quick';
const settings = SETTINGS[mode];
const outDir = values.out ?? fileURLToPath(new URL('../results/', import.meta.url));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const log = (text: string) => process.stderr.write(`${text}\n`);

/** Targets in a different order each repetition, so warm-up and drift do not favour one. */
function order(rep: number): TargetKind[] {
  return rep % 2 === 0 ? TARGETS : [...TARGETS].reverse();
}

async function repeated(fn: (t: TargetKind) => Promise<Measurement>): Promise<Map<TargetKind, Measurement[]>> {
  const all = new Map<TargetKind, Measurement[]>(TARGETS.map((t) => [t, []]));
  for (let rep = 0; rep < settings.repetitions; rep++) {
    for (const target of order(rep)) {
      const m = await fn(target);
      all.get(target)!.push(m);
      log(
        `  ${target.padEnd(17)} ${m.deliveredPerSec} deliveries/s  p50 ${m.p50Ms} ms  p99 ${m.p99Ms} ms  server CPU ${m.serverCpu}%  loadgen CPU ${m.loadgenCpu}%`,
      );
    }
  }
  return all;
}

async function main(): Promise<void> {
  const started = Date.now();
  const shape = settings.shapes[0]!;
  log(
    `kuykan bench (${mode}) on ${hostname()}, ${cpus().length} cores, ${PINNED ? 'server on core 0, load on core 1 (taskset)' : 'unpinned'}`,
  );
  const loadBefore = loadavg();

  const throughput: Record<string, Map<TargetKind, Measurement[]>> = {};
  for (const s of settings.shapes) {
    log(`S2 throughput: ${s.rooms} rooms × ${s.members} members, offered ${settings.offeredDeliveries} deliveries/s`);
    throughput[`${s.rooms}x${s.members}`] = await repeated((t) =>
      measureLoad(t, s, settings.offeredDeliveries / s.members, settings.durationMs),
    );
  }
  const main = throughput[`${shape.rooms}x${shape.members}`]!;
  const ceilingRate = median(main.get('ceiling')!.map((m) => m.deliveredPerSec));
  const halfRate = Math.max(1, Math.round(ceilingRate / 2 / shape.members));
  log(`S3 latency at half the ceiling: ${halfRate * shape.members} deliveries/s`);
  const latency = await repeated((t) => measureLoad(t, shape, halfRate, settings.durationMs));

  log(`S5 slow consumers: ${settings.slowConsumers} clients stop reading, same load as S3`);
  const slow = await repeated((t) => measureLoad(t, shape, halfRate, settings.durationMs, settings.slowConsumers));

  log(`S1 idle footprint: ${settings.idleConnections} connections`);
  const footprint = new Map<TargetKind, number>();
  for (const t of TARGETS) footprint.set(t, (await measureFootprint(t, settings.idleConnections)).rssPerConnectionKb);
  log('S4 churn');
  const churn = new Map<TargetKind, number>();
  for (const t of TARGETS)
    churn.set(t, (await measureChurn(t, settings.churnConcurrency, Math.max(500, settings.durationMs))).perSec);

  const rows: Row[] = TARGETS.map((target) => ({
    target,
    throughput: median(main.get(target)!.map((m) => m.deliveredPerSec)),
    p50AtHalf: median(latency.get(target)!.map((m) => m.p50Ms)),
    p99AtHalf: median(latency.get(target)!.map((m) => m.p99Ms)),
    rssPerConnectionKb: footprint.get(target)!,
    churnPerSec: churn.get(target)!,
    serverCpu: median(main.get(target)!.map((m) => m.serverCpu)),
    loadgenCpu: median(main.get(target)!.map((m) => m.loadgenCpu)),
    completeness: median(main.get(target)!.map((m) => m.completeness)),
    p99WithSlow: median(slow.get(target)!.map((m) => m.p99Ms)),
    rssWithSlowMb: median(slow.get(target)!.map((m) => m.serverRssMb)),
  }));
  const date = new Date().toISOString().slice(0, 10);
  const base = `${date}-${hostname()}-${mode}`;
  const context =
    `Measured ${new Date().toISOString()} on ${hostname()} (${cpus().length}× ${cpus()[0]?.model.trim()}), Node ${process.version}, ` +
    `${PINNED ? 'server pinned to core 0 and load generator to core 1' : 'processes not pinned'}; load average before ${loadBefore.map((l) => l.toFixed(2)).join(' ')}. ` +
    `Mode ${mode}: ${settings.repetitions} repetitions (median), ${settings.durationMs} ms each, S2 ${shape.rooms} rooms × ${shape.members} members offered ${settings.offeredDeliveries} deliveries/s. ` +
    `Load-generator CPU (median, S2): ${rows.map((r) => `${r.target} ${r.loadgenCpu}%`).join(', ')} — near 100% means the generator, not the server, was the limit.`;
  const table = markdown(rows, context);
  mkdirSync(outDir, { recursive: true });
  writeFileSync(
    join(outDir, `${base}.json`),
    `${JSON.stringify({ mode, date: new Date().toISOString(), host: hostname(), pinned: PINNED, settings, rows, raw: { throughput: Object.fromEntries(Object.entries(throughput).map(([k, v]) => [k, Object.fromEntries(v)])), latency: Object.fromEntries(latency), slow: Object.fromEntries(slow) } }, null, 2)}\n`,
  );
  writeFileSync(join(outDir, `${base}.md`), table);
  writeFileSync(join(outDir, `${base}.svg`), svg(rows));
  process.stdout.write(table);
  log(`wrote ${join(outDir, base)}.{json,md,svg} in ${Math.round((Date.now() - started) / 1000)} s`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
