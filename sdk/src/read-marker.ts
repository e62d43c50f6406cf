/**
 * A room's read marker (v2, §16.9): what the server holds for this user, and
 * `read` requests coalesced so that at most one is in flight and none is at
 * or below the known marker. A marker only moves forward [READ-1], so the
 * highest wish wins; one asked for while disconnected goes out after the rejoin.
 *
 * @module
 */

import { ClientError } from './errors.js';

interface Waiter {
  seq: number;
  resolve(): void;
  reject(error: unknown): void;
}

/** @internal */
export class ReadMarker {
  /** The marker as the server last told it (or confirmed it). */
  seq = 0;
  #wanted = 0;
  #sending = false;
  #waiters: Waiter[] = [];

  /**
   * @param send sends `read` for a seq and resolves on `ok`
   * @param moved called each time the marker moves forward
   */
  readonly #send: (seq: number) => Promise<unknown>;
  readonly #canSend: () => boolean;
  readonly #moved: (seq: number) => void;

  constructor(send: (seq: number) => Promise<unknown>, canSend: () => boolean, moved: (seq: number) => void) {
    this.#send = send;
    this.#canSend = canSend;
    this.#moved = moved;
  }

  /** Asks for the marker to be at least `seq`; resolves once the server has it there. */
  mark(seq: number): Promise<void> {
    if (seq <= this.seq) return Promise.resolve();
    this.#wanted = Math.max(this.#wanted, seq);
    const settled = new Promise<void>((resolve, reject) => this.#waiters.push({ seq, resolve, reject }));
    this.flush();
    return settled;
  }

  /** The server says the marker is at `seq` (a `readMarker`, or `joined.readSeq`). */
  update(seq: number): void {
    if (seq <= this.seq) return;
    this.seq = seq;
    this.#settle(
      this.#waiters.filter((w) => w.seq <= seq),
      (w) => w.resolve(),
    );
    this.#moved(seq);
  }

  /** A new epoch: its markers start again at `seq` (0 when none) [READ-1]; wishes about the old log are dropped. */
  restart(seq: number): void {
    this.seq = seq;
    this.#wanted = 0;
    this.#settle(this.#waiters, (w) => w.resolve());
  }

  /**
   * Sends the highest wish above the marker, unless a `read` is in flight or
   * the connection is down (`now`: it is up, as during a rejoin).
   */
  flush(now = false): void {
    if (this.#sending || this.#wanted <= this.seq || !(now || this.#canSend())) return;
    const seq = this.#wanted;
    this.#sending = true;
    this.#send(seq).then(
      () => {
        this.#sending = false;
        this.update(seq);
        this.flush(true);
      },
      (error: unknown) => {
        this.#sending = false;
        // Disconnected: the rejoin flushes again. Anything else fails every wish still open.
        if (error instanceof ClientError && error.code === 'CLOSED') return;
        this.#wanted = this.seq;
        this.#settle(this.#waiters, (w) => w.reject(error));
      },
    );
  }

  /** Fails every wish (room left, client closed). */
  fail(error: unknown): void {
    this.#wanted = this.seq;
    this.#settle(this.#waiters, (w) => w.reject(error));
  }

  #settle(which: Waiter[], how: (waiter: Waiter) => void): void {
    this.#waiters = this.#waiters.filter((w) => !which.includes(w));
    for (const waiter of which) how(waiter);
  }
}
