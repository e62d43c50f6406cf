/**
 * The file module's facade: what the WebSocket handlers and the HTTP server
 * call (PROTOCOL.md §17 Attachments).
 *
 * - `requestSlot` answers an `upload` frame with an `uploadSlot`;
 * - `handle` serves `PUT /files/upload` and `GET|HEAD /files/<id>[/thumb]`;
 * - `attach` turns a `send`'s file ids into attachment records held by a message;
 * - `release` drops a deleted message's files;
 * - `urlsFor` signs download URLs when frames are built.
 *
 * @module
 */

import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { FsBlobStore } from './blobs/fs.js';
import { S3BlobStore } from './blobs/s3.js';
import type { BlobStore } from './blobs/types.js';
import { FileErrorCode, fileError } from './codes.js';
import { Collector } from './gc.js';
import { MemoryFileIndex } from './index/memory.js';
import { RedisFileIndex } from './index/redis.js';
import { SqliteFileIndex } from './index/sqlite.js';
import type { FileIndex } from './index/types.js';
import { sanitizeName } from './names.js';
import { type FileContext, type FileOptions, type ResolvedFileOptions, resolveFileOptions } from './options.js';
import { attachmentOf, type FileParts } from './parts.js';
import { SlotLimiter } from './rate.js';
import { sendError } from './respond.js';
import { newSecret, secretFromFile } from './secret.js';
import { handleDownload } from './serve.js';
import { Signer } from './tokens.js';
import type {
  Attachment,
  AttachmentUrls,
  CollectReport,
  FileRef,
  FileUser,
  UploadRequest,
  UploadSlot,
} from './types.js';
import { handleUpload } from './upload.js';

/** The upload route; download routes are `/files/<fileId>` and `/files/<fileId>/thumb`. */
export const UPLOAD_PATH = '/files/upload';

/** Signed URLs expire on the hour, so every frame built within an hour carries the same (cacheable) URL. */
const URL_EXPIRY_STEP_MS = 60 * 60 * 1000;

/** How often a node waiting for Redis asks again for the shared file secret, ms. */
const SECRET_RETRY_MS = 1000;

/** Longest declared type kept, in characters. */
const MAX_TYPE_LENGTH = 255;

export class FileService {
  readonly options: ResolvedFileOptions;
  private readonly parts: FileParts;
  private readonly collector: Collector;
  private readonly limiter: SlotLimiter;
  private closed: Promise<void> | undefined;
  private retry: NodeJS.Timeout | undefined;

  private constructor(
    parts: FileParts,
    private readonly ownedDatabase: Database.Database | undefined,
  ) {
    this.parts = parts;
    this.options = parts.options;
    this.collector = new Collector(parts);
    this.limiter = new SlotLimiter(parts.options.slotRate, () => parts.now());
  }

  /**
   * Opens the stores the context asks for (filesystem unless `options.s3`),
   * the index beside the history store, and the signing secret; starts the
   * collector. `now` is injectable for tests.
   */
  static async open(
    context: FileContext,
    fileOptions: FileOptions = {},
    now: () => number = Date.now,
  ): Promise<FileService> {
    const options = resolveFileOptions(fileOptions);
    const blobs: BlobStore = options.s3
      ? await S3BlobStore.open(options.s3)
      : new FsBlobStore(
          context.store === 'memory' && !options.filesDir
            ? { dir: mkdtempSync(join(tmpdir(), 'kuykan-files-')), removeOnClose: true }
            : { dir: options.filesDir ?? join(context.dataDir, 'files') },
        );
    let ownedDatabase: Database.Database | undefined;
    let index: FileIndex;
    switch (context.store) {
      case 'memory':
        index = new MemoryFileIndex();
        break;
      case 'sqlite': {
        let database = context.database;
        if (!database) {
          ownedDatabase = new Database(join(context.dataDir, 'kuykan.db'));
          ownedDatabase.pragma('journal_mode = WAL');
          ownedDatabase.pragma('busy_timeout = 5000');
          database = ownedDatabase;
        }
        index = new SqliteFileIndex(database);
        break;
      }
      case 'redis':
        index = new RedisFileIndex({
          url: context.redisUrl ?? 'redis://127.0.0.1:6379',
          prefix: context.redisPrefix ?? 'kuykan:',
        });
        break;
    }
    const local =
      options.secret ??
      (index.sharedSecret
        ? undefined
        : context.store === 'memory'
          ? newSecret()
          : secretFromFile(join(context.dataDir, 'file-secret')));
    const signer = new Signer(local === undefined ? undefined : Buffer.from(local));
    const service = new FileService({ index, blobs, signer, options, log: context.log, now }, ownedDatabase);
    // The nodes' shared secret lives in Redis: a node that starts while Redis is away starts
    // anyway (unhealthy, as the history store is) and loads it once Redis answers.
    if (!signer.ready && index.sharedSecret) await service.loadSharedSecret(index.sharedSecret.bind(index));
    service.collector.start();
    return service;
  }

  /** e.g. `fs:data/files + sqlite`. */
  get description(): string {
    return `${this.parts.blobs.description} + ${this.parts.index.description}`;
  }

