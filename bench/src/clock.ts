/**
 * The one clock every load-generator process stamps and reads messages with.
 *
 * A message may be sent by a client in one worker process and delivered to a
 * client in another, so its intended send time must mean the same instant in
 * every process. `process.hrtime` reads libuv's `uv_hrtime`, which on Linux is
 * `clock_gettime(CLOCK_MONOTONIC)`: a single system-wide clock (time since
 * boot), the same for every process on the machine, not reset per process and
 * not stepped by NTP. Two processes reading it at the same instant read the
 * same value, so `now()` in worker B minus a time stamped by worker A is a true
 * latency.
 *
 * Not `performance.now()`: it counts from each process's own start. Nor
 * `performance.timeOrigin + performance.now()`: `timeOrigin` is a wall-clock
 * reading taken once at start-up, separately from the monotonic one: on the
 * development machine six processes started together disagreed by 0.25 ms,
 * one by 3 ms — more than the ceiling's p50 latency. `Date.now()` has only millisecond
 * resolution and can be stepped.
 */

/** Milliseconds (fractional, nanosecond resolution) on the machine-wide monotonic clock. */
export function now(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}
