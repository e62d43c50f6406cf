import type { ChatMessage } from '@kuykan/protocol';
import { CloseCode } from '@kuykan/protocol';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { backoff, ClientError, KuykanClient } from '../src/node.js';
import type { MessageContext } from '../src/types.js';
import { ChaosProxy } from './chaos-proxy.js';
import { connected, startTestServer, until } from './helpers.js';

describe('backoff', () => {
  it('grows exponentially with full jitter, bounded by min/2 and max', () => {
    expect(backoff(0, 500, 30_000, () => 0)).toBe(250);
    expect(backoff(0, 500, 30_000, () => 0.999)).toBe(499);
    expect(backoff(3, 500, 30_000, () => 0.999)).toBe(3996);
    expect(backoff(50, 500, 30_000, () => 0.999)).toBe(29_970);
    fc.assert(
      fc.property(fc.nat(100), fc.double({ min: 0, max: 0.9999, noNaN: true }), (attempt, r) => {
        const delay = backoff(attempt, 100, 5000, () => r);
        return delay >= 50 && delay <= 5000;
      }),
    );
  });
});

describe('reconnect', () => {
  it('resumes after a cut: the gap arrives in order, once, and queued sends go out with their clientId', async () => {
    const server = await startTestServer({ limits: { presenceGraceMs: 2000 } });
    const proxy = await ChaosProxy.start(server.port);
    const reader = await connected(proxy.url, 'resume-reader');
    const writer = await connected(server.url, 'resume-writer');
    const readerRoom = await reader.join('resume');
    const writerRoom = await writer.join('resume');
    const seen: number[] = [];
    readerRoom.on('message', (m: MessageContext) => seen.push(m.message.seq));
    const states: string[] = [];
    reader.on('state', (s) => states.push(s.state));
    await writerRoom.send('before');
    await until(() => seen.length === 1);
    proxy.cutAll();
    const queued = readerRoom.send('sent while cut');
    await writerRoom.send('during 1');
    await writerRoom.send('during 2');
    const ack = await queued;
    await until(() => seen.length === 4, 10_000, 'all four messages');
    expect(seen).toEqual([1, 2, 3, 4]);
    expect(ack.seq).toBe(4);
    expect(states).toContain('reconnecting');
    expect(reader.state).toBe('open');
    await Promise.all([reader.close(), writer.close(), proxy.close(), server.close()]);
  });

  it('emits reset with the latest messages when the server restarts with a new epoch', async () => {
    const first = await startTestServer();
    const port = first.port;
    const client = await connected(first.url, 'reset-user');
    const room = await client.join('reset');
    await room.send('old epoch');
    const oldEpoch = room.epoch;
    const resets: ChatMessage[][] = [];
    // The client may rejoin before or after 'new epoch' is sent: the message then arrives
    // inside the reset or as a live message after it, never both and never before it.
    const afterReset: string[] = [];
    room.on('reset', ({ messages }) => {
      resets.push(messages);
      afterReset.push(...messages.map((m) => m.text));
    });
    room.on('message', ({ message }: MessageContext) => {
      if (resets.length > 0) afterReset.push(message.text);
    });
    await first.close();
    const second = await startTestServer({ port });
    const other = await connected(second.url, 'reset-other');
    await (await other.join('reset')).send('new epoch');
    await until(() => resets.length === 1 && afterReset.length === 1, 15_000, 'reset and new message');
    expect(room.epoch).not.toBe(oldEpoch);
    expect(afterReset).toEqual(['new epoch']);
    expect(resets).toHaveLength(1);
    expect(room.seq).toBe(1);
    await Promise.all([client.close(), other.close()]);
    await second.close();
  });

  it('stops with a TERMINAL error when the server closes with a do-not-reconnect code', async () => {
    const wss = new WebSocketServer({ port: 0, handleProtocols: () => 'kuykan.v1' });
    wss.on('connection', (ws) => ws.close(CloseCode.UNAUTHORIZED, 'token refused'));
    const port = (wss.address() as { port: number }).port;
    const client = new KuykanClient(`ws://127.0.0.1:${port}`, { requestTimeoutMs: 2000 });
    const error = await client.connect().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ClientError);
    expect(client.state).toBe('closed');
    wss.close();
  });
});

