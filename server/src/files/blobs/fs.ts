/**
 * Filesystem blob store: blobs under `<dir>/blobs/`, uploads spooled in
 * `<dir>/tmp/` (the same filesystem, so storing is a rename). Downloads go
 * through `send` (Range, ETag, conditional GET, HEAD).
 *
 * @module
 */

import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dirname, join } from 'node:path';
import send from 'send';
import { FileErrorCode, fileError } from '../codes.js';
import { sendError } from '../respond.js';
import type { BlobStore, ServeHeaders } from './types.js';

/** Spool files older than this are leftovers of a crash and removed at start-up. */
const STALE_SPOOL_MS = 24 * 60 * 60 * 1000;

export interface FsBlobStoreOptions {
  /** Directory of the store; created if missing. */
  dir: string;
  /** Remove the whole directory on close (the memory history store's temporary files). [false] */
  removeOnClose?: boolean;
}

export class FsBlobStore implements BlobStore {
  readonly description: string;
  readonly spoolDir: string;
  private readonly blobDir: string;

  constructor(private readonly options: FsBlobStoreOptions) {
    this.description = `fs:${options.dir}`;
    this.blobDir = join(options.dir, 'blobs');
    this.spoolDir = join(options.dir, 'tmp');
    mkdirSync(this.blobDir, { recursive: true });
    mkdirSync(this.spoolDir, { recursive: true });
    removeStale(this.spoolDir, Date.now() - STALE_SPOOL_MS);
  }

  private path(key: string): string {
    return join(this.blobDir, key);
  }

  async putFile(key: string, path: string): Promise<void> {
    const target = this.path(key);
    await mkdir(dirname(target), { recursive: true });
    await rename(path, target);
  }

  async has(key: string): Promise<boolean> {
    try {
      return (await stat(this.path(key))).isFile();
    } catch {
      return false;
    }
  }

  async delete(key: string): Promise<void> {
    await rm(this.path(key), { force: true });
  }

  serve(
    request: IncomingMessage,
    response: ServerResponse,
    key: string,
    _size: number,
    serve: ServeHeaders,
  ): Promise<void> {
    for (const [name, value] of Object.entries(serve.headers)) response.setHeader(name, value);
    // send compares If-None-Match / If-Range with the ETag already on the response.
    response.setHeader('ETag', serve.etag);
    return new Promise<void>((resolve) => {
      response.once('close', () => resolve());
      send(request, `/${key}`, {
        root: this.blobDir,
        cacheControl: false,
        lastModified: false,
        etag: false,
        index: false,
        dotfiles: 'deny',
      })
        .on('error', (error: { status?: number; headers?: Record<string, string> }) => {
          const status = error.status ?? 500;
          const code = status === 500 ? FileErrorCode.INTERNAL : FileErrorCode.FILE_INVALID;
          sendError(response, fileError(code, statusText(status)), {
            status,
            headers: error.headers ?? {},
            head: request.method === 'HEAD',
          });
        })
        .pipe(response);
    });
  }

  async close(): Promise<void> {
    if (this.options.removeOnClose) await rm(this.options.dir, { recursive: true, force: true });
  }
}

function statusText(status: number): string {
  return status === 404 ? 'no such file' : status === 416 ? 'range not satisfiable' : 'cannot read the file';
}

/** Removes files in `dir` last modified before `before`. */
function removeStale(dir: string, before: number): void {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    try {
      if (statSync(path).mtimeMs < before) rmSync(path, { force: true });
    } catch {
      // Gone already, or another node's: nothing to do.
    }
  }
}
