/**
 * The collector: deletes files never attached (after `unattachedGraceMs`),
 * files of deleted messages (after `releasedGraceMs`), expired slot records,
 * and blobs no file points at that no upload used for `releasedGraceMs`
 * (usually in the same pass as their last file). It works in
 * batches of `gcBatchSize`, so one pass never holds the index for long, and
 * runs on an unref'd timer.
 *
 * @module
 */

import { deleteBlob, type FileParts } from './parts.js';
import type { CollectReport } from './types.js';

/** Batches per kind in one pass; the rest waits for the next tick. */
const MAX_BATCHES = 50;

export class Collector {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<CollectReport> | undefined;

  constructor(private readonly parts: FileParts) {}

  /** Starts the timer (unless `gcIntervalMs` is 0). */
  start(): void {
    const { gcIntervalMs } = this.parts.options;
    if (gcIntervalMs <= 0 || this.timer) return;
    this.timer = setInterval(() => {
      this.collect().catch((error: unknown) => this.parts.log?.warn({ err: error }, 'file collection failed'));
    }, gcIntervalMs);
    this.timer.unref();
  }

  /** Stops the timer and waits for a pass under way. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => {});
  }

  /** One pass at `now` (a pass already running is joined, not doubled). */
  collect(now = this.parts.now()): Promise<CollectReport> {
    this.running ??= this.pass(now).finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async pass(now: number): Promise<CollectReport> {
    const { index, options } = this.parts;
    const limit = options.gcBatchSize;
    const report: CollectReport = { files: 0, blobs: 0, slots: 0 };
    for (let batch = 0; batch < MAX_BATCHES; batch += 1) {
      const files = await index.takeExpiredFiles({
        unattachedBefore: now - options.unattachedGraceMs,
        releasedBefore: now - options.releasedGraceMs,
        limit,
      });
      report.files += files.length;
      if (files.length < limit) break;
    }
    for (let batch = 0; batch < MAX_BATCHES; batch += 1) {
      const blobs = await index.takeOrphanBlobs(now - options.releasedGraceMs, limit);
      for (const blob of blobs) {
        // A blob whose objects could not be deleted stays taken (never served, never reused).
        if (!(await deleteBlob(this.parts, blob))) continue;
        await index.dropBlob(blob.hash, blob.gen);
        report.blobs += 1;
      }
      if (blobs.length < limit) break;
    }
    for (let batch = 0; batch < MAX_BATCHES; batch += 1) {
      const slots = await index.dropExpiredSlots(now, limit);
      report.slots += slots;
      if (slots < limit) break;
    }
    if (report.files + report.blobs + report.slots > 0) this.parts.log?.debug({ ...report }, 'files collected');
    return report;
  }
}
