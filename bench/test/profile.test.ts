import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type CpuProfile, type Resolve, summarise } from '../src/profile.js';

/** Files of the fixtures are `file:///repo/<path>`, already resolved to their sources. */
const resolve: Resolve = (url, line) => ({ file: url.replace('file:///repo/', ''), line: line + 1 });

const frame = (functionName: string, file = '') => ({
  functionName,
  url: file ? `file:///repo/${file}` : '',
  lineNumber: 0,
  columnNumber: 0,
});

/** root → (idle), handleSend → encodeFrame → encodeMap (msgpack), (garbage collector); six samples 100 µs apart. */
const tiny: CpuProfile = {
  nodes: [
    { id: 1, callFrame: frame('(root)'), children: [2, 3, 6] },
    { id: 2, callFrame: frame('(idle)') },
    { id: 3, callFrame: frame('handleSend', 'server/src/handlers/messages.ts'), children: [4] },
    { id: 4, callFrame: frame('encodeFrame', 'spec/src/codec.ts'), children: [5] },
    { id: 5, callFrame: frame('encodeMap', 'node_modules/@msgpack/msgpack/src/Encoder.ts') },
    { id: 6, callFrame: frame('(garbage collector)') },
  ],
  startTime: 1000,
  endTime: 1700,
  samples: [5, 5, 3, 2, 6, 5],
  timeDeltas: [100, 100, 100, 100, 100, 100],
};

describe('summarise', () => {
  it('counts only the samples taken within the window', () => {
    // Samples at 1200 (encodeMap), 1300 (handleSend), 1400 (idle), 1500 (GC).
    const summary = summarise(tiny, resolve, { fromUs: 1150, toUs: 1550 });
    expect(summary.sampledMs).toBe(0.4);
    expect(summary.busyMs).toBe(0.3);
    expect(summary.windowMs).toBe(0.4);
    const whole = summarise(tiny, resolve);
    expect(whole.sampledMs).toBe(0.6);
  });

  it('gives a sample the stage of the innermost frame a rule claims, so msgpack under encodeFrame is encode', () => {
    const summary = summarise(tiny, resolve);
    expect(Object.fromEntries(summary.stages.map((s) => [s.stage, s.ms]))).toEqual({
      encode: 0.3,
      'request pipeline': 0.1,
      GC: 0.1,
    });
    expect(summary.functions[0]).toMatchObject({
      name: 'encodeMap',
      file: 'node_modules/@msgpack/msgpack/src/Encoder.ts',
      stage: 'encode',
      ms: 0.3,
      share: 0.6,
    });
  });

  it('leaves idle time out of the busy time that shares are taken of', () => {
    const summary = summarise(tiny, resolve);
    expect(summary.busyMs).toBe(0.5);
    expect(summary.stages.map((s) => s.stage)).not.toContain('(idle)');
    expect(summary.stages.reduce((sum, s) => sum + s.share, 0)).toBeCloseTo(1);
  });
});

describe('summarise, on a recorded window of the server at 50,000 deliveries/s', () => {
  const recorded = JSON.parse(
    readFileSync(new URL('./fixtures/server-window.cpuprofile', import.meta.url), 'utf8'),
  ) as CpuProfile & { window: { fromUs: number; toUs: number } };
  const summary = summarise(recorded, resolve, recorded.window, 1000);

  it('covers the window and not the samples recorded on either side of it', () => {
    const interval = 0.5; // ms, the harness's --cpu-prof-interval
    expect(summary.sampledMs).toBeGreaterThan(summary.windowMs - 2 * interval);
    expect(summary.sampledMs).toBeLessThan(summary.windowMs + 2 * interval);
    expect(summarise(recorded, resolve).sampledMs).toBeGreaterThan(summary.sampledMs + 5);
  });

  it('puts the socket write syscalls under socket write and the schema work under decode or encode', () => {
    const fn = (name: string) => summary.functions.filter((f) => f.name === name).map((f) => f.stage);
    expect(fn('writeBuffer')).toEqual(['socket write']);
    expect(new Set(fn('convertRecord'))).toEqual(new Set(['decode', 'encode']));
    const stages = summary.stages.map((s) => s.stage);
    for (const stage of ['socket write', 'encode', 'decode', 'fan-out', 'store']) expect(stages).toContain(stage);
  });

  it('ranks functions and stages by self time', () => {
    const ms = summary.functions.map((f) => f.ms);
    expect(ms).toEqual([...ms].sort((a, b) => b - a));
    expect(summary.stages.reduce((sum, s) => sum + s.ms, 0)).toBeCloseTo(summary.busyMs, 1);
  });
});
