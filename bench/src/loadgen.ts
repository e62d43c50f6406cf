/**
 * One load-generator worker process; fleet.ts starts N of them and merges what
 * they report. A worker connects its share of the rooms' members (plan.ts),
 * says `ready`, and on `start <t0>` sends its share of one global open-loop
 * schedule: message k is due at t0 + k·interval whether or not earlier ones
 * were answered, and its latency is measured at every receiver — in whichever
 * worker — from that intended time, on the machine-wide clock (clock.ts). A
 * stalled server therefore cannot hide its delay by slowing the sender (no
 * coordinated omission).
 *
 * Stdin: `run <WorkerConfig JSON>`, then any number of `start <t0 ms> [rate]` (one
 * measured window each, at the run's rate or the one given) and `slow <n>` (S5: n more members join and stop
 * reading). Stdout: `ready <WorkerReady JSON>` once connected and after each
 * `slow`, `result <WorkerReport JSON>` after each window. A worker exits when
 * its stdin closes, which is also how a footprint run lets go of its connections.
 */
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import * as hdr from 'hdr-histogram-js';
import { connect, framesReceived, type LoadClient, type OnDeliver } from './clients.js';
import { now } from './clock.js';
import {
  interval,
  membersOf,
  roomOfMessage,
  scheduled,
  senderWorker,
  share,
  type WorkerConfig,
  type WorkerReady,
  type WorkerReport,
} from './plan.js';

/** Commands from the parent, one per line. */
const commands = createInterface({ input: process.stdin });
const nextCommand = () => new Promise<string>((resolve) => commands.once('line', resolve));
// The parent is gone (or done with a footprint run): do not hold connections open behind its back.
commands.once('close', () => process.exit(0));

// The run comes on stdin rather than in argv, so the process can start, and load its modules, while the target does.
const config = JSON.parse((await nextCommand()).slice('run '.length)) as WorkerConfig;
const { run, worker, workers } = config;
const roomName = (r: number) => `room-${run}-${r}`;

function emit(kind: 'ready' | 'result', body: WorkerReady | WorkerReport): void {
  process.stdout.write(`${kind} ${JSON.stringify(body)}\n`);
}

/**
 * Rooms joining at once (a room's members join together): enough to overlap the round trips,
 * few enough that the server's accept backlog (511) never overflows into retried SYNs.
 */
const ROOMS_IN_FLIGHT = 8;

/** The URL of client `n`: on a cluster, a room's members spread over the nodes, so most deliveries cross nodes. */
const urlOf = (n: number) => config.urls[n % config.urls.length]!;

/**
 * Connects one client, member `m` of its room. A failure is counted in `tally`, not thrown: a server
 * at its limits (S1) refuses some.
 */
async function attempt(tally: WorkerReady, name: string, room: number, m: number, onDeliver: OnDeliver) {
  try {
    const client = await connect(config.target, urlOf(m), name, roomName(room), onDeliver, config.textBytes);
    tally.connected++;
    return client;
  } catch (error) {
    tally.failed++;
    tally.firstError ??= error instanceof Error ? error.message : String(error);
    return undefined;
  }
}

/** Connects this worker's members, a few rooms at a time; returns, per room, its sender (member 0) if held here. */
async function connectMembers(tally: WorkerReady, onDeliver: OnDeliver): Promise<LoadClient[]> {
  const senders: LoadClient[] = [];
  let next = 0;
  const joinRooms = async () => {
    for (let r = next++; r < config.rooms; r = next++) {
      const mine = membersOf(r, config.members, worker, workers);
      const clients = await Promise.all(mine.map((m) => attempt(tally, `u${run}-${r}-${m}`, r, m, onDeliver)));
      if (mine[0] === 0 && clients[0]) senders[r] = clients[0];
    }
  };
  await Promise.all(Array.from({ length: ROOMS_IN_FLIGHT }, joinRooms));
  return senders;
}

/** S5: this worker's share of `count` more members (one per room, round robin) that join, then never read again. */
async function addSlowConsumers(tally: WorkerReady, count: number): Promise<void> {
  for (let n = worker; n < count; n += workers) {
    const slow = await attempt(tally, `slow${run}-${n}`, n % config.rooms, n, () => undefined);
    slow?.pauseReading();
  }
}

/** S4: connect + log in + join, close, again, from t0 for durationMs, with this worker's share of the concurrency. */
async function churn(t0: number): Promise<number> {
  let done = 0;
  const until = t0 + config.durationMs;
  const loop = async (c: number) => {
    for (let n = 0; now() < until; n++) {
      const name = `churn-${run}-${worker}-${c}-${n}`;
      const client = await connect(config.target, urlOf(c), name, `churn-${run}-${c % 10}`, () => undefined);
      client.close();
      done++;
    }
  };
  await new Promise((r) => setTimeout(r, Math.max(0, t0 - now())));
  await Promise.all(Array.from({ length: share(config.churn!, worker, workers) }, (_, c) => loop(c)));
  return done;
}

