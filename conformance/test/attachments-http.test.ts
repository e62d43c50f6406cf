import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hugePng, metadataChunks, png, resolveHttp, send } from '../src/suites/http.js';

/** A server that refuses bodies over 16 bytes at once, and records what it read of each request. */
let server: Server;
let base: URL;
const seen: { length: string | undefined; read: number; complete: boolean }[] = [];

beforeAll(async () => {
  server = createServer((request: IncomingMessage, response) => {
    const entry = { length: request.headers['content-length'], read: 0, complete: false };
    seen.push(entry);
    request.on('data', (chunk: Buffer) => (entry.read += chunk.length));
    request.on('end', () => (entry.complete = true));
    if (Number(request.headers['content-length'] ?? 0) > 16) {
      response.writeHead(413, { connection: 'close' }).end('{"code":104}');
      return;
    }
    request.on('end', () => response.writeHead(201).end('{"fileId":"f"}'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** The chunks of a PNG: type and data. */
function chunks(bytes: Buffer): { type: string; data: Buffer }[] {
  const out: { type: string; data: Buffer }[] = [];
  for (let at = 8; at < bytes.length; ) {
    const length = bytes.readUInt32BE(at);
    out.push({ type: bytes.toString('latin1', at + 4, at + 8), data: bytes.subarray(at + 8, at + 8 + length) });
    at += 12 + length;
  }
  return out;
}

describe('attachment HTTP helpers', () => {
  it('resolves a frame reference against the WebSocket origin, ws to http and wss to https', () => {
    expect(resolveHttp('ws://h:8080/chat', '/files/a?s=1').href).toBe('http://h:8080/files/a?s=1');
    expect(resolveHttp('wss://h/', 'https://cdn/x').href).toBe('https://cdn/x');
    expect(resolveHttp('wss://h/', '/x').protocol).toBe('https:');
  });

  it('gets an early refusal before sending the whole announced body', async () => {
    const body = Buffer.alloc(1 << 20);
    const reply = await send('PUT', base, body, 5_000, { answerBeforeBody: true });
    expect(reply?.status).toBe(413);
    expect(seen.at(-1)!.read).toBeLessThan(body.length);
  });

  it('drops the connection after part of the body for an aborted upload', async () => {
    const reply = await send('PUT', base, Buffer.alloc(12), 5_000, { abortAfter: 5 });
    expect(reply).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(seen.at(-1)).toMatchObject({ length: '12', complete: false });
  });

  it('sends a whole body with its length and reads the answer', async () => {
    const reply = await send('PUT', base, Buffer.from('0123456789'), 5_000);
    expect(reply?.status).toBe(201);
    expect(seen.at(-1)).toMatchObject({ length: '10', read: 10, complete: true });
  });
});

describe('PNG builder', () => {
  it('builds an image of the asked size whose pixel data inflates to its rows', () => {
    const image = png(5, 3, metadataChunks());
    const parts = chunks(image);
    expect(parts.map((c) => c.type)).toEqual(['IHDR', 'eXIf', 'iTXt', 'tEXt', 'IDAT', 'IEND']);
    expect(parts[0]!.data.readUInt32BE(0)).toBe(5);
    expect(parts[0]!.data.readUInt32BE(4)).toBe(3);
    expect(inflateSync(parts[4]!.data).length).toBe(3 * (1 + 5 * 3));
  });

  it('claims 100000 × 100000 pixels in a few kilobytes', () => {
    const bomb = hugePng();
    expect(bomb.length).toBeLessThan(8_192);
    expect(chunks(bomb)[0]!.data.readUInt32BE(0)).toBe(100_000);
  });
});
