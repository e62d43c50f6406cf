/**
 * The main thread's end of the SQLite store's writer thread
 * (sqlite-worker.ts): the write requests of one event-loop turn go to the
 * writer as one message, and each promise settles when the writer's answer
 * arrives, after the commit. The thread is started on the first request
 * and started again on the first request after it died.
 *
 * A writer that dies (an uncaught error, or terminated) leaves nothing
 * acked behind, since answers follow commits, and leaves no request hanging:
 * its unanswered requests go to `recover`, which finds an append the
 * writer committed before dying (the store's own connection sees it) and
 * answers it as committed; every other one fails with UNAVAILABLE, which
 * the client retries [MSG-5].
 *
 * @module
 */

import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { ErrorCode, ProtocolError } from '@kuykan/protocol';
import type {
  CarriedError,
  WriteRequest,
  WriterBatch,
  WriterConfig,
  WriterNotice,
  WriterReply,
} from './sqlite-messages.js';

/** A request without its id (the thread numbers them). */
export type WriteAsk<R = WriteRequest> = R extends WriteRequest ? Omit<R, 'id'> : never;

interface Waiting {
  request: WriteRequest;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * How to start the writer: `dist/sqlite-worker.js` beside the bundled
 * module that imports this one; or, when this file runs from source
 * (vitest, tsx), `sqlite-worker.ts` beside it, loaded through tsx's API
 * (Node 20 applies no `--import` loader to a worker's entry).
 */
function entry(): { code: string | URL; eval: boolean } {
  const built = new URL('./sqlite-worker.js', import.meta.url);
  if (existsSync(built)) return { code: built, eval: false };
  const source = new URL('./sqlite-worker.ts', import.meta.url).href;
  const api = pathToFileURL(
    createRequire(import.meta.url)
      .resolve('tsx/esm/api')
      .replace(/\.cjs$/, '.mjs'),
  ).href;
  const code = `import(${JSON.stringify(api)}).then(({ register }) => { register(); return import(${JSON.stringify(source)}); });`;
  return { code, eval: true };
}

function rebuild(error: CarriedError): Error {
  if (error.code !== undefined) return new ProtocolError(error.code as ErrorCode, error.message);
  const rebuilt = new Error(error.message);
  rebuilt.name = error.name;
  return rebuilt;
}

export class WriterThread {
  private worker: Worker | undefined;
  private outbox: Array<WriteRequest | WriterNotice> = [];
  private scheduled = false;
  private readonly waiting = new Map<number, Waiting>();
  private nextId = 1;
  private closing: Promise<void> | undefined;
  private readonly totals = { commits: 0, writes: 0, restarts: 0 };
  /** Totals of writers that died: a new writer counts from zero. */
  private readonly before = { commits: 0, writes: 0 };

  /**
   * @param config how the writer opens the file
   * @param recover after the writer died: what a request it did not answer committed, if anything
   */
  constructor(
    private readonly config: WriterConfig,
    private readonly recover: (request: WriteRequest) => unknown,
  ) {}

  /** Transactions committed, writes run in them, and writers started again after dying. */
  stats(): { commits: number; writes: number; restarts: number } {
    return { ...this.totals };
  }

  /** Asks the writer for a write; resolves with its result once committed. */
  call<T>(ask: WriteAsk): Promise<T> {
    if (this.closing) return Promise.reject(new ProtocolError(ErrorCode.UNAVAILABLE, 'the store is closing'));
    return new Promise<T>((resolve, reject) => {
      const request = { ...ask, id: this.nextId++ } as WriteRequest;
      this.waiting.set(request.id, { request, resolve: resolve as (value: unknown) => void, reject });
      this.enqueue(request);
    });
  }

  /** Tells the writer something it does not answer. */
  tell(notice: WriterNotice): void {
    if (!this.closing && this.worker) this.enqueue(notice);
  }

  /** Commits everything asked for, then ends the writer. */
  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      if (!this.worker && this.outbox.length === 0) return resolve();
      this.outbox.push({ op: 'close' });
      // Starts a writer if the last one died with requests still to post.
      this.post();
      this.worker!.once('exit', () => resolve());
    });
    return this.closing;
  }

  private enqueue(request: WriteRequest | WriterNotice): void {
    this.outbox.push(request);
    if (!this.scheduled) {
      this.scheduled = true;
      // The rest of this turn's requests join the same message.
      setImmediate(() => this.post());
    }
  }

  private post(): void {
    this.scheduled = false;
    if (this.outbox.length === 0) return;
    const batch: WriterBatch = { requests: this.outbox };
    this.outbox = [];
    const worker = this.start();
    // Keeps the process alive while answers are due, and only then.
    worker.ref();
    worker.postMessage(batch);
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const { code, eval: evaluated } = entry();
    const worker = new Worker(code, { workerData: this.config, eval: evaluated });
    worker.on('message', (reply: WriterReply) => this.answered(reply));
    let failure: unknown;
    worker.on('error', (error) => (failure = error));
    worker.on('exit', () => {
      if (this.worker === worker) this.died(failure);
    });
    this.worker = worker;
    return worker;
  }

  private answered(reply: WriterReply): void {
    this.totals.commits = this.before.commits + reply.commits;
    this.totals.writes = this.before.writes + reply.writes;
    for (const result of reply.results) {
      const waiting = this.waiting.get(result.id);
      if (!waiting) continue;
      this.waiting.delete(result.id);
      if (result.ok) waiting.resolve(result.value);
      else waiting.reject(rebuild(result.error));
    }
    if (this.waiting.size === 0 && !this.closing) this.worker?.unref();
  }

  /** The writer ended without being asked to: settle what it left unanswered. */
  private died(failure: unknown): void {
    this.worker = undefined;
    this.before.commits = this.totals.commits;
    this.before.writes = this.totals.writes;
    if (!this.closing) this.totals.restarts += 1;
    const reason = failure instanceof Error ? `: ${failure.message}` : '';
    // Requests still in the outbox were never posted: they go to the next writer.
    const queued = new Set(this.outbox.flatMap((r) => ('id' in r ? [r.id] : [])));
    for (const [id, waiting] of this.waiting) {
      if (queued.has(id)) continue;
      this.waiting.delete(id);
      let committed: unknown;
      try {
        committed = this.recover(waiting.request);
      } catch (error) {
        waiting.reject(error);
        continue;
      }
      if (committed !== undefined) waiting.resolve(committed);
      else waiting.reject(new ProtocolError(ErrorCode.UNAVAILABLE, `the store's writer stopped${reason}; try again`));
    }
    if (this.outbox.length > 0 && !this.scheduled && !this.closing) {
      this.scheduled = true;
      setImmediate(() => this.post());
    }
  }
}
