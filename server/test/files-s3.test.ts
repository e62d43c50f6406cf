/**
 * The S3 blob store against a real S3-compatible server (s3rver, started
 * here on a free loopback port): multipart upload, content addressing,
 * Range, ETag and HEAD relayed, and the collector deleting objects.
 */

import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileErrorCode, type S3BlobStoreOptions } from '../src/files/index.js';
import { get, type Harness, put, startFiles, upload } from './fixtures/files/harness.js';
import { jpegWithGps } from './fixtures/files/images.js';
import { tempDir } from './helpers.js';

const HOUR = 60 * 60 * 1000;
let s3rver: S3rver;
let s3: S3BlobStoreOptions;
let client: S3Client;
let files: Harness;
let now = Date.now();
const s3rverDir = tempDir('kuykan-s3rver-');

beforeAll(async () => {
  s3rver = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory: s3rverDir,
    configureBuckets: [{ name: 'kuykan-files' }],
  });
  const { port } = await s3rver.run();
  s3 = {
    bucket: 'kuykan-files',
    endpoint: `http://127.0.0.1:${port}`,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  };
  client = new S3Client({ ...s3, forcePathStyle: true });
  files = await startFiles({}, { s3, maxUploadBytes: 16 * 1024 * 1024 }, () => now);
});

afterAll(async () => {
  await files?.close();
  client?.destroy();
  await s3rver?.close();
  rmSync(s3rverDir, { recursive: true, force: true });
});

async function objectKeys(): Promise<string[]> {
  const listed = await client.send(new ListObjectsV2Command({ Bucket: 'kuykan-files' }));
  return (listed.Contents ?? []).map((object) => object.Key!).sort();
}

describe('S3 blob store', () => {
  const big = randomBytes(9 * 1024 * 1024 + 123);
  let url: string;

  it('stores a 9 MiB upload (multipart) as one object under blobs/', async () => {
    const { answer } = await upload(files, big, { name: 'big.bin' });
    expect(answer.status).toBe(201);
    url = files.service.urlsFor(answer.json as { fileId: string; thumb: boolean }).url;
    const keys = await objectKeys();
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatch(/^blobs\/[0-9a-f]{2}\/[0-9a-f]{64}\.[A-Za-z0-9_-]{8}$/);
  });

  it('stores nothing new for the same bytes again', async () => {
    const { answer } = await upload(files, big, { name: 'again.bin' });
    expect(answer.status).toBe(201);
    expect(await objectKeys()).toHaveLength(1);
  });

  it('serves the whole object with our headers', async () => {
    const answer = await get(files.base, url);
    expect(answer.status).toBe(200);
    expect(answer.body.equals(big)).toBe(true);
    expect(answer.headers['content-disposition']).toMatch(/^attachment; filename="big.bin"/);
    expect(answer.headers['x-content-type-options']).toBe('nosniff');
    expect(answer.headers['content-security-policy']).toBe("sandbox; default-src 'none'");
  });

  it('passes a Range to GetObject and relays 206 with the right bytes', async () => {
    const answer = await get(files.base, url, { range: 'bytes=5000000-5000099' });
    expect(answer.status).toBe(206);
    expect(answer.headers['content-range']).toBe(`bytes 5000000-5000099/${big.length}`);
    expect(answer.body.equals(big.subarray(5_000_000, 5_000_100))).toBe(true);
  });

  it('answers a matching If-None-Match with 304, and HEAD with the length', async () => {
    const etag = (await get(files.base, url, {}, 'HEAD')).headers.etag!;
    expect((await get(files.base, url, { 'if-none-match': etag })).status).toBe(304);
    const head = await get(files.base, url, {}, 'HEAD');
    expect([head.status, head.headers['content-length'], head.body.length]).toEqual([200, String(big.length), 0]);
  });

  it('stores an image without its EXIF, and its thumbnail', async () => {
    const { answer } = await upload(files, await jpegWithGps(640, 480), { name: 'photo.jpg' });
    expect(answer.json).toMatchObject({ mediaType: 'image/jpeg', width: 480, height: 640, thumb: true });
    const urls = files.service.urlsFor(answer.json as { fileId: string; thumb: boolean });
    expect((await sharp((await get(files.base, urls.url)).body).metadata()).exif).toBeUndefined();
    const thumb = await get(files.base, urls.thumbUrl!);
    expect((await sharp(thumb.body).metadata()).height).toBe(320);
    expect(await objectKeys()).toHaveLength(3);
  });

  it('keeps nothing in the bucket of an upload refused for its size', async () => {
    const slot = await files.service.requestSlot(
      { key: 'carol', name: 'Carol' },
      { room: 'r', name: 'x', size: 1000, type: '' },
    );
    const answer = await put(files.base, slot.token, randomBytes(5000), { chunked: true });
    expect([answer.status, answer.json.code]).toEqual([413, FileErrorCode.TOO_LARGE]);
    expect(await objectKeys()).toHaveLength(3);
  });

  it('deletes the objects of collected files', async () => {
    now += 2 * HOUR;
    const report = await files.service.collect();
    expect(report.files).toBe(3);
    expect(report.blobs).toBe(2);
    expect(await objectKeys()).toEqual([]);
    expect((await get(files.base, url)).status).toBe(404);
  });
});
