/** Starting targets and load generators as pinned processes, and sampling their CPU and memory. */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import type { TargetKind } from './clients.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const here = fileURLToPath(new URL('.', import.meta.url));
export const PINNED = existsSync('/usr/bin/taskset');

/** The server under test has core 0 to itself. */
const SERVER_CORE = 0;
/**
 * Cores for load-generator workers: every core but the server's (just core 1 on a 2-core machine).
 * Workers beyond this many share cores, which adds file descriptors and memory but no CPU.
 */
export const LOAD_CORES: number[] = Array.from({ length: Math.max(1, cpus().length - 1) }, (_, i) => i + 1);

/** Runs `args` with a raised descriptor limit, pinned to `core` when taskset exists. */
export function launch(core: number, args: string[], env: NodeJS.ProcessEnv = {}): ChildProcess {
  const pin = PINNED ? `exec taskset -c ${core} ` : 'exec ';
  const command = `ulimit -n 65536 2>/dev/null || ulimit -n $(ulimit -Hn); ${pin}"$@"`;
  return spawn('sh', ['-c', command, 'sh', ...args], {
    cwd: root,
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

/**
 * Starts Kuykan node processes, all on the server core: a cluster gets the
 * same CPU as one node, so its figures show what crossing nodes costs.
 */
async function startKuykan(kind: TargetKind, setup: { nodes: number; args: string[] }): Promise<Target> {
  const data = mkdtempSync(join(tmpdir(), 'kuykan-bench-'));
  const prefix = `kuykan-bench:${randomUUID()}:`;
  const children = Array.from({ length: setup.nodes }, () =>
    launch(
      SERVER_CORE,
      [
        process.execPath,
        'server/dist/cli.js',
        ...['--port', '0', '--host', '127.0.0.1', '--data', data, '--log-level', 'warn'],
        // Every load-generator connection comes from 127.0.0.1.
        ...['--max-connections-per-address', '0'],
        ...['--redis-url', REDIS_URL, '--redis-prefix', prefix],
        ...setup.args,
      ],
      { KUYKAN_LIMITS: JSON.stringify({ sendRate: 1e6, sendBurst: 1e6, maxRoomsPerConnection: 32 }) },
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
      await Promise.all(children.map(kill));
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

function kill(child: ChildProcess): Promise<void> {
  return new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

export async function startTarget(kind: TargetKind): Promise<Target> {
  const kuykan = KUYKAN_NODES[kind];
  if (kuykan) return startKuykan(kind, kuykan);
  const script = kind === 'ceiling' ? 'targets/ceiling.ts' : 'targets/socketio.ts';
  const args = [
    process.execPath,
    '--import',
    'tsx',
    join(here, script),
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

/** CPU seconds (user + system) and resident memory of a process, from /proc. */
export function sample(pid: number): { cpuSeconds: number; rssBytes: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  const rssPages = Number(readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1]);
  return { cpuSeconds: ticks / 100, rssBytes: rssPages * 4096 };
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