  /**
   * Answers an `upload` frame: a slot for one PUT of exactly `size` bytes.
   * The caller has checked that the user is in the room. Throws a
   * ProtocolError: UPLOAD_INVALID (size not a whole number above 0),
   * UPLOAD_INVALID (no size, or over `maxUploadBytes`), QUOTA_EXCEEDED, RATE_LIMITED.
   */
  async requestSlot(user: FileUser, request: UploadRequest): Promise<UploadSlot> {
    const { size } = request;
    if (request.name === '') throw fileError(FileErrorCode.UPLOAD_INVALID, 'a file needs a name');
    if (!Number.isSafeInteger(size) || size <= 0) {
      throw fileError(FileErrorCode.UPLOAD_INVALID, 'size must be a whole number of bytes above 0');
    }
    if (size > this.options.maxUploadBytes) {
      // Refused at the slot as a bad request [ATT-1]; the PUT of a body over the limit is 413 TOO_LARGE [ATT-2].
      throw fileError(
        FileErrorCode.UPLOAD_INVALID,
        `the file is ${size} bytes; the limit is ${this.options.maxUploadBytes}`,
      );
    }
    const { index } = this.parts;
    // A shared index counts for every node [LIMIT-9]; else this node's buckets do.
    const wait = index.takeSlot
      ? await index.takeSlot(user.key, this.options.slotRate, this.parts.now())
      : this.limiter.take(user.key);
    if (wait > 0) throw fileError(FileErrorCode.RATE_LIMITED, 'too many uploads, slow down', { retryAfterMs: wait });
    const usage = await this.parts.index.usage(user.key);
    if (usage + size > this.options.uploadQuotaBytes) {
      throw fileError(
        FileErrorCode.QUOTA_EXCEEDED,
        `your files use ${usage} of ${this.options.uploadQuotaBytes} bytes; this upload does not fit`,
      );
    }
    const expires = this.parts.now() + this.options.slotTtlMs;
    const token = this.parts.signer.slotToken({
      slot: randomBytes(16).toString('base64url'),
      userKey: user.key,
      userName: user.name,
      room: String(request.room),
      name: sanitizeName(String(request.name ?? '')),
      size,
      type: String(request.type ?? '').slice(0, MAX_TYPE_LENGTH),
      exp: expires,
    });
    return { url: UPLOAD_PATH, token, expires };
  }

  /** Bytes of the user's stored files, counted against `uploadQuotaBytes`. */
  usage(user: FileUser): Promise<number> {
    return this.parts.index.usage(user.key);
  }

  /** Whether `pathname` is one of the file routes. */
  handles(pathname: string): boolean {
    return pathname === '/files' || pathname.startsWith('/files/');
  }

  /** Serves a file route (any method; others are answered 405). Never rejects. */
  async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://localhost');
    try {
      if (url.pathname === UPLOAD_PATH) await handleUpload(this.parts, request, response);
      else await handleDownload(this.parts, request, response, url);
    } catch (error) {
      // A store failure (UNAVAILABLE from Redis keeps its code); anything else is a 500 INTERNAL.
      this.parts.log?.error({ err: error, path: url.pathname }, 'file route failed');
      sendError(response, error, { headers: { Connection: 'close' } });
    }
  }

  /**
   * Marks the files as held by message `ref` and returns their attachment
   * records, in order. Each must have been uploaded by `user` for `room` and
   * not be held by another message (the same `ref` again is idempotent, for
   * retried sends). Throws FILE_INVALID naming the first bad id; nothing is
   * attached then.
   */
  async attach(user: FileUser, room: string, fileIds: readonly string[], ref: FileRef): Promise<Attachment[]> {
    const result = await this.parts.index.attach(user.key, room, fileIds, ref);
    if ('invalid' in result) throw fileError(FileErrorCode.FILE_INVALID, `file ${result.invalid}: ${result.why}`);
    return result.files.map(attachmentOf);
  }

  /** The message `ref` was deleted: its files stop being served and are collected after a grace. Returns how many. */
  release(ref: FileRef): Promise<number> {
    return this.parts.index.release(ref, this.parts.now());
  }

  /** Signed download URLs (paths) of an attachment, valid for at least `fileUrlTtlMs`. */
  urlsFor(attachment: Pick<Attachment, 'fileId' | 'thumb'>, now = this.parts.now()): AttachmentUrls {
    const expires = Math.ceil((now + this.options.fileUrlTtlMs) / URL_EXPIRY_STEP_MS) * URL_EXPIRY_STEP_MS;
    const sign = (variant: 'file' | 'thumb') =>
      `?e=${expires}&s=${this.parts.signer.urlSignature(attachment.fileId, variant, expires)}`;
    return {
      url: `/files/${attachment.fileId}${sign('file')}`,
      ...(attachment.thumb ? { thumbUrl: `/files/${attachment.fileId}/thumb${sign('thumb')}` } : {}),
    };
  }

  /** Runs one collector pass now (the timer runs them every `gcIntervalMs`). */
  collect(now?: number): Promise<CollectReport> {
    return this.collector.collect(now);
  }

  /** Stops the collector and closes the stores; idempotent. */
  /** Asks for the shared secret; resolves after the first try, and tries again every second until it comes. */
  private loadSharedSecret(shared: (candidate: string) => Promise<string>): Promise<void> {
    const attempt = async () => {
      if (this.closed) return;
      try {
        this.parts.signer.use(Buffer.from(await shared(newSecret())));
      } catch (error) {
        this.parts.log?.debug({ err: error }, 'file secret not loaded yet');
        this.retry = setTimeout(attempt, SECRET_RETRY_MS);
        this.retry.unref();
      }
    };
    return attempt();
  }

  close(): Promise<void> {
    this.closed ??= (async () => {
      clearTimeout(this.retry);
      await this.collector.stop();
      await this.parts.index.close();
      await this.parts.blobs.close();
      this.ownedDatabase?.close();
    })();
    return this.closed;
  }
}
