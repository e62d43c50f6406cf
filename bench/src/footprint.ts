/**
 * `npm run bench -- --footprint`: S1 alone, the idle cost of a connection
 * (logged in and joined) from the server's RSS, for every target and any
 * `--compare` ref, in alternating order; `--full` holds 20,000 connections
 * from two load-generator processes, as the issue's target asks, without the
 * twenty minutes of the other scenarios.
 */
import type { TargetKind } from './clients.js';
import { spread } from './marginal.js';
import { baseName, json, log, machine, ratioCell, writeResults } from './output.js';
import { alternating } from './repeat.js';
import { type Footprint, type Mode, measureFootprint, ofCeiling, type Settings, targetsWith } from './scenarios.js';

const median = (xs: number[]) => spread(xs)?.median ?? 0;

/** One S1 measurement as the run goes, here and in S1–S5 (suite.ts). */
export function logFootprint(target: TargetKind, f: Footprint): void {
  log(
    `  ${target.padEnd(24)} ${f.connected} of ${f.asked} joined  ${f.rssPerConnectionKb} KB RSS/conn  idle CPU ${f.idleCpuMsPerSec} ms/s  server RSS ${f.serverRssMb} MB  server fds ${f.serverFds.open} of ${f.serverFds.limit}${f.firstError ? `  first failure: ${f.firstError}` : ''}`,
  );
}

/** Measures S1 `settings.repetitions` times per target; writes `<date>-<host>-<mode>-footprint.{json,md}`. */
export async function runFootprint(
  mode: Mode,
  settings: Settings,
  outDir: string,
  loadBefore: string,
  refs: string[],
): Promise<void> {
  const targets = targetsWith(refs);
  const { idleConnections, idleWindowMs, loadgenProcs } = settings;
  log(`S1 idle footprint: ${idleConnections} connections, idle CPU over ${idleWindowMs} ms`);
  const runs = await alternating(targets, settings.repetitions, async (t) => {
    const f = await measureFootprint(t, idleConnections, loadgenProcs, idleWindowMs);
    logFootprint(t, f);
    return f;
  });
  const ceiling = median(runs.get('ceiling')!.map((f) => f.rssPerConnectionKb));
  const rows = targets.map((target) => {
    const fs: Footprint[] = runs.get(target)!;
    const kb = median(fs.map((f) => f.rssPerConnectionKb));
    return {
      target,
      connected: Math.min(...fs.map((f) => f.connected)),
      rssPerConnectionKb: kb,
      ofCeiling: ofCeiling(kb, ceiling),
      idleCpuMsPerSec: median(fs.map((f) => f.idleCpuMsPerSec)),
    };
  });
  const text = [
    '| target | connections held | RSS per idle connection (KB) | ÷ ceiling | idle server CPU (ms/s) |',
    '|---|---|---|---|---|',
    ...rows.map(
      (r) =>
        `| ${r.target} | ${r.connected.toLocaleString('en-US')} | ${r.rssPerConnectionKb} | ${ratioCell(r.ofCeiling)} | ${r.idleCpuMsPerSec} |`,
    ),
    '',
    `${machine(loadgenProcs, loadBefore)} Mode ${mode}: ${settings.repetitions} repetition(s) (median), each a fresh server; RSS growth from the settled server to every connection held, over the connections joined.`,
    '',
  ].join('\n');
  writeResults(outDir, baseName(`${mode}-footprint`), {
    json: json({ mode, rows, runs: Object.fromEntries(runs) }),
    md: text,
  });
  process.stdout.write(text);
}
