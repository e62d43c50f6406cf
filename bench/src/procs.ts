/** Starting targets and load generators as pinned processes, and sampling their CPU and memory. */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TargetKind } from './clients.js';
import type { LoadConfig, LoadResult } from './loadgen.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const here = fileURLToPath(new URL('.', import.meta.url));
export const PINNED = existsSync('/usr/bin/taskset');

/** Runs `args` with a raised descriptor limit, pinned to `core` when taskset exists. */
function launch(core: number, args: string[], env: NodeJS.ProcessEnv = {}): ChildProcess {
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
      0,
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
    child = launch(0, args);
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

/** Runs one load generator to completion (or, for footprint, until `release` resolves). */
export async function runLoad(config: LoadConfig, onConnected?: () => Promise<void>): Promise<LoadResult | undefined> {
  const child = launch(1, [process.execPath, '--import', 'tsx', join(here, 'loadgen.ts'), JSON.stringify(config)]);
  let output = '';
  let errors = '';
  child.stderr!.on('data', (d) => (errors += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (config.rate === 0 && onConnected) {
    // Tens of thousands of connections log in and join one by one: allow minutes, not seconds.
    await waitForLine(child, /connected/, 300_000);
    await onConnected();
    child.stdin!.write('stop\n');
    await exited;
    return undefined;
  }
  child.stdout!.on('data', (d) => (output += d));
  const code = await exited;
  const line = output.trim().split('\n').at(-1) ?? '';
  if (code !== 0 || !line.startsWith('{')) throw new Error(`load generator failed (${code}): ${errors || output}`);
  return JSON.parse(line) as LoadResult;
}
