/**
 * Redis file index, shared by every node of a chat. Keys, under
 * `<prefix>files:` (user keys and refs escaped as in redis/keys.ts):
 *
 * - `blob:<hash>` — hash: `json` (BlobRecord), `gen`, `deleting`, `lastUsed`;
 * - `blobfiles:<hash>` — set of the file ids pointing at the blob;
 * - `idle` — zset hash → last use, of blobs no file points at;
 * - `file:<id>` — hash: `json` (FileRecord without ref and release), `owner`,
 *   `ownerEsc`, `room`, `hash`, `size`, then `ref`, `refEsc`, `releasedAt`;
 * - `unattached`, `released` — zsets file id → creation / release time;
 * - `ref:<ref>` — set of the file ids a message holds;
 * - `usage:<owner>` — bytes of the owner's files;
 * - `slot:<id>` — hash `lease` or `fileId`, expiring with the slot's token;
 * - `rate:<user>` — hash `t` (tokens), `at` (ms): the user's upload slots,
 *   one bucket for every node, expiring once it would be full again;
 * - `secret` — the signing secret (SET NX: the first node's wins).
 *
 * Every change is one Lua script (redis-lua.ts), so nodes racing on a slot,
 * a file or a blob see one winner.
 *
 * @module
 */

import type { Redis } from 'ioredis';
import { connectRedis, RedisClient, redactUrl } from '../../redis/client.js';
import { escapeKeyPart } from '../../redis/keys.js';
import { blobOf } from './check.js';
import {
  ATTACH,
  BEGIN_UPLOAD,
  COMMIT,
  DROP_BLOB,
  RELEASE,
  TAKE_EXPIRED,
  TAKE_ORPHANS,
  TAKE_SLOT,
  TOUCH_BLOB,
} from './redis-lua.js';
import type { BlobRecord, CommitInput, CommitResult, ExpiryQuery, FileIndex, FileRecord, SlotState } from './types.js';

type Arg = string | number;
type Reply = Array<string | null>;

interface Scripts {
  filesBegin(...args: Arg[]): Promise<Reply>;
  filesTouch(...args: Arg[]): Promise<string | null>;
  filesCommit(...args: Arg[]): Promise<Reply>;
  filesAttach(...args: Arg[]): Promise<Reply>;
  filesRelease(...args: Arg[]): Promise<number>;
  filesExpired(...args: Arg[]): Promise<string[]>;
  filesOrphans(...args: Arg[]): Promise<string[]>;
  filesDropBlob(...args: Arg[]): Promise<number>;
  filesTakeSlot(...args: Arg[]): Promise<number>;
}

export interface RedisFileIndexOptions {
  url: string;
  /** The chat's key prefix (e.g. `kuykan:`); the index uses `<prefix>files:`. */
  prefix: string;
}

export class RedisFileIndex implements FileIndex {
  readonly description: string;
  private readonly client: RedisClient<Redis & Scripts>;
  private readonly p: string;

  constructor(options: RedisFileIndexOptions) {
    this.p = `${options.prefix}files:`;
    this.description = `redis:${redactUrl(options.url)} prefix=${this.p}`;
    const redis = connectRedis(options.url, 'kuykan-files') as Redis & Scripts;
    const scripts: Record<keyof Scripts, string> = {
      filesBegin: BEGIN_UPLOAD,
      filesTouch: TOUCH_BLOB,
      filesCommit: COMMIT,
      filesAttach: ATTACH,
      filesRelease: RELEASE,
      filesExpired: TAKE_EXPIRED,
      filesOrphans: TAKE_ORPHANS,
      filesDropBlob: DROP_BLOB,
      filesTakeSlot: TAKE_SLOT,
    };
    for (const [name, lua] of Object.entries(scripts)) redis.defineCommand(name, { numberOfKeys: 0, lua });
    this.client = new RedisClient(redis, 1500, 'file index');
  }

  private call<T>(run: (redis: Redis & Scripts) => Promise<T>): Promise<T> {
    return this.client.call(run);
  }

  async beginUpload(slot: string, slotExpires: number, leaseUntil: number, now: number): Promise<SlotState> {
    const [kind, fileId] = await this.call((r) => r.filesBegin(this.p, slot, slotExpires, leaseUntil, now));
    if (kind === 'started') return { kind };
    const file = kind === 'done' && fileId ? await this.file(fileId) : undefined;
    return file ? { kind: 'done', file } : { kind: 'busy' };
  }

  takeSlot(userKey: string, rate: { perSecond: number; burst: number }, now: number): Promise<number> {
    const user = escapeKeyPart(userKey);
    return this.call((r) => r.filesTakeSlot(this.p, user, rate.perSecond, rate.burst, now));
  }

