/**
 * `npm run bench -- --profile`: each Kuykan scenario's server under
 * `node --cpu-prof` for one measured window, summarised (profile.ts) into
 * where the time goes; what each message allocates, from a run of its own
 * with the heap sampled (allocation.ts); and the per-stage costs
 * (stage-costs.ts). The raw profiles stay in `results/tmp/` (git ignores it)
 * for a flame-graph viewer.
 */
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type AllocationSummary, allocationMarkdown, type HeapProfile, summariseAllocations } from './allocation.js';
import type { TargetKind } from './clients.js';
import { now } from './clock.js';
import type { EfficiencySettings } from './efficiency.js';
import { baseName, json, log, machine, writeResults } from './output.js';
import { sampleAll } from './procs.js';
import { type CpuProfile, type ProfileSummary, summarise } from './profile.js';
import { sourceResolver } from './profile-sources.js';
import { loadConfig, type Mode, withTarget } from './scenarios.js';
import { runStageCosts, stagesMarkdown } from './stage-costs.js';

/** One profiled window: which target, doing what, and its summary. */
export interface Profiled {
  target: TargetKind;
  scenario: string;
  /** The raw profile, for a viewer (Chrome DevTools, speedscope). */
  file: string;
  /** The measured window on the shared clock (CLOCK_MONOTONIC µs, as the profile's sample times). */
  window: { fromUs: number; toUs: number };
  /** CPU the server's threads ran in the window (schedstat), ms: the profile's samples are wall-clock time. */
  serverCpuMs: number;
  summary: ProfileSummary;
}

type Scenario = { target: TargetKind; scenario: string; churn?: number };

/** The newest profile in `dir`: the one the server just wrote as it exited. */
function written(dir: string): string {
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
  if (files.length === 0) throw new Error(`the server wrote no profile into ${dir}`);
  return join(dir, files.sort().at(-1)!);
}

/** A message scenario's load: the efficiency scenario's shape at its middle rate (50,000 deliveries/s in quick and full). */
function messageLoad(target: TargetKind, urls: string[], settings: EfficiencySettings) {
  const { shape, windowMs, textBytes } = settings;
  return loadConfig(target, urls, shape, settings.loads[1]! / shape.members, windowMs, textBytes);
}

/**
 * Profiles one window of `scenario` on a fresh server; the window's bounds on the shared clock select
 * its samples from the whole run's profile.
 */
async function profileOne(
  s: Scenario,
  settings: EfficiencySettings,
  procs: number,
  dir: string,
  roots: string[],
): Promise<Profiled> {
  const measured = await withTarget(
    s.target,
    procs,
    (t) =>
      s.churn
        ? { ...loadConfig(s.target, t.urls, { rooms: 0, members: 0 }, 1, settings.windowMs), churn: s.churn }
        : messageLoad(s.target, t.urls, settings),
    async (fleet, pids) => {
      if (!s.churn) await fleet.measure(); // warm-up, as in the efficiency scenario
      const cpuBefore = sampleAll(pids).cpuSeconds;
      const from = now();
      await fleet.measure();
      const to = now();
      const serverCpuMs = Math.round((sampleAll(pids).cpuSeconds - cpuBefore) * 1000);
      return { window: { fromUs: from * 1000, toUs: to * 1000 }, serverCpuMs };
    },
    { cpuProfileDir: dir },
  );
  const file = written(dir);
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  return { ...s, file, ...measured, summary: summarise(profile, sourceResolver(roots), measured.window) };
}

/** One window's allocations: which target, doing what, and its summary. */
export interface Allocated {
  target: TargetKind;
  scenario: string;
  summary: AllocationSummary;
}

