/**
 * Images at upload: dimensions, EXIF and GPS stripped from the stored
 * original, thumbnails, animation kept, decompression bombs and polyglots
 * refused or defanged; served types come from the bytes, not the name.
 */

import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileErrorCode } from '../src/files/index.js';
import { get, type Harness, startFiles, stored, upload } from './fixtures/files/harness.js';
import { animatedGif, hasGps, jpegWithGps, png, pngBomb } from './fixtures/files/images.js';

let files: Harness;

beforeAll(async () => {
  files = await startFiles({}, { maxImagePixels: 50_000_000 });
});

afterAll(async () => {
  await files.close();
});

/** Uploads `body` and downloads what is served for it (and its thumbnail, when there is one). */
async function roundTrip(body: Buffer, name: string, type = 'image/png') {
  const { answer } = await upload(files, body, { name, type });
  expect(answer.status).toBe(201);
  const attachment = answer.json as { fileId: string; thumb: boolean };
  const urls = files.service.urlsFor(attachment);
  const served = await get(files.base, urls.url);
  const thumb = urls.thumbUrl ? await get(files.base, urls.thumbUrl) : undefined;
  return { record: answer.json, served, thumb };
}

describe('image upload', () => {
  it('strips EXIF and GPS from the stored original and applies the orientation', async () => {
    const input = await jpegWithGps(64, 48);
    expect(hasGps((await sharp(input).metadata()).exif)).toBe(true);
    const { record, served } = await roundTrip(input, 'holiday.jpg', 'image/jpeg');
    const metadata = await sharp(served.body).metadata();
    expect(metadata.exif).toBeUndefined();
    expect(metadata.xmp).toBeUndefined();
    expect(metadata.orientation).toBeUndefined();
    // Orientation 6 turns 64×48 into 48×64, and the record says so.
    expect([metadata.width, metadata.height]).toEqual([48, 64]);
    expect(record).toMatchObject({
      mediaType: 'image/jpeg',
      width: 48,
      height: 64,
      thumb: true,
      size: served.body.length,
    });
  });

  it('makes a WebP thumbnail no larger than 320 px', async () => {
    const { thumb } = await roundTrip(await png(1600, 900), 'wide.png');
    expect(thumb?.status).toBe(200);
    expect(thumb?.headers['content-type']).toBe('image/webp');
    const metadata = await sharp(thumb!.body).metadata();
    expect(metadata.format).toBe('webp');
    expect([metadata.width, metadata.height]).toEqual([320, 180]);
  });

  it('keeps an animated GIF animated, with a still thumbnail', async () => {
    const { record, served, thumb } = await roundTrip(await animatedGif(3, 400), 'dance.gif', 'image/gif');
    expect(record).toMatchObject({ mediaType: 'image/gif', width: 400, height: 400, thumb: true });
    const original = await sharp(served.body, { animated: true }).metadata();
    expect(original.pages).toBe(3);
    const still = await sharp(thumb!.body, { animated: true }).metadata();
    expect(still.pages ?? 1).toBe(1);
    expect(Math.max(still.width, still.height)).toBeLessThanOrEqual(320);
  });

  it('refuses a decompression bomb with 400 UPLOAD_INVALID before decoding it, storing nothing', async () => {
    const bomb = await pngBomb(20_000, 20_000);
    expect(bomb.length).toBeLessThan(200);
    const before = stored(files).blobs;
    const { answer } = await upload(files, bomb, { name: 'bomb.png', type: 'image/png' });
    expect([answer.status, answer.json.code]).toEqual([400, FileErrorCode.UPLOAD_INVALID]);
    expect(answer.json.message).toMatch(/20000×20000.*limit is 50000000 pixels/);
    expect(stored(files)).toEqual({ blobs: before, spool: [] });
  });

  it('stores bytes sharp cannot decode as a plain file without dimensions or thumbnail', async () => {
    const broken = Buffer.concat([(await png(50, 50)).subarray(0, 60), randomBytes(40)]);
    const { record, served } = await roundTrip(broken, 'broken.png');
    expect(record).toMatchObject({ mediaType: 'image/png', thumb: false });
    expect(record.width).toBeUndefined();
    expect(served.headers['content-type']).toBe('application/octet-stream');
    expect(served.headers['content-disposition']).toMatch(/^attachment;/);
  });
});

describe('sniffing', () => {
  const page = Buffer.from('<!doctype html><html><body><script>alert(document.cookie)</script></body></html>');

  it('stores HTML named cat.png as text/html and serves it only as a download', async () => {
    const { record, served } = await roundTrip(page, 'cat.png', 'image/png');
    expect(record).toMatchObject({ name: 'cat.png', mediaType: 'text/html', thumb: false });
    expect(served.headers['content-type']).toBe('application/octet-stream');
    expect(served.headers['content-disposition']).toMatch(/^attachment; filename="cat.png"/);
    expect(served.headers['x-content-type-options']).toBe('nosniff');
    expect(served.headers['content-security-policy']).toBe("sandbox; default-src 'none'");
  });

  it('stores SVG (scripts and all) as image/svg+xml and serves it only as a download', async () => {
    const svg = Buffer.from(
      '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="9" height="9"/></svg>',
    );
    const { record, served } = await roundTrip(svg, 'logo.png');
    expect(record.mediaType).toBe('image/svg+xml');
    expect(served.headers['content-type']).toBe('application/octet-stream');
    expect(served.headers['content-disposition']).toMatch(/^attachment;/);
  });

  it('never serves a GIF header followed by HTML inline', async () => {
    const polyglot = Buffer.concat([Buffer.from('GIF89a'), page]);
    const { record, served } = await roundTrip(polyglot, 'cat.gif', 'image/gif');
    expect(record).toMatchObject({ mediaType: 'image/gif', thumb: false });
    expect(served.headers['content-type']).toBe('application/octet-stream');
    expect(served.headers['content-disposition']).toMatch(/^attachment;/);
  });

  it('re-encodes a real GIF with HTML appended, so the served bytes carry no HTML', async () => {
    const polyglot = Buffer.concat([await animatedGif(2, 20), page]);
    const { record, served } = await roundTrip(polyglot, 'cat.gif', 'image/gif');
    expect(record).toMatchObject({ mediaType: 'image/gif', width: 20, height: 20 });
    expect(served.headers['content-type']).toBe('image/gif');
    expect(served.headers['content-disposition']).toMatch(/^inline;/);
    expect(served.body.includes(Buffer.from('<script>'))).toBe(false);
  });

  it('takes the type from the bytes, not from the declared type or the name', async () => {
    const { record, served } = await roundTrip(await png(10, 10), 'notes.txt', 'text/plain');
    expect(record).toMatchObject({ mediaType: 'image/png', width: 10, height: 10 });
    expect(served.headers['content-type']).toBe('image/png');
  });

  it('stores UTF-8 text as text/plain, served as a download', async () => {
    const { record, served } = await roundTrip(Buffer.from('สวัสดี plain words\n'), 'hello.txt', 'text/plain');
    expect(record.mediaType).toBe('text/plain');
    expect(served.headers['content-disposition']).toMatch(/^attachment; filename="hello.txt"/);
  });
});
