/**
 * A connection's frames of one event-loop turn leave in one write (coalesce.ts):
 * counted at the server's sockets by wrapping net.Socket's write methods, the
 * calls that become a write system call each.
 */

import { Socket } from 'node:net';
import { CloseCode, type ServerFrame } from '@kuykan/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { binaryFrame } from '../src/framing.js';
import { member, type RawClient, startTestServer } from './helpers.js';

/** One write the server's stream handed to the kernel: the chunks it held. */
interface Write {
  chunks: Buffer[];
}

type WriteMethod = (this: Socket, ...args: unknown[]) => unknown;
const proto = Socket.prototype as unknown as { _write: WriteMethod; _writev: WriteMethod };
const original = { _write: proto._write, _writev: proto._writev };

/** Records every write of the server's sockets on `port`, by the client's port. */
function recordWrites(port: number): Map<number, Write[]> {
  const byClient = new Map<number, Write[]>();
  const record = (socket: Socket, chunks: Buffer[]) => {
    if (socket.localPort !== port || socket.remotePort === undefined) return;
    const writes = byClient.get(socket.remotePort) ?? [];
    writes.push({ chunks });
    byClient.set(socket.remotePort, writes);
  };
  proto._write = function (this: Socket, ...args: unknown[]) {
    record(this, [args[0] as Buffer]);
    return original._write.apply(this, args);
  };
  proto._writev = function (this: Socket, ...args: unknown[]) {
    record(
      this,
      (args[0] as Array<{ chunk: Buffer }>).map((c) => c.chunk),
    );
    return original._writev.apply(this, args);
  };
  return byClient;
}

afterEach(() => {
  proto._write = original._write;
  proto._writev = original._writev;
});

/** The server's writes to `client` so far. */
function writesTo(writes: Map<number, Write[]>, client: RawClient): Write[] {
  const port = (client.ws as unknown as { _socket: Socket })._socket.localPort!;
  return writes.get(port) ?? [];
}

const limits = { sendRate: 1e6, sendBurst: 1e6 };

describe('coalesced writes', () => {
  it("sends a send's message echo and its ack to the sender in one write", async () => {
    const server = await startTestServer({ limits });
    const a = await member(server.url, 'wa', 'one-write');
    const writes = recordWrites(server.port);
    const ack = await a.request({ type: 'send', room: 'one-write', clientId: 'c1', text: 'hello' });
    expect(ack.type).toBe('ack');
    expect(a.frames.slice(-2).map((f) => f.type)).toEqual(['message', 'ack']);
    // Unbatched, the echo and the ack are two writes.
    expect(writesTo(writes, a)).toHaveLength(1);
    a.close();
    await server.close();
  });

  it('keeps the order of a burst and writes it in fewer writes than frames, byte for byte as unbatched', async () => {
    const server = await startTestServer({ limits });
    const a = await member(server.url, 'ba', 'burst');
    const b = await member(server.url, 'bb', 'burst');
    const writes = recordWrites(server.port);
    const from = a.frames.length;
    const count = 50;
    // Sent in one go: the server reads them together and answers in one turn.
    for (let n = 1; n <= count; n++)
      a.send({ type: 'send', id: 1000 + n, room: 'burst', clientId: `c${n}`, text: `m${n}` });
    await a.waitFor((f) => f.type === 'ack' && f.id === 1000 + count);
    await b.waitFor((f) => f.type === 'message' && f.text === `m${count}`);

    // The sender sees each message before its ack, in order [MSG-9]; the member sees every message in seq order.
    const seen = a.frames
      .slice(from)
      .map((f: ServerFrame) => (f.type === 'message' ? `m:${f.text}` : `${f.type}:${'id' in f ? f.id : ''}`));
    expect(seen).toEqual(Array.from({ length: count }, (_, i) => [`m:m${i + 1}`, `ack:${1001 + i}`]).flat());
    const seqs = b.of('message').map((m) => m.seq);
    expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
    expect(b.of('message').map((m) => m.text)).toEqual(Array.from({ length: count }, (_, i) => `m${i + 1}`));

    // Unbatched, each member gets one write per message and the sender two.
    expect(writesTo(writes, b).length).toBeLessThan(count / 5);
    expect(writesTo(writes, a).length).toBeLessThan(count / 5);

    // The bytes written are exactly each received payload as one WebSocket frame, in order, nothing else.
    for (const client of [a, b]) {
      const written = Buffer.concat(writesTo(writes, client).flatMap((w) => w.chunks));
      const payloads = client.raw.slice(client.raw.length - (client === a ? 2 * count : count));
      expect(written.equals(Buffer.concat(payloads.map((p) => binaryFrame(p))))).toBe(true);
    }
    a.close();
    b.close();
    await server.close();
  });

  it('keeps a reading peer whose one turn of frames passes the cap: the held bytes are written out first', async () => {
    // 100 messages of 3,000 bytes in one turn: 300 KB held against a 64 KB cap (the least allowed), which the kernel takes.
    const server = await startTestServer({ maxBufferedBytes: 64 * 1024, limits });
    const a = await member(server.url, 'ca', 'cap');
    const b = await member(server.url, 'cb', 'cap');
    const writes = recordWrites(server.port);
    const text = 'x'.repeat(3000);
    const count = 100;
    for (let n = 1; n <= count; n++) a.send({ type: 'send', id: 1000 + n, room: 'cap', clientId: `c${n}`, text });
    await a.waitFor((f) => f.type === 'ack' && f.id === 1000 + count);
    await b.barrier();
    expect(b.closed).toBeUndefined();
    expect(a.closed).toBeUndefined();
    expect(b.of('message')).toHaveLength(count);
    // Still coalesced between the flushes the cap forced.
    expect(writesTo(writes, b).length).toBeLessThan(count);
    a.close();
    b.close();
    await server.close();
  });

  it('still closes a peer that stops reading with 4004 when a burst passes the cap', async () => {
    const server = await startTestServer({ maxBufferedBytes: 256 * 1024, limits });
    const slow = await member(server.url, 'sa', 'stop');
    const fast = await member(server.url, 'sb', 'stop');
    (slow.ws as unknown as { _socket: Socket })._socket.pause();
    const text = 'x'.repeat(3000);
    // Bursts of 100 (300 KB each, more than the cap alone), each acked before the next: 9 MB, more than the kernel buffers.
    for (let burst = 0; burst < 30; burst++) {
      for (let n = 1; n <= 100; n++) {
        fast.send({ type: 'send', id: burst * 1000 + n, room: 'stop', clientId: `c${burst}-${n}`, text });
      }
      await fast.waitFor((f) => f.type === 'ack' && f.id === burst * 1000 + 100);
      fast.frames.length = 0;
      fast.raw.length = 0;
    }
    (slow.ws as unknown as { _socket: Socket })._socket.resume();
    // 4004 when the peer reads up to the close frame within the server's 5 s
    // grace; on a loaded machine the bursts can outlast it and the peer sees
    // the socket cut (1006). Either way the server closed it as a slow consumer.
    expect([CloseCode.SLOW_CONSUMER, 1006]).toContain((await slow.waitClosed(15_000)).code);
    const metrics = await (await fetch(`${server.httpUrl}/metrics`)).text();
    expect(metrics).toContain(`kuykan_connections_closed_total{code="${CloseCode.SLOW_CONSUMER}",side="server"} 1`);
    await fast.barrier();
    expect(fast.closed).toBeUndefined();
    fast.close();
    await server.close();
  });
});