describe('queue and timeouts', () => {
  it('queues sends while disconnected up to queueLimit, then rejects with QUEUE_FULL', async () => {
    const server = await startTestServer();
    const proxy = await ChaosProxy.start(server.port);
    const client = await connected(proxy.url, 'queue-user', {
      queueLimit: 2,
      backoff: { minMs: 60_000, maxMs: 60_000 },
    });
    const room = await client.join('queue');
    proxy.cutAll();
    await until(() => client.state === 'reconnecting');
    const a = room.send('one');
    const b = room.send('two');
    const error = await room.send('three').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ClientError);
    expect((error as ClientError).code).toBe('QUEUE_FULL');
    expect(client.queuedMessages).toBe(2);
    await client.close();
    await expect(a).rejects.toMatchObject({ code: 'CLOSED' });
    await expect(b).rejects.toMatchObject({ code: 'CLOSED' });
    await Promise.all([proxy.close(), server.close()]);
  });

  it('fails a request the server never answers with TIMEOUT', async () => {
    const { encodeFrame, DEFAULT_LIMITS } = await import('@kuykan/protocol');
    const wss = new WebSocketServer({ port: 0, handleProtocols: () => 'kuykan.v1' });
    wss.on('connection', (ws) => {
      ws.once('message', () =>
        ws.send(
          encodeFrame({
            type: 'welcome',
            version: 1,
            server: 'mute',
            serverVersion: '0',
            sessionId: 's',
            capabilities: [],
            limits: { ...DEFAULT_LIMITS },
          }),
        ),
      );
    });
    const port = (wss.address() as { port: number }).port;
    const client = new KuykanClient(`ws://127.0.0.1:${port}`, { requestTimeoutMs: 300 });
    await client.connect();
    await expect(client.listRooms()).rejects.toMatchObject({ code: 'TIMEOUT' });
    await client.close();
    wss.close();
  });
});

describe('chaos', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let proxy: ChaosProxy;
  beforeAll(async () => {
    server = await startTestServer({ limits: { presenceGraceMs: 3000, sendRate: 10_000, sendBurst: 10_000 } });
    proxy = await ChaosProxy.start(server.port);
  });
  afterAll(async () => {
    await proxy.close();
    await server.close();
  });

  it('delivers every message exactly once, in seq order, to every member, across random disconnects', async () => {
    let run = 0;
    const action = fc.oneof(
      { weight: 3, arbitrary: fc.record({ kind: fc.constant('send' as const), who: fc.constantFrom(0, 1) }) },
      { weight: 1, arbitrary: fc.constant({ kind: 'cut' as const, who: 0 }) },
    );
    await fc.assert(
      fc.asyncProperty(fc.array(action, { minLength: 30, maxLength: 40 }), async (actions) => {
        const room = `chaos-${run++}`;
        const clients = await Promise.all([0, 1].map((n) => connected(proxy.url, `${room}-u${n}`)));
        const rooms = await Promise.all(clients.map((c) => c.join(room)));
        const seen: number[][] = [[], []];
        rooms.forEach((r, n) => {
          r.on('message', (m: MessageContext) => seen[n]!.push(m.message.seq));
        });
        const sends: Promise<unknown>[] = [];
        let texts = 0;
        for (const step of actions) {
          if (step.kind === 'cut') proxy.cutAll();
          else sends.push(rooms[step.who]!.send(`${room} #${texts++}`));
          await new Promise((r) => setTimeout(r, 2));
        }
        await Promise.all(sends);
        await until(
          () => clients.every((c) => c.state === 'open') && seen.every((s) => s.length === texts),
          30_000,
          'delivery',
        );
        const expected = Array.from({ length: texts }, (_, n) => n + 1);
        expect(seen[0]).toEqual(expected);
        expect(seen[1]).toEqual(expected);
        // History is read on a direct connection: the last action may be a cut whose close
        // event reaches the proxied clients only after the deliveries above.
        const auditor = await connected(server.url, `${room}-audit`);
        const history = await (await auditor.join(room)).history({ after: 0, limit: 100 });
        expect(new Set(history.messages.map((m) => m.text)).size).toBe(texts);
        await Promise.all([...clients, auditor].map((c) => c.close()));
      }),
      { numRuns: 40, seed: 20261125 },
    );
    console.info(`chaos: ${proxy.cuts} connections cut at random points`);
    expect(proxy.cuts).toBeGreaterThanOrEqual(200);
  }, 240_000);
});
