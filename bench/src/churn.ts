/**
 * `npm run bench -- --churn`: S4 alone, connect + hello + login + join per
 * second and the server's CPU per connection, for every target and any
 * `--compare` ref, in alternating order: issue 23's connection target is a
 * ratio to an earlier commit, which only a run of both measures.
 */
import type { TargetKind } from './clients.js';
import { spread } from './marginal.js';
import { baseName, json, log, machine, ratioCell, writeResults } from './output.js';
import { alternating } from './repeat.js';
import { type Churn, type Mode, measureChurn, ofCeiling, type Settings, targetsWith } from './scenarios.js';

const median = (xs: number[]) => spread(xs)?.median ?? 0;

/** One S4 measurement as the run goes, here and in S1–S5 (suite.ts). */
export function logChurn(target: TargetKind, c: Churn): void {
  log(`  ${target.padEnd(24)} ${c.perSec} connect+login+join/s  server CPU ${c.cpuMsPerConnection} ms per connection`);
}

/** How long each S4 run lasts in `settings`' mode, ms. */
export const churnMs = (settings: Settings): number => Math.max(500, settings.durationMs);

/** Measures S4 `settings.repetitions` times per target; writes `<date>-<host>-<mode>-churn.{json,md}`. */
export async function runChurn(
  mode: Mode,
  settings: Settings,
  outDir: string,
  loadBefore: string,
  refs: string[],
): Promise<void> {
  const targets = targetsWith(refs);
  const { churnConcurrency, loadgenProcs } = settings;
  log(`S4 churn: ${churnConcurrency} clients at a time, ${churnMs(settings)} ms per run`);
  const runs = await alternating(targets, settings.repetitions, async (t) => {
    const c = await measureChurn(t, churnConcurrency, churnMs(settings), loadgenProcs);
    logChurn(t, c);
    return c;
  });
  const ceiling = median(runs.get('ceiling')!.map((c) => c.perSec));
  const rows = targets.map((target) => {
    const cs: Churn[] = runs.get(target)!;
    const perSec = median(cs.map((c) => c.perSec));
    return {
      target,
      perSec,
      ofCeiling: ofCeiling(perSec, ceiling),
      cpuMsPerConnection: median(cs.map((c) => c.cpuMsPerConnection)),
    };
  });
  const text = [
    '| target | connect + hello + login + join per second | ÷ ceiling | server CPU per connection (ms) |',
    '|---|---|---|---|',
    ...rows.map(
      (r) =>
        `| ${r.target} | ${r.perSec.toLocaleString('en-US')} | ${ratioCell(r.ofCeiling)} | ${r.cpuMsPerConnection} |`,
    ),
    '',
    `${machine(loadgenProcs, loadBefore)} Mode ${mode}: ${settings.repetitions} repetition(s) in alternating order (median), each a fresh server; ${churnConcurrency} clients at a time connect, say hello, log in, join a room and close, for ${churnMs(settings)} ms; the rate is partly the load generator's (it opens the sockets too), the CPU per connection is the server's alone.`,
    '',
  ].join('\n');
  writeResults(outDir, baseName(`${mode}-churn`), {
    json: json({ mode, rows, runs: Object.fromEntries(runs) }),
    md: text,
  });
  process.stdout.write(text);
}
