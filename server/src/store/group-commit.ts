/**
 * Group commit for the SQLite store's writer thread: the writes asked for
 * within {@link GATHER_MS} of the first run in one transaction, and each one's
 * promise settles only after that transaction commits [MSG-3]. While a
 * commit's fsync blocks the writer, the next requests queue up in its
 * message port, so a batch grows by itself with the load. A write refused
 * by a rule (it throws a `ProtocolError` before or while writing) is rolled
 * back to its own savepoint and refused alone; any other failure rolls the
 * whole batch back and fails every write of it.
 *
 * @module
 */

import { ProtocolError } from '@kuykan/protocol';
import type Database from 'better-sqlite3';

interface Work {
  run: () => unknown;
  /** The room whose log the write extends, if any. */
  room: string | undefined;
  /** The write removes content that must leave the file too [DEL-2]. */
  erases: boolean;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * How long the first write of a batch waits for others, ms. A commit costs
 * its WAL pages and fsync whatever it holds, so at a modest rate (when the
 * writer is idle as each write arrives) one write per commit spends most of
 * the store's CPU on commits: gathering for 2 ms made the SQLite server 1.34×
 * as efficient at 2,000 messages/s (bench, 2026-12-07), for ~2 ms more
 * before each ack. Under load, the batch grows while the last commit is in
 * flight anyway.
 */
const GATHER_MS = 2;

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

export interface GroupCommitHooks {
  /** The batch was rolled back: forget what its writes cached (the rooms they touched). */
  aborted(rooms: Set<string>): void;
  /** A committed batch erased content: make sure no copy stays in the files (before anyone is answered). */
  erased(): void;
}

export class GroupCommit {
  private batch: Work[] = [];
  /** Set while writes wait for their commit. */
  private timer: NodeJS.Timeout | undefined;
  /** Transactions committed. */
  commits = 0;
  /** Writes run (committed, or refused alone). */
  writes = 0;

  /**
   * One write in a savepoint (a nested transaction): a refused write leaves
   * nothing behind. Built once: better-sqlite3 prepares a transaction's
   * statements each time `transaction()` is called.
   */
  private readonly savepoint: (run: () => unknown) => unknown;
  /** The batch in one transaction, each write in its savepoint. */
  private readonly commit: (batch: Work[], outcomes: Outcome[]) => void;

  constructor(
    db: Database.Database,
    private readonly hooks: GroupCommitHooks,
  ) {
    this.savepoint = db.transaction((run: () => unknown) => run());
    this.commit = db.transaction((batch: Work[], outcomes: Outcome[]) => {
      for (const work of batch) {
        try {
          outcomes.push({ ok: true, value: this.savepoint(work.run) });
        } catch (error) {
          if (!(error instanceof ProtocolError)) throw error;
          outcomes.push({ ok: false, error });
        }
      }
    });
  }

  /** Runs `run` inside the next transaction; resolves with its result once committed. */
  run<T>(run: () => T, options: { room?: string; erases?: boolean } = {}): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.batch.push({
        run,
        room: options.room,
        erases: options.erases ?? false,
        resolve: resolve as (value: unknown) => void,
        reject,
      });
      this.timer ??= setTimeout(() => this.flush(), GATHER_MS);
    });
  }

  /** Commits everything queued now (also called on close). */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.batch;
    this.batch = [];
    if (batch.length === 0) return;
    const outcomes: Outcome[] = [];
    try {
      this.commit(batch, outcomes);
    } catch (error) {
      this.hooks.aborted(new Set(batch.flatMap((work) => (work.room === undefined ? [] : [work.room]))));
      for (const work of batch) work.reject(error);
      return;
    }
    this.commits += 1;
    this.writes += batch.length;
    if (batch.some((work, i) => work.erases && outcomes[i]!.ok)) this.hooks.erased();
    batch.forEach((work, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok) work.resolve(outcome.value);
      else work.reject(outcome.error);
    });
  }
}
