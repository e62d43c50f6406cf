/**
 * The SQLite store's writer thread (src/store/sqlite-thread.ts,
 * sqlite-writer.ts): group commit off the event loop, a refusal inside a
 * batch, closing, and a writer that dies.
 */

import { join } from 'node:path';
import { EntryKind, ErrorCode, type ProtocolError } from '@kuykan/protocol';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SqliteStore } from '../src/store/sqlite.js';
import type { NewMessage } from '../src/store/types.js';
import { tempDir } from './helpers.js';

// Every writer thread the store starts, so a test can end one as a crash would.
const { workers } = vi.hoisted(() => ({ workers: [] as Array<import('node:worker_threads').Worker> }));
vi.mock('node:worker_threads', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:worker_threads')>();
  class Tracked extends actual.Worker {
    constructor(...args: ConstructorParameters<typeof actual.Worker>) {
      super(...args);
      workers.push(this);
    }
  }
  return { ...actual, Worker: Tracked };
});

const opened: SqliteStore[] = [];
afterEach(async () => {
  for (const store of opened.splice(0)) await store.close();
  workers.length = 0;
});

function open(dataDir = tempDir()): SqliteStore {
  const store = new SqliteStore({ dataDir });
  opened.push(store);
  return store;
}

let n = 0;
function entry(who: string, extra: Partial<NewMessage> = {}): NewMessage {
  n += 1;
  return { room: 'r', from: who, userKey: who, identity: `id-${who}`, clientId: `c${n}`, text: `text ${n}`, ...extra };
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('SQLite writer thread', () => {
  it('commits a burst of sends from many clients in one turn in one transaction', async () => {
    const store = open();
    await store.openRoom('r');
    const before = store.writerStats();
    const acks = await Promise.all(Array.from({ length: 100 }, (_, i) => store.append(entry(`user${i}`))));
    expect(acks.map((a) => a.message.seq)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    const after = store.writerStats();
    expect(after.writes - before.writes).toBe(100);
    expect(after.commits - before.commits).toBe(1);
  });

  it('commits the writes of many turns together while a commit is in flight', async () => {
    const store = open();
    await store.openRoom('r');
    const before = store.writerStats();
    // A large first batch keeps the writer busy while the next 50 sends arrive, one per turn.
    const sends = Array.from({ length: 2000 }, (_, i) => store.append(entry(`bulk${i % 50}`)));
    for (let i = 0; i < 50; i++) {
      await nextTurn();
      sends.push(store.append(entry(`late${i}`)));
    }
    const acks = await Promise.all(sends);
    expect(acks.at(-1)!.message.seq).toBe(2050);
    const commits = store.writerStats().commits - before.commits;
    // One transaction per turn would be 51.
    expect(commits).toBeLessThan(26);
  });

  it('refuses a write inside a batch alone and commits the others of it', async () => {
    const store = open();
    const target = (await store.append(entry('ann'))).message.messageId;
    const before = store.writerStats();
    const results = await Promise.allSettled([
      store.append(entry('bob')),
      store.append(entry('bob', { change: { kind: EntryKind.EDIT, target } })),
      store.append(entry('ann', { change: { kind: EntryKind.EDIT, target: `${target}9` } })),
      store.append(entry('cat')),
    ]);
    expect(
      results.map((r) => (r.status === 'fulfilled' ? r.value.message.seq : (r.reason as ProtocolError).code)),
    ).toEqual([2, ErrorCode.NOT_AUTHOR, ErrorCode.MESSAGE_NOT_FOUND, 3]);
    expect(store.writerStats().commits - before.commits).toBe(1);
    expect((await store.range('r', { limit: 10, newest: false })).map((m) => m.seq)).toEqual([1, 2, 3]);
  });

  it('commits every write asked for before close, and a reopened store continues the log', async () => {
    const dataDir = tempDir();
    const first = new SqliteStore({ dataDir });
    const sends = Array.from({ length: 20 }, (_, i) => first.append(entry(`u${i}`)));
    await first.close();
    expect((await Promise.all(sends)).map((a) => a.message.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    const second = open(dataDir);
    expect((await second.openRoom('r')).lastSeq).toBe(20);
    expect((await second.append(entry('u'))).message.seq).toBe(21);
  });

  it('settles every request of a writer that died, loses no acked entry, and starts a new writer', async () => {
    const store = open();
    await store.openRoom('r');
    expect(workers).toHaveLength(1);
    const sends = Array.from({ length: 500 }, (_, i) => store.append(entry(`u${i}`)));
    await nextTurn();
    // The batch was posted: end the writer as a crash would, wherever it is in the batch.
    await workers[0]!.terminate();
    const results = await Promise.allSettled(sends);
    const acked = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value.message.seq] : []));
    for (const r of results) {
      if (r.status === 'rejected') expect((r.reason as ProtocolError).code).toBe(ErrorCode.UNAVAILABLE);
    }
    // A transaction commits whole: the acked entries are the log, with no gap.
    const log = await store.range('r', { limit: 1000, newest: false });
    expect(log.map((m) => m.seq)).toEqual(acked);
    expect(acked).toEqual(Array.from({ length: acked.length }, (_, i) => i + 1));
    // The next write starts a new writer, which continues the log.
    expect((await store.append(entry('after'))).message.seq).toBe(acked.length + 1);
    expect(workers).toHaveLength(2);
    expect(store.writerStats().restarts).toBe(1);
  });

  it('answers an append the dead writer committed without answering as committed', async () => {
    const dataDir = tempDir();
    const store = open(dataDir);
    const { epoch } = await store.openRoom('r');
    const input = entry('ann');
    // The writer takes the request and ends before answering: it never runs it here (a writer that
    // ran it could answer first), and the test writes the entry to the file as if it had committed it.
    const writer = workers[0]!;
    writer.postMessage = () => {};
    const sent = store.append(input);
    await nextTurn();
    const file = new Database(join(dataDir, 'kuykan.db'));
    file
      .prepare(
        'INSERT INTO messages (room, seq, ts, sender, sender_key, client_id, text, identity) VALUES (?, 1, 5, ?, ?, ?, ?, ?)',
      )
      .run('r', input.from, input.userKey, input.clientId, input.text, input.identity);
    file.prepare("UPDATE rooms SET last_seq = 1 WHERE name = 'r'").run();
    file.close();
    await writer.terminate();
    const result = await sent;
    expect(result).toEqual({
      message: { seq: 1, messageId: `${epoch}.1`, ts: 5, from: 'ann', text: input.text, clientId: input.clientId },
      duplicate: false,
    });
    expect((await store.append(entry('bob'))).message.seq).toBe(2);
  });
});
