/**
 * The cross-node half of the ping barrier [PING-3]: a token published on
 * the node's own channel comes back after everything published before it,
 * since Redis delivers one connection's messages in publish order. Every
 * barrier asked for in one event-loop tick shares one token.
 *
 * @module
 */

import { randomId } from '../ids.js';

/** How long a barrier waits for its token before answering anyway (Redis unreachable), ms. */
const BARRIER_TIMEOUT_MS = 2000;

export class BarrierTokens {
  private readonly waiting = new Map<string, () => void>();
  /** The barrier of the current tick, not yet published. */
  private next: Promise<void> | undefined;

  /** `publish` sends a token on the node's channel, on the connection that publishes everything else. */
  constructor(private readonly publish: (token: string) => Promise<unknown>) {}

  /**
   * Every barrier asked for in one tick shares one token, published once the
   * tick ends: it still comes back after everything published before each
   * of those calls, and a burst of pings or joins costs one PUBLISH.
   */
  barrier(): Promise<void> {
    this.next ??= new Promise<void>((resolve) => {
      setImmediate(() => {
        this.next = undefined;
        const token = randomId(6);
        const done = () => {
          clearTimeout(timeout);
          this.waiting.delete(token);
          resolve();
        };
        const timeout = setTimeout(done, BARRIER_TIMEOUT_MS);
        this.waiting.set(token, done);
        this.publish(token).catch(done);
      });
    });
    return this.next;
  }

  /** A token came back on the node's channel. */
  arrived(token: string): void {
    this.waiting.get(token)?.();
  }

  /** Answers every barrier still waiting (the node is closing). */
  releaseAll(): void {
    for (const done of this.waiting.values()) done();
  }
}
