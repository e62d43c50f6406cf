/**
 * Entry of the SQLite store's writer thread (started by sqlite-thread.ts;
 * built to `dist/sqlite-worker.js` beside the bundle, see tsup.config.ts).
 * Every batch from the main thread is queued into the writer's group
 * commit; the answers of one commit go back as one message, after it.
 *
 * @module
 */

import { parentPort, workerData } from 'node:worker_threads';
import { ProtocolError } from '@kuykan/protocol';
import type { CarriedError, WriteResult, WriterBatch, WriterConfig, WriterReply } from './sqlite-messages.js';
import { SqliteWriter } from './sqlite-writer.js';

const port = parentPort!;
const writer = new SqliteWriter(workerData as WriterConfig);
let outbox: WriteResult[] = [];

function carry(error: unknown): CarriedError {
  if (error instanceof ProtocolError) return { name: error.name, message: error.message, code: error.code };
  if (error instanceof Error) return { name: error.name, message: error.message };
  return { name: 'Error', message: String(error) };
}

function answer(result: WriteResult): void {
  // The answers of one commit settle in one run of microtasks: the first schedules the message after the rest.
  if (outbox.length === 0) {
    queueMicrotask(() => {
      const reply: WriterReply = { results: outbox, ...writer.totals };
      outbox = [];
      port.postMessage(reply);
    });
  }
  outbox.push(result);
}

port.on('message', (batch: WriterBatch) => {
  for (const request of batch.requests) {
    if (request.op === 'release') writer.release(request.room);
    else if (request.op === 'close') {
      writer.close();
      // After the answers of the last commit went out (microtasks), the thread may end.
      setImmediate(() => port.close());
    } else {
      const { id } = request;
      writer.run(request).then(
        (value) => answer({ id, ok: true, value }),
        (error: unknown) => answer({ id, ok: false, error: carry(error) }),
      );
    }
  }
});
