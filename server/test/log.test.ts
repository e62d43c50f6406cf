/**
 * The operator's log of one connect–chat–disconnect, from the real CLI with
 * stdout not a terminal: JSON lines only, one per open, login, join, leave,
 * refusal, rate limiting and close, each with the connection id, and never
 * the text of a message.
 */

import { ErrorCode } from '@kuykan/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { RawClient } from './helpers.js';
import { type ServerProcess, spawnServer } from './process.js';

interface Line {
  level: number;
  msg: string;
  session?: string;
  [field: string]: unknown;
}

const SECRET_TEXT = 'ข้อความลับ secret-7f3a';

/** Every stdout line, each of which must be one JSON object. */
function lines(server: ServerProcess): Line[] {
  return server
    .output()
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      try {
        return JSON.parse(line) as Line;
      } catch {
        throw new Error(`not a JSON log line: ${line}`);
      }
    });
}

async function untilLogged(server: ServerProcess, match: (line: Line) => boolean): Promise<Line> {
  for (;;) {
    const found = lines(server).find(match);
    if (found) return found;
    await new Promise<void>((resolve) => server.child.stdout!.once('data', () => resolve()));
  }
}

describe('server log', { timeout: 30_000 }, () => {
  let server: ServerProcess | undefined;
  afterEach(() => {
    server?.child.kill('SIGTERM');
  });

  it('writes one JSON line per connection event with its id and never the message text', async () => {
    server = await spawnServer([
      '--store',
      'memory',
      '--log-level',
      'info',
      '--limits',
      '{"sendRate":1,"sendBurst":1}',
    ]);
    const client = await RawClient.open(server.url);
    const welcome = client.of('welcome')[0]!;
    await client.login('somchai');
    await client.join('lobby');
    const ack = await client.request({ type: 'send', room: 'lobby', clientId: 'c1', text: SECRET_TEXT });
    expect(ack.type).toBe('ack');
    const limited = await client.request({ type: 'send', room: 'lobby', clientId: 'c2', text: SECRET_TEXT });
    expect(limited.type === 'error' && limited.code).toBe(ErrorCode.RATE_LIMITED);
    const bad = await client.request({ type: 'join', room: '' });
    expect(bad.type).toBe('error');
    await client.request({ type: 'leave', room: 'lobby' });
    client.close();

    const closedLine = await untilLogged(server, (l) => l.msg === 'connection closed');
    const all = lines(server);
    const id = welcome.sessionId;
    const of = (msg: string) => all.filter((l) => l.msg === msg && l.session === id);

    expect(all[0]!.msg).toMatch(/^kuykan-server listening on http:\/\/127\.0\.0\.1:\d+ \(ws:\/\//);
    expect(all[0]).toMatchObject({ level: 30, engine: 'local', store: 'memory', nodeVersion: process.version });
    expect(of('connection opened')[0]!.address).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(of('logged in')[0]).toMatchObject({ user: 'somchai' });
    expect(of('joined')[0]).toMatchObject({ room: 'lobby', kind: 'fresh' });
    expect(of('rate limited')[0]).toMatchObject({ code: ErrorCode.RATE_LIMITED, error: 'RATE_LIMITED' });
    expect(of('refused')[0]).toMatchObject({ error: expect.any(String), code: expect.any(Number) });
    expect(of('left')[0]).toMatchObject({ room: 'lobby' });
    expect(closedLine).toMatchObject({ session: id, code: 1005, side: 'client' });
    expect(closedLine.address).toBe(of('connection opened')[0]!.address);
    expect(closedLine.durationMs).toEqual(expect.any(Number));
    expect(server.output()).not.toContain('secret-7f3a');
    expect(server.output()).not.toContain('ข้อความลับ');
  });

  it('logs a close the server made with its code and side', async () => {
    server = await spawnServer(['--store', 'memory', '--log-level', 'info']);
    const client = await RawClient.open(server.url, { hello: false });
    client.send({ type: 'ping', id: 1 });
    const { code } = await client.waitClosed();
    const line = await untilLogged(server, (l) => l.msg === 'connection closed');
    expect(line).toMatchObject({ code, side: 'server' });
  });

  it('logs a refused upgrade with its HTTP status', async () => {
    server = await spawnServer(['--store', 'memory', '--log-level', 'info']);
    await expect(RawClient.open(server.url, { protocol: 'not-kuykan' })).rejects.toThrow();
    const line = await untilLogged(server, (l) => l.msg === 'upgrade refused');
    expect(line).toMatchObject({ status: 400 });
  });

  it('writes readable lines instead of JSON with --log-format pretty (the default on a terminal)', async () => {
    server = await spawnServer(['--store', 'memory', '--log-level', 'info', '--log-format', 'pretty']);
    const first = server.output().split('\n')[0]!;
    expect(first).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] .*INFO.*: kuykan-server listening on http:/);
    expect(() => JSON.parse(first)).toThrow();
  });
});
