/**
 * Group commit for the SQLite store's writer thread: the writes asked for
 * in one turn of its event loop run in one transaction, and each one's
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

export interface GroupCommitHooks {
  /** The batch was rolled back: forget what its writes cached (the rooms they touched). */
  aborted(rooms: Set<string>): void;
  /** A committed batch erased content: make sure no copy stays in the files (before anyone is answered). */
  erased(): void;
}

export class GroupCommit {
  private batch: Work[] = [];
  private scheduled = false;
  /** Transactions committed. */
  commits = 0;
  /** Writes run (committed, or refused alone). */
  writes = 0;

  constructor(
    private readonly db: Database.Database,
    private readonly hooks: GroupCommitHooks,
  ) {}

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
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Commits everything queued now (also called on close). */
  flush(): void {
    this.scheduled = false;
    const batch = this.batch;
    this.batch = [];
    if (batch.length === 0) return;
    const outcomes: Array<{ ok: true; value: unknown } | { ok: false; error: unknown }> = [];
    try {
      this.db.transaction(() => {
        for (const work of batch) {
          try {
            // A nested transaction is a savepoint: a refused write leaves nothing behind.
            outcomes.push({ ok: true, value: this.db.transaction(work.run)() });
          } catch (error) {
            if (!(error instanceof ProtocolError)) throw error;
            outcomes.push({ ok: false, error });
          }
        }
      })();
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
