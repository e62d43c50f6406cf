/**
 * PUT /files/upload: every bad input of issue 18 gets its exact status and
 * code, and leaves nothing half-stored (no blob, no spool file, no usage).
 */

import { randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileErrorCode } from '../src/files/index.js';
import { ALICE, BOB, type Harness, put, startFiles, stored, upload } from './fixtures/files/harness.js';

let files: Harness;

beforeEach(async () => {
  files = await startFiles({}, { maxUploadBytes: 1024 * 1024, uploadQuotaBytes: 3 * 1024 * 1024 });
});

afterEach(async () => {
  await files.close();
});

async function slot(size: number, name = 'data.bin') {
  return files.service.requestSlot(ALICE, { room: 'lobby', name, size, type: 'application/octet-stream' });
}

/** Nothing of a refused upload remains: no blob, no spool file, no bytes counted. */
async function expectNothingStored(): Promise<void> {
  expect(stored(files)).toEqual({ blobs: [], spool: [] });
  expect(await files.service.usage(ALICE)).toBe(0);
}

describe('upload', () => {
  it('stores the body and answers 201 with the file record', async () => {
    const body = randomBytes(1000);
    const { answer } = await upload(files, body, { name: 'report.bin' });
    expect(answer.status).toBe(201);
    expect(answer.json).toMatchObject({
      name: 'report.bin',
      size: 1000,
      mediaType: 'application/octet-stream',
      thumb: false,
    });
    expect(answer.json.fileId).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(stored(files).blobs).toHaveLength(1);
    expect(stored(files).spool).toEqual([]);
  });

  it('refuses a slot of 0 bytes with UPLOAD_INVALID', async () => {
    await expect(slot(0)).rejects.toMatchObject({ code: FileErrorCode.UPLOAD_INVALID });
  });

  it('refuses a slot over maxUploadBytes with UPLOAD_INVALID [ATT-1]', async () => {
    await expect(slot(1024 * 1024 + 1)).rejects.toMatchObject({ code: FileErrorCode.UPLOAD_INVALID });
  });

  it('refuses a zero-byte body with 400 UPLOAD_INVALID, and the slot stays usable', async () => {
    const { token } = await slot(10);
    const answer = await put(files.base, token, Buffer.alloc(0));
    expect([answer.status, answer.json.code]).toEqual([400, FileErrorCode.UPLOAD_INVALID]);
    await expectNothingStored();
    expect((await put(files.base, token, randomBytes(10))).status).toBe(201);
  });

  it('refuses a Content-Length over the slot size with 413 TOO_LARGE before reading the body', async () => {
    const { token } = await slot(100);
    const answer = await put(files.base, token, randomBytes(200));
    expect([answer.status, answer.json.code]).toEqual([413, FileErrorCode.TOO_LARGE]);
    expect(answer.headers.connection).toBe('close');
    await expectNothingStored();
  });

  it('refuses a Content-Length over maxUploadBytes with 413 even when the body is never sent', async () => {
    const { token } = await slot(1024 * 1024);
    // 5 GiB declared, 10 bytes sent: the answer cannot depend on reading the body.
    const answer = await put(files.base, token, randomBytes(10), { contentLength: 5 * 1024 ** 3 });
    expect([answer.status, answer.json.code]).toEqual([413, FileErrorCode.TOO_LARGE]);
    await expectNothingStored();
  });

  it('counts a chunked body and cuts it at the slot size with 413 TOO_LARGE', async () => {
    const { token } = await slot(100_000);
    const answer = await put(files.base, token, randomBytes(300_000), { chunked: true });
    expect([answer.status, answer.json.code]).toEqual([413, FileErrorCode.TOO_LARGE]);
    await expectNothingStored();
  });

  it('accepts a chunked body of exactly the slot size', async () => {
    const { token } = await slot(100_000);
    expect((await put(files.base, token, randomBytes(100_000), { chunked: true })).status).toBe(201);
  });

  it('refuses a chunked body shorter than the slot with 400 UPLOAD_INVALID', async () => {
    const { token } = await slot(1000);
    const answer = await put(files.base, token, randomBytes(999), { chunked: true });
    expect([answer.status, answer.json.code]).toEqual([400, FileErrorCode.UPLOAD_INVALID]);
    await expectNothingStored();
  });

  it('refuses a Content-Length under the slot size with 400 UPLOAD_INVALID', async () => {
    const { token } = await slot(1000);
    const answer = await put(files.base, token, randomBytes(999));
    expect([answer.status, answer.json.code]).toEqual([400, FileErrorCode.UPLOAD_INVALID]);
  });

  it.each([
    ['a missing token', ''],
    ['a malformed token', 'Bearer nonsense'],
    ['another scheme', 'Basic YWxpY2U6cHc='],
  ])('refuses %s with 401 UNAUTHORIZED', async (_what, authorization) => {
    const answer = await put(files.base, '', randomBytes(10), { authorization });
    expect([answer.status, answer.json.code]).toEqual([401, FileErrorCode.UNAUTHORIZED]);
    expect(answer.headers['www-authenticate']).toMatch(/^Bearer/);
    await expectNothingStored();
  });

  it('refuses a tampered token (a claim changed, the signature kept) with 401', async () => {
    const { token } = await slot(10);
    const [payload, mac] = token.split('.') as [string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const forged = Buffer.from(JSON.stringify({ ...claims, size: 1_000_000 })).toString('base64url');
    const answer = await put(files.base, `${forged}.${mac}`, randomBytes(1_000_000));
    expect([answer.status, answer.json.code]).toEqual([401, FileErrorCode.UNAUTHORIZED]);
    await expectNothingStored();
  });

  it('refuses a token signed with another secret with 401', async () => {
    const other = await startFiles({}, { secret: 'another-secret-of-enough-length' });
    try {
      const { token } = await other.service.requestSlot(ALICE, { room: 'lobby', name: 'a', size: 10, type: '' });
      const answer = await put(files.base, token, randomBytes(10));
      expect([answer.status, answer.json.code]).toEqual([401, FileErrorCode.UNAUTHORIZED]);
    } finally {
      await other.close();
    }
  });

  it('refuses an expired token with 401', async () => {
    let now = Date.now();
    const clocked = await startFiles({}, { slotTtlMs: 1000 }, () => now);
    try {
      const { token } = await clocked.service.requestSlot(ALICE, { room: 'lobby', name: 'a', size: 10, type: '' });
      now += 1001;
      const answer = await put(clocked.base, token, randomBytes(10));
      expect([answer.status, answer.json.code]).toEqual([401, FileErrorCode.UNAUTHORIZED]);
      expect(stored(clocked)).toEqual({ blobs: [], spool: [] });
    } finally {
      await clocked.close();
    }
  });

  it('answers a retry with the same bytes 200 and the same file, storing nothing new', async () => {
    const body = randomBytes(500);
    const { token } = await slot(500);
    const first = await put(files.base, token, body);
    const again = await put(files.base, token, body);
    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    expect(again.json).toEqual(first.json);
    expect(stored(files).blobs).toHaveLength(1);
    expect(await files.service.usage(ALICE)).toBe(500);
  });

  it('refuses a second use of a slot with other bytes with 409 SLOT_USED', async () => {
    const { token } = await slot(500);
    expect((await put(files.base, token, randomBytes(500))).status).toBe(201);
    const answer = await put(files.base, token, randomBytes(500));
    expect([answer.status, answer.json.code]).toEqual([409, FileErrorCode.SLOT_USED]);
    expect(stored(files).blobs).toHaveLength(1);
    expect(stored(files).spool).toEqual([]);
  });

  it('refuses a concurrent upload to a slot in progress with 409 SLOT_USED', async () => {
    const { token } = await slot(200_000);
    const body = randomBytes(200_000);
    // The first upload sends half its body and waits: its lease holds the slot.
    const { request: slow, answered } = startSlowPut(files.base, token, body);
    await eventually(async () => stored(files).spool.length === 1);
    const second = await put(files.base, token, body);
    expect([second.status, second.json.code]).toEqual([409, FileErrorCode.SLOT_USED]);
    slow.end(body.subarray(100_000));
    expect((await answered).status).toBe(201);
  });

  it('keeps nothing of an upload the client aborts mid-body, and the slot stays usable', async () => {
    const body = randomBytes(600_000);
    const { token } = await slot(body.length);
    const aborted = await put(files.base, token, body, { abortAfter: 300_000 });
    expect(aborted.status).toBe(0);
    await files.settled(1);
    await expectNothingStored();
    const retry = await put(files.base, token, body);
    expect(retry.status).toBe(201);
  });

  it('cuts off an upload whose body stalls with 400 UPLOAD_INVALID, keeping nothing', async () => {
    const stalling = await startFiles({}, { uploadIdleMs: 300 });
    try {
      const { token } = await stalling.service.requestSlot(ALICE, {
        room: 'lobby',
        name: 'a',
        size: 200_000,
        type: '',
      });
      const { request, answered } = startSlowPut(stalling.base, token, randomBytes(200_000));
      const answer = await answered;
      request.destroy();
      expect(answer.status).toBe(400);
      await stalling.settled(1);
      expect(stored(stalling)).toEqual({ blobs: [], spool: [] });
    } finally {
      await stalling.close();
    }
  });

  it('refuses uploads over the quota at the slot and at the PUT with QUOTA_EXCEEDED', async () => {
    for (let i = 0; i < 3; i += 1) expect((await upload(files, randomBytes(1024 * 1024))).answer.status).toBe(201);
    await expect(slot(1)).rejects.toMatchObject({ code: FileErrorCode.QUOTA_EXCEEDED });
    // Bob's quota is his own.
    await expect(
      files.service.requestSlot(BOB, { room: 'lobby', name: 'b', size: 10, type: '' }),
    ).resolves.toBeDefined();
  });

  it('refuses a PUT that no longer fits the quota with 413 QUOTA_EXCEEDED, storing nothing', async () => {
    const late = await slot(1024 * 1024);
    for (let i = 0; i < 3; i += 1) expect((await upload(files, randomBytes(1024 * 1024))).answer.status).toBe(201);
    const before = stored(files).blobs;
    const answer = await put(files.base, late.token, randomBytes(1024 * 1024));
    expect([answer.status, answer.json.code]).toEqual([413, FileErrorCode.QUOTA_EXCEEDED]);
    expect(stored(files)).toEqual({ blobs: before, spool: [] });
  });

  it('limits the rate of slots per user with RATE_LIMITED and a retry delay', async () => {
    const limited = await startFiles({}, { slotRate: { perSecond: 1, burst: 2 } });
    try {
      const ask = () => limited.service.requestSlot(ALICE, { room: 'lobby', name: 'a', size: 1, type: '' });
      await ask();
      await ask();
      await expect(ask()).rejects.toMatchObject({ code: 400, retryAfterMs: expect.any(Number) });
    } finally {
      await limited.close();
    }
  });

  it('answers other methods 405 with Allow: PUT', async () => {
    const { token } = await slot(10);
    const answer = await put(files.base, token, randomBytes(10), { method: 'POST' });
    expect(answer.status).toBe(405);
    expect(answer.headers.allow).toBe('PUT');
  });
});

describe('upload names', () => {
  it.each([
    ['a path with ../', '../../etc/passwd', 'passwd'],
    ['a Windows path', '..\\..\\boot.ini', 'boot.ini'],
    ['a NUL', 'a\u0000b.txt', 'ab.txt'],
    ['a right-to-left override', 'evil\u202Egnp.exe', 'evilgnp.exe'],
    ['bidi isolates and marks', '\u2066x\u2069\u200F.png', 'x.png'],
    ['only dots', '..', 'file'],
    ['an empty name', '', 'file'],
    ['10,000 characters', 'x'.repeat(10_000), 'x'.repeat(255)],
  ])('sanitises a name with %s for display and never uses it as a path', async (_what, name, shown) => {
    const { answer } = await upload(files, randomBytes(20), { name });
    expect(answer.status).toBe(201);
    expect(answer.json.name).toBe(shown);
    // Blobs are named by hash: the name appears nowhere in the store.
    for (const path of stored(files).blobs) expect(path).toMatch(/^[0-9a-f]{2}\/[0-9a-f]{64}\.[A-Za-z0-9_-]{8}$/);
  });
});

function startSlowPut(base: string, token: string, body: Buffer) {
  const request = httpRequest(`${base}/files/upload`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${token}`, 'content-length': String(body.length) },
  });
  const answered = new Promise<{ status: number }>((resolve) =>
    request.on('response', (response) => {
      response.resume();
      resolve({ status: response.statusCode ?? 0 });
    }),
  );
  request.write(body.subarray(0, 100_000));
  return { request, answered };
}

async function eventually(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
