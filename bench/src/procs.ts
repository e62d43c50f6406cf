/** Starting targets and load generators as pinned processes, and sampling their CPU and memory. */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { script } from './bundle.js';
import { baseKind, type TargetKind } from './clients.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
export const PINNED = existsSync('/usr/bin/taskset');

/** The server under test has core 0 to itself. */
export const SERVER_CORE = 0;
/**
 * Cores for load-generator workers: every core but the server's (just core 1 on a 2-core machine).
 * Workers beyond this many share cores, which adds file descriptors and memory but no CPU.
 */
export const LOAD_CORES: number[] = Array.from({ length: Math.max(1, cpus().length - 1) }, (_, i) => i + 1);

/** Niceness of every process the harness starts (`--nice`); 0 leaves them at the default priority. */
let niceness = 0;

/**
 * Starts the servers and load generators at niceness `n` (-20 to 19): on a machine shared with other jobs,
 * a negative value lets them have their cores, at those jobs' expense (`--nice`).
 */
export function setNiceness(n: number): void {
  if (!Number.isInteger(n) || n < -20 || n > 19)
    throw new RangeError(`--nice must be a whole number from -20 to 19, not ${n}`);
  niceness = n;
}

/** The niceness processes are started at ({@link setNiceness}). */
export const currentNiceness = () => niceness;

/** Runs `args` in `cwd` (default: this checkout) with a raised descriptor limit, pinned to `core` when taskset exists. */
export function launch(core: number, args: string[], env: NodeJS.ProcessEnv = {}, cwd = root): ChildProcess {
  const nice = niceness === 0 ? '' : `nice -n ${niceness} `;
  const pin = PINNED ? `exec ${nice}taskset -c ${core} ` : `exec ${nice}`;
  const command = `ulimit -n 65536 2>/dev/null || ulimit -n $(ulimit -Hn); ${pin}"$@"`;
  return spawn('sh', ['-c', command, 'sh', ...args], {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

export interface Target {
  kind: TargetKind;
  /** One URL, or one per node of a cluster. */
  urls: string[];
  /** The server processes (one per node). */
  pids: number[];
  stop(): Promise<void>;
}

function waitForLine(child: ChildProcess, pattern: RegExp, timeoutMs = 30_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`no ${pattern} within ${timeoutMs} ms:\n${output}`)), timeoutMs);
    const onData = (data: Buffer) => {
      output += data;
      const match = pattern.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1] ?? match[0]);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (d) => (output += d));
    child.once('exit', (code) => reject(new Error(`target exited ${code}:\n${output}`)));
  });
}

/** Nodes per Kuykan target: the cluster targets run on Redis (REDIS_URL, default local). */
const KUYKAN_NODES: Partial<Record<TargetKind, { nodes: number; args: string[] }>> = {
  'kuykan-memory': { nodes: 1, args: ['--store', 'memory'] },
  'kuykan-sqlite': { nodes: 1, args: ['--store', 'sqlite'] },
  'kuykan-redis': { nodes: 1, args: ['--engine', 'redis'] },
  'kuykan-cluster': { nodes: 3, args: ['--engine', 'redis'] },
};

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Checkouts of other commits (`--compare`, compare.ts) by ref: a target `kuykan-memory@<ref>` runs the server built there. */
const checkouts = new Map<string, string>();

/** Lets targets named `…@<ref>` run the server of the checkout at `dir`. */
export function addCheckout(ref: string, dir: string): void {
  checkouts.set(ref, dir);
}

/**
 * The flags (with their values) that the server of `checkout` knows, read from its `server/src/cli.ts`:
 * an older server lacks some (one without a per-address cap needs no flag to lift it), and refuses
 * flags it does not know.
 */
function knownFlags(checkout: string, flags: string[][]): string[] {
  if (checkout === root) return flags.flat();
  const cli = readFileSync(join(checkout, 'server/src/cli.ts'), 'utf8');
  return flags.filter(([flag]) => cli.includes(`'${flag!.slice(2)}'`)).flat();
}

