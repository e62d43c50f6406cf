/**
 * `npm run bench -- --efficiency`: the fixed-rate efficiency scenario
 * (efficiency.ts) over every target and repetition, the issue's checks on
 * it (checks.ts), and its results files.
 */
import { hostname } from 'node:os';
import { compareChecks, evaluate, ISSUE_CHECKS } from './checks.js';
import type { TargetKind } from './clients.js';
import { EFFICIENCY_TARGETS, type EfficiencySettings, type EfficiencyWindow, measureEfficiency } from './efficiency.js';
import { efficiencyMarkdown, efficiencyRows } from './efficiency-report.js';
import { baseName, json, log, machine, writeResults } from './output.js';
import { PINNED } from './procs.js';
import { alternating } from './repeat.js';
import type { Mode } from './scenarios.js';

const fixed = (n: number | undefined, digits: number) => (n === undefined ? '–' : n.toFixed(digits));

/**
 * Runs the scenario on the issue's targets, plus `kuykan-memory@<ref>` and `kuykan-sqlite@<ref>` for each ref of `compare` (their
 * checkouts registered with procs.ts `addCheckout`); writes `<date>-<host>-<mode>-efficiency.{json,md}`
 * and prints the tables.
 */
export async function runEfficiency(
  mode: Mode,
  settings: EfficiencySettings,
  procs: number,
  outDir: string,
  loadBefore: string,
  compare: string[] = [],
): Promise<void> {
  const targets: TargetKind[] = [
    ...EFFICIENCY_TARGETS,
    ...compare.flatMap((ref) => [`kuykan-memory@${ref}`, `kuykan-sqlite@${ref}`] as TargetKind[]),
  ];
  const { shape, loads, windowMs, repetitions } = settings;
  log(
    `Efficiency: ${shape.rooms} rooms × ${shape.members} members, ${settings.textBytes}-byte texts, offered ${loads.join(', ')} deliveries/s, idle and loaded windows of ${windowMs} ms, ${repetitions} repetitions`,
  );
  const runs = await alternating(targets, repetitions, async (target, rep) => {
    const windows = await measureEfficiency(target, rep, settings, procs);
    for (const w of windows) {
      log(
        `  ${target.padEnd(22)} ${String(w.load).padStart(6)}/s  delivered ${Math.round(w.completeness * 1000) / 10}%  marginal CPU ${fixed(w.marginalCpuSeconds, 3)} s (idle ${fixed(w.idleCpuSeconds, 3)} s)  ${fixed(w.efficiency, 0)} deliveries per CPU-s  p50 ${w.p50Ms} ms  p99 ${w.p99Ms} ms  loadgen busy ${w.loadgenBusy}%${w.busyBeforeIdle ? '  (server still busy before the idle window: no efficiency)' : ''}`,
      );
    }
    return windows;
  });
  const windows: EfficiencyWindow[] = [...runs.values()].flat(2);
  const checks = evaluate(
    [...ISSUE_CHECKS, ...compare.flatMap((ref) => compareChecks(ref, loads.length))],
    windows,
    loads,
  );
  const context =
    `${machine(procs, loadBefore)} Mode ${mode}: ${repetitions} repetitions in alternating order, medians with the least and greatest run in brackets; ` +
    `${shape.rooms} rooms × ${shape.members} members, ${settings.textBytes}-byte texts, open loop, latency from each message's intended send time. ` +
    `Each target run starts the server, joins every client, warms up for one window (not reported), then for each load measures an idle window of ${windowMs} ms and a loaded one of the same length (plus its drain); ` +
    "marginal server CPU is the loaded window's CPU minus the idle window's scaled to the same length. Ratios are taken run by run (repetition r over repetition r).";
  const table = efficiencyMarkdown(efficiencyRows(windows, targets, loads), checks, context);
  writeResults(outDir, baseName(`${mode}-efficiency`), {
    json: json({
      mode,
      date: new Date().toISOString(),
      host: hostname(),
      pinned: PINNED,
      settings,
      targets,
      checks,
      windows,
    }),
    md: table,
  });
  process.stdout.write(table);
}
