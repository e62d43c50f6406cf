/**
 * What the SQLite store's main thread and its writer thread say to each
 * other (sqlite-thread.ts, sqlite-worker.ts): plain data only, since it
 * crosses the thread by structured clone. A `ProtocolError` crosses as its
 * code and message and is built again on the other side.
 *
 * @module
 */

import type { DirectRoom, EntryRules, NewMessage } from './types.js';

/** How the writer opens the file. */
export interface WriterConfig {
  /** Path of `kuykan.db`, already created and migrated by the main thread. */
  file: string;
  synchronous: 'FULL' | 'NORMAL';
  rules: EntryRules;
}

/** A write the writer answers once its transaction committed. */
export type WriteRequest =
  | { id: number; op: 'append'; input: NewMessage }
  | { id: number; op: 'open'; room: string }
  | { id: number; op: 'marker'; identity: string; room: string; epoch: string; seq: number }
  | { id: number; op: 'direct'; room: DirectRoom };

/** Requests without an answer: forget a room's cached position; commit everything and stop. */
export type WriterNotice = { op: 'release'; room: string } | { op: 'close' };

/** One message to the writer: what the main thread asked for in one event-loop turn, in order. */
export interface WriterBatch {
  requests: Array<WriteRequest | WriterNotice>;
}

/** An error as it crosses the thread: `code` for a `ProtocolError`. */
export interface CarriedError {
  name: string;
  message: string;
  code?: number;
}

export type WriteResult = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: CarriedError };

/** One message from the writer: the answers of what it committed, and its running totals. */
export interface WriterReply {
  results: WriteResult[];
  /** Transactions committed since the writer started. */
  commits: number;
  /** Writes run in them (committed or refused alone). */
  writes: number;
}