/** How to start a target beyond its kind. */
export interface StartOptions {
  /**
   * Run each Kuykan node under `node --cpu-prof`, writing its profile into this directory when it
   * exits; the target is then stopped with SIGTERM (a killed process writes no profile).
   */
  cpuProfileDir?: string;
  /** Preload alloc-sampler.cjs into each Kuykan node, writing its heap profiles into this directory. */
  allocProfileDir?: string;
}

const ALLOC_SAMPLER = fileURLToPath(new URL('alloc-sampler.cjs', import.meta.url));

/** Sampling interval of `--cpu-prof`, µs: half V8's default, for more samples in a short window. */
const CPU_PROFILE_INTERVAL_US = 500;

/**
 * Starts Kuykan node processes, all on the server core: a cluster gets the
 * same CPU as one node, so its figures show what crossing nodes costs.
 */
async function startKuykan(
  kind: TargetKind,
  setup: { nodes: number; args: string[] },
  checkout: string,
  options: StartOptions,
): Promise<Target> {
  const data = mkdtempSync(join(tmpdir(), 'kuykan-bench-'));
  const prefix = `kuykan-bench:${randomUUID()}:`;
  const profiling = options.cpuProfileDir
    ? ['--cpu-prof', '--cpu-prof-dir', options.cpuProfileDir, '--cpu-prof-interval', String(CPU_PROFILE_INTERVAL_US)]
    : [];
  if (options.cpuProfileDir) mkdirSync(options.cpuProfileDir, { recursive: true });
  const sampling = options.allocProfileDir ? ['-r', ALLOC_SAMPLER] : [];
  if (options.allocProfileDir) mkdirSync(options.allocProfileDir, { recursive: true });
  const children = Array.from({ length: setup.nodes }, () =>
    launch(
      SERVER_CORE,
      [
        process.execPath,
        ...profiling,
        ...sampling,
        join(checkout, 'server/dist/cli.js'),
        ...knownFlags(checkout, [
          ['--port', '0'],
          ['--host', '127.0.0.1'],
          ['--data', data],
          ['--log-level', 'warn'],
          // Every load-generator connection comes from 127.0.0.1.
          ['--max-connections-per-address', '0'],
          ['--redis-url', REDIS_URL],
          ['--redis-prefix', prefix],
        ]),
        ...setup.args,
      ],
      {
        KUYKAN_LIMITS: JSON.stringify({ sendRate: 1e6, sendBurst: 1e6, maxRoomsPerConnection: 32 }),
        ...(options.allocProfileDir ? { KUYKAN_BENCH_ALLOC_DIR: options.allocProfileDir } : {}),
      },
    ),
  );
  const urls = await Promise.all(children.map((child) => waitForLine(child, /(ws:\/\/[^\s)]+)/)));
  const usesRedis = setup.args.includes('redis');
  if (usesRedis) await Promise.all(urls.map((url) => healthy(url.replace(/^ws/, 'http'))));
  return {
    kind,
    urls,
    pids: children.map((child) => child.pid!),
    stop: async () => {
      // The server closes its connections and exits on SIGTERM; a node profiled writes its profile then.
      await Promise.all(children.map((child) => kill(child, options.cpuProfileDir ? 'SIGTERM' : 'SIGKILL')));
      rmSync(data, { recursive: true, force: true });
      if (usesRedis) await deleteKeys(prefix);
    },
  };
}

