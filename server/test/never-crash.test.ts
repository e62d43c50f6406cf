import { CloseCode, decodeFrame, ErrorCode, encodeFrame, type ServerFrame } from '@kuykan/protocol';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { StoreBroker } from '../src/broker/index.js';
import { createCluster } from '../src/cluster/index.js';
import { Hub } from '../src/hub.js';
import { Metrics } from '../src/metrics.js';
import { resolveOptions } from '../src/options.js';
import { Session } from '../src/session.js';
import { MemoryStore } from '../src/store/index.js';

/** The payload of one unmasked WebSocket frame (RFC 6455 §5.2). */
function payloadOf(frame: Buffer): Uint8Array {
  const length = frame[1]! & 0x7f;
  const start = length === 126 ? 4 : length === 127 ? 10 : 2;
  return frame.subarray(start);
}

/** The part of a ws WebSocket a Session uses, recording what it is given. */
class FakeSocket {
  readonly OPEN = 1;
  readyState = 1;
  bufferedAmount = 0;
  readonly sent: ServerFrame[] = [];
  closed: number | undefined;
  /** The TCP socket under it: the server writes its frames there, framed (framing.ts). */
  readonly _socket = {
    write: (frame: Buffer): void => {
      this.sent.push(decodeFrame(payloadOf(frame), { direction: 'server' }));
    },
    cork(): void {},
    uncork(): void {},
  };
  close(code: number): void {
    this.closed = code;
    this.readyState = 3;
  }
  terminate(): void {
    this.readyState = 3;
  }
}

function setup() {
  const options = resolveOptions({ store: 'memory', logLevel: 'silent' });
  const log = pino({ level: 'silent' });
  const hub = new Hub(
    options,
    new StoreBroker(new MemoryStore()),
    createCluster('local', options, log),
    new Metrics({ engine: 'local', store: 'memory' }),
    log,
  );
  const ws = new FakeSocket();
  const session = new Session(ws as never, hub);
  /** Resolves once the session's queue has handled everything received so far. */
  const drained = () => (session as unknown as { tail: Promise<void> }).tail;
  return { options, hub, ws, session, drained };
}

describe('Session', () => {
  it('closes with 1011 after INTERNAL when the welcome cannot be encoded, and its queue stays usable', async () => {
    const { options, ws, session, drained } = setup();
    // Bypasses option validation on purpose: the limit cannot be encoded as a uint.
    options.limits.sendRate = 0.5;
    session.receive(encodeFrame({ type: 'hello', versions: [1], client: 'test' }));
    await expect(drained()).resolves.toBeUndefined();
    expect(ws.sent).toEqual([expect.objectContaining({ type: 'error', code: ErrorCode.INTERNAL })]);
    expect(ws.closed).toBe(CloseCode.INTERNAL_ERROR);
    session.receive(encodeFrame({ type: 'ping', id: 1 }));
    await expect(drained()).resolves.toBeUndefined();
  });

  it('closes with 1011 when handling fails outside any request handler', async () => {
    const { hub, ws, session, drained } = setup();
    session.receive(encodeFrame({ type: 'hello', versions: [1], client: 'test' }));
    await drained();
    const frameIn = hub.metrics.frameIn.bind(hub.metrics);
    hub.metrics.frameIn = () => {
      throw new Error('metrics broke');
    };
    session.receive(encodeFrame({ type: 'ping', id: 1 }));
    await expect(drained()).resolves.toBeUndefined();
    hub.metrics.frameIn = frameIn;
    expect(ws.closed).toBe(CloseCode.INTERNAL_ERROR);
    expect(session.state).toBe('closed');
  });

  it('answers INTERNAL to a request whose handler fails and keeps serving the connection', async () => {
    const { hub, ws, session, drained } = setup();
    session.receive(encodeFrame({ type: 'hello', versions: [1], client: 'test' }));
    session.receive(encodeFrame({ type: 'login', id: 1, name: 'somchai' }));
    await drained();
    hub.store.listRooms = () => Promise.reject(new Error('disk on fire'));
    session.receive(encodeFrame({ type: 'rooms', id: 2 }));
    session.receive(encodeFrame({ type: 'ping', id: 3 }));
    await drained();
    expect(ws.sent.slice(-2)).toEqual([
      expect.objectContaining({ type: 'error', id: 2, code: ErrorCode.INTERNAL }),
      { type: 'pong', id: 3 },
    ]);
    expect(ws.closed).toBeUndefined();
  });
});
