import { afterEach, describe, expect, it } from 'vitest';
import { member, RawClient, tempDir } from './helpers.js';
import { type ServerProcess, spawnServer } from './process.js';

let running: ServerProcess | undefined;
afterEach(() => {
  running?.child.kill('SIGKILL');
  running = undefined;
});

describe('durability', () => {
  it('keeps every acknowledged message, the seq and the epoch across kill -9 with the SQLite store', async () => {
    const data = tempDir('kuykan-durable-');
    const limits = JSON.stringify({ sendRate: 100000, sendBurst: 100000 });
    running = await spawnServer(['--store', 'sqlite', '--data', data, '--limits', limits]);
    const writer = await member(running.url, 'writer', 'durable');
    const { epoch } = writer.of('joined')[0]!;
    // Fire many sends without waiting, so several group commits are in flight when we kill.
    const acks: number[] = [];
    const pending = Array.from({ length: 300 }, (_, n) =>
      writer.request({ type: 'send', room: 'durable', clientId: `d${n}`, text: `durable ${n}` }).then(
        (reply) => {
          if (reply.type === 'ack') acks.push(reply.seq);
        },
        () => undefined,
      ),
    );
    await writer.waitFor((f) => f.type === 'ack' && f.seq >= 150, 20_000);
    running.child.kill('SIGKILL');
    await running.exited;
    await Promise.allSettled(pending);
    expect(acks.length).toBeGreaterThanOrEqual(150);

    running = await spawnServer(['--store', 'sqlite', '--data', data, '--limits', limits]);
    const reader = await RawClient.open(running.url);
    await reader.login('reader');
    const joined = await reader.request({ type: 'join', room: 'durable', epoch, seq: 0 });
    if (joined.type !== 'joined') throw new Error(JSON.stringify(joined));
    expect(joined.epoch).toBe(epoch);
    expect(joined.recovered).toBe(true);
    const stored = new Set(joined.messages.map((m) => m.seq));
    for (const seq of acks) expect(stored.has(seq)).toBe(true);
    expect(joined.messages.map((m) => m.seq)).toEqual(Array.from({ length: joined.seq }, (_, n) => n + 1));
    const next = await reader.request({ type: 'send', room: 'durable', clientId: 'after-restart', text: 'next' });
    expect(next).toMatchObject({ type: 'ack', seq: joined.seq + 1 });
    // The client ids survived too: a retry after the crash is still idempotent.
    const retry = await reader.request({ type: 'send', room: 'durable', clientId: 'after-restart', text: 'next' });
    expect(retry).toMatchObject({ type: 'ack', seq: joined.seq + 1 });
    console.info(`durability: ${acks.length} acked before kill -9, ${joined.seq} in the log after restart, none lost`);
    reader.close();
  });

  it('changes the epoch when a memory-store server restarts, so resume reports recovered false', async () => {
    running = await spawnServer(['--store', 'memory']);
    const a = await member(running.url, 'mem', 'volatile');
    await a.request({ type: 'send', room: 'volatile', clientId: 'v1', text: 'gone soon' });
    const { epoch } = a.of('joined')[0]!;
    running.child.kill('SIGKILL');
    await running.exited;
    running = await spawnServer(['--store', 'memory']);
    const b = await RawClient.open(running.url);
    await b.login('mem');
    const joined = await b.request({ type: 'join', room: 'volatile', epoch, seq: 1 });
    expect(joined).toMatchObject({ type: 'joined', recovered: false, seq: 0, messages: [] });
    expect(joined.type === 'joined' && joined.epoch).not.toBe(epoch);
    b.close();
  });
});

describe('graceful shutdown', () => {
  it('closes clients with 1012 and exits 0 within 5 s on SIGTERM', async () => {
    running = await spawnServer(['--store', 'sqlite', '--data', tempDir()]);
    const a = await member(running.url, 'bye', 'shutdown');
    const started = Date.now();
    running.child.kill('SIGTERM');
    expect((await a.waitClosed()).code).toBe(1012);
    expect(await running.exited).toBe(0);
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