/** Waits for a node's `/healthz` to answer 200 (its Redis connections are up). */
async function healthy(httpUrl: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const status = await fetch(`${httpUrl}/healthz`).then(
      (r) => r.status,
      () => 0,
    );
    if (status === 200) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${httpUrl}/healthz did not turn 200: is Redis running at ${REDIS_URL}?`);
}

/** Removes a run's keys from Redis. */
async function deleteKeys(prefix: string): Promise<void> {
  const redis = new Redis(REDIS_URL);
  try {
    for await (const keys of redis.scanStream({ match: `${prefix}*`, count: 500 })) {
      if ((keys as string[]).length > 0) await redis.unlink(...(keys as string[]));
    }
  } finally {
    redis.disconnect();
  }
}

/** Time a process stopped with SIGTERM has to exit before it is killed, ms (the server allows itself 5 s). */
const TERM_TIMEOUT_MS = 10_000;

function kill(child: ChildProcess, signal: 'SIGKILL' | 'SIGTERM' = 'SIGKILL'): Promise<void> {
  return new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const timer = signal === 'SIGTERM' ? setTimeout(() => child.kill('SIGKILL'), TERM_TIMEOUT_MS) : undefined;
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill(signal);
  });
}

/**
 * Starts a target. A Kuykan kind with `@<ref>` (`kuykan-memory@HEAD~1`) runs the server built in that
 * ref's checkout ({@link addCheckout}) with the same flags.
 */
export async function startTarget(kind: TargetKind, options: StartOptions = {}): Promise<Target> {
  const [base, ref] = [baseKind(kind), kind.split('@')[1]];
  const kuykan = KUYKAN_NODES[base];
  if (kuykan) {
    const checkout = ref === undefined ? root : checkouts.get(ref);
    if (!checkout) throw new Error(`no checkout of ${ref} for target ${kind}: run with --compare ${ref}`);
    return startKuykan(kind, kuykan, checkout, options);
  }
  const args = [
    ...script(kind === 'ceiling' ? 'targets/ceiling' : 'targets/socketio'),
    ...(kind === 'socketio-msgpack' ? ['--msgpack'] : []),
  ];
  const child = launch(SERVER_CORE, args);
  const port = await waitForLine(child, /ready (\d+)/);
  const url = kind === 'ceiling' ? `ws://127.0.0.1:${port}` : `http://127.0.0.1:${port}`;
  return { kind, urls: [url], pids: [child.pid!], stop: () => kill(child) };
}

/** CPU seconds and resident memory of a target's processes together. */
export function sampleAll(pids: number[]): { cpuSeconds: number; rssBytes: number } {
  const samples = pids.map(sample);
  return {
    cpuSeconds: samples.reduce((sum, s) => sum + s.cpuSeconds, 0),
    rssBytes: samples.reduce((sum, s) => sum + s.rssBytes, 0),
  };
}

/**
 * CPU seconds and resident memory of a process, from /proc. CPU time is the sum of every thread's
 * `schedstat` run time (nanoseconds: V8's helper threads and libuv's pool included), which is exact
 * where `stat`'s user + system ticks are rounded to 10 ms, a tenth of a light window's CPU.
 */
export function sample(pid: number): { cpuSeconds: number; rssBytes: number } {
  const rssPages = Number(readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1]);
  return { cpuSeconds: cpuSecondsOf(pid), rssBytes: rssPages * 4096 };
}

function cpuSecondsOf(pid: number): number {
  let ns = 0;
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    try {
      ns += Number(readFileSync(`/proc/${pid}/task/${task}/schedstat`, 'utf8').split(' ')[0]);
    } catch {
      // The thread ended between the listing and the read: its time is lost either way.
    }
  }
  if (ns > 0) return ns / 1e9;
  // No schedstat (a kernel without CONFIG_SCHED_INFO): user + system clock ticks of the whole process.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Whether a process's main thread is running or waiting for a core (state R), rather than asleep. */
export function runnable(pid: number): boolean {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat[stat.lastIndexOf(')') + 2] === 'R';
}

/** A process's open file descriptors and its (soft) limit on them, from /proc. */
export function descriptors(pid: number): { open: number; limit: number } {
  const line = readFileSync(`/proc/${pid}/limits`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('Max open files'));
  const limit = Number(line?.trim().split(/\s+/)[3]);
  return {
    open: readdirSync(`/proc/${pid}/fd`).length,
    limit: Number.isFinite(limit) ? limit : Number.POSITIVE_INFINITY,
  };
}
