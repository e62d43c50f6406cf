/**
 * In-memory file index: one process, forgotten on restart (with the memory
 * history store, whose files live in a temporary directory).
 *
 * @module
 */

import { attachRefusal, blobOf, repeated } from './check.js';
import type { BlobRecord, CommitInput, CommitResult, ExpiryQuery, FileIndex, FileRecord, SlotState } from './types.js';

interface Blob {
  record: BlobRecord;
  lastUsed: number;
  deleting: boolean;
  files: Set<string>;
}

interface Slot {
  expires: number;
  leaseUntil?: number;
  fileId?: string;
}

export class MemoryFileIndex implements FileIndex {
  readonly description = 'memory';
  private readonly blobs = new Map<string, Blob>();
  private readonly files = new Map<string, FileRecord>();
  private readonly slots = new Map<string, Slot>();

  async beginUpload(slot: string, slotExpires: number, leaseUntil: number, now: number): Promise<SlotState> {
    const current = this.slots.get(slot);
    if (current?.fileId !== undefined) {
      const file = this.files.get(current.fileId);
      // A completed slot whose file was collected can no longer be retried (its token has expired by then).
      return file ? { kind: 'done', file } : { kind: 'busy' };
    }
    if (current?.leaseUntil !== undefined && current.leaseUntil > now) return { kind: 'busy' };
    this.slots.set(slot, { expires: slotExpires, leaseUntil });
    return { kind: 'started' };
  }

  async endUpload(slot: string): Promise<void> {
    const current = this.slots.get(slot);
    if (current && current.fileId === undefined) current.leaseUntil = undefined;
  }

  async blob(hash: string, now: number): Promise<BlobRecord | undefined> {
    const blob = this.blobs.get(hash);
    if (!blob || blob.deleting) return undefined;
    blob.lastUsed = now;
    return blob.record;
  }

  async commit({ file, slotExpires, newBlob, quotaBytes, now }: CommitInput): Promise<CommitResult> {
    const slot = this.slots.get(file.slot);
    const done = slot?.fileId === undefined ? undefined : this.files.get(slot.fileId);
    if (done) return { kind: 'done', file: done };
    let blob = this.blobs.get(file.hash);
    if (!newBlob && (!blob || blob.deleting || blob.record.gen !== file.gen)) return { kind: 'blobGone' };
    const usage = await this.usage(file.ownerKey);
    if (usage + file.size > quotaBytes) return { kind: 'quota', usage };
    if (!blob || blob.deleting) {
      blob = { record: blobOf(file), lastUsed: now, deleting: false, files: new Set() };
      this.blobs.set(file.hash, blob);
    }
    // Another upload stored the same bytes first: point at its blob (the caller deletes ours).
    const stored: FileRecord = { ...file, ...blob.record };
    blob.lastUsed = now;
    blob.files.add(stored.fileId);
    this.files.set(stored.fileId, stored);
    this.slots.set(file.slot, { expires: slotExpires, fileId: stored.fileId });
    return { kind: 'stored', file: stored, blob: blob.record };
  }

  async usage(userKey: string): Promise<number> {
    let total = 0;
    for (const file of this.files.values()) if (file.ownerKey === userKey) total += file.size;
    return total;
  }

  async file(fileId: string): Promise<FileRecord | undefined> {
    return this.files.get(fileId);
  }

  async attach(userKey: string, room: string, fileIds: readonly string[], ref: string) {
    const twice = repeated(fileIds);
    if (twice !== undefined) return { invalid: twice, why: 'the file is listed twice' };
    const files: FileRecord[] = [];
    for (const id of fileIds) {
      const file = this.files.get(id);
      const why = attachRefusal(file, userKey, room, ref);
      if (why !== undefined || !file) return { invalid: id, why: why ?? 'unknown file' };
      files.push(file);
    }
    for (const file of files) file.ref = ref;
    return { files };
  }

  async release(ref: string, now: number): Promise<number> {
    let count = 0;
    for (const file of this.files.values()) {
      if (file.ref === ref && file.releasedAt === undefined) {
        file.releasedAt = now;
        count += 1;
      }
    }
    return count;
  }

  async takeExpiredFiles({ unattachedBefore, releasedBefore, limit }: ExpiryQuery): Promise<FileRecord[]> {
    const taken: FileRecord[] = [];
    for (const file of this.files.values()) {
      if (taken.length >= limit) break;
      const due =
        file.releasedAt !== undefined
          ? file.releasedAt <= releasedBefore
          : file.ref === undefined && file.createdAt <= unattachedBefore;
      if (!due) continue;
      taken.push(file);
      this.files.delete(file.fileId);
      this.blobs.get(file.hash)?.files.delete(file.fileId);
    }
    return taken;
  }

  async takeOrphanBlobs(before: number, limit: number): Promise<BlobRecord[]> {
    const taken: BlobRecord[] = [];
    for (const blob of this.blobs.values()) {
      if (taken.length >= limit) break;
      if (blob.deleting || blob.files.size > 0 || blob.lastUsed > before) continue;
      blob.deleting = true;
      taken.push(blob.record);
    }
    return taken;
  }

  async dropBlob(hash: string, gen: string): Promise<void> {
    if (this.blobs.get(hash)?.record.gen === gen) this.blobs.delete(hash);
  }

  async dropExpiredSlots(now: number, limit: number): Promise<number> {
    let count = 0;
    for (const [id, slot] of this.slots) {
      if (count >= limit) break;
      if (slot.expires > now) continue;
      this.slots.delete(id);
      count += 1;
    }
    return count;
  }

  async close(): Promise<void> {}
}
