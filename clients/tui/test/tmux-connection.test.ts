/** Connecting, failing, reconnecting and leaving, in a real terminal. */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { KuykanClient } from '@kuykan/sdk';
import { type RunningServer, startServer } from '@kuykan/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Tmux, tmuxAvailable } from './tmux.js';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const run = tmuxAvailable();
const tmux = new Tmux();
const closers: Array<() => Promise<void> | void> = [];

beforeAll(() => {
  if (run && !existsSync(CLI)) throw new Error('clients/tui/dist/cli.js is missing: run npm run build');
});
afterAll(async () => {
  if (!run) return;
  tmux.kill();
  for (const close of closers) await close();
});

/** Runs the client in a shell that reports its exit status, so the screen after exit can be read. */
function client(session: string, args: string): void {
  tmux.start(session, `sh -c '${process.execPath} ${CLI} ${args}; echo "EXITED $?"; sleep 30'`, 100, 24);
}

async function httpServer(status: number): Promise<{ url: string; server: Server }> {
  const server = createServer((_req, res) => res.writeHead(status).end());
  server.on('upgrade', (_req, socket) => socket.end(`HTTP/1.1 ${status} Not Found\r\nContent-Length: 0\r\n\r\n`));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

/** A port nothing listens on: bound, then released. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('--help', () => {
  it('lists every environment variable the client reads', () => {
    const help = execFileSync(process.execPath, [CLI, '--help'], { encoding: 'utf8' });
    for (const name of ['KUYKAN_URL', 'KUYKAN_KEY', 'KUYKAN_WIDTHS', 'KUYKAN_EMOJI_VERSION', 'LANG'])
      expect(help).toContain(name);
  });
});

describe.runIf(run)('connection under tmux', () => {
  it('names the cause of a failed connect and gives the terminal back clean', async () => {
    const refused = await freePort();
    const http = await httpServer(404);
    const cases: Array<[string, string, RegExp]> = [
      ['dns', 'ws://no-such-host.invalid:8080', /host not found \(DNS\)/],
      ['refused', `ws://127.0.0.1:${refused}`, /connection refused/],
      ['http', http.url, /HTTP 404 Not Found/],
    ];
    for (const [session, url] of cases) client(session, `${url} --name someone`);
    for (const [session, url, cause] of cases) {
      // Lines joined: the message may wrap at the terminal's width.
      const screen = (await tmux.waitFor(session, (s) => s.includes('EXITED'), `${session} exit`)).replace(/\n/g, '');
      expect(screen).toContain(`kuykan: cannot connect to ${url}:`);
      expect(screen).toMatch(cause);
      expect(screen).toContain('EXITED 1');
      // The normal screen is back: no frame, no status line, the cursor shown.
      expect(screen).not.toMatch(/Rooms|● (connecting|closed)|lq/);
      expect(tmux.display(session, '#{cursor_flag} #{alternate_on}')).toBe('1 0');
    }
  });

  it('shows reconnect progress in the status bar, one notice in the log, and a failed history load', async () => {
    let server: RunningServer = await startServer({ port: 0, host: '127.0.0.1', store: 'memory', logLevel: 'silent' });
    closers.push(() => server.close());
    const port = Number(new URL(server.url).port);
    // More than one page of history, so scrolling up asks the server for older messages.
    const bot = new KuykanClient(server.url, { name: 'bot' });
    await bot.connect();
    const room = await bot.join('lobby');
    for (let i = 1; i <= 60; i++) await room.send(`message ${i}`);
    await bot.close();

    client('rc', `${server.url} --name rc --room lobby`);
    await tmux.waitFor('rc', (s) => s.includes('message 60'), 'the latest messages');
    expect(await tmux.waitFor('rc', (s) => s.includes('connected to'), 'the server named')).toContain(
      `connected to ${server.url} as rc`,
    );
    await server.close();
    const waiting = await tmux.waitFor('rc', (s) => /reconnecting: attempt [2-9]/.test(s), 'two attempts', 20_000);
    expect(waiting).toMatch(/connection refused/);
    expect(waiting.match(/connection lost/g)).toHaveLength(1);

    for (let i = 0; i < 5; i++) tmux.keys('rc', 'PageUp');
    await tmux.waitFor('rc', (s) => s.includes('could not load older messages'), 'the history error');
    for (let i = 0; i < 6; i++) tmux.keys('rc', 'PageDown');

    server = await startServer({ port, host: '127.0.0.1', store: 'memory', logLevel: 'silent' });
    closers.push(() => server.close());
    // The new server has no history: the client says so (the room was reset) and is open again.
    const back = await tmux.waitFor('rc', (s) => /reconnected/.test(s) && /● open/.test(s), 'the reconnect', 30_000);
    expect(back).toMatch(/reconnected(, but missed messages could not be recovered| to)/);

    tmux.keys('rc', 'C-c');
    const after = await tmux.waitFor('rc', (s) => s.includes('EXITED'), 'exit');
    expect(after).toContain('EXITED 0');
    expect(after).not.toMatch(/● |Rooms/);
  }, 90_000);
});
