import { ErrorCode } from '@kuykan/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/index.js';
import { member, RawClient, startTestServer } from './helpers.js';

let server: RunningServer;
beforeAll(async () => {
  server = await startTestServer({ limits: { sendRate: 1000, sendBurst: 1000, maxRecoverable: 10, joinRecent: 3 } });
});
afterAll(() => server.close());

async function sendMany(client: RawClient, room: string, from: number, to: number) {
  for (let n = from; n <= to; n++)
    await client.request({ type: 'send', room, clientId: `${room}-${n}`, text: `m${n}` });
}

describe('resume', () => {
  it('recovers exactly the gap after a reconnect', async () => {
    const writer = await member(server.url, 'w1', 'res1');
    const reader = await member(server.url, 'r1', 'res1');
    await sendMany(writer, 'res1', 1, 4);
    await reader.barrier();
    const { epoch } = reader.of('joined')[0]!;
    const lastSeen = reader.of('message').at(-1)!.seq;
    reader.close();
    await sendMany(writer, 'res1', 5, 9);
    const back = await RawClient.open(server.url);
    await back.login('r1', 'key-r1');
    const joined = await back.request({ type: 'join', room: 'res1', epoch, seq: lastSeen });
    expect(joined).toMatchObject({ type: 'joined', recovered: true, seq: 9 });
    expect(joined.type === 'joined' && joined.messages.map((m) => m.text)).toEqual(['m5', 'm6', 'm7', 'm8', 'm9']);
    await sendMany(writer, 'res1', 10, 10);
    await back.barrier();
    expect(back.of('message').map((m) => m.seq)).toEqual([10]);
    writer.close();
    back.close();
  });

  it('answers recovered false with the latest messages when the epoch differs or the gap is too large', async () => {
    const writer = await member(server.url, 'w2', 'res2');
    await sendMany(writer, 'res2', 1, 15);
    const { epoch } = writer.of('joined')[0]!;
    const c = await RawClient.open(server.url);
    await c.login('r2');
    const wrongEpoch = await c.request({ type: 'join', room: 'res2', epoch: 'not-the-epoch', seq: 14 });
    expect(wrongEpoch).toMatchObject({ recovered: false });
    expect(wrongEpoch.type === 'joined' && wrongEpoch.messages.map((m) => m.seq)).toEqual([13, 14, 15]);
    expect(await c.request({ type: 'join', room: 'res2', epoch, seq: 2 })).toMatchObject({ recovered: false });
    expect(await c.request({ type: 'join', room: 'res2', epoch, seq: 99 })).toMatchObject({ recovered: false });
    expect(await c.request({ type: 'join', room: 'res2', epoch, seq: 5 })).toMatchObject({ recovered: true });
    expect(await c.request({ type: 'join', room: 'res2', epoch, seq: 15 })).toMatchObject({
      recovered: true,
      messages: [],
    });
    writer.close();
    c.close();
  });

  it('answers recovered false when the gap would not fit in one 4 MiB server frame [RES-1, WIRE-6]', async () => {
    const big = await startTestServer({
      limits: { sendRate: 1e6, sendBurst: 1e6, maxRecoverable: 1000, joinRecent: 2 },
    });
    const writer = await member(big.url, 'w-big', 'big');
    const { epoch } = writer.of('joined')[0]!;
    const text = '😀'.repeat(4000); // 16,000 bytes each: 300 of them are 4.8 MB
    for (let n = 1; n <= 300; n++) await writer.request({ type: 'send', room: 'big', clientId: `b${n}`, text });
    const reader = await RawClient.open(big.url);
    await reader.login('r-big');
    const gapTooBig = await reader.request({ type: 'join', room: 'big', epoch, seq: 0 });
    expect(gapTooBig).toMatchObject({ type: 'joined', recovered: false, seq: 300 });
    expect(gapTooBig.type === 'joined' && gapTooBig.messages.map((m) => m.seq)).toEqual([299, 300]);
    const fits = await reader.request({ type: 'join', room: 'big', epoch, seq: 100 });
    expect(fits).toMatchObject({ type: 'joined', recovered: true });
    expect(fits.type === 'joined' && fits.messages).toHaveLength(200);
    writer.close();
    reader.close();
    await big.close();
  });

  it('refuses a join with only one of epoch and seq', async () => {
    const c = await RawClient.open(server.url);
    await c.login('r3');
    expect(await c.request({ type: 'join', room: 'res3', seq: 1 })).toMatchObject({ code: ErrorCode.BAD_FRAME });
    expect(await c.request({ type: 'join', room: 'res3', epoch: 'e' })).toMatchObject({ code: ErrorCode.BAD_FRAME });
    c.close();
  });
});
