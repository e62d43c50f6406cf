/**
 * Reconnect delays: exponential backoff with full jitter [CLOSE-3].
 *
 * @module
 */

/**
 * Delay before reconnect attempt `attempt` (0-based): a uniformly random
 * value in [0, min(maxMs, minMs · 2^attempt)], never below `minMs / 2` so a
 * crowd of clients does not reconnect in the same millisecond.
 */
export function backoff(attempt: number, minMs: number, maxMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(maxMs, minMs * 2 ** Math.min(attempt, 30));
  return Math.max(minMs / 2, Math.floor(random() * ceiling));
}
