/**
 * What the load-generator processes share: their configuration and reports,
 * and the pure rules that split one run between N worker processes — which
 * worker holds which client, and which worker sends which message of the one
 * global open-loop schedule. The parent (fleet.ts) and every worker
 * (loadgen.ts) apply the same rules, so they need agree on nothing but a
 * common start time.
 */
import type { TargetKind } from './clients.js';

/** One load run, as the scenarios ask for it (independent of how many processes run it). */
export interface LoadConfig {
  target: TargetKind;
  /** The target's URLs: one, or one per node of a cluster (member m of a room uses urls[m % urls.length]). */
  urls: string[];
  rooms: number;
  members: number;
  /**
   * Messages sent per second, over all rooms, unless a window asks for another rate.
   * 0: connect only, hold until told to stop (footprint).
   */
  rate: number;
  durationMs: number;
  /** Pads every message's text to this many bytes of UTF-8 (clients.ts `messageText`); unpadded when absent. */
  textBytes?: number;
  /** For churn: connect+login+join as fast as possible for durationMs with this concurrency (over all workers). */
  churn?: number;
}

/** What one worker process is given: the run, and its place among the workers. */
export interface WorkerConfig extends LoadConfig {
  /** Names this run's rooms and users, the same in every worker so that they meet in the same rooms. */
  run: string;
  /** This worker's index, 0 ≤ worker < workers. */
  worker: number;
  workers: number;
}

/** A worker's `ready` line: its clients are connected (or failed to), so far in the run. */
export interface WorkerReady {
  connected: number;
  /** Connections that failed (refused, closed before joining, timed out). */
  failed: number;
  /** The first failure's message, to say why. */
  firstError?: string;
}

/** A worker's `result` line, one per measured window: its counters and its latency histogram, encoded. */
export interface WorkerReport extends WorkerReady {
  /** Messages this worker sent (its share of the schedule). */
  sent: number;
  /** Deliveries to this worker's (reading) clients within the window. */
  delivered: number;
  /** Deliveries this worker's clients should get from the whole schedule. */
  expected: number;
  /** Deliveries that seemed to arrive before they were due: anything but 0 means the processes do not share a clock. */
  clockSkewed: number;
  /** When this worker's window ended (all delivered, or the drain gave up), on the shared clock (clock.ts), ms. */
  endedAt: number;
  /** Time the event loop spent sending and reading during the send phase, leaving out the busy wait, ms. */
  busyMs: number;
  /** Length of the send phase, ms. */
  sendPhaseMs: number;
  /** HdrHistogram of delivery latency (µs) from each message's intended send time, compressed base64. */
  latency: string;
  /** Churn: connect+login+join cycles completed. */
  churned?: number;
}

/** Which worker holds member `member` of room `room`. Rooms span workers, so messages cross processes. */
export function workerOf(room: number, member: number, workers: number): number {
  return (room + member) % workers;
}

/** Member 0 of each room sends that room's messages, so senders are spread over the workers. */
export function senderWorker(room: number, workers: number): number {
  return workerOf(room, 0, workers);
}

/** The members of `room` that `worker` holds. */
export function membersOf(room: number, members: number, worker: number, workers: number): number[] {
  return Array.from({ length: members }, (_, m) => m).filter((m) => workerOf(room, m, workers) === worker);
}

/** Milliseconds between two messages of the global schedule. */
export function interval(rate: number): number {
  return 1000 / rate;
}

/** How many messages the global schedule holds: message k is due at t0 + k·interval, for k·interval < duration. */
export function scheduled(rate: number, durationMs: number): number {
  return Math.ceil((rate * durationMs) / 1000);
}

/** Message k goes to room k mod rooms. */
export function roomOfMessage(k: number, rooms: number): number {
  return k % rooms;
}

/** This worker's share of `total` (churn concurrency): as even as can be. */
export function share(total: number, worker: number, workers: number): number {
  return Math.floor(total / workers) + (worker < total % workers ? 1 : 0);
}
