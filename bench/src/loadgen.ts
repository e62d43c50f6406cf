/**
 * The load generator, a process of its own: connects rooms × members clients,
 * then sends open-loop at a constant rate and measures, at every receiver,
 * latency from each message's *intended* send time — so a stalled server
 * cannot hide its delay by slowing the sender (no coordinated omission).
 * Input: one JSON argument (LoadConfig); output: one JSON line (LoadResult).
 */
import { performance } from 'node:perf_hooks';
import * as hdr from 'hdr-histogram-js';
import { connect, type LoadClient, type TargetKind } from './clients.js';

export interface LoadConfig {
  target: TargetKind;
  url: string;
  rooms: number;
  members: number;
  /** Messages sent per second, over all rooms. 0: connect only (footprint). */
  rate: number;
  durationMs: number;
  /** For churn: connect+login+join as fast as possible for durationMs with this concurrency. */
  churn?: number;
  /** S5: this many extra members (one per room, round robin) that stop reading once joined. */
  slowConsumers?: number;
}

export interface LoadResult {
  connected: number;
  sent: number;
  delivered: number;
  deliveredPerSec: number;
  expected: number;
  p50Ms: number;
  p99Ms: number;
  p999Ms: number;
  maxMs: number;
  /** CPU of this process during the measured window, % of one core. */
  loadgenCpu: number;
  churnPerSec?: number;
}

/** Names of this run's rooms and users, unique per process so runs never share state. */
const run = `${process.pid}-${Date.now().toString(36)}`;
const roomName = (r: number) => `room-${run}-${r}`;

async function connectAll(config: LoadConfig, onDeliver: (intended: number) => void): Promise<LoadClient[][]> {
  const rooms: LoadClient[][] = [];
  for (let r = 0; r < config.rooms; r++) {
    const members = await Promise.all(
      Array.from({ length: config.members }, (_, m) =>
        connect(config.target, config.url, `u${run}-${r}-${m}`, roomName(r), onDeliver),
      ),
    );
    rooms.push(members);
  }
  return rooms;
}

async function churn(config: LoadConfig): Promise<number> {
  let done = 0;
  const until = performance.now() + config.durationMs;
  const worker = async (w: number) => {
    for (let n = 0; performance.now() < until; n++) {
      const client = await connect(
        config.target,
        config.url,
        `churn-${process.pid}-${w}-${n}`,
        `churn-${w % 10}`,
        () => undefined,
      );
      client.close();
      done++;
    }
  };
  await Promise.all(Array.from({ length: config.churn! }, (_, w) => worker(w)));
  return done / (config.durationMs / 1000);
}

async function main(): Promise<void> {
  const config = JSON.parse(process.argv[2]!) as LoadConfig;
  const histogram = hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 120_000_000,
    numberOfSignificantValueDigits: 3,
  });
  if (config.churn) {
    const churnPerSec = await churn(config);
    console.log(
      JSON.stringify({
        connected: 0,
        sent: 0,
        delivered: 0,
        deliveredPerSec: 0,
        expected: 0,
        p50Ms: 0,
        p99Ms: 0,
        p999Ms: 0,
        maxMs: 0,
        loadgenCpu: 0,
        churnPerSec,
      }),
    );
    process.exit(0);
  }
  let measuring = false;
  let delivered = 0;
  const rooms = await connectAll(config, (intended) => {
    if (!measuring) return;
    delivered++;
    histogram.recordValue(Math.max(1, Math.round((performance.now() - intended) * 1000)));
  });
  // Slow consumers join like everyone else, then never read again; their deliveries are not counted.
  for (let n = 0; n < (config.slowConsumers ?? 0); n++) {
    const slow = await connect(
      config.target,
      config.url,
      `slow${run}-${n}`,
      roomName(n % config.rooms),
      () => undefined,
    );
    slow.pauseReading();
  }
  const connected = rooms.reduce((n, r) => n + r.length, 0);
  if (config.rate === 0) {
    console.log('connected');
    // Footprint: hold the connections until told to stop.
    process.stdin.once('data', () => process.exit(0));
    return;
  }
  const cpuStart = process.cpuUsage();
  const start = performance.now() + 50;
  const interval = 1000 / config.rate;
  let sent = 0;
  measuring = true;
  // Open loop: every due message is sent, late or not; its latency counts from when it was due.
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      while (sent * interval + start <= now && sent * interval < config.durationMs) {
        const intended = start + sent * interval;
        rooms[sent % rooms.length]![0]!.send(intended, sent);
        sent++;
      }
      if (sent * interval >= config.durationMs) resolve();
      else setImmediate(tick);
    };
    tick();
  });
  // Give deliveries a moment to drain, bounded.
  const expected = sent * config.members;
  const drainUntil = performance.now() + Math.min(5000, config.durationMs);
  while (delivered < expected && performance.now() < drainUntil) await new Promise((r) => setTimeout(r, 10));
  const elapsed = performance.now() - start;
  const cpu = process.cpuUsage(cpuStart);
  const ms = (v: number) => Math.round(v / 10) / 100;
  const result: LoadResult = {
    connected,
    sent,
    delivered,
    deliveredPerSec: Math.round(delivered / (elapsed / 1000)),
    expected,
    p50Ms: ms(histogram.getValueAtPercentile(50)),
    p99Ms: ms(histogram.getValueAtPercentile(99)),
    p999Ms: ms(histogram.getValueAtPercentile(99.9)),
    maxMs: ms(histogram.maxValue),
    loadgenCpu: Math.round(((cpu.user + cpu.system) / 1000 / elapsed) * 100),
  };
  console.log(JSON.stringify(result));
  process.exit(0);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
