import { describe, expect, it } from 'vitest';
import { type Check, compareChecks, evaluate, ISSUE_CHECKS } from '../src/checks.js';
import type { TargetKind } from '../src/clients.js';
import type { EfficiencyWindow } from '../src/efficiency.js';

const LOADS = [20_000, 50_000, 80_000];

/** A window with the figures a check reads; the rest does not matter here. */
function window(target: TargetKind, rep: number, level: number, figures: Partial<EfficiencyWindow>): EfficiencyWindow {
  return {
    target,
    rep,
    level,
    load: LOADS[level]!,
    delivered: 0,
    completeness: 1,
    deliveredPerSec: 0,
    p50Ms: 1,
    p99Ms: 10,
    p999Ms: 20,
    maxMs: 30,
    cpuSeconds: 0,
    windowMs: 1000,
    idleCpuSeconds: 0,
    idleWindowMs: 1000,
    marginalCpuSeconds: 0,
    loadgenBusy: 0,
    ...figures,
  };
}

const memoryOverSocketIo: Check = {
  label: 'memory ÷ Socket.IO',
  target: 'kuykan-memory',
  over: 'socketio',
  metric: 'efficiency',
  level: 0,
  bound: { atLeast: 2 },
};

describe('evaluate', () => {
  it('takes the ratio run by run and reports its median and spread', () => {
    const windows = [
      window('kuykan-memory', 0, 0, { efficiency: 100 }),
      window('socketio', 0, 0, { efficiency: 40 }),
      window('kuykan-memory', 1, 0, { efficiency: 90 }),
      window('socketio', 1, 0, { efficiency: 60 }),
      window('kuykan-memory', 2, 0, { efficiency: 120 }),
      window('socketio', 2, 0, { efficiency: 50 }),
    ];
    const [result] = evaluate([memoryOverSocketIo], windows, LOADS);
    // Ratios 2.5, 1.5 and 2.4: the median is 2.4, not the ratio of the medians (100 / 50 = 2).
    expect(result!.value).toEqual({ median: 2.4, min: 1.5, max: 2.5, runs: 3 });
    expect(result!.met).toBe(true);
    expect(result!.load).toBe(20_000);
  });

  it('says missed when the median is on the wrong side of an upper bound', () => {
    const check: Check = { ...memoryOverSocketIo, metric: 'p99Ms', over: 'ceiling', level: 1, bound: { atMost: 1.5 } };
    const windows = [window('kuykan-memory', 0, 1, { p99Ms: 30 }), window('ceiling', 0, 1, { p99Ms: 10 })];
    const [result] = evaluate([check], windows, LOADS);
    expect(result!.value?.median).toBe(3);
    expect(result!.met).toBe(false);
  });

  it('checks a figure alone when there is nothing to divide by', () => {
    const delivered = ISSUE_CHECKS.find((c) => c.metric === 'completeness')!;
    const [result] = evaluate([delivered], [window('kuykan-sqlite', 0, 2, { completeness: 0.81 })], LOADS);
    expect(result!.value?.median).toBe(0.81);
    expect(result!.met).toBe(false);
  });

  it('gives no value and no verdict when a target did not run or had no efficiency', () => {
    const windows = [window('kuykan-memory', 0, 0, { efficiency: 100 }), window('socketio', 0, 0, {})];
    const [result] = evaluate([memoryOverSocketIo], windows, LOADS);
    expect(result!.value).toBeUndefined();
    expect(result!.met).toBeUndefined();
  });
});

describe('ISSUE_CHECKS', () => {
  it('holds the targets of issue 23 at the loads it names', () => {
    const at = (label: string) =>
      ISSUE_CHECKS.filter((c) => c.label === label).map((c) => [LOADS[c.level], c.bound] as const);
    expect(at('Kuykan (memory) ÷ Socket.IO, deliveries per marginal CPU-second')).toEqual([
      [20_000, { atLeast: 2 }],
      [50_000, { atLeast: 2 }],
    ]);
    expect(at('Kuykan (memory) ÷ ceiling, p99')).toEqual([
      [50_000, { atMost: 1.5 }],
      [80_000, { atMost: 1.5 }],
    ]);
    expect(at('Kuykan SQLite, delivered')).toEqual([[80_000, { atLeast: 0.99 }]]);
  });
});

describe('compareChecks', () => {
  it('compares this checkout with the ref at every load, on each store, a win being 5 % or more', () => {
    const checks = compareChecks('HEAD~1', 3);
    const efficiency = checks.filter((c) => c.metric === 'efficiency');
    expect(efficiency.map((c) => c.level)).toEqual([0, 1, 2, 0, 1, 2]);
    expect(efficiency[0]).toMatchObject({
      target: 'kuykan-memory',
      over: 'kuykan-memory@HEAD~1',
      bound: { atLeast: 1.05 },
    });
    expect(efficiency[3]).toMatchObject({ target: 'kuykan-sqlite', over: 'kuykan-sqlite@HEAD~1' });
  });
});
