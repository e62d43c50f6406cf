/**
 * `PUT /files/upload`: the bytes of an upload slot (PROTOCOL.md §17). The
 * body is streamed to a spool file while it is counted and hashed (never
 * held in memory), then sniffed, processed if it is an image, stored under
 * its hash and recorded; anything that goes wrong leaves nothing stored and
 * the slot usable.
 *
 * @module
 */

import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ProtocolError } from '@kuykan/protocol';
import { FileErrorCode, fileError } from './codes.js';
import { processImage } from './images.js';
import type { BlobRecord, CommitResult, FileRecord } from './index/types.js';
import { attachmentOf, blobKeys, deleteBlob, type FileParts } from './parts.js';
import { sendError, sendJson } from './respond.js';
import { OCTET_STREAM, RASTER_TYPES, sniffType } from './sniff.js';
import type { SlotClaims } from './tokens.js';

/** Answers refusals before the body is read: the connection closes, so the rest of the body is never read. */
const CLOSE = { Connection: 'close' };

export async function handleUpload(
  parts: FileParts,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  if (request.method !== 'PUT') {
    sendError(response, fileError(FileErrorCode.UPLOAD_INVALID, 'upload with PUT'), {
      status: 405,
      headers: { ...CLOSE, Allow: 'PUT' },
    });
    return;
  }
  const now = parts.now();
  const claims = parts.signer.verifySlotToken(bearer(request.headers.authorization), now);
  if (!claims) {
    sendError(response, fileError(FileErrorCode.UNAUTHORIZED, 'the upload token is missing, invalid or expired'), {
      headers: { ...CLOSE, 'WWW-Authenticate': 'Bearer realm="upload"' },
    });
    return;
  }
  try {
    await receiveUpload(parts, request, response, claims, now);
  } catch (error) {
    if (!(error instanceof ProtocolError)) {
      parts.log?.error({ err: error, slot: claims.slot }, 'upload failed');
    }
    sendError(response, error, { headers: CLOSE });
  }
}

async function receiveUpload(
  parts: FileParts,
  request: IncomingMessage,
  response: ServerResponse,
  claims: SlotClaims,
  now: number,
): Promise<void> {
  const { index, options } = parts;
  // Refused before a byte of the body is read.
  const limit = Math.min(claims.size, options.maxUploadBytes);
  const declared = contentLength(request);
  if (declared !== undefined && declared > limit) {
    throw fileError(FileErrorCode.TOO_LARGE, `the body is ${declared} bytes; this slot takes ${claims.size}`);
  }
  if (declared !== undefined && declared < claims.size) {
    throw fileError(
      FileErrorCode.UPLOAD_INVALID,
      `the body is ${declared} bytes; this slot takes exactly ${claims.size}`,
    );
  }
  const state = await index.beginUpload(claims.slot, claims.exp, claims.exp, now);
  if (state.kind === 'busy') throw fileError(FileErrorCode.SLOT_USED, 'another upload to this slot is in progress');
  if (state.kind === 'done') {
    // A retry: the same bytes get the same file, other bytes are refused (PROTOCOL.md §17).
    const hash = await receive(request, claims.size, limit, undefined, options.uploadIdleMs);
    if (hash !== state.file.hash) throw fileError(FileErrorCode.SLOT_USED, 'this slot was used for other bytes');
    sendJson(response, 200, attachmentOf(state.file));
    return;
  }
  const spool = join(parts.blobs.spoolDir, `${claims.slot}.${randomBytes(6).toString('base64url')}`);
  let finished = false;
  try {
    const usage = await index.usage(claims.userKey);
    if (usage + claims.size > options.uploadQuotaBytes) throw quotaError(usage, parts);
    const hash = await receive(request, claims.size, limit, spool, options.uploadIdleMs);
    const result = await record(parts, claims, spool, hash, now);
    finished = result.kind === 'stored' || result.kind === 'done';
    if (result.kind === 'quota') throw quotaError(result.usage, parts);
    if (result.kind === 'done' && result.file.hash !== hash) {
      throw fileError(FileErrorCode.SLOT_USED, 'this slot was used for other bytes');
    }
    if (result.kind === 'blobGone') throw fileError(FileErrorCode.UNAVAILABLE, 'storage is busy, retry the upload');
    sendJson(response, result.kind === 'stored' ? 201 : 200, attachmentOf(result.file));
  } finally {
    // The slot is free again before the spool is cleaned, so an empty spool means a retry can start.
    if (!finished) await index.endUpload(claims.slot).catch(() => {});
    await Promise.all([spool, `${spool}.image`, `${spool}.thumb`].map((path) => rm(path, { force: true })));
  }
}

/**
 * Streams the body into `path` (or nowhere), counting and hashing it, and
 * returns its sha256. Throws TOO_LARGE past `limit` bytes, and
 * UPLOAD_INVALID when the body is cut off, stalls for `idleMs`, or is not
 * exactly `expected` bytes.
 */
