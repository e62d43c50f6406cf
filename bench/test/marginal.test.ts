import { describe, expect, it } from 'vitest';
import { efficiency, marginalCpu, pairedRatios, spread } from '../src/marginal.js';

describe('marginalCpu', () => {
  it('subtracts the idle window of the same length', () => {
    expect(marginalCpu({ cpuSeconds: 0.5, ms: 1000 }, { cpuSeconds: 0.1, ms: 1000 })).toBeCloseTo(0.4);
  });

  it('scales the idle CPU to the loaded window, which is longer by its drain', () => {
    // 0.1 s idle over 1 s is 0.12 s over the loaded window's 1.2 s.
    expect(marginalCpu({ cpuSeconds: 0.5, ms: 1200 }, { cpuSeconds: 0.1, ms: 1000 })).toBeCloseTo(0.38);
  });

  it('refuses an idle window of no length', () => {
    expect(() => marginalCpu({ cpuSeconds: 0.5, ms: 1000 }, { cpuSeconds: 0, ms: 0 })).toThrow(RangeError);
  });
});

describe('efficiency', () => {
  it('is deliveries per marginal CPU-second', () => {
    expect(efficiency(20_000, 0.25)).toBe(80_000);
  });

  it('has no value when the idle window cost as much as the loaded one', () => {
    expect(efficiency(20_000, 0)).toBeUndefined();
    expect(efficiency(20_000, -0.01)).toBeUndefined();
  });
});

describe('spread', () => {
  it('gives the median, least and greatest, leaving out runs without a value', () => {
    expect(spread([3, undefined, 1, 2])).toEqual({ median: 2, min: 1, max: 3, runs: 3 });
  });

  it('takes the mean of the middle two of an even count', () => {
    expect(spread([4, 1, 2, 3])?.median).toBe(2.5);
  });

  it('has nothing to say about no values', () => {
    expect(spread([undefined, Number.NaN])).toBeUndefined();
  });
});

describe('pairedRatios', () => {
  it('divides repetition r by repetition r', () => {
    expect(pairedRatios([2, 6, 9], [1, 3, 3])).toEqual([2, 2, 3]);
  });

  it('has no ratio where either side has no value or the divisor is zero', () => {
    expect(pairedRatios([2, undefined, 4], [1, 3, 0])).toEqual([2, undefined, undefined]);
  });
});
