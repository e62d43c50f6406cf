import type net from 'node:net';
import { CloseCode } from '@kuykan/protocol';
import { describe, expect, it } from 'vitest';
import { member, RawClient, startTestServer } from './helpers.js';

describe('slow consumers', () => {
  it('closes a connection whose unsent bytes pass the cap with 4004, and keeps serving the others', async () => {
    const server = await startTestServer({ maxBufferedBytes: 256 * 1024, limits: { sendRate: 1e6, sendBurst: 1e6 } });
    const slow = await member(server.url, 'slow', 'flood');
    // Stop reading: the kernel buffers fill, then the server's queue grows.
    const socket = (slow.ws as unknown as { _socket: net.Socket })._socket;
    socket.pause();
    const fast = await member(server.url, 'fast', 'flood');
    const text = 'x'.repeat(3000);
    let acked = 0;
    for (let n = 0; n < 2000 && !slow.closed; n++) {
      const reply = await fast.request({ type: 'send', room: 'flood', clientId: `f${n}`, text });
      if (reply.type === 'ack') acked++;
      fast.frames.length = 0;
    }
    socket.resume();
    expect((await slow.waitClosed(15_000)).code).toBe(CloseCode.SLOW_CONSUMER);
    await fast.barrier();
    expect(fast.closed).toBeUndefined();
    expect(acked).toBeGreaterThan(0);
    fast.close();
    await server.close();
  });

  it('lets a reader that catches up resume without loss after being cut off', async () => {
    const server = await startTestServer({ limits: { sendRate: 1e6, sendBurst: 1e6 } });
    const a = await member(server.url, 'ra', 'resume-after-cut');
    const b = await member(server.url, 'rb', 'resume-after-cut');
    for (let n = 1; n <= 5; n++)
      await a.request({ type: 'send', room: 'resume-after-cut', clientId: `c${n}`, text: `m${n}` });
    await b.barrier();
    const { epoch } = b.of('joined')[0]!;
    b.close();
    for (let n = 6; n <= 8; n++)
      await a.request({ type: 'send', room: 'resume-after-cut', clientId: `c${n}`, text: `m${n}` });
    const back = await RawClient.open(server.url);
    await back.login('rb', 'key-rb');
    const joined = await back.request({ type: 'join', room: 'resume-after-cut', epoch, seq: 5 });
    expect(joined.type === 'joined' && joined.messages.map((m) => m.seq)).toEqual([6, 7, 8]);
    a.close();
    back.close();
    await server.close();
  });
});
