/**
 * GET|HEAD /files/<id>[/thumb]: signed, expiring URLs; inline only for
 * decoded raster images; Range, ETag and conditional GET; safety headers on
 * every answer.
 */

import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileErrorCode, messageRef } from '../src/files/index.js';
import { createHttpHandler } from '../src/http.js';
import { ALICE, get, type Harness, put, startFiles, upload } from './fixtures/files/harness.js';
import { png } from './fixtures/files/images.js';

let now = Date.now();
let files: Harness;
const body = randomBytes(10_000);
let blobUrls: { url: string };
let imageUrls: { url: string; thumbUrl?: string };
let blobId: string;

beforeAll(async () => {
  files = await startFiles({}, { fileUrlTtlMs: 60 * 60 * 1000 }, () => now);
  const blob = await upload(files, body, { name: 'Résumé "final".pdf' });
  blobId = blob.answer.json.fileId as string;
  blobUrls = files.service.urlsFor({ fileId: blobId, thumb: false });
  const image = await upload(files, await png(400, 300), { name: 'photo.png' });
  imageUrls = files.service.urlsFor(image.answer.json as { fileId: string; thumb: boolean });
});

afterAll(async () => {
  await files.close();
});

describe('download', () => {
  it('serves a non-image as an octet-stream attachment with its name in both filename forms', async () => {
    const answer = await get(files.base, blobUrls.url);
    expect(answer.status).toBe(200);
    expect(answer.body.equals(body)).toBe(true);
    expect(answer.headers['content-type']).toBe('application/octet-stream');
    expect(answer.headers['content-disposition']).toBe(
      `attachment; filename="R_sum_ _final_.pdf"; filename*=UTF-8''R%C3%A9sum%C3%A9%20%22final%22.pdf`,
    );
    expect(answer.headers['x-content-type-options']).toBe('nosniff');
    expect(answer.headers['content-security-policy']).toBe("sandbox; default-src 'none'");
  });

  it('serves a decoded raster image inline with its type, and its thumbnail', async () => {
    const answer = await get(files.base, imageUrls.url);
    expect(answer.headers['content-type']).toBe('image/png');
    expect(answer.headers['content-disposition']).toMatch(/^inline; filename="photo.png"/);
    const thumb = await get(files.base, imageUrls.thumbUrl!);
    expect(thumb.status).toBe(200);
    expect(thumb.headers['content-type']).toBe('image/webp');
    expect(thumb.headers['x-content-type-options']).toBe('nosniff');
  });

  it('answers a Range with 206 and exactly those bytes', async () => {
    const answer = await get(files.base, blobUrls.url, { range: 'bytes=100-199' });
    expect(answer.status).toBe(206);
    expect(answer.headers['content-range']).toBe('bytes 100-199/10000');
    expect(answer.body.equals(body.subarray(100, 200))).toBe(true);
  });

  it('answers an unsatisfiable Range with 416', async () => {
    const answer = await get(files.base, blobUrls.url, { range: 'bytes=20000-' });
    expect(answer.status).toBe(416);
    expect(answer.headers['content-range']).toBe('bytes */10000');
  });

  it('answers If-None-Match with the ETag by 304 and no body', async () => {
    const first = await get(files.base, blobUrls.url);
    const etag = first.headers.etag!;
    expect(etag).toMatch(/^"[0-9a-f]{64}\.[A-Za-z0-9_-]{8}"$/);
    const again = await get(files.base, blobUrls.url, { 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
  });

  it('answers HEAD with the headers of GET and no body', async () => {
    const answer = await get(files.base, blobUrls.url, {}, 'HEAD');
    expect(answer.status).toBe(200);
    expect(answer.headers['content-length']).toBe('10000');
    expect(answer.headers['content-disposition']).toMatch(/^attachment;/);
    expect(answer.body.length).toBe(0);
  });

  it.each([
    ['without a signature', (url: string) => url.replace(/\?.*$/, '')],
    ['with a tampered signature', (url: string) => url.replace(/s=./, (s) => (s.endsWith('A') ? 's=B' : 's=A'))],
    [
      'with a later expiry than signed',
      (url: string) => url.replace(/e=(\d+)/, (_m, e) => `e=${Number(e) + 3_600_000}`),
    ],
    ['with a thumbnail signature on the file', (_url: string) => imageUrls.thumbUrl!.replace('/thumb', '')],
  ])('refuses a URL %s with 403 UNAUTHORIZED', async (_what, change) => {
    const answer = await get(files.base, change(blobUrls.url));
    expect([answer.status, answer.json.code]).toEqual([403, FileErrorCode.UNAUTHORIZED]);
    expect(answer.headers['x-content-type-options']).toBe('nosniff');
  });

  it('refuses an expired URL with 403', async () => {
    const saved = now;
    now += 25 * 60 * 60 * 1000;
    try {
      const answer = await get(files.base, blobUrls.url);
      expect([answer.status, answer.json.code]).toEqual([403, FileErrorCode.UNAUTHORIZED]);
    } finally {
      now = saved;
    }
  });

  it('answers an unknown id (validly signed) with 404 FILE_INVALID', async () => {
    const unknown = files.service.urlsFor({ fileId: 'A'.repeat(22), thumb: false });
    const answer = await get(files.base, unknown.url);
    expect([answer.status, answer.json.code]).toEqual([404, FileErrorCode.FILE_INVALID]);
  });

  it('answers a file of a deleted message with 404', async () => {
    const { answer: uploaded } = await upload(files, randomBytes(10));
    const fileId = uploaded.json.fileId as string;
    await files.service.attach(ALICE, 'lobby', [fileId], messageRef('lobby', 7));
    const urls = files.service.urlsFor({ fileId, thumb: false });
    expect((await get(files.base, urls.url)).status).toBe(200);
    await files.service.release(messageRef('lobby', 7));
    expect((await get(files.base, urls.url)).status).toBe(404);
  });

  it('answers other methods with 405', async () => {
    const answer = await get(files.base, blobUrls.url, {}, 'DELETE');
    expect(answer.status).toBe(405);
    expect(answer.headers.allow).toBe('GET, HEAD');
  });

  it('signs URLs that expire on the hour, at least fileUrlTtlMs ahead, the same within the hour', () => {
    const at = Date.UTC(2030, 0, 1, 10, 15);
    const first = files.service.urlsFor({ fileId: blobId, thumb: false }, at);
    const later = files.service.urlsFor({ fileId: blobId, thumb: false }, at + 30 * 60 * 1000);
    expect(first.url).toBe(later.url);
    expect(first.url).toContain(`e=${Date.UTC(2030, 0, 1, 12, 0)}`);
  });
});

describe('createHttpHandler with file routes', () => {
  it('hands /files/… to the file service, PUT included, and everything else to its own routes', async () => {
    // Only what the handler reads at creation and per request of these routes.
    const hub = { options: { webRoot: undefined, metricsToken: undefined }, log: { debug() {}, error() {} } };
    const handler = createHttpHandler(hub as never, { connections: () => 0, healthy: () => true }, files.service);
    const server = createServer((request, response) => void handler(request, response));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    try {
      const slot = await files.service.requestSlot(ALICE, { room: 'lobby', name: 'x', size: 3, type: '' });
      expect((await put(base, slot.token, Buffer.from('abc'))).status).toBe(201);
      expect((await get(base, blobUrls.url)).body.equals(body)).toBe(true);
      expect((await get(base, '/elsewhere', {}, 'PUT')).status).toBe(405);
    } finally {
      server.close();
    }
  });
});
