/** Starting targets and load generators as pinned processes, and sampling their CPU and memory. */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
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
  url: string;
  pid: number;
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

export async function startTarget(kind: TargetKind): Promise<Target> {
  let child: ChildProcess;
  let url: string;
  if (kind.startsWith('kuykan')) {
    const store = kind === 'kuykan-sqlite' ? 'sqlite' : 'memory';
    const data = mkdtempSync(join(tmpdir(), 'kuykan-bench-'));
    child = launch(
      SERVER_CORE,
      [
        process.execPath,
        'server/dist/cli.js',
        '--port',
        '0',
        '--host',
        '127.0.0.1',
        '--store',
        store,
        '--data',
        data,
        '--log-level',
        'warn',
      ],
      {
        KUYKAN_LIMITS: JSON.stringify({ sendRate: 1e6, sendBurst: 1e6, maxRoomsPerConnection: 32 }),
      },
    );
    url = await waitForLine(child, /(ws:\/\/[^\s)]+)/);
  } else {
    const script = kind === 'ceiling' ? 'targets/ceiling.ts' : 'targets/socketio.ts';
    const args = [
      process.execPath,
      '--import',
      'tsx',
      join(here, script),
      ...(kind === 'socketio-msgpack' ? ['--msgpack'] : []),
    ];
    child = launch(SERVER_CORE, args);
    const port = await waitForLine(child, /ready (\d+)/);
    url = kind === 'ceiling' ? `ws://127.0.0.1:${port}` : `http://127.0.0.1:${port}`;
  }
  return {
    kind,
    url,
    pid: child.pid!,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      }),
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
