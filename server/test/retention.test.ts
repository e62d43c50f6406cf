/**
 * Retention (PROTOCOL.md §12): the Redis store keeps every message unless a
 * history length is set; with one, the floor moves up visibly — history
 * stops at the oldest kept message with `more: false`, and a resume below it
 * gets `recovered: false` — while resumes within `maxRecoverable` still
 * recover [HIST-6..8, RES-7].
 */

import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/index.js';
import { member, RawClient, startTestServer } from './helpers.js';
import { deleteKeys, REDIS_URL, redisMissing, testPrefix } from './redis.js';

const missing = await redisMissing('retention');

describe.skipIf(missing)('retention', () => {
  const prefix = testPrefix();
  let server: RunningServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });
  afterAll(() => deleteKeys(REDIS_URL, prefix));

  const start = (options: { historyLength?: number; maxRecoverable: number }) =>
    startTestServer({
      store: 'redis',
      redisUrl: REDIS_URL,
      redisPrefix: prefix,
      historyLength: options.historyLength,
      limits: { maxRecoverable: options.maxRecoverable, joinRecent: 3, historyPageMax: 4 },
    });

  async function fill(client: RawClient, room: string, count: number): Promise<void> {
    for (let n = 1; n <= count; n++) {
      const ack = await client.request({ type: 'send', room, clientId: `c${n}`, text: `m${n}` });
      expect(ack.type).toBe('ack');
    }
  }

  /** Pages back from the latest message until `more` is false; returns every seq seen, ascending. */
  async function pageBack(client: RawClient, room: string): Promise<number[]> {
    const seqs: number[] = [];
    let before: number | undefined;
    for (;;) {
      const page = await client.request({ type: 'history', room, ...(before === undefined ? {} : { before }) });
      if (page.type !== 'page') throw new Error(JSON.stringify(page));
      seqs.unshift(...page.messages.map((m) => m.seq));
      if (!page.more) return seqs;
      before = page.messages[0]!.seq;
    }
  }

  it('keeps every acknowledged message by default', async () => {
    server = await start({ maxRecoverable: 5 });
    const client = await member(server.url, 'keeper', 'all-kept');
    await fill(client, 'all-kept', 30);
    expect(await pageBack(client, 'all-kept')).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    client.close();
  });

  it('shows a trimmed floor in history and refuses to recover below it', async () => {
    server = await start({ historyLength: 10, maxRecoverable: 10 });
    const client = await member(server.url, 'trimmer', 'trimmed');
    await fill(client, 'trimmed', 25);
    // The kept messages are one run up to the last seq, and the last page says there is nothing older.
    expect(await pageBack(client, 'trimmed')).toEqual(Array.from({ length: 10 }, (_, i) => i + 16));
    expect(await client.request({ type: 'history', room: 'trimmed', before: 16 })).toMatchObject({
      messages: [],
      more: false,
    });
    const earliest = await client.request({ type: 'history', room: 'trimmed', after: 0, limit: 2 });
    expect(earliest).toMatchObject({ more: true });
    expect(earliest.type === 'page' && earliest.messages.map((m) => m.seq)).toEqual([16, 17]);
    const { epoch } = client.of('joined')[0]!;

    const within = await RawClient.open(server.url);
    await within.login('trimmer', 'key-trimmer');
    const recovered = await within.request({ type: 'join', room: 'trimmed', epoch, seq: 15 });
    expect(recovered).toMatchObject({ type: 'joined', recovered: true, seq: 25 });
    expect(recovered.type === 'joined' && recovered.messages.map((m) => m.seq)).toEqual(
      Array.from({ length: 10 }, (_, i) => i + 16),
    );

    const below = await RawClient.open(server.url);
    await below.login('trimmer', 'key-trimmer');
    const refused = await below.request({ type: 'join', room: 'trimmed', epoch, seq: 3 });
    expect(refused).toMatchObject({ type: 'joined', recovered: false, seq: 25, epoch });
    expect(refused.type === 'joined' && refused.messages.map((m) => m.seq)).toEqual([23, 24, 25]);
    for (const c of [client, within, below]) c.close();
  });
});
