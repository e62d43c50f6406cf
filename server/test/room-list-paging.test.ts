/**
 * `rooms` pages (PROTOCOL.md §9, [ROOM-9], [ROOM-11]): code point order,
 * `after`, `limit` (default and largest ROOM_PAGE_MAX, 0 read as 1), an
 * exact `more`, and pages cut below 4 MiB [WIRE-6]; for both versions.
 */

import { ROOM_PAGE_MAX, type RoomInfo } from '@kuykan/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { byCodePoint } from '../src/handlers/room-list.js';
import type { RunningServer } from '../src/index.js';
import { RawClient, startTestServer } from './helpers.js';

const rates = { joinRate: 10_000, joinBurst: 10_000, roomsRate: 10_000, roomsBurst: 10_000 };
let server: RunningServer;
let client: RawClient;
// U+FF5E sorts before U+1F600 by code point, after it by UTF-16 unit (0xD83D < 0xFF5E).
const names = ['b', 'a', 'ab', 'z\uff5e', 'z😀', 'ก', 'é'];
beforeAll(async () => {
  server = await startTestServer({ limits: rates });
  client = await RawClient.open(server.url);
  await client.login('lister');
  for (const name of names) await client.join(name);
});
afterAll(async () => {
  client.close();
  await server.close();
});

type ListFrame = { rooms: RoomInfo[]; more?: boolean };

async function list(c: RawClient, query: { after?: string; limit?: number } = {}): Promise<ListFrame> {
  const reply = await c.request({ type: 'rooms', ...query });
  expect(reply.type, JSON.stringify(reply)).toBe('roomList');
  return reply as ListFrame;
}

describe('roomList', () => {
  it('lists rooms in code point order, not UTF-16 order [ROOM-11]', async () => {
    const { rooms, more } = await list(client);
    expect(rooms.map((r) => r.room)).toEqual(['a', 'ab', 'b', 'z\uff5e', 'z😀', 'é', 'ก']);
    expect(more).toBe(false);
    expect(byCodePoint('z😀', 'z\uff5e')).toBeGreaterThan(0);
    expect(byCodePoint('a', 'ab')).toBeLessThan(0);
    expect(byCodePoint('ab', 'ab')).toBe(0);
  });

  it('pages with after and limit, with more exactly when rooms follow', async () => {
    const seen: string[] = [];
    let after: string | undefined;
    for (;;) {
      const { rooms, more } = await list(client, { after, limit: 2 });
      expect(rooms.length).toBeLessThanOrEqual(2);
      seen.push(...rooms.map((r) => r.room));
      if (!more) break;
      after = rooms.at(-1)!.room;
    }
    expect(seen).toEqual(['a', 'ab', 'b', 'z\uff5e', 'z😀', 'é', 'ก']);
    expect(await list(client, { after: 'ก' })).toEqual({
      type: 'roomList',
      id: expect.any(Number),
      rooms: [],
      more: false,
    });
    // `after` need not be a room: rooms sorting after it are listed.
    expect((await list(client, { after: 'aa' })).rooms[0]!.room).toBe('ab');
  });

  it('reads a limit of 0 as 1 and one above ROOM_PAGE_MAX as ROOM_PAGE_MAX', async () => {
    expect(await list(client, { limit: 0 })).toMatchObject({ rooms: [{ room: 'a' }], more: true });
    expect((await list(client, { limit: ROOM_PAGE_MAX + 1 })).rooms).toHaveLength(names.length);
    expect((await list(client, { limit: 2 ** 40 })).rooms).toHaveLength(names.length);
  });

  it('gives version 2 sessions the same pages', async () => {
    const v2 = await RawClient.open(server.url, { versions: [2, 1] });
    await v2.login('lister-2');
    expect(await list(v2, { after: 'b', limit: 3 })).toMatchObject({
      rooms: [{ room: 'z\uff5e' }, { room: 'z😀' }, { room: 'é' }],
      more: true,
    });
    v2.close();
  });

  it('holds ROOM_PAGE_MAX rooms by default', async () => {
    const many = await startTestServer({ limits: { ...rates, sendRate: 10_000, sendBurst: 10_000 } });
    const c = await RawClient.open(many.url);
    await c.login('many');
    // Rooms without members or messages are not listed [ROOM-9]: each gets a message.
    for (let i = 0; i <= ROOM_PAGE_MAX; i++) {
      const room = `r${String(i).padStart(4, '0')}`;
      await c.join(room);
      await c.request({ type: 'send', room, clientId: room, text: 'x' });
      await c.request({ type: 'leave', room });
    }
    const first = await list(c);
    expect(first.rooms).toHaveLength(ROOM_PAGE_MAX);
    expect(first.more).toBe(true);
    expect(await list(c, { after: first.rooms.at(-1)!.room })).toMatchObject({
      rooms: [{ room: `r0${ROOM_PAGE_MAX}`, seq: 1 }],
      more: false,
    });
    c.close();
    await many.close();
  });

  it('cuts a page that would pass 4 MiB, with more [WIRE-6]', async () => {
    const big = await startTestServer({
      limits: { ...rates, maxRoomLength: 10_000, maxFrameBytes: 65_536, maxRoomsPerConnection: 200 },
    });
    const c = await RawClient.open(big.url);
    await c.login('big');
    // 120 rooms of 10,000 four-byte code points: 4.8 MB of names.
    const long = (i: number) => `${String(i).padStart(3, '0')}${'😀'.repeat(9_997)}`;
    for (let i = 0; i < 120; i++) await c.join(long(i));
    const first = await list(c);
    expect(first.more).toBe(true);
    expect(first.rooms.length).toBeGreaterThan(0);
    expect(first.rooms.length).toBeLessThan(120);
    const rest = await list(c, { after: first.rooms.at(-1)!.room });
    expect(rest.rooms[0]!.room).toBe(long(first.rooms.length));
    c.close();
    await big.close();
  });
});
