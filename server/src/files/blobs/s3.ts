/**
 * S3-compatible blob store (AWS SDK v3) for several nodes: blobs are
 * objects under `<prefix>blobs/`, stored with a streaming multipart upload
 * (`@aws-sdk/lib-storage`) from the local spool file. Downloads pass Range
 * to GetObject and relay its status; the ETag and conditional GET are ours
 * (the content hash), so every node and store answers alike.
 *
 * @module
 */

import { createReadStream } from 'node:fs';
import { mkdtemp, rm, unlink } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  type GetObjectCommandOutput,
  HeadObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { FileErrorCode, fileError } from '../codes.js';
import { sendError } from '../respond.js';
import type { BlobStore, ServeHeaders } from './types.js';

export interface S3BlobStoreOptions {
  bucket: string;
  /** Endpoint of an S3-compatible service, e.g. `http://127.0.0.1:4569`; unset for AWS. */
  endpoint?: string;
  /** [us-east-1] */
  region?: string;
  /** Path-style URLs (`endpoint/bucket/key`), needed by most S3-compatible servers. [true with an endpoint] */
  forcePathStyle?: boolean;
  /** Explicit credentials; else the SDK's default chain (AWS_ACCESS_KEY_ID…). */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** Prefix of every object key. [''] */
  prefix?: string;
}

export class S3BlobStore implements BlobStore {
  readonly description: string;
  readonly client: S3Client;
  private readonly bucket: string;
  private readonly prefix: string;

  private constructor(
    options: S3BlobStoreOptions,
    readonly spoolDir: string,
  ) {
    this.bucket = options.bucket;
    this.prefix = options.prefix ?? '';
    this.description = `s3:${options.bucket}${options.endpoint ? `@${options.endpoint}` : ''}`;
    this.client = new S3Client({
      region: options.region ?? 'us-east-1',
      ...(options.endpoint ? { endpoint: options.endpoint } : {}),
      forcePathStyle: options.forcePathStyle ?? options.endpoint !== undefined,
      ...(options.credentials ? { credentials: options.credentials } : {}),
      // Third-party S3 servers often reject the newer flexible checksums; send them only where required.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  }

  /** A store with its own temporary spool directory (removed on close). */
  static async open(options: S3BlobStoreOptions): Promise<S3BlobStore> {
    return new S3BlobStore(options, await mkdtemp(join(tmpdir(), 'kuykan-spool-')));
  }

  private key(key: string): string {
    return `${this.prefix}blobs/${key}`;
  }

  async putFile(key: string, path: string, type: string): Promise<void> {
    try {
      await new Upload({
        client: this.client,
        params: { Bucket: this.bucket, Key: this.key(key), Body: createReadStream(path), ContentType: type },
        // 4 parts of 8 MiB in flight at most: memory stays bounded whatever the file size.
        queueSize: 4,
        partSize: 8 * 1024 * 1024,
      }).done();
    } finally {
      await unlink(path).catch(() => {});
    }
  }

  async has(key: string): Promise<boolean> {
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.key(key) }));
      return true;
    } catch (error) {
      if (isMissing(error)) return false;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.key(key) }));
  }

  async serve(
    request: IncomingMessage,
    response: ServerResponse,
    key: string,
    size: number,
    serve: ServeHeaders,
  ): Promise<void> {
    const head = request.method === 'HEAD';
    const common = { ...serve.headers, ETag: serve.etag, 'Accept-Ranges': 'bytes' };
    if (matchesEtag(request.headers['if-none-match'], serve.etag)) {
      response.writeHead(304, { ETag: serve.etag, 'Cache-Control': serve.headers['Cache-Control'] ?? 'no-cache' });
      response.end();
      return;
    }
    // Range only applies to GET, and only while the client's copy (If-Range) is still current.
    const ifRange = request.headers['if-range'];
    const range =
      !head && request.headers.range && (ifRange === undefined || ifRange === serve.etag)
        ? request.headers.range
        : undefined;
    if (head) {
      response.writeHead(200, { ...common, 'Content-Length': String(size) });
      response.end();
      return;
    }
    let object: GetObjectCommandOutput;
    try {
      object = await this.client.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: this.key(key), ...(range ? { Range: range } : {}) }),
      );
    } catch (error) {
      const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      if (status === 416) {
        sendError(response, fileError(FileErrorCode.FILE_INVALID, 'range not satisfiable'), {
          status: 416,
          headers: { 'Content-Range': `bytes */${size}` },
        });
      } else if (isMissing(error)) {
        sendError(response, fileError(FileErrorCode.FILE_INVALID, 'no such file'), { status: 404 });
      } else {
        throw error;
      }
      return;
    }
    const { ContentRange, ContentLength } = object;
    response.writeHead(ContentRange ? 206 : 200, {
      ...common,
      ...(ContentRange ? { 'Content-Range': ContentRange } : {}),
      'Content-Length': String(ContentLength ?? size),
    });
    await pipeline(object.Body as NodeJS.ReadableStream, response).catch(() => response.destroy());
  }

  async close(): Promise<void> {
    this.client.destroy();
    await rm(this.spoolDir, { recursive: true, force: true });
  }
}

function isMissing(error: unknown): boolean {
  const name = (error as { name?: string }).name;
  return name === 'NoSuchKey' || name === 'NotFound';
}

/** Whether an If-None-Match header lists `etag` (or is `*`). */
export function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header
    .split(',')
    .map((tag) => tag.trim().replace(/^W\//, ''))
    .some((tag) => tag === '*' || tag === etag);
}
