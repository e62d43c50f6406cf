import { ErrorCode } from '@kuykan/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/index.js';
import { member, type RawClient, startTestServer, tempDir } from './helpers.js';

describe.each(['memory', 'sqlite'] as const)('history (%s store)', (store) => {
  let server: RunningServer;
  let a: RawClient;
  beforeAll(async () => {
    server = await startTestServer({
      store,
      dataDir: tempDir(),
      limits: { sendRate: 1000, sendBurst: 1000, historyPageMax: 20 },
    });
    a = await member(server.url, 'h1', 'hist');
    for (let n = 1; n <= 45; n++) await a.request({ type: 'send', room: 'hist', clientId: `h${n}`, text: `m${n}` });
  });
  afterAll(async () => {
    a.close();
    await server.close();
  });
  const page = async (q: { before?: number; after?: number; limit?: number }) => {
    const reply = await a.request({ type: 'history', room: 'hist', ...q });
    if (reply.type !== 'page') throw new Error(JSON.stringify(reply));
    return { seqs: reply.messages.map((m) => m.seq), more: reply.more, messages: reply.messages };
  };
  const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, n) => from + n);

  it('pages backwards from the end with more set until the first message', async () => {
    expect(await page({ limit: 10 })).toMatchObject({ seqs: range(36, 45), more: true });
    expect(await page({ before: 36, limit: 10 })).toMatchObject({ seqs: range(26, 35), more: true });
    expect(await page({ before: 6, limit: 10 })).toMatchObject({ seqs: range(1, 5), more: false });
    expect(await page({ before: 11, limit: 10 })).toMatchObject({ seqs: range(1, 10), more: false });
    expect(await page({ before: 1 })).toMatchObject({ seqs: [], more: false });
  });

  it('pages forwards after a seq', async () => {
    expect(await page({ after: 0, limit: 10 })).toMatchObject({ seqs: range(1, 10), more: true });
    expect(await page({ after: 40, limit: 10 })).toMatchObject({ seqs: range(41, 45), more: false });
    expect(await page({ after: 35, limit: 10 })).toMatchObject({ seqs: range(36, 45), more: false });
  });

  it('defaults the limit to historyPageMax and returns the delivered fields', async () => {
    const { seqs, messages } = await page({});
    expect(seqs).toEqual(range(26, 45));
    expect(messages[0]).toMatchObject({ from: 'h1', text: 'm26', clientId: 'h26' });
  });

  it('refuses both bounds and limits out of range', async () => {
    for (const q of [{ before: 5, after: 1 }, { limit: 0 }, { limit: 21 }]) {
      expect(await a.request({ type: 'history', room: 'hist', ...q })).toMatchObject({
        code: ErrorCode.HISTORY_INVALID,
      });
    }
  });
});
