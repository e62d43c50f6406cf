import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const serverCli = join(root, 'server/dist/cli.js');
const conformanceCli = join(root, 'conformance/dist/cli.js');
const built = existsSync(serverCli) && existsSync(conformanceCli);
if (!built) {
  const message = 'bin test needs `npm run build` (server/dist/cli.js and conformance/dist/cli.js)';
  if (process.env.CI) throw new Error(message);
  console.warn(`SKIPPING: ${message}`);
}

describe.skipIf(!built)('kuykan-conformance binary against the kuykan-server binary', () => {
  it('connects to the URL the server prints and exits 0', async () => {
    const server = spawn(
      process.execPath,
      [
        serverCli,
        '--port',
        '0',
        '--host',
        '127.0.0.1',
        '--store',
        'memory',
        '--data',
        mkdtempSync(join(tmpdir(), 'kuykan-conf-bin-')),
      ],
      {
        env: {
          ...process.env,
          KUYKAN_LIMITS: JSON.stringify({ presenceGraceMs: 300, sendRate: 500, sendBurst: 500 }),
          KUYKAN_LOG_LEVEL: 'silent',
        },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        server.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const match = /ws:\/\/[^\s)]+/.exec(out);
          if (match) resolve(match[0]);
        });
        server.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
      });
      const run = spawnSync(process.execPath, [conformanceCli, url, '--seed', '5', '--only', 'messages,rooms,ping'], {
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(run.status).toBe(0);
      expect(run.stdout).toContain('RESULT: no failure in the selected tests');
      const bad = spawnSync(process.execPath, [conformanceCli, url, '--only', 'NOTHING']);
      expect(bad.status).toBe(2);
    } finally {
      server.kill();
    }
  }, 90_000);
});