/** Waits for the heap profile the sampler writes after its second signal. */
async function heapProfileOf(dir: string, pid: number): Promise<HeapProfile> {
  const file = join(dir, `${pid}.heapprofile`);
  for (let waited = 0; !existsSync(file); waited += 50) {
    if (waited > 30_000) throw new Error(`the server wrote no heap profile into ${dir}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const profile = JSON.parse(readFileSync(file, 'utf8')) as HeapProfile | { error: string };
  if ('error' in profile) throw new Error(`allocation sampling failed: ${profile.error}`);
  return profile;
}

/**
 * Samples what one window of `scenario` allocates on a fresh server (a run of its own: sampling every
 * allocation slows the server, which would skew its CPU profile).
 */
async function allocationsOne(
  s: Scenario,
  settings: EfficiencySettings,
  procs: number,
  dir: string,
  roots: string[],
): Promise<Allocated> {
  const { sent, profile } = await withTarget(
    s.target,
    procs,
    (t) => messageLoad(s.target, t.urls, settings),
    async (fleet, pids) => {
      await fleet.measure(); // warm-up
      const pid = pids[0]!;
      process.kill(pid, 'SIGUSR2');
      const { sent } = await fleet.measure();
      process.kill(pid, 'SIGUSR2');
      return { sent, profile: await heapProfileOf(dir, pid) };
    },
    { allocProfileDir: dir },
  );
  return { ...s, summary: summariseAllocations(profile, sent, sourceResolver(roots)) };
}

/**
 * Profiles the message path of each Kuykan target at the middle load (50,000 deliveries/s in quick and
 * full), and connection set-up (S4) on the memory store; `refs` adds `kuykan-memory@<ref>` targets.
 */
export async function profileScenarios(
  settings: EfficiencySettings,
  procs: number,
  churn: number,
  profileDir: string,
  roots: string[],
  refs: string[],
  log: (line: string) => void,
): Promise<{ profiled: Profiled[]; allocated: Allocated[] }> {
  const messages = `messages at ${settings.loads[1]!.toLocaleString('en-US')} deliveries/s`;
  const scenarios: Scenario[] = [
    { target: 'kuykan-memory', scenario: messages },
    { target: 'kuykan-sqlite', scenario: messages },
    ...refs.map((ref): Scenario => ({ target: `kuykan-memory@${ref}`, scenario: messages })),
    { target: 'kuykan-memory', scenario: 'connect + hello + login + join (S4)', churn },
  ];
  const profiled: Profiled[] = [];
  for (const [i, s] of scenarios.entries()) {
    log(`  profiling ${s.target}: ${s.scenario}`);
    profiled.push(await profileOne(s, settings, procs, join(profileDir, `${i}-${s.target}`), roots));
  }
  const allocated: Allocated[] = [];
  for (const [i, s] of scenarios.filter((s) => !s.churn).entries()) {
    log(`  sampling allocations of ${s.target}: ${s.scenario}`);
    allocated.push(await allocationsOne(s, settings, procs, join(profileDir, `alloc-${i}-${s.target}`), roots));
  }
  return { profiled, allocated };
}

const pct = (share: number) => `${(share * 100).toFixed(1)}%`;

/** One profile's tables: stages, then the top functions and files by self time. */
export function profileMarkdown(p: Profiled, top = 20): string {
  const { summary } = p;
  return [
    `### ${p.target}: ${p.scenario}`,
    '',
    `Window ${summary.windowMs} ms (send phase and drain); the server's threads ran ${p.serverCpuMs} ms of CPU in it, and its main thread was sampled busy for ${summary.busyMs} ms (${pct(summary.busyMs / Math.max(1, summary.windowMs))} of the window). Raw profile \`${p.file}\`.`,
    '',
    '| stage | self time (ms) | share of busy |',
    '|---|---|---|',
    ...summary.stages.map((s) => `| ${s.stage} | ${s.ms} | ${pct(s.share)} |`),
    '',
    '| function | source | stage | self time (ms) | share of busy |',
    '|---|---|---|---|---|',
    ...summary.functions
      .slice(0, top)
      .map((f) => `| \`${f.name}\` | ${f.file}:${f.line} | ${f.stage} | ${f.ms} | ${pct(f.share)} |`),
    '',
    '| file | self time (ms) | share of busy |',
    '|---|---|---|',
    ...summary.files.slice(0, 12).map((f) => `| ${f.file} | ${f.ms} | ${pct(f.share)} |`),
    '',
  ].join('\n');
}

/**
 * `npm run bench -- --profile`: the stage costs, then the profiles; writes
 * `<date>-<host>-<mode>-profile.{json,md}` and prints the Markdown.
 */
export async function runProfile(
  mode: Mode,
  settings: EfficiencySettings,
  procs: number,
  churn: number,
  outDir: string,
  checkouts: Array<{ label: string; root: string; ref?: string }>,
  loadBefore: string,
): Promise<void> {
  const stages = await runStageCosts(mode, checkouts, log);
  const refs = checkouts.flatMap((c) => (c.ref ? [c.ref] : []));
  const roots = checkouts.map((c) => c.root);
  const profileDir = join(fileURLToPath(new URL('../results/tmp/profiles/', import.meta.url)), baseName(mode));
  // Each run's raw profiles replace the last ones of the same day and mode: they are 0.4 MB each.
  rmSync(profileDir, { recursive: true, force: true });
  log(`Profiles (raw in ${profileDir})`);
  const { profiled, allocated } = await profileScenarios(settings, procs, churn, profileDir, roots, refs, log);
  const text = [
    '## Cost per stage',
    '',
    stagesMarkdown(stages),
    "Each figure is one operation of the real server function, run in a loop on the server's core (median of 5 ms batches, the least disturbed batch in brackets); socket writes go to real loopback WebSocket connections whose readers drain between batches.",
    '',
    '## Where the time goes',
    '',
    ...profiled.map((p) => profileMarkdown(p)),
    `${machine(procs, loadBefore)} Mode ${mode}: profiles sampled every 500 µs over one window of ${settings.windowMs} ms after a warm-up; self time is grouped by the innermost frame that belongs to a stage. ` +
      "V8 samples on wall-clock time: when other jobs share the server's core, the time the server waits for it lands on whatever it was doing, so read shares, not milliseconds, and compare the sampled busy time with the CPU it ran.",
    '',
    '## What each message allocates',
    '',
    ...allocated.map((a) => allocationMarkdown(`${a.target}: ${a.scenario}`, a.summary)),
    "Each window is a run of its own after a warm-up, with V8's sampling heap profiler on the server's main thread (a sample per KiB allocated on average, kept whether the collector freed its object or not): bytes are grouped by the allocating function and by the innermost frame that belongs to a stage, and divided by the messages sent in the window. Allocations under a batch of coalesced socket writes depend on how many frames each batch holds, which varies with the load on the machine.",
    '',
  ].join('\n');
  writeResults(outDir, baseName(`${mode}-profile`), {
    json: json({ mode, date: new Date().toISOString(), stages, profiles: profiled, allocations: allocated }),
    md: text,
  });
  process.stdout.write(text);
}
