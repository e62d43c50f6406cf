import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { ClientError, KuykanClient, StateCode } from '../src/node.js';
import type { StateContext } from '../src/types.js';
import { FakeServer } from './fake-server.js';

/** A port nothing listens on: bound, then released. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function connectError(url: string): Promise<ClientError> {
  const client = new KuykanClient(url, { requestTimeoutMs: 5000 });
  const error = await client.connect().catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ClientError);
  expect(client.state).toBe('closed');
  return error as ClientError;
}

describe('KuykanClient connect errors', () => {
  it('carries a refused connection as the cause, in words', async () => {
    const port = await freePort();
    const error = await connectError(`ws://127.0.0.1:${port}`);
    expect(error.code).toBe('CLOSED');
    expect(error.closeCode).toBe(1006);
    expect((error.cause as { code?: string }).code).toBe('ECONNREFUSED');
    expect(error.message).toBe(`could not connect to ws://127.0.0.1:${port}: connection refused (ECONNREFUSED)`);
  });

  it('carries a host that does not resolve as a DNS failure', async () => {
    const error = await connectError('ws://kuykan-does-not-exist.invalid:1');
    // ENOTFOUND where a resolver answers, EAI_AGAIN where none can be reached.
    expect(['ENOTFOUND', 'EAI_AGAIN']).toContain((error.cause as { code?: string }).code);
    expect(error.message).toMatch(/^could not connect to ws:\/\/kuykan-does-not-exist\.invalid:1: .*DNS/);
  });

  it('carries the HTTP status of a refused upgrade', async () => {
    const http: Server = createServer((_, res) => res.end());
    http.on('upgrade', (_req, socket) => socket.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n'));
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    const { port } = http.address() as AddressInfo;
    const error = await connectError(`ws://127.0.0.1:${port}`);
    expect(error.httpStatus).toBe(403);
    expect(error.cause).toBeInstanceOf(Error);
    expect(error.message).toBe(
      `could not connect to ws://127.0.0.1:${port}: the server answered the upgrade with HTTP 403`,
    );
    await new Promise((resolve) => http.close(resolve));
  });

  it('says why each reconnect attempt failed in the state reason', async () => {
    const server = await FakeServer.start();
    const client = new KuykanClient(server.url, { name: 'cause', backoff: { minMs: 10, maxMs: 20 } });
    await client.connect();
    const failed = new Promise<StateContext>((resolve) =>
      client.on('state', (ctx) => ctx.code === StateCode.ATTEMPT_FAILED && resolve(ctx)),
    );
    await server.close(); // nothing listens on the port any more
    const ctx = await failed;
    expect(ctx.reason.message).toMatch(/connection refused \(ECONNREFUSED\)$/);
    await client.close();
  });
});
