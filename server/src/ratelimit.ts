/**
 * Token bucket for the request rates of a connection [LIMIT-3, LIMIT-8] (and
 * of `mention` events per user [MENTION-3]).
 *
 * @module
 */

export class TokenBucket {
  private tokens: number;
  private updatedAt: number;
  /** Refusals since the last accepted request; persistent abuse closes the connection. */
  refusedInARow = 0;

  constructor(
    private readonly ratePerSecond: number,
    private readonly burst: number,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = burst;
    this.updatedAt = now();
  }

  /** Takes one token; returns 0 on success, else the ms until one is available. */
  take(): number {
    const now = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.updatedAt) * this.ratePerSecond) / 1000);
    this.updatedAt = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      this.refusedInARow = 0;
      return 0;
    }
    this.refusedInARow += 1;
    return Math.max(1, Math.ceil(((1 - this.tokens) * 1000) / Math.max(this.ratePerSecond, 1e-9)));
  }

  /** Gives back the token of a request refused after it was taken (a check only the store can make) [LIMIT-7]. */
  refund(): void {
    this.tokens = Math.min(this.burst, this.tokens + 1);
  }
}
