/**
 * The fixed-rate efficiency scenario (issue 23): every target at the same
 * offered loads, each loaded window preceded by an idle window of the same
 * length in the same process with the same connections logged in and
 * joined, so that what is compared is the marginal server CPU of the
 * messages alone (marginal.ts): connection set-up and standing costs differ
 * by protocol and cancel out.
 */
import type { TargetKind } from './clients.js';
import { now } from './clock.js';
import { efficiency, marginalCpu } from './marginal.js';
import { runnable, type StartOptions, sampleAll } from './procs.js';
import { idleWindow, loadConfig, type Mode, type Shape, withTarget } from './scenarios.js';

export interface EfficiencySettings {
  repetitions: number;
  /** Length of each idle and each loaded window, ms. */
  windowMs: number;
  shape: Shape;
  /** Offered deliveries per second, lowest first: the three levels (20k, 50k, 80k). */
  loads: number[];
  /** Bytes of UTF-8 in each message's text. */
  textBytes: number;
}

export const EFFICIENCY_SETTINGS: Record<Mode, EfficiencySettings> = {
  smoke: { repetitions: 1, windowMs: 300, shape: { rooms: 5, members: 3 }, loads: [150, 300, 450], textBytes: 120 },
  // 4 targets × 3 runs, each a start, 1,000 joins, a warm-up and three idle + loaded pairs: about 2½ minutes.
  quick: {
    repetitions: 3,
    windowMs: 1000,
    shape: { rooms: 100, members: 10 },
    loads: [20_000, 50_000, 80_000],
    textBytes: 120,
  },
  full: {
    repetitions: 5,
    windowMs: 3000,
    shape: { rooms: 100, members: 10 },
    loads: [20_000, 50_000, 80_000],
    textBytes: 120,
  },
};

/** The targets the ratios need; `--compare` adds `kuykan-memory@<ref>` and `kuykan-sqlite@<ref>`. */
export const EFFICIENCY_TARGETS: TargetKind[] = ['ceiling', 'kuykan-memory', 'kuykan-sqlite', 'socketio'];

/** One loaded window of one run of one target, with the idle window measured right before it. */
export interface EfficiencyWindow {
  target: TargetKind;
  /** Repetition, from 0; runs of one repetition were measured one after another. */
  rep: number;
  /** Index of the load in the settings' `loads` (0: lowest). */
  level: number;
  /** Offered deliveries per second. */
  load: number;
  delivered: number;
  /** Delivered / expected (1 = every delivery within the window and its drain). */
  completeness: number;
  deliveredPerSec: number;
  /** Latency percentiles of the deliveries made; absent when none was (a saturated server). */
  p50Ms?: number;
  p99Ms?: number;
  p999Ms?: number;
  maxMs?: number;
  /** Server CPU over the loaded window, seconds, and the window's length, ms (send phase and drain). */
  cpuSeconds: number;
  windowMs: number;
  /** Server CPU over the idle window before it, seconds, and its length, ms. */
  idleCpuSeconds: number;
  idleWindowMs: number;
  /** Loaded minus idle (scaled to the loaded window's length), seconds. */
  marginalCpuSeconds: number;
  /**
   * Deliveries per marginal CPU-second; absent when the marginal CPU was not above zero, or when the
   * server never went quiet before the idle window (its backlog would count as idle).
   */
  efficiency?: number;
  /** The server was still busy with an earlier window's backlog when the idle window began. */
  busyBeforeIdle?: true;
  /** The busiest load-generator process's event loop, % of the send phase. */
  loadgenBusy: number;
}

/** How long to wait at most for the server to go quiet before an idle window, ms: a saturated SQLite window leaves seconds of backlog. */
const QUIET_TIMEOUT_MS = 30_000;

/**
 * Waits until no process of the target is runnable in 20 looks 5 ms apart, so that the idle window
 * measures idleness and not the backlog of a window that outran the server. Its scheduling state says
 * so even when other jobs on its core starve it, which its CPU share would not. False if it never was.
 */
async function quiet(pids: number[]): Promise<boolean> {
  const until = now() + QUIET_TIMEOUT_MS;
  let calm = 0;
  while (calm < 20) {
    if (now() > until) return false;
    calm = pids.some(runnable) ? 0 : calm + 1;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return true;
}

/**
 * One run of one target: start it, join every client, warm up (a window at the lowest load, not
 * reported), then for each load, lowest first, an idle window and a loaded one.
 */
export function measureEfficiency(
  kind: TargetKind,
  rep: number,
  settings: EfficiencySettings,
  procs: number,
  options: StartOptions = {},
): Promise<EfficiencyWindow[]> {
  const { shape, windowMs, loads, textBytes } = settings;
  const rate = (deliveries: number) => deliveries / shape.members;
  return withTarget(
    kind,
    procs,
    (t) => loadConfig(kind, t.urls, shape, rate(loads[0]!), windowMs, textBytes),
    async (fleet, pids) => {
      // On fresh connections the first messages meet cold code and caches: not reported.
      await fleet.measure();
      const windows: EfficiencyWindow[] = [];
      for (const [level, load] of loads.entries()) {
        const calm = await quiet(pids);
        const idle = await idleWindow(pids, windowMs);
        const before = sampleAll(pids).cpuSeconds;
        const started = now();
        const result = await fleet.measure(rate(load));
        const loaded = { cpuSeconds: sampleAll(pids).cpuSeconds - before, ms: now() - started };
        const marginal = marginalCpu(loaded, idle);
        const score = calm ? efficiency(result.delivered, marginal) : undefined;
        windows.push({
          target: kind,
          rep,
          level,
          load,
          delivered: result.delivered,
          completeness: result.expected ? result.delivered / result.expected : 0,
          deliveredPerSec: result.deliveredPerSec,
          ...(result.delivered > 0
            ? { p50Ms: result.p50Ms, p99Ms: result.p99Ms, p999Ms: result.p999Ms, maxMs: result.maxMs }
            : {}),
          cpuSeconds: loaded.cpuSeconds,
          windowMs: loaded.ms,
          idleCpuSeconds: idle.cpuSeconds,
          idleWindowMs: idle.ms,
          marginalCpuSeconds: marginal,
          ...(score === undefined ? {} : { efficiency: score }),
          ...(calm ? {} : { busyBeforeIdle: true as const }),
          loadgenBusy: result.loadgenBusy,
        });
      }
      return windows;
    },
    options,
  );
}
