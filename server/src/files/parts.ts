/**
 * What the upload route, the download route and the collector share.
 *
 * @module
 */

import type { Logger } from 'pino';
import type { BlobStore } from './blobs/types.js';
import type { BlobRecord, FileIndex, FileRecord } from './index/types.js';
import type { ResolvedFileOptions } from './options.js';
import type { Signer } from './tokens.js';
import type { Attachment } from './types.js';

export interface FileParts {
  readonly index: FileIndex;
  readonly blobs: BlobStore;
  readonly signer: Signer;
  readonly options: ResolvedFileOptions;
  readonly log: Logger | undefined;
  /** ms since the epoch. */
  now(): number;
}

/** Object keys of a blob's original and thumbnail: from its hash and gen, never from user input. */
export function blobKeys(blob: { hash: string; gen: string }): { original: string; thumb: string } {
  const original = `${blob.hash.slice(0, 2)}/${blob.hash}.${blob.gen}`;
  return { original, thumb: `${original}.thumb` };
}

/** The attachment record of a stored file, as the PUT answers and messages carry it. */
export function attachmentOf(file: FileRecord): Attachment {
  return {
    fileId: file.fileId,
    name: file.name,
    size: file.size,
    mediaType: file.type,
    ...(file.width === undefined ? {} : { width: file.width }),
    ...(file.height === undefined ? {} : { height: file.height }),
    thumb: file.thumbSize !== undefined,
  };
}

/** Deletes a blob's objects; false (and a warning) when the store failed. */
export async function deleteBlob(parts: FileParts, blob: BlobRecord): Promise<boolean> {
  const keys = blobKeys(blob);
  try {
    await Promise.all([
      parts.blobs.delete(keys.original),
      blob.thumbSize === undefined ? undefined : parts.blobs.delete(keys.thumb),
    ]);
    return true;
  } catch (error) {
    parts.log?.warn({ err: error, blob: blob.hash }, 'could not delete a blob');
    return false;
  }
}
