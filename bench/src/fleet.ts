/**
 * Runs one load as N worker processes (loadgen.ts) and merges what they
 * report into one result. Several processes are needed for connection
 * counts beyond one process's file-descriptor limit (20,000 idle connections
 * in S1 `--full`, where the limit is 20,000), not for CPU: on a 2-core
 * machine the workers share the one core the server does not use.
 *
 * The parent starts the workers, waits until every one says `ready` (its
 * clients connected), gives them all one start time on the shared clock
 * (clock.ts), then sums their counters and adds up their latency
 * HdrHistograms, so the percentiles are those of every delivery in the run.
 */
import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import * as hdr from 'hdr-histogram-js';
import { script } from './bundle.js';
import { now } from './clock.js';
import type { LoadConfig, WorkerConfig, WorkerReady, WorkerReport } from './plan.js';
import { LOAD_CORES, launch } from './procs.js';

/** Time from the start command to the first due message, so that every worker has it before then, ms. */
const START_MARGIN_MS = 50;
/** Tens of thousands of connections log in and join a few rooms at a time: allow minutes, not seconds. */
const READY_TIMEOUT_MS = 300_000;

/** One load run's merged result. */
export interface LoadResult extends WorkerReady {
  sent: number;
  delivered: number;
  /** Deliveries the whole schedule should have made. */
  expected: number;
  deliveredPerSec: number;
  p50Ms: number;
  p99Ms: number;
  p999Ms: number;
  maxMs: number;
  /**
   * The busiest worker's event loop during the send phase, % of the phase (busy wait left out):
   * near 100 means the generator, not the server, was the limit.
   */
  loadgenBusy: number;
  churnPerSec?: number;
  /** What each worker sent and what its clients received, to show how the run was split. */
  workers: { sent: number; delivered: number }[];
}

interface Worker {
  child: ChildProcess;
  /** Settles when the worker has ended and its output has been read. */
  closed: Promise<void>;
  /** Resolves with the body of the worker's next `kind` line; rejects (and kills it) if it ends first or takes too long. */
  next<T>(kind: 'ready' | 'result', timeoutMs: number): Promise<T>;
}

/** Starts worker number `index`; it loads its modules, then waits for its `run` line. */
function startWorker(index: number): Worker {
  const core = LOAD_CORES[index % LOAD_CORES.length]!;
  const child = launch(core, script('loadgen'));
  let errors = '';
  child.stderr!.on('data', (d) => (errors += d));
  // Writing to a worker that has ended fails with EPIPE; how it ended is told by `next`, so that is not an error here.
  child.stdin!.on('error', () => undefined);
  const lines = createInterface({ input: child.stdout! });
  let ended = false;
  const closed = new Promise<void>((resolve) =>
    child.once('close', () => {
      ended = true;
      resolve();
    }),
  );
  const next = <T>(kind: string, timeoutMs: number) =>
    new Promise<T>((resolve, reject) => {
      const done = () => {
        clearTimeout(timer);
        lines.off('line', onLine);
        // 'close', not 'exit': it comes after stdout is read to the end, so a last line is not lost.
        child.off('close', onClose);
      };
      const fail = (why: string) => {
        done();
        child.kill('SIGKILL');
        reject(new Error(`load generator ${index} ${why}${errors ? `:\n${errors}` : ''}`));
      };
      const timer = setTimeout(() => fail(`sent no ${kind} line within ${timeoutMs} ms`), timeoutMs);
      const onLine = (line: string) => {
        if (!line.startsWith(`${kind} `)) return;
        done();
        resolve(JSON.parse(line.slice(kind.length + 1)) as T);
      };
      const onClose = (code: number | null) => fail(`exited (${code}) before its ${kind} line`);
      // Ended already (say, while the target was starting): its 'close' will not come again.
      if (ended) return fail(`exited (${child.exitCode}) before its ${kind} line`);
      lines.on('line', onLine);
      child.once('close', onClose);
    });
  return { child, closed, next };
}

function sumOf<T>(items: T[], field: (item: T) => number): number {
  return items.reduce((n, item) => n + field(item), 0);
}

/** The workers' connection counts as one, with the first failure's reason. */
function mergeReady(readies: WorkerReady[]): WorkerReady {
  const firstError = readies.find((r) => r.firstError)?.firstError;
  return {
    connected: sumOf(readies, (r) => r.connected),
    failed: sumOf(readies, (r) => r.failed),
    ...(firstError ? { firstError } : {}),
  };
}

