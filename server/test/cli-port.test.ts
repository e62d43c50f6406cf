/**
 * Which port `kuykan-server` listens on: --port, then KUYKAN_PORT, then PORT
 * (what hosting platforms set), then 8080.
 */

import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { CLI, requireBuild } from './process.js';
import { freePort } from './redis.js';

/** Starts the CLI with these args and environment and returns the port it says it listens on. */
async function listeningPort(args: string[], env: Record<string, string>): Promise<number> {
  requireBuild();
  const clean = { ...process.env };
  delete clean.PORT;
  delete clean.KUYKAN_PORT;
  const child = spawn(process.execPath, [CLI, '--host', '127.0.0.1', '--store', 'memory', ...args], {
    env: { ...clean, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  try {
    return await new Promise<number>((resolve, reject) => {
      const onData = (data: Buffer) => {
        output += data;
        const found = /ws:\/\/[^\s)"]+:(\d+)/.exec(output);
        if (found) resolve(Number(found[1]));
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      child.once('exit', (code) => reject(new Error(`server exited ${code}:\n${output}`)));
    });
  } finally {
    child.kill('SIGTERM');
  }
}

describe('kuykan-server port', () => {
  it('takes PORT when neither --port nor KUYKAN_PORT is given', async () => {
    const port = await freePort();
    expect(await listeningPort([], { PORT: String(port) })).toBe(port);
  });

  it('prefers KUYKAN_PORT to PORT', async () => {
    const [mine, platform] = [await freePort(), await freePort()];
    expect(await listeningPort([], { KUYKAN_PORT: String(mine), PORT: String(platform) })).toBe(mine);
  });

  it('prefers --port to both variables', async () => {
    const [flag, mine, platform] = [await freePort(), await freePort(), await freePort()];
    const env = { KUYKAN_PORT: String(mine), PORT: String(platform) };
    expect(await listeningPort(['--port', String(flag)], env)).toBe(flag);
  });

  it('refuses a PORT that is not a port, naming it', async () => {
    await expect(listeningPort([], { PORT: 'eighty' })).rejects.toThrow(/invalid port "eighty"/);
  });
});