  async endUpload(slot: string): Promise<void> {
    await this.call((r) => r.hdel(`${this.p}slot:${slot}`, 'lease'));
  }

  async blob(hash: string, now: number): Promise<BlobRecord | undefined> {
    const json = await this.call((r) => r.filesTouch(this.p, hash, now));
    return json ? (JSON.parse(json) as BlobRecord) : undefined;
  }

  async commit(input: CommitInput): Promise<CommitResult> {
    const { file, newBlob } = input;
    const reply = await this.call((r) =>
      r.filesCommit(
        this.p,
        file.fileId,
        file.slot,
        file.hash,
        file.gen,
        file.size,
        escapeKeyPart(file.ownerKey),
        file.ownerKey,
        file.room,
        file.createdAt,
        JSON.stringify(file),
        JSON.stringify(blobOf(file)),
        newBlob ? 1 : 0,
        input.quotaBytes,
        input.now,
        input.slotExpires,
      ),
    );
    const [kind, value] = reply;
    switch (kind) {
      case 'stored':
        return { kind, file, blob: blobOf(file) };
      case 'done': {
        const done = value ? await this.file(value) : undefined;
        if (done) return { kind, file: done };
        throw new Error(`slot ${file.slot} completed with a file that is gone`);
      }
      case 'blobExists': {
        // Another upload stored the same bytes first: point at its blob instead (the caller deletes ours).
        const existing = JSON.parse(value ?? '{}') as BlobRecord;
        const result = await this.commit({ ...input, file: { ...file, ...clearBlob(existing) }, newBlob: false });
        return result.kind === 'blobGone' ? this.commit(input) : result;
      }
      case 'quota':
        return { kind, usage: Number(value) };
      default:
        return { kind: 'blobGone' };
    }
  }

  async usage(userKey: string): Promise<number> {
    return Number((await this.call((r) => r.get(`${this.p}usage:${escapeKeyPart(userKey)}`))) ?? 0);
  }

  async file(fileId: string): Promise<FileRecord | undefined> {
    const [json, ref, releasedAt] = await this.call((r) =>
      r.hmget(`${this.p}file:${fileId}`, 'json', 'ref', 'releasedAt'),
    );
    return json ? toFile(json, ref ?? '', releasedAt ?? '') : undefined;
  }

  async attach(userKey: string, room: string, fileIds: readonly string[], ref: string) {
    const reply = await this.call((r) => r.filesAttach(this.p, userKey, room, ref, escapeKeyPart(ref), ...fileIds));
    if (reply[0] === 'invalid') return { invalid: reply[1] ?? '', why: reply[2] ?? 'unknown file' };
    return { files: reply.slice(1).map((json) => toFile(json ?? '{}', ref, '')) };
  }

  async release(ref: string, now: number): Promise<number> {
    return this.call((r) => r.filesRelease(this.p, escapeKeyPart(ref), now));
  }

  async takeExpiredFiles(query: ExpiryQuery): Promise<FileRecord[]> {
    const flat = await this.call((r) =>
      r.filesExpired(this.p, query.unattachedBefore, query.releasedBefore, query.limit),
    );
    const files: FileRecord[] = [];
    for (let i = 0; i + 2 < flat.length; i += 3) files.push(toFile(flat[i]!, flat[i + 1]!, flat[i + 2]!));
    return files;
  }

  async takeOrphanBlobs(before: number, limit: number): Promise<BlobRecord[]> {
    const jsons = await this.call((r) => r.filesOrphans(this.p, before, limit));
    return jsons.map((json) => JSON.parse(json) as BlobRecord);
  }

  async dropBlob(hash: string, gen: string): Promise<void> {
    await this.call((r) => r.filesDropBlob(this.p, hash, gen));
  }

  /** Slot records expire in Redis with their token (PEXPIREAT): nothing to collect. */
  async dropExpiredSlots(): Promise<number> {
    return 0;
  }

  async sharedSecret(candidate: string): Promise<string> {
    const key = `${this.p}secret`;
    return this.call(async (r) => {
      await r.set(key, candidate, 'NX');
      return (await r.get(key)) ?? candidate;
    });
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}

/** A file record from its stored JSON and the fields kept beside it. */
function toFile(json: string, ref: string, releasedAt: string): FileRecord {
  const file = JSON.parse(json) as FileRecord;
  delete file.ref;
  delete file.releasedAt;
  if (ref !== '') file.ref = ref;
  if (releasedAt !== '') file.releasedAt = Number(releasedAt);
  return file;
}

/** The blob fields to lay over a file record, with absent ones cleared. */
function clearBlob(blob: BlobRecord): BlobRecord {
  return { width: undefined, height: undefined, thumbSize: undefined, ...blob } as BlobRecord;
}
