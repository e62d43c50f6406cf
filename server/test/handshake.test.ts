import { CloseCode, DEFAULT_LIMITS, ErrorCode, encodeFrame, LIMITS_SCHEMA } from '@kuykan/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { RunningServer } from '../src/index.js';
import { RawClient, startTestServer } from './helpers.js';

let server: RunningServer;
beforeAll(async () => {
  server = await startTestServer({ origins: ['http://allowed.example'] });
});
afterAll(() => server.close());

describe('handshake', () => {
  it('answers hello with welcome carrying version 1, a session id, capabilities and every limit', async () => {
    const client = await RawClient.open(server.url);
    const welcome = client.of('welcome')[0]!;
    expect(welcome.version).toBe(1);
    expect(welcome.sessionId.length).toBeGreaterThan(5);
    expect(welcome.capabilities).toEqual(expect.arrayContaining(['history', 'typing', 'resume']));
    // A version 1 session gets the limits version 1 defines, none of v2's [VER-2].
    const v1Limits = Object.fromEntries(
      Object.entries(DEFAULT_LIMITS).filter(
        ([name]) => LIMITS_SCHEMA[name as keyof typeof LIMITS_SCHEMA]?.since === undefined,
      ),
    );
    expect(welcome.limits).toEqual(v1Limits);
    client.close();
  });

  it('gives every session a different id', async () => {
    const [a, b] = await Promise.all([RawClient.open(server.url), RawClient.open(server.url)]);
    expect(a.of('welcome')[0]!.sessionId).not.toBe(b.of('welcome')[0]!.sessionId);
    a.close();
    b.close();
  });

  it('refuses a hello without a common version and closes with 4001', async () => {
    const client = await RawClient.open(server.url, { hello: false });
    client.send({ type: 'hello', versions: [3, 4], client: 'future' });
    const error = await client.waitFor((f) => f.type === 'error');
    expect(error).toMatchObject({ code: ErrorCode.UNSUPPORTED_VERSION });
    expect((await client.waitClosed()).code).toBe(CloseCode.UNSUPPORTED_VERSION);
  });

  it('closes with 4002 when the first frame is not hello', async () => {
    const client = await RawClient.open(server.url, { hello: false });
    client.send({ type: 'ping', id: 1 });
    expect(await client.waitFor((f) => f.type === 'error')).toMatchObject({ code: ErrorCode.HANDSHAKE_REQUIRED });
    expect((await client.waitClosed()).code).toBe(CloseCode.HANDSHAKE_VIOLATION);
  });

  it('closes with 4002 when the first frame is malformed', async () => {
    const client = await RawClient.open(server.url, { hello: false });
    client.ws.send(Buffer.from([0xc1]));
    expect(await client.waitFor((f) => f.type === 'error')).toMatchObject({ code: ErrorCode.BAD_FRAME });
    expect((await client.waitClosed()).code).toBe(CloseCode.HANDSHAKE_VIOLATION);
  });

  it.each([
    ['an unknown type', '82a17463a16905'],
    ['a server frame type', '82a17417a16906'],
  ])('answers a first frame of %s with HANDSHAKE_REQUIRED and closes with 4002', async (_what, hex) => {
    const client = await RawClient.open(server.url, { hello: false });
    client.ws.send(Buffer.from(hex, 'hex'));
    expect(await client.waitFor((f) => f.type === 'error')).toMatchObject({ code: ErrorCode.HANDSHAKE_REQUIRED });
    expect((await client.waitClosed()).code).toBe(CloseCode.HANDSHAKE_VIOLATION);
  });

  it.each([
    ['an integral float request id', '82a17409a169cb401c000000000000', undefined],
    ['an integral float type', '82a174cb4022000000000000a16907', 7],
    ['a 5,000-level list under an unknown key', `83a17409a16908a27a7a${'91'.repeat(5000)}c0`, undefined],
    ['a float under an unknown key', '83a17409a16909a27a7acb3ff0000000000000', 9],
  ])('answers a ping with %s with BAD_FRAME, not pong [WIRE-12, WIRE-17]', async (_what, hex, id) => {
    const client = await RawClient.open(server.url);
    client.ws.send(Buffer.from(hex, 'hex'));
    const reply = await client.waitFor((f) => f.type === 'error' || f.type === 'pong');
    expect(reply).toMatchObject({ type: 'error', code: ErrorCode.BAD_FRAME });
    expect((reply as { id?: number }).id).toBe(id);
    client.close();
  });

  it('refuses a room name with invalid UTF-8 instead of joining an altered name [WIRE-15]', async () => {
    const client = await RawClient.open(server.url);
    await client.login('utf8-tester');
    // join {i: 3, r: "lo\xffy"}
    client.ws.send(Buffer.from('83a17403a16903a172a46c6fff79', 'hex'));
    expect(await client.waitFor((f) => f.type === 'error' && f.id === 3)).toMatchObject({ code: ErrorCode.BAD_FRAME });
    expect(client.of('joined')).toEqual([]);
    client.close();
  });

  it('closes with 4002 on a second hello', async () => {
    const client = await RawClient.open(server.url);
    client.send({ type: 'hello', versions: [1], client: 'again' });
    expect(await client.waitFor((f) => f.type === 'error')).toMatchObject({ code: ErrorCode.HANDSHAKE_REQUIRED });
    expect((await client.waitClosed()).code).toBe(CloseCode.HANDSHAKE_VIOLATION);
  });

  it('refuses an upgrade without the kuykan.v1 subprotocol with HTTP 400', async () => {
    const status = await new Promise<number>((resolve) => {
      const ws = new WebSocket(server.url, 'chat');
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('error', () => resolve(-1));
    });
    expect(status).toBe(400);
  });

  it('refuses an origin outside the allow-list with HTTP 403 and accepts one inside it', async () => {
    const status = await new Promise<number>((resolve) => {
      const ws = new WebSocket(server.url, 'kuykan.v1', { origin: 'http://evil.example' });
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('error', () => resolve(-1));
    });
    expect(status).toBe(403);
    const ok = new WebSocket(server.url, 'kuykan.v1', { origin: 'http://allowed.example' });
    await new Promise((resolve, reject) => ok.once('open', resolve).once('error', reject));
    ok.close();
  });

  it('closes with 1003 on a text message', async () => {
    const client = await RawClient.open(server.url);
    client.ws.send('hello as text');
    expect((await client.waitClosed()).code).toBe(CloseCode.UNSUPPORTED_DATA);
  });

  it('closes with 1009 on a message over maxFrameBytes', async () => {
    const client = await RawClient.open(server.url);
    client.ws.send(Buffer.alloc(DEFAULT_LIMITS.maxFrameBytes + 1));
    expect((await client.waitClosed()).code).toBe(CloseCode.MESSAGE_TOO_BIG);
  });

  it('answers a malformed frame after the handshake with BAD_FRAME and its request id, and stays open', async () => {
    const client = await RawClient.open(server.url);
    // A ping whose id is valid but with an extra field of a wrong type elsewhere is fine;
    // a send with a numeric text is malformed.
    client.ws.send(encodeFrame({ type: 'ping', id: 1 }).slice(0, 3));
    const error = await client.waitFor((f) => f.type === 'error');
    expect(error).toMatchObject({ code: ErrorCode.BAD_FRAME });
    const { encode } = await import('@msgpack/msgpack');
    client.ws.send(encode({ t: 5, i: 77, r: 'lobby', c: 'x', x: 42 }));
    expect(await client.waitFor((f) => f.type === 'error' && f.id === 77)).toMatchObject({ code: ErrorCode.BAD_FRAME });
    client.ws.send(encode({ t: 99, i: 78 }));
    expect(await client.waitFor((f) => f.type === 'error' && f.id === 78)).toMatchObject({
      code: ErrorCode.UNKNOWN_TYPE,
    });
    await client.barrier();
    expect(client.closed).toBeUndefined();
    client.close();
  });
});