const latency = hdr.build({
  lowestDiscernibleValue: 1,
  highestTrackableValue: 120_000_000,
  numberOfSignificantValueDigits: 3,
});
/** The current window's start, ms on the shared clock; deliveries of messages due before it are not its own. */
let windowStart = Number.POSITIVE_INFINITY;
/** Numbers this worker's messages across windows (S3, then S5), so that no number repeats. */
let numbered = 0;
let delivered = 0;
let clockSkewed = 0;

function onDeliver(intended: number): void {
  // Due before this window (a late delivery from the last one), or no window yet: not counted.
  if (intended < windowStart) return;
  const lateness = now() - intended;
  delivered++;
  if (lateness < 0) clockSkewed++;
  latency.recordValue(Math.max(1, Math.round(lateness * 1000)));
}

/**
 * One measured window from t0 at `rate` messages per second: sends this worker's share of the schedule,
 * waits for deliveries to drain, reports.
 */
async function measure(t0: number, rate: number, senders: LoadClient[], tally: WorkerReady): Promise<WorkerReport> {
  windowStart = t0;
  delivered = 0;
  clockSkewed = 0;
  latency.reset();
  const step = interval(rate);
  const total = scheduled(rate, config.durationMs);
  const held = Array.from({ length: config.rooms }, (_, r) => membersOf(r, config.members, worker, workers).length);
  let expected = 0;
  for (let k = 0; k < total; k++) expected += held[roomOfMessage(k, config.rooms)]!;

  let k = 0;
  let sent = 0;
  // Open loop: every due message of this worker's share is sent, late or not; its latency counts from when it was due.
  // Between sends the loop spins on setImmediate (a timer's 1 ms granularity would add up to 1 ms to every latency),
  // so CPU time reads ~100% whatever the load. `busyMs` leaves out the spin turns that neither read nor sent, and
  // the time the loop slept in timers waiting for I/O, which Node measures itself (eventLoopUtilization's `idle`).
  await new Promise((r) => setTimeout(r, Math.max(0, t0 - now() - 1)));
  const loopBefore = performance.eventLoopUtilization();
  let spinIdleMs = 0;
  let spinning = false;
  let lastTick = now();
  let framesThen = framesReceived();
  let sentThen = 0;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const t = now();
      const frames = framesReceived();
      if (spinning && frames === framesThen && sent === sentThen) spinIdleMs += t - lastTick;
      lastTick = t;
      framesThen = frames;
      sentThen = sent;
      while (k < total && t0 + k * step <= t) {
        const room = roomOfMessage(k, config.rooms);
        if (senderWorker(room, workers) === worker) {
          senders[room]!.send(t0 + k * step, numbered++);
          sent++;
        }
        k++;
      }
      if (k >= total) return resolve();
      const wait = t0 + k * step - now();
      // Far from the next due message (low rates): sleep instead of spinning, waking 1 ms early.
      spinning = wait <= 2;
      if (spinning) setImmediate(tick);
      else setTimeout(tick, wait - 1);
    };
    tick();
  });
  const sleptMs = performance.eventLoopUtilization(loopBefore).idle;
  const sendPhaseMs = now() - t0;
  // Give deliveries a moment to drain, bounded.
  const drainUntil = now() + Math.min(5000, config.durationMs);
  while (delivered < expected && now() < drainUntil) await new Promise((r) => setTimeout(r, 10));
  return {
    ...tally,
    sent,
    delivered,
    expected,
    clockSkewed,
    endedAt: now(),
    busyMs: Math.max(0, sendPhaseMs - spinIdleMs - sleptMs),
    sendPhaseMs,
    latency: hdr.encodeIntoCompressedBase64(latency),
  };
}

/** The arguments of a `name <argument> …` command, as numbers. */
const numbers = (command: string) => command.split(' ').slice(1).map(Number);

async function main(): Promise<void> {
  if (config.churn) {
    emit('ready', { connected: 0, failed: 0 });
    const [start = 0] = numbers(await nextCommand());
    const churned = await churn(start);
    const ended = now();
    const idle = { connected: 0, failed: 0, sent: 0, delivered: 0, expected: 0, clockSkewed: 0, busyMs: 0 };
    const encoded = hdr.encodeIntoCompressedBase64(latency);
    emit('result', { ...idle, endedAt: ended, sendPhaseMs: ended - start, latency: encoded, churned });
    return;
  }
  const tally: WorkerReady = { connected: 0, failed: 0 };
  const senders = await connectMembers(tally, onDeliver);
  emit('ready', tally);
  // Until stdin closes: `start <t0> [rate]` measures a window; `slow <n>` adds slow consumers, then says `ready` again.
  for (;;) {
    const command = await nextCommand();
    if (command.startsWith('start ')) {
      const [t0 = 0, rate = config.rate] = numbers(command);
      emit('result', await measure(t0, rate, senders, tally));
    } else if (command.startsWith('slow ')) {
      await addSlowConsumers(tally, numbers(command)[0] ?? 0);
      emit('ready', tally);
    } else throw new Error(`unknown command: ${command}`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
