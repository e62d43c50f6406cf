/**
 * The file lifecycle on each index (memory, SQLite, Redis): content
 * addressing, attach and release, and the collector; and, on Redis, two
 * nodes sharing one chat's files.
 */

import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type FileContext, FileErrorCode, messageRef } from '../src/files/index.js';
import { ALICE, BOB, get, type Harness, put, startFiles, stored, upload } from './fixtures/files/harness.js';
import { png } from './fixtures/files/images.js';
import { tempDir } from './helpers.js';
import { deleteKeys, REDIS_URL, redisMissing, testPrefix } from './redis.js';

const HOUR = 60 * 60 * 1000;
const redisSkipped = await redisMissing('file index');
const prefixes: string[] = [];
const dirs: string[] = [];

/** A temporary directory removed after the file's tests. */
function scratch(prefix: string): string {
  const dir = tempDir(prefix);
  dirs.push(dir);
  return dir;
}

afterAll(async () => {
  for (const prefix of prefixes) await deleteKeys(REDIS_URL, prefix);
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const stores: Array<[string, () => Partial<FileContext>, boolean]> = [
  ['memory', () => ({ store: 'memory' }), false],
  [
    'sqlite',
    () => {
      const dataDir = scratch('kuykan-files-sqlite-');
      return { store: 'sqlite', dataDir, database: new Database(join(dataDir, 'kuykan.db')) };
    },
    false,
  ],
  [
    'redis',
    () => {
      const redisPrefix = testPrefix();
      prefixes.push(redisPrefix);
      return { store: 'redis', redisUrl: REDIS_URL, redisPrefix };
    },
    redisSkipped,
  ],
];

describe.each(stores)('file lifecycle on the %s index', (_kind, context, skipped) => {
  let now = Date.now();
  let files: Harness;

  beforeAll(async () => {
    if (skipped) return;
    files = await startFiles(context(), { unattachedGraceMs: HOUR, releasedGraceMs: HOUR }, () => now);
  });

  afterAll(async () => {
    await files?.close();
  });

  it.skipIf(skipped)('stores one blob for two uploads of the same bytes, under two file ids', async () => {
    const body = randomBytes(4096);
    const before = stored(files).blobs.length;
    const first = await upload(files, body, { name: 'one.bin' });
    const second = await upload(files, body, { name: 'two.bin', user: BOB });
    expect(first.answer.status).toBe(201);
    expect(second.answer.status).toBe(201);
    expect(second.answer.json.fileId).not.toBe(first.answer.json.fileId);
    expect(second.answer.json.name).toBe('two.bin');
    expect(stored(files).blobs.length).toBe(before + 1);
    // Each owner is charged for its file.
    expect(await files.service.usage(BOB)).toBeGreaterThanOrEqual(4096);
  });

  it.skipIf(skipped)('reuses the processed image of known bytes, thumbnail included', async () => {
    const image = await png(500, 500);
    const first = await upload(files, image, { name: 'a.png' });
    const before = stored(files).blobs.length;
    const second = await upload(files, image, { name: 'b.png' });
    expect(second.answer.json).toMatchObject({ width: 500, height: 500, thumb: true, size: first.answer.json.size });
    expect(stored(files).blobs.length).toBe(before);
  });

  it.skipIf(skipped)('attaches the uploader’s files for the room and returns their records', async () => {
    const { answer } = await upload(files, randomBytes(100), { name: 'notes.bin', room: 'lobby' });
    const fileId = answer.json.fileId as string;
    const ref = messageRef('lobby', 1);
    const records = await files.service.attach(ALICE, 'lobby', [fileId], ref);
    expect(records).toEqual([{ fileId, name: 'notes.bin', size: 100, mediaType: 'application/octet-stream', thumb: false }]);
    // The same message again (a retried send) is idempotent.
    expect(await files.service.attach(ALICE, 'lobby', [fileId], ref)).toEqual(records);
  });

  it.skipIf(skipped)(
    'refuses unknown, foreign, other-room, repeated and already attached ids with FILE_INVALID',
    async () => {
      const mine = (await upload(files, randomBytes(50), { room: 'lobby' })).answer.json.fileId as string;
      const other = (await upload(files, randomBytes(50), { room: 'lobby' })).answer.json.fileId as string;
      const bobs = (await upload(files, randomBytes(50), { room: 'lobby', user: BOB })).answer.json.fileId as string;
      const elsewhere = (await upload(files, randomBytes(50), { room: 'kitchen' })).answer.json.fileId as string;
      await files.service.attach(ALICE, 'lobby', [other], messageRef('lobby', 2));
      for (const ids of [['A'.repeat(22)], [bobs], [elsewhere], [mine, mine], [other]]) {
        await expect(files.service.attach(ALICE, 'lobby', ids, messageRef('lobby', 3))).rejects.toMatchObject({
          code: FileErrorCode.FILE_INVALID,
        });
      }
      // All or nothing: the good id in a refused list stays free.
      await expect(files.service.attach(ALICE, 'lobby', [mine, bobs], messageRef('lobby', 3))).rejects.toThrow();
      await expect(files.service.attach(ALICE, 'lobby', [mine], messageRef('lobby', 4))).resolves.toHaveLength(1);
    },
  );

  it.skipIf(skipped)('collects an unattached file and its blob after the grace, and only then', async () => {
    const { answer } = await upload(files, randomBytes(3000), { name: 'orphan.bin' });
    const urls = files.service.urlsFor(answer.json as { fileId: string; thumb: boolean });
    const blobs = stored(files).blobs.length;
    expect((await files.service.collect(now + HOUR / 2)).files).toBe(0);
    const report = await files.service.collect(now + HOUR + 1);
    expect(report.files).toBeGreaterThanOrEqual(1);
    expect(report.blobs).toBeGreaterThanOrEqual(1);
    expect(stored(files).blobs.length).toBeLessThan(blobs);
    expect((await get(files.base, urls.url)).status).toBe(404);
  });

  it.skipIf(skipped)('keeps an attached file, and collects it after its message is released', async () => {
    now += 2 * HOUR;
    const body = randomBytes(2000);
    const { answer } = await upload(files, body);
    const fileId = answer.json.fileId as string;
    await files.service.attach(ALICE, 'lobby', [fileId], messageRef('lobby', 10));
    const usage = await files.service.usage(ALICE);
    expect((await files.service.collect(now + 10 * HOUR)).files).toBe(0);
    expect(await files.service.release(messageRef('lobby', 10))).toBe(1);
    expect((await files.service.collect(now + HOUR / 2)).files).toBe(0);
    await files.service.collect(now + 2 * HOUR);
    expect(await files.service.usage(ALICE)).toBe(usage - 2000);
    // The bytes are gone: a new upload of them stores a new blob.
    const blobs = stored(files).blobs.length;
    now += 3 * HOUR;
    await upload(files, body);
    expect(stored(files).blobs.length).toBe(blobs + 1);
  });

  it.skipIf(skipped)('drops slot records once their token expired', async () => {
    const slot = await files.service.requestSlot(ALICE, { room: 'lobby', name: 'x', size: 5, type: '' });
    expect((await put(files.base, slot.token, randomBytes(5))).status).toBe(201);
    const report = await files.service.collect(slot.expires + 1);
    // Redis expires slot records itself (PEXPIREAT); the others delete them here.
    if (_kind !== 'redis') expect(report.slots).toBeGreaterThanOrEqual(1);
  });
});

describe.skipIf(redisSkipped)('two nodes on one Redis and one shared files directory', () => {
  let a: Harness;
  let b: Harness;

  beforeAll(async () => {
    const redisPrefix = testPrefix();
    prefixes.push(redisPrefix);
    const filesDir = join(scratch('kuykan-files-shared-'), 'files');
    const context = { store: 'redis' as const, redisUrl: REDIS_URL, redisPrefix };
    a = await startFiles(context, { filesDir });
    b = await startFiles(context, { filesDir });
  });

  afterEach(async () => {
    await a.settled(0);
    await b.settled(0);
  });

  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  it('accepts on one node the slot another node issued (one secret, kept in Redis)', async () => {
    const slot = await a.service.requestSlot(ALICE, { room: 'lobby', name: 'x.bin', size: 64, type: '' });
    const answer = await put(b.base, slot.token, randomBytes(64));
    expect(answer.status).toBe(201);
    const urls = a.service.urlsFor(answer.json as { fileId: string; thumb: boolean });
    expect((await get(b.base, urls.url)).status).toBe(200);
  });

  it('detects a slot used twice across nodes', async () => {
    const slot = await a.service.requestSlot(ALICE, { room: 'lobby', name: 'x.bin', size: 64, type: '' });
    const body = randomBytes(64);
    expect((await put(a.base, slot.token, body)).status).toBe(201);
    expect((await put(b.base, slot.token, body)).status).toBe(200);
    const other = await put(b.base, slot.token, randomBytes(64));
    expect([other.status, other.json.code]).toEqual([409, FileErrorCode.SLOT_USED]);
  });
});
