/**
 * The blob store seam: where file bytes live. Keys are made by the file
 * module (hex hashes and random ids), never from user input.
 *
 * @module
 */

import type { IncomingMessage, ServerResponse } from 'node:http';

/** What a download needs besides the bytes: the headers the file route decided. */
export interface ServeHeaders {
  /** Strong validator, e.g. `"<hash>.<gen>"`; conditional requests compare it. */
  etag: string;
  /** Every other header of the response (type, disposition, security headers…). */
  headers: Record<string, string>;
}

export interface BlobStore {
  /** Human-readable kind, e.g. `fs:/data/files` or `s3:bucket@endpoint`. */
  readonly description: string;
  /** A directory on local disk where uploads are spooled before they are stored. */
  readonly spoolDir: string;
  /**
   * Stores the local file `path` under `key`. The store may move the file
   * (the filesystem store renames it); the caller must not use it afterwards.
   */
  putFile(key: string, path: string, type: string): Promise<void>;
  /** Whether `key` holds a blob. */
  has(key: string): Promise<boolean>;
  /** Deletes `key`; deleting a missing key is not an error. */
  delete(key: string): Promise<void>;
  /**
   * Answers a GET or HEAD for `key` with `size` bytes: ranges, ETag and
   * conditional requests included. Resolves when the response is finished
   * (or aborted); a missing key is answered 404.
   */
  serve(
    request: IncomingMessage,
    response: ServerResponse,
    key: string,
    size: number,
    serve: ServeHeaders,
  ): Promise<void>;
  /** Releases resources (the memory kind removes its temporary directory). */
  close(): Promise<void>;
}