async function receive(
  request: IncomingMessage,
  expected: number,
  limit: number,
  path: string | undefined,
  idleMs: number,
): Promise<string> {
  const hash = createHash('sha256');
  let received = 0;
  const tooLarge = fileError(FileErrorCode.TOO_LARGE, `the body is over ${limit} bytes; this slot takes ${expected}`);
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      received += chunk.length;
      if (received > limit) {
        done(tooLarge);
        return;
      }
      hash.update(chunk);
      done(null, chunk);
    },
  });
  const sink = path
    ? createWriteStream(path, { flags: 'wx', mode: 0o600 })
    : new Writable({ write: (_chunk, _encoding, done) => done() });
  const cutOff = (why: string) =>
    meter.destroy(fileError(FileErrorCode.UPLOAD_INVALID, `${why} after ${received} of ${expected} bytes`));
  let idle = setTimeout(() => cutOff(`the upload stalled for ${idleMs} ms`), idleMs);
  const onData = () => {
    clearTimeout(idle);
    idle = setTimeout(() => cutOff(`the upload stalled for ${idleMs} ms`), idleMs);
  };
  const onClose = () => {
    if (!request.complete) cutOff('the upload was cut off');
  };
  request.on('data', onData);
  request.on('close', onClose);
  // The request may have closed while the slot was looked up (a remote index answers later): 'close' is gone by now.
  if (request.destroyed) onClose();
  // Not in the pipeline: a failure must not destroy the request's socket before the refusal is written.
  request.pipe(meter);
  try {
    await pipeline(meter, sink);
  } finally {
    clearTimeout(idle);
    request.off('data', onData);
    request.off('close', onClose);
    request.unpipe(meter);
  }
  if (received !== expected) {
    throw fileError(FileErrorCode.UPLOAD_INVALID, `the body is ${received} bytes; this slot takes exactly ${expected}`);
  }
  return hash.digest('hex');
}

/**
 * Stores the spooled upload (unless a blob with its hash exists: content
 * addressing) and records the file. Objects this call stored but the index
 * did not keep are deleted again.
 */
async function record(
  parts: FileParts,
  claims: SlotClaims,
  spool: string,
  hash: string,
  now: number,
): Promise<CommitResult> {
  let result: CommitResult = { kind: 'blobGone' };
  // A blob taken by the collector between the lookup and the commit is stored again: twice is plenty.
  for (let attempt = 0; attempt < 2 && result.kind === 'blobGone'; attempt += 1) {
    const existing = await parts.index.blob(hash, now);
    const blob = existing ?? (await storeBlob(parts, spool, hash));
    const file: FileRecord = {
      ...blob,
      fileId: randomBytes(16).toString('base64url'),
      ownerKey: claims.userKey,
      ownerName: claims.userName,
      room: claims.room,
      name: claims.name,
      slot: claims.slot,
      createdAt: now,
    };
    result = await parts.index.commit({
      file,
      slotExpires: claims.exp,
      newBlob: !existing,
      quotaBytes: parts.options.uploadQuotaBytes,
      now,
    });
    if (!existing && (result.kind !== 'stored' || result.blob.gen !== blob.gen)) await deleteBlob(parts, blob);
  }
  return result;
}

/** Sniffs, processes (images) and stores the spooled bytes under a new gen; the spool file may be moved. */
async function storeBlob(parts: FileParts, spool: string, hash: string): Promise<BlobRecord> {
  const type = await sniffType(spool);
  const gen = randomBytes(6).toString('base64url');
  const keys = blobKeys({ hash, gen });
  const image = RASTER_TYPES.has(type)
    ? await processImage(spool, type, `${spool}.image`, `${spool}.thumb`, {
        maxPixels: parts.options.maxImagePixels,
        thumbSize: parts.options.thumbSize,
      })
    : undefined;
  if (!image) {
    const { size } = await stat(spool);
    // An image type is recorded only for an image the server decoded and shows inline, so a client may
    // show every image/* attachment as an image; SVG and undecodable images are plain files [ATT-3, ATT-4].
    const recorded = type.startsWith('image/') ? OCTET_STREAM : type;
    await parts.blobs.putFile(keys.original, spool, recorded);
    return { hash, gen, size, type: recorded };
  }
  await parts.blobs.putFile(keys.thumb, image.thumbPath, 'image/webp');
  try {
    await parts.blobs.putFile(keys.original, image.path, type);
  } catch (error) {
    await parts.blobs.delete(keys.thumb).catch(() => {});
    throw error;
  }
  return { hash, gen, size: image.size, type, width: image.width, height: image.height, thumbSize: image.thumbSize };
}

function quotaError(usage: number, parts: FileParts) {
  return fileError(
    FileErrorCode.QUOTA_EXCEEDED,
    `your files use ${usage} of ${parts.options.uploadQuotaBytes} bytes; this upload does not fit`,
  );
}

/** The token of an `Authorization: Bearer …` header, or ''. */
function bearer(header: string | undefined): string {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1] ?? '';
}

/** The declared body length, or undefined when the body is chunked. */
function contentLength(request: IncomingMessage): number | undefined {
  const header = request.headers['content-length'];
  return header === undefined ? undefined : Number(header);
}
