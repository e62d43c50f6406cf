/** The efficiency scenario's tables: figures per target and load, then the issue's checks. */
import type { CheckResult } from './checks.js';
import type { TargetKind } from './clients.js';
import type { EfficiencyWindow } from './efficiency.js';
import { type Spread, spread } from './marginal.js';

const number = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits });

/** `median (min–max)`, or the median alone when every run gave the same or there was one run. */
function spreadText(s: Spread | undefined, show: (n: number) => string): string {
  if (!s) return '–';
  return s.min === s.max ? show(s.median) : `${show(s.median)} (${show(s.min)}–${show(s.max)})`;
}

const percent = (n: number) => `${number(n * 100, 1)}%`;
const ratio = (n: number) => `${n.toFixed(2)}×`;

export interface EfficiencyRow {
  target: TargetKind;
  load: number;
  /** Over the repetitions. */
  completeness?: Spread;
  efficiency?: Spread;
  /** Marginal and idle server CPU, share of one core. */
  marginalCpu?: Spread;
  idleCpu?: Spread;
  p50Ms?: Spread;
  p99Ms?: Spread;
  loadgenBusy?: Spread;
}

/** One row per target and load, in the order of `targets` and then of load. */
export function efficiencyRows(windows: EfficiencyWindow[], targets: TargetKind[], loads: number[]): EfficiencyRow[] {
  return targets.flatMap((target) =>
    loads.map((load) => {
      const runs = windows.filter((w) => w.target === target && w.load === load);
      const of = (pick: (w: EfficiencyWindow) => number | undefined) => spread(runs.map(pick));
      return {
        target,
        load,
        completeness: of((w) => w.completeness),
        efficiency: of((w) => w.efficiency),
        marginalCpu: of((w) => w.marginalCpuSeconds / (w.windowMs / 1000)),
        idleCpu: of((w) => w.idleCpuSeconds / (w.idleWindowMs / 1000)),
        p50Ms: of((w) => w.p50Ms),
        p99Ms: of((w) => w.p99Ms),
        loadgenBusy: of((w) => w.loadgenBusy),
      };
    }),
  );
}

function rowsTable(rows: EfficiencyRow[]): string[] {
  return [
    '| target | offered deliveries/s | delivered | deliveries per marginal server CPU-second | marginal server CPU (share of a core) | idle server CPU | p50 (ms) | p99 (ms) | load generator busy |',
    '|---|---|---|---|---|---|---|---|---|',
    ...rows.map(
      (r) =>
        `| ${[
          r.target,
          number(r.load),
          spreadText(r.completeness, percent),
          spreadText(r.efficiency, (n) => number(n)),
          spreadText(r.marginalCpu, percent),
          spreadText(r.idleCpu, percent),
          spreadText(r.p50Ms, (n) => number(n, 2)),
          spreadText(r.p99Ms, (n) => number(n, 2)),
          spreadText(r.loadgenBusy, (n) => `${number(n)}%`),
        ].join(' | ')} |`,
    ),
  ];
}

function checksTable(results: CheckResult[]): string[] {
  const boundText = (r: CheckResult) => {
    const { bound, metric } = r.check;
    if (!bound) return '–';
    const show = metric === 'completeness' ? percent : ratio;
    return 'atLeast' in bound ? `≥ ${show(bound.atLeast)}` : `≤ ${show(bound.atMost)}`;
  };
  const verdict = (r: CheckResult) => (r.met === undefined ? '–' : r.met ? 'met' : '**missed**');
  return [
    '| check | at deliveries/s | median of runs (min–max) | target | |',
    '|---|---|---|---|---|',
    ...results.map(
      (r) =>
        `| ${[
          r.check.label,
          number(r.load),
          spreadText(r.value, r.check.metric === 'completeness' ? percent : r.check.over ? ratio : (n) => number(n, 2)),
          boundText(r),
          verdict(r),
        ].join(' | ')} |`,
    ),
  ];
}

/** The two tables and the run's context, as Markdown. */
export function efficiencyMarkdown(rows: EfficiencyRow[], checks: CheckResult[], context: string): string {
  return [...rowsTable(rows), '', ...checksTable(checks), '', context, ''].join('\n');
}
