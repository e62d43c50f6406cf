/**
 * Puts numbered events back in order. Several nodes append to one room, and
 * a node learns of each event twice at different times (the reply to its
 * own append, and Redis pub/sub), so events may arrive late, early or twice:
 * the sequencer delivers n = last + 1 only, drops n <= last, and holds the
 * rest. A gap that outlives `gapWaitMs` is reported so the owner can fetch
 * the missing events from the store (or resynchronize).
 *
 * @module
 */

export interface SequencerOptions<T> {
  /** The last number already delivered (0 when none). */
  last: number;
  /** Called for each event, in order, exactly once. */
  deliver: (n: number, event: T) => void;
  /** Called when a gap after `last` lasted `gapWaitMs`; `next` is the first held number. */
  onGap: (last: number, next: number) => void;
  /** How long a gap may last before `onGap`, ms. */
  gapWaitMs: number;
}

export class Sequencer<T> {
  private lastDelivered: number;
  private readonly held = new Map<number, T>();
  private readonly waiters: Array<{ n: number; resolve: () => void; reject: (error: Error) => void }> = [];
  private gapTimer: NodeJS.Timeout | undefined;
  private stopped: Error | undefined;

  constructor(private readonly options: SequencerOptions<T>) {
    this.lastDelivered = options.last;
  }

  /** The last number delivered. */
  get last(): number {
    return this.lastDelivered;
  }

  /** Whether nothing is held back waiting for a gap to fill. */
  get idle(): boolean {
    return this.held.size === 0;
  }

  /** Offers event `n`: delivered now, later (after the gap before it), or never (already delivered). */
  offer(n: number, event: T): void {
    if (this.stopped || n <= this.lastDelivered || this.held.has(n)) return;
    this.held.set(n, event);
    this.drain();
  }

  /** Resolves once event `n` was delivered (at once when it was). */
  delivered(n: number): Promise<void> {
    if (this.stopped) return Promise.reject(this.stopped);
    if (n <= this.lastDelivered) return Promise.resolve();
    return new Promise((resolve, reject) => this.waiters.push({ n, resolve, reject }));
  }

  /** Resolves once everything offered so far was delivered. */
  settled(): Promise<void> {
    return this.held.size === 0 ? Promise.resolve() : this.delivered(Math.max(...this.held.keys()));
  }

  /**
   * Moves `last` forward to `n` without delivering what lies between (the
   * owner has caught up another way, e.g. from a snapshot); held events after
   * `n` are then delivered in order.
   */
  skipTo(n: number): void {
    if (n <= this.lastDelivered) return;
    for (const held of this.held.keys()) if (held <= n) this.held.delete(held);
    this.lastDelivered = n;
    this.drain();
  }

  /** Rejects every waiter and ignores further events (the room is being dropped). */
  stop(error: Error): void {
    this.stopped = error;
    clearTimeout(this.gapTimer);
    this.held.clear();
    for (const waiter of this.waiters.splice(0)) waiter.reject(error);
  }

  private drain(): void {
    let next = this.held.get(this.lastDelivered + 1);
    while (next !== undefined && !this.stopped) {
      this.held.delete(this.lastDelivered + 1);
      this.lastDelivered += 1;
      this.options.deliver(this.lastDelivered, next);
      next = this.held.get(this.lastDelivered + 1);
    }
    for (let i = this.waiters.length - 1; i >= 0; i -= 1) {
      const waiter = this.waiters[i]!;
      if (waiter.n <= this.lastDelivered) {
        this.waiters.splice(i, 1);
        waiter.resolve();
      }
    }
    this.watchGap();
  }

  private watchGap(): void {
    if (this.held.size === 0) {
      clearTimeout(this.gapTimer);
      this.gapTimer = undefined;
      return;
    }
    if (this.gapTimer) return;
    const lastSeen = this.lastDelivered;
    this.gapTimer = setTimeout(() => {
      this.gapTimer = undefined;
      if (this.held.size === 0 || this.stopped) return;
      if (this.lastDelivered === lastSeen) this.options.onGap(this.lastDelivered, Math.min(...this.held.keys()));
      this.watchGap();
    }, this.options.gapWaitMs);
    this.gapTimer.unref();
  }
}