function merge(config: LoadConfig, t0: number, reports: WorkerReport[]): LoadResult {
  const skewed = sumOf(reports, (r) => r.clockSkewed);
  if (skewed > 0) throw new Error(`${skewed} deliveries arrived before they were due: the workers' clocks disagree`);
  const [latency, ...others] = reports.map((r) => hdr.decodeFromCompressedBase64(r.latency));
  for (const other of others) latency!.add(other);
  const elapsedMs = Math.max(...reports.map((r) => r.endedAt)) - t0;
  const ms = (us: number) => Math.round(us / 10) / 100;
  const churned = sumOf(reports, (r) => r.churned ?? 0);
  return {
    ...mergeReady(reports),
    sent: sumOf(reports, (r) => r.sent),
    // From the merged histogram, not the workers' counters, so a lost or doubled histogram shows as a mismatch.
    delivered: latency!.totalCount,
    expected: sumOf(reports, (r) => r.expected),
    deliveredPerSec: Math.round(latency!.totalCount / (elapsedMs / 1000)),
    p50Ms: ms(latency!.getValueAtPercentile(50)),
    p99Ms: ms(latency!.getValueAtPercentile(99)),
    p999Ms: ms(latency!.getValueAtPercentile(99.9)),
    maxMs: ms(latency!.maxValue),
    loadgenBusy: Math.round(Math.max(...reports.map((r) => (r.sendPhaseMs > 0 ? r.busyMs / r.sendPhaseMs : 0))) * 100),
    ...(config.churn ? { churnPerSec: churned / (config.durationMs / 1000) } : {}),
    workers: reports.map((r) => ({ sent: r.sent, delivered: r.delivered })),
  };
}

/** Load-generator processes with their clients connected, ready to measure. */
export interface Fleet {
  /** Connections that joined or failed so far (the slow consumers included, once added). */
  ready: WorkerReady;
  /**
   * Runs one measured window from a common start time, at the run's rate or `rate` messages per second,
   * and merges the workers' reports. Throws if any connection failed: the counts of a run with missing
   * members would mean nothing.
   */
  measure(rate?: number): Promise<LoadResult>;
  /** S5: `count` more members, one per room round robin, join and stop reading. */
  addSlowConsumers(count: number): Promise<void>;
  /** Lets the workers go (they exit when their stdin closes) and waits until they have. */
  close(): Promise<void>;
}

/** Time a worker gets to exit once its stdin is closed, before it is killed, ms. */
const CLOSE_TIMEOUT_MS = 10_000;

/**
 * Starts `procs` workers at once and gives them `config` when it comes (it names the target, which may
 * still be starting: the two start-ups overlap); resolves once every worker has joined its clients.
 */
export async function openFleet(config: Promise<LoadConfig>, procs: number): Promise<Fleet> {
  const run = `${process.pid}-${Date.now().toString(36)}`;
  const workers = Array.from({ length: procs }, (_, worker) => startWorker(worker));
  const tell = (line: string) => {
    for (const w of workers) w.child.stdin!.write(`${line}\n`);
  };
  const allReady = async () =>
    mergeReady(await Promise.all(workers.map((w) => w.next<WorkerReady>('ready', READY_TIMEOUT_MS))));
  const close = async () => {
    for (const w of workers) w.child.stdin!.end();
    const timer = setTimeout(() => {
      for (const w of workers) w.child.kill('SIGKILL');
    }, CLOSE_TIMEOUT_MS);
    await Promise.all(workers.map((w) => w.closed));
    clearTimeout(timer);
  };
  try {
    const given = await config;
    workers.forEach((w, worker) => {
      const line: WorkerConfig = { ...given, run, worker, workers: procs };
      w.child.stdin!.write(`run ${JSON.stringify(line)}\n`);
    });
    const fleet: Fleet = {
      ready: await allReady(),
      async measure(rate = given.rate) {
        const { failed, connected, firstError } = fleet.ready;
        if (failed > 0) throw new Error(`${failed} of ${connected + failed} clients failed to join: ${firstError}`);
        const t0 = now() + START_MARGIN_MS;
        tell(`start ${t0} ${rate}`);
        const reports = await Promise.all(
          workers.map((w) => w.next<WorkerReport>('result', 2 * given.durationMs + 60_000)),
        );
        return merge(given, t0, reports);
      },
      async addSlowConsumers(count) {
        tell(`slow ${count}`);
        fleet.ready = await allReady();
      },
      close,
    };
    return fleet;
  } catch (error) {
    for (const w of workers) w.child.kill('SIGKILL');
    throw error;
  }
}
