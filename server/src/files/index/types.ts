/**
 * The file index seam: metadata of blobs, files, upload slots and
 * references, shared by every node of a chat. Each method is atomic, so two
 * nodes racing on one slot, file or blob cannot both win.
 *
 * @module
 */

/** One stored blob: the processed bytes of an upload, keyed by the sha256 of the uploaded bytes. */
export interface BlobRecord {
  /** sha256 (hex) of the bytes as uploaded. */
  hash: string;
  /**
   * Random id of the stored object. A blob stored again after the collector
   * took it gets a new one, so a late delete of the old object never removes
   * the new one.
   */
  gen: string;
  /** Bytes stored (after EXIF stripping for images). */
  size: number;
  /** The sniffed media type. */
  type: string;
  width?: number;
  height?: number;
  /** Bytes of the WebP thumbnail; absent when there is none. */
  thumbSize?: number;
}

/** One uploaded file: a user's upload of a blob for a room, under a display name. */
export interface FileRecord extends BlobRecord {
  /** Random 128-bit id, base64url: unguessable and unrelated to the hash. */
  fileId: string;
  ownerKey: string;
  ownerName: string;
  room: string;
  /** Sanitised display name. */
  name: string;
  /** The upload slot it came from. */
  slot: string;
  createdAt: number;
  /** The message holding it, once attached. */
  ref?: string;
  /** When its message was deleted; it is no longer served and is collected after a grace. */
  releasedAt?: number;
}

/** What `beginUpload` found for a slot. */
export type SlotState =
  /** The lease is ours: upload, then `commit` or `endUpload`. */
  | { kind: 'started' }
  /** Another upload to this slot is in progress. */
  | { kind: 'busy' }
  /** The slot completed: a retry with the same bytes gets this file. */
  | { kind: 'done'; file: FileRecord };

/** What `commit` did. */
export type CommitResult =
  /** The file is recorded; `blob` is the blob it points at (an existing one when another upload stored it first). */
  | { kind: 'stored'; file: FileRecord; blob: BlobRecord }
  /** The slot completed meanwhile (another node): this is its file. */
  | { kind: 'done'; file: FileRecord }
  /** The existing blob it meant to reuse was taken by the collector: store the bytes again. */
  | { kind: 'blobGone' }
  /** The user's files plus this one would exceed the quota. */
  | { kind: 'quota'; usage: number };

export interface CommitInput {
  /** The file to record; its blob fields describe `blob`. */
  file: FileRecord;
  /** The slot's expiry, ms since the epoch: the slot record lives that long. */
  slotExpires: number;
  /** True when the caller stored a new object for the blob; false when it reuses the live blob. */
  newBlob: boolean;
  quotaBytes: number;
  now: number;
}

/** Files due for collection: never attached, or released, before these times. */
export interface ExpiryQuery {
  unattachedBefore: number;
  releasedBefore: number;
  limit: number;
}

export interface FileIndex {
  /** e.g. `sqlite`, `redis prefix=kuykan:`. */
  readonly description: string;
  /**
   * Takes the slot's upload lease until `leaseUntil` unless another upload
   * holds it or the slot completed.
   */
  beginUpload(slot: string, slotExpires: number, leaseUntil: number, now: number): Promise<SlotState>;
  /** Gives the lease back after a failed upload, so the slot can be used again. */
  endUpload(slot: string): Promise<void>;
  /** The live blob for `hash`, marked used at `now`; undefined when there is none. */
  blob(hash: string, now: number): Promise<BlobRecord | undefined>;
  /** Records an uploaded file and completes its slot, all or nothing. */
  commit(input: CommitInput): Promise<CommitResult>;
  /** Bytes of the user's files that are not collected yet. */
  usage(userKey: string): Promise<number>;
  /**
   * Takes an upload slot from the user's token bucket, shared by every node
   * using this index (all sessions of a user share it [LIMIT-9]): 0, or the
   * ms until a slot is available. Absent: each node counts its own.
   */
  takeSlot?(userKey: string, rate: { perSecond: number; burst: number }, now: number): Promise<number>;
  file(fileId: string): Promise<FileRecord | undefined>;
  /**
   * Marks each file as held by `ref`, all or nothing. Returns the records in
   * the order given, or the id of the first file that is unknown, not
   * `userKey`'s, for another room, released, or held by another ref.
   */
  attach(
    userKey: string,
    room: string,
    fileIds: readonly string[],
    ref: string,
  ): Promise<{ files: FileRecord[] } | { invalid: string; why: string }>;
  /** Marks the files held by `ref` released at `now`; returns how many. */
  release(ref: string, now: number): Promise<number>;
  /** Deletes up to `limit` file records due for collection and returns them. */
  takeExpiredFiles(query: ExpiryQuery): Promise<FileRecord[]>;
  /**
   * Takes up to `limit` blobs that no file points at and that were last used
   * (stored, or found by `blob` for an upload) at or before `before`: they are
   * no longer returned by `blob`, and the caller deletes their objects, then
   * calls `dropBlob`. An upload racing the collector finds the blob gone at
   * `commit` (`blobGone`) and stores its bytes again under a new gen.
   */
  takeOrphanBlobs(before: number, limit: number): Promise<BlobRecord[]>;
  /** Forgets a taken blob, unless it was stored again (another gen) meanwhile. */
  dropBlob(hash: string, gen: string): Promise<void>;
  /** Deletes up to `limit` slot records whose token expired before `now`; returns how many. */
  dropExpiredSlots(now: number, limit: number): Promise<number>;
  /** A secret shared by every node on this index: `candidate` unless one was kept already. */
  sharedSecret?(candidate: string): Promise<string>;
  close(): Promise<void>;
}
