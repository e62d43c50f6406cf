/**
 * What every index does alike, written once: the `attach` rule and record helpers.
 *
 * @module
 */

import type { BlobRecord, FileRecord } from './types.js';

/** Why `file` cannot be attached by `userKey` in `room` under `ref`, or undefined when it can. */
export function attachRefusal(
  file: FileRecord | undefined,
  userKey: string,
  room: string,
  ref: string,
): string | undefined {
  if (!file || file.ownerKey !== userKey) return 'unknown file';
  if (file.room !== room) return 'the file was uploaded for another room';
  if (file.releasedAt !== undefined) return 'the file was deleted';
  if (file.ref !== undefined && file.ref !== ref) return 'the file is attached to another message';
  return undefined;
}

/** The first id listed twice, if any. */
export function repeated(ids: readonly string[]): string | undefined {
  const seen = new Set<string>();
  for (const id of ids) {
    if (seen.has(id)) return id;
    seen.add(id);
  }
  return undefined;
}

/** The blob fields of a file record. */
export function blobOf(file: BlobRecord): BlobRecord {
  const { hash, gen, size, type, width, height, thumbSize } = file;
  return {
    hash,
    gen,
    size,
    type,
    ...(width === undefined ? {} : { width }),
    ...(height === undefined ? {} : { height }),
    ...(thumbSize === undefined ? {} : { thumbSize }),
  };
}
