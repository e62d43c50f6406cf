/**
 * The arithmetic of the efficiency figures, kept pure so it can be checked
 * without running anything: marginal server CPU (a loaded window's CPU minus
 * what the same process spends idle with the same connections), deliveries
 * per marginal CPU-second, and the spread of repeated runs.
 */

/** CPU a target's processes spent in one window, and how long the window lasted. */
export interface CpuWindow {
  /** CPU seconds, every process and thread of the target. */
  cpuSeconds: number;
  /** Wall-clock length of the window, ms. */
  ms: number;
}

/**
 * Marginal CPU seconds of `load`: its CPU minus the idle window's, the idle CPU scaled to the loaded
 * window's length (the two differ by the loaded window's drain, a few ms to a few hundred). What is left
 * is the cost of the messages alone: heartbeats, timers and the connections' standing costs cancel out,
 * and they differ by protocol.
 */
export function marginalCpu(load: CpuWindow, idle: CpuWindow): number {
  if (idle.ms <= 0) throw new RangeError(`an idle window of ${idle.ms} ms`);
  return load.cpuSeconds - idle.cpuSeconds * (load.ms / idle.ms);
}

/**
 * Deliveries per marginal CPU-second; `undefined` when the marginal CPU is not above zero (an idle window
 * busier than the loaded one: noise swamped the measurement, and no ratio can be made of it).
 */
export function efficiency(deliveries: number, marginalCpuSeconds: number): number | undefined {
  return marginalCpuSeconds > 0 ? deliveries / marginalCpuSeconds : undefined;
}

/** Median, least and greatest of repeated measurements. */
export interface Spread {
  median: number;
  min: number;
  max: number;
  /** Runs the figures come from (runs without a value are left out). */
  runs: number;
}

/** The spread of `values`, leaving out missing ones; `undefined` when none is left. The median of an even count is the mean of the middle two. */
export function spread(values: Array<number | undefined>): Spread | undefined {
  const present = values.filter((v): v is number => v !== undefined && Number.isFinite(v)).sort((a, b) => a - b);
  if (present.length === 0) return undefined;
  const mid = present.length >> 1;
  const median = present.length % 2 === 1 ? present[mid]! : (present[mid - 1]! + present[mid]!) / 2;
  return { median, min: present[0]!, max: present[present.length - 1]!, runs: present.length };
}

/**
 * Ratios of two targets' figures, run by run: repetition r of `numerators` over repetition r of
 * `denominators`. Pairing runs measured minutes apart cancels most of the drift of a shared machine
 * (another job starting slows both), which a ratio of the two medians would keep.
 */
export function pairedRatios(
  numerators: Array<number | undefined>,
  denominators: Array<number | undefined>,
): Array<number | undefined> {
  return numerators.map((n, r) => {
    const d = denominators[r];
    return n === undefined || d === undefined || d === 0 ? undefined : n / d;
  });
}
