import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from './helpers.js';
import { CLI, requireBuild } from './process.js';

interface Exit {
  code: number | null;
  stderr: string;
  ms: number;
}

/** Runs the CLI until it exits on its own (a hang fails the test after 10 s). */
/**
 * As root every directory is writable, so that case runs the server as nobody (uid 65534); that
 * needs node and the checkout to be reachable by nobody, which a checkout under a private
 * directory is not.
 */
const NOBODY_CAN_RUN =
  process.getuid?.() !== 0 ||
  spawnSync(process.execPath, ['-e', `require('node:fs').accessSync(${JSON.stringify(CLI)})`], { uid: 65534 })
    .status === 0;
if (!NOBODY_CAN_RUN) {
  console.warn('\n*** SKIPPING the unwritable-data-directory case: uid 65534 cannot reach node or this checkout\n');
}

function runCli(args: string[], env: Record<string, string> = {}, uid?: number): Promise<Exit> {
  requireBuild();
  const started = Date.now();
  const child = spawn(process.execPath, [CLI, '--host', '127.0.0.1', '--port', '0', ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(uid === undefined ? {} : { uid, gid: uid }),
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`kuykan-server did not exit within 10 s:\n${stderr}`));
    }, 10_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr, ms: Date.now() - started });
    });
  });
}

describe('kuykan-server start-up', () => {
  it.each([
    ['--limits', '{"sendRate":0.5}', 'limits.sendRate', '0.5'],
    ['--limits', '{"sendRate":-1}', 'limits.sendRate', '-1'],
    ['--limits', '{"heartbeatMs":0}', 'limits.heartbeatMs', '0'],
    ['--limits', '{"sendRaet":5}', 'unknown limit "sendRaet"', 'sendRaet'],
    ['--limits', '{"__proto__":{"sendRate":1}}', 'unknown limit "__proto__"', '__proto__'],
    ['--limits', '[1]', 'limits must be an object', '[1]'],
  ])('refuses %s %s naming the flag and the bad value', async (flag, value, what, bad) => {
    const exit = await runCli(['--store', 'memory', flag, value]);
    expect(exit.code).not.toBe(0);
    expect(exit.stderr).toContain(`${flag} ${value}`);
    expect(exit.stderr).toContain(what);
    expect(exit.stderr).toContain(bad);
  });

  it.each(['9100', 'localhost', 'host:99999'])(
    'refuses --metrics-listen %s naming the expected form',
    async (value) => {
      const exit = await runCli(['--store', 'memory', '--metrics-listen', value]);
      expect(exit.code).not.toBe(0);
      expect(exit.stderr).toContain(`--metrics-listen: expected HOST:PORT (e.g. 127.0.0.1:9100), got "${value}"`);
    },
  );

  it('names KUYKAN_LIMITS when the bad limits come from the environment', async () => {
    const exit = await runCli(['--store', 'memory'], { KUYKAN_LIMITS: '{"sendBurst":1.5}' });
    expect(exit.code).not.toBe(0);
    expect(exit.stderr).toContain('KUYKAN_LIMITS {"sendBurst":1.5}: limits.sendBurst must be a non-negative integer');
  });

  it('exits naming the path when the data directory cannot be created', async () => {
    const exit = await runCli(['--data', '/proc/kuykan']);
    expect(exit.code).not.toBe(0);
    expect(exit.stderr).toContain('--data: data directory /proc/kuykan: cannot create /proc/kuykan');
  });

  it('exits naming the path when the data directory is a file', async () => {
    const dir = tempDir();
    const file = join(dir, 'not-a-dir');
    writeFileSync(file, 'x');
    const exit = await runCli(['--data', join(file, 'data')]);
    expect(exit.code).not.toBe(0);
    expect(exit.stderr).toContain(`${file} is not a directory`);
  });

  it.skipIf(!NOBODY_CAN_RUN)('exits naming the path when the data directory is not writable', async () => {
    const dir = tempDir();
    chmodSync(dir, 0o755);
    const readOnly = join(dir, 'read-only');
    mkdirSync(readOnly);
    chmodSync(readOnly, 0o555);
    // root may write anywhere: run the server as nobody to see the refusal.
    const uid = process.getuid?.() === 0 ? 65534 : undefined;
    const exit = await runCli(['--data', readOnly], {}, uid);
    expect(exit.code).not.toBe(0);
    expect(exit.stderr).toContain(`data directory ${readOnly} is not writable`);
  });

  it('exits naming the file when the database file is corrupt', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'kuykan.db'), 'this is not a SQLite database, it is a text file of some length');
    const exit = await runCli(['--data', dir]);
    expect(exit.code).not.toBe(0);
    expect(exit.stderr).toContain(`cannot open the SQLite database ${join(dir, 'kuykan.db')}: file is not a database`);
    // Reported for the operator: the time from spawn to exit.
    console.info(`corrupt database: exited ${exit.code} after ${exit.ms} ms`);
  });
});
