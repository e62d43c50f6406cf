/**
 * Upload slots per user on this node: one token bucket per user, forgotten
 * once it is full again.
 *
 * @module
 */

import { TokenBucket } from '../ratelimit.js';

export class SlotLimiter {
  private readonly buckets = new Map<string, { bucket: TokenBucket; lastUsed: number }>();

  constructor(
    private readonly rate: { perSecond: number; burst: number },
    private readonly now: () => number,
  ) {}

  /** Takes a slot for `userKey`: 0, or the ms until one is available. */
  take(userKey: string): number {
    const now = this.now();
    this.prune(now);
    const entry = this.buckets.get(userKey) ?? {
      bucket: new TokenBucket(this.rate.perSecond, this.rate.burst, this.now),
      lastUsed: now,
    };
    // Re-inserted, so the map stays in order of last use and pruning stops at the first recent one.
    this.buckets.delete(userKey);
    this.buckets.set(userKey, { ...entry, lastUsed: now });
    return entry.bucket.take();
  }

  /** Buckets idle long enough to have refilled hold nothing worth keeping. */
  private prune(now: number): void {
    const refillMs = (this.rate.burst / this.rate.perSecond) * 1000;
    for (const [key, entry] of this.buckets) {
      if (now - entry.lastUsed < refillMs) break;
      this.buckets.delete(key);
    }
  }
}
