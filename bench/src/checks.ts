/**
 * The targets of issue 23 as data, and their evaluation on one efficiency
 * run: each check is a figure of one target at one load level, alone or over
 * another target's figure of the same repetition (marginal.ts `pairedRatios`).
 */
import type { TargetKind } from './clients.js';
import type { EfficiencyWindow } from './efficiency.js';
import { pairedRatios, type Spread, spread } from './marginal.js';

type Metric = 'efficiency' | 'p99Ms' | 'completeness';

export interface Check {
  /** What is compared, as a reader of the table needs it. */
  label: string;
  target: TargetKind;
  /** The target divided by; absent for a figure checked alone. */
  over?: TargetKind;
  metric: Metric;
  /** Index of the load level (0: lowest, 20k deliveries/s in quick and full). */
  level: number;
  /** The bound the median must meet; absent for a figure shown without a target. */
  bound?: { atLeast: number } | { atMost: number };
}

const at = (levels: number[], check: Omit<Check, 'level'>): Check[] => levels.map((level) => ({ ...check, level }));

/** Issue 23's targets, in its order. Levels 0, 1, 2 are 20k, 50k and 80k deliveries/s. */
export const ISSUE_CHECKS: Check[] = [
  ...at([0, 1], {
    label: 'Kuykan (memory) ÷ Socket.IO, deliveries per marginal CPU-second',
    target: 'kuykan-memory',
    over: 'socketio',
    metric: 'efficiency',
    bound: { atLeast: 2 },
  }),
  ...at([0, 1], {
    label: 'Kuykan (memory) ÷ ceiling, deliveries per marginal CPU-second',
    target: 'kuykan-memory',
    over: 'ceiling',
    metric: 'efficiency',
    bound: { atLeast: 0.9 },
  }),
  ...at([1, 2], {
    label: 'Kuykan (memory) ÷ ceiling, p99',
    target: 'kuykan-memory',
    over: 'ceiling',
    metric: 'p99Ms',
    bound: { atMost: 1.5 },
  }),
  ...at([0, 1, 2], {
    label: 'Kuykan SQLite ÷ memory, deliveries per marginal CPU-second',
    target: 'kuykan-sqlite',
    over: 'kuykan-memory',
    metric: 'efficiency',
    bound: { atLeast: 0.8 },
  }),
  ...at([1], {
    label: 'Kuykan SQLite ÷ memory, p99',
    target: 'kuykan-sqlite',
    over: 'kuykan-memory',
    metric: 'p99Ms',
    bound: { atMost: 2 },
  }),
  ...at([2], {
    label: 'Kuykan SQLite, delivered',
    target: 'kuykan-sqlite',
    metric: 'completeness',
    bound: { atLeast: 0.99 },
  }),
];

/**
 * A/B checks of `kuykan-memory` (this checkout) against the same target built at `ref`: a change is
 * kept only with a measured win of 5 % or more (issue 23, Method).
 */
export function compareChecks(ref: string, levels: number): Check[] {
  const all = Array.from({ length: levels }, (_, level) => level);
  return (['kuykan-memory', 'kuykan-sqlite'] as const).flatMap((target) => {
    const old = `${target}@${ref}` as TargetKind;
    const store = target.slice('kuykan-'.length);
    return [
      ...at(all, {
        label: `${store}: this checkout ÷ ${ref}, deliveries per marginal CPU-second`,
        target,
        over: old,
        metric: 'efficiency',
        bound: { atLeast: 1.05 },
      }),
      ...at(all, { label: `${store}: this checkout ÷ ${ref}, p99`, target, over: old, metric: 'p99Ms' }),
    ];
  });
}

export interface CheckResult {
  check: Check;
  /** Offered deliveries per second at the check's level. */
  load: number;
  /** The figure (or ratio) over the repetitions; absent when a target of the check did not run or had no value. */
  value?: Spread;
  /** Whether the median meets the bound; absent without a bound or a value. */
  met?: boolean;
}

/** The figures of `target` at `level`, one per repetition (`undefined` where a run has none). */
function figures(windows: EfficiencyWindow[], target: TargetKind, level: number, metric: Metric, reps: number) {
  const values: Array<number | undefined> = Array.from({ length: reps }, () => undefined);
  for (const w of windows) if (w.target === target && w.level === level) values[w.rep] = w[metric];
  return values;
}

/** Evaluates `checks` on the windows of one run; `loads` are the run's offered loads by level. */
export function evaluate(checks: Check[], windows: EfficiencyWindow[], loads: number[]): CheckResult[] {
  const reps = Math.max(0, ...windows.map((w) => w.rep + 1));
  return checks.map((check) => {
    const own = figures(windows, check.target, check.level, check.metric, reps);
    const values = check.over ? pairedRatios(own, figures(windows, check.over, check.level, check.metric, reps)) : own;
    const value = spread(values);
    const load = loads[check.level] ?? 0;
    if (!value) return { check, load };
    if (!check.bound) return { check, load, value };
    const met = 'atLeast' in check.bound ? value.median >= check.bound.atLeast : value.median <= check.bound.atMost;
    return { check, load, value, met };
  });
}
