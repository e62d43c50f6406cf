import { ErrorCode } from '@kuykan/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/index.js';
import { member, RawClient, startTestServer } from './helpers.js';

let server: RunningServer;
beforeAll(async () => {
  server = await startTestServer({ limits: { sendRate: 1000, sendBurst: 1000 } });
});
afterAll(() => server.close());

describe('send', () => {
  it('delivers the message to the sender before the ack, with matching ids', async () => {
    const a = await member(server.url, 'a1', 'm-order');
    const ack = await a.request({ type: 'send', room: 'm-order', clientId: 'c1', text: 'สวัสดีครับ 👋🏽' });
    expect(ack.type).toBe('ack');
    const messageIndex = a.frames.findIndex((f) => f.type === 'message');
    const ackIndex = a.frames.findIndex((f) => f.type === 'ack');
    expect(messageIndex).toBeGreaterThanOrEqual(0);
    expect(messageIndex).toBeLessThan(ackIndex);
    const message = a.of('message')[0]!;
    if (ack.type !== 'ack') throw new Error('unreachable');
    expect(message).toMatchObject({ seq: ack.seq, messageId: ack.messageId, ts: ack.ts, from: 'a1', clientId: 'c1' });
    expect(message.text).toBe('สวัสดีครับ 👋🏽');
    a.close();
  });

  it('broadcasts to every member, including the sender\u2019s other session, in one seq order', async () => {
    const a = await member(server.url, 'b1', 'm-fan');
    const b = await member(server.url, 'b2', 'm-fan');
    const a2 = await RawClient.open(server.url);
    await a2.login('b1', 'key-b1');
    await a2.join('m-fan');
    await Promise.all(
      Array.from({ length: 20 }, (_, n) =>
        (n % 2 ? a : b).request({ type: 'send', room: 'm-fan', clientId: `c${n}`, text: `text ${n}` }),
      ),
    );
    for (const c of [a, b, a2]) await c.barrier();
    const seqs = (c: RawClient) => c.of('message').map((m) => m.seq);
    expect(seqs(a)).toEqual(Array.from({ length: 20 }, (_, n) => n + 1));
    expect(seqs(b)).toEqual(seqs(a));
    expect(seqs(a2)).toEqual(seqs(a));
    expect(a2.of('message').map((m) => m.text)).toEqual(a.of('message').map((m) => m.text));
    for (const c of [a, b, a2]) c.close();
  });

  it('answers a retried clientId with the original ack and no second message', async () => {
    const a = await member(server.url, 'c1', 'm-idem');
    const b = await member(server.url, 'c2', 'm-idem');
    const first = await a.request({ type: 'send', room: 'm-idem', clientId: 'same', text: 'once' });
    const again = await a.request({ type: 'send', room: 'm-idem', clientId: 'same', text: 'once (retry)' });
    expect(again).toMatchObject({ type: 'ack' });
    expect({ ...again, id: 0 }).toEqual({ ...first, id: 0 });
    await b.barrier();
    expect(b.of('message')).toHaveLength(1);
    a.close();
    b.close();
  });

  it('refuses empty, too long and control-character text, bad client ids, and rooms not joined', async () => {
    const a = await member(server.url, 'd1', 'm-bad');
    const send = (text: string, clientId = 'x', room = 'm-bad') => a.request({ type: 'send', room, clientId, text });
    expect(await send('   ')).toMatchObject({ code: ErrorCode.TEXT_INVALID });
    expect(await send('ก'.repeat(4001))).toMatchObject({ code: ErrorCode.TEXT_INVALID });
    expect(await send('ก'.repeat(4000), 'long')).toMatchObject({ type: 'ack' });
    expect(await send('bell\u0007')).toMatchObject({ code: ErrorCode.TEXT_INVALID });
    expect(await send('ok', '')).toMatchObject({ code: ErrorCode.CLIENT_ID_INVALID });
    expect(await send('ok', 'y'.repeat(65))).toMatchObject({ code: ErrorCode.CLIENT_ID_INVALID });
    expect(await send('ok', 'z', 'elsewhere')).toMatchObject({ code: ErrorCode.NOT_IN_ROOM });
    expect(await send('ok', 'z', 'bad room')).toMatchObject({ code: ErrorCode.ROOM_INVALID });
    a.close();
  });
});

describe('rate limit', () => {
  it('answers over-rate sends with RATE_LIMITED and a retry-after', async () => {
    const limited = await startTestServer({ limits: { sendRate: 1, sendBurst: 3 } });
    const a = await member(limited.url, 'r1', 'rate');
    const replies = [];
    for (let n = 0; n < 5; n++)
      replies.push(await a.request({ type: 'send', room: 'rate', clientId: `r${n}`, text: 'hi' }));
    expect(replies.slice(0, 3).every((r) => r.type === 'ack')).toBe(true);
    const refused = replies[3]!;
    expect(refused).toMatchObject({ type: 'error', code: ErrorCode.RATE_LIMITED });
    expect(refused.type === 'error' && refused.retryAfterMs).toBeGreaterThan(0);
    a.close();
    await limited.close();
  });
});

describe('rooms', () => {
  it('normalizes room names, lists rooms, and refuses more rooms than allowed', async () => {
    const small = await startTestServer({ limits: { maxRoomsPerConnection: 2 } });
    const a = await RawClient.open(small.url);
    await a.login('rooms1');
    const joined = await a.join('  ห้องนั่งเล่น ');
    expect(joined.room).toBe('ห้องนั่งเล่น');
    expect((await a.join('Lobby')).room).toBe('lobby');
    expect(await a.request({ type: 'join', room: 'third' })).toMatchObject({ code: ErrorCode.TOO_MANY_ROOMS });
    expect((await a.join('LOBBY')).members).toEqual(['rooms1']);
    const list = await a.request({ type: 'rooms' });
    expect(list.type === 'roomList' && list.rooms.map((r) => r.room).sort()).toEqual(['lobby', 'ห้องนั่งเล่น']);
    expect(await a.request({ type: 'leave', room: 'lobby' })).toMatchObject({ type: 'ok' });
    expect(await a.request({ type: 'leave', room: 'lobby' })).toMatchObject({ code: ErrorCode.NOT_IN_ROOM });
    a.close();
    await small.close();
  });

  it('sends the latest joinRecent messages on join', async () => {
    const a = await member(server.url, 'e1', 'm-recent');
    for (let n = 1; n <= 55; n++) await a.request({ type: 'send', room: 'm-recent', clientId: `r${n}`, text: `m${n}` });
    const b = await member(server.url, 'e2', 'm-recent');
    const joined = b.of('joined')[0]!;
    expect(joined.seq).toBe(55);
    expect(joined.messages.map((m) => m.seq)).toEqual(Array.from({ length: 50 }, (_, n) => n + 6));
    expect(joined.recovered).toBeUndefined();
    a.close();
    b.close();
  });
});
