/**
 * §9 Room list pages [ROOM-11], for version 1 and 2 sessions alike: code
 * point order (not UTF-16 order), `after`, `limit` (0 is 1, above
 * ROOM_PAGE_MAX is ROOM_PAGE_MAX) and `more` exactly when rooms follow.
 *
 * @module
 */

import { ROOM_PAGE_MAX, type RoomInfo, type RoomListFrame } from '@kuykan/protocol';
import type { TestContext } from '../context.js';
import { expect } from '../failure.js';
import type { TestCase } from '../runner.js';
import type { WireClient } from '../wire.js';
import { codePointCompare } from './v2.js';

const section = 'room-list';

/**
 * Suffixes whose code point order differs from UTF-16 order and from
 * byte-wise Latin-1 habits: `ｚ` (U+FF5A) sorts before `😀` (U+1F600) by
 * code point, after it by UTF-16 unit.
 */
const SUFFIXES = ['a', 'b', 'z', 'ä', 'ก', 'ｚ', '😀'];

/** A page of the room list, checked against the request it answers. */
async function page(conn: WireClient, after: string | undefined, limit: number | undefined): Promise<RoomListFrame> {
  const reply = await conn.ok('ROOM-11', { type: 'rooms', after, limit });
  const cap = limit === undefined ? ROOM_PAGE_MAX : Math.min(Math.max(limit, 1), ROOM_PAGE_MAX);
  const asked = JSON.stringify({ after, limit });
  expect(
    'ROOM-11',
    reply.rooms.length <= cap,
    `rooms ${asked} answered ${reply.rooms.length} rooms, at most ${cap} allowed`,
  );
  reply.rooms.forEach((r, i) => {
    if (after !== undefined)
      expect(
        'ROOM-11',
        codePointCompare(r.room, after) > 0,
        `rooms ${asked} listed ${JSON.stringify(r.room)}, which does not sort after ${JSON.stringify(after)}`,
      );
    const previous = reply.rooms[i - 1];
    if (previous)
      expect(
        'ROOM-11',
        codePointCompare(previous.room, r.room) < 0,
        `rooms ${asked} listed ${JSON.stringify(previous.room)} before ${JSON.stringify(r.room)}: not ascending code point order`,
      );
  });
  return reply;
}

/** Checks `more` of a page: the next page after its last room (or after `after`) is empty exactly when more is false. */
async function checkMore(conn: WireClient, after: string | undefined, got: RoomListFrame): Promise<void> {
  const last = got.rooms.at(-1)?.room ?? after;
  const next = last === undefined ? { rooms: [] as RoomInfo[] } : await page(conn, last, 1);
  const follows = next.rooms.length > 0;
  expect(
    'ROOM-11',
    (got.more === true) === follows,
    `a page after ${JSON.stringify(after)} ending at ${JSON.stringify(last)} says more=${String(got.more)}, but ${follows ? `${JSON.stringify(next.rooms[0]!.room)} follows` : 'no room follows'}`,
  );
}

/** Walks the pages of `limit` rooms from `start`, up to `pages` of them; returns the rooms seen. */
async function walk(conn: WireClient, start: string, limit: number, pages: number): Promise<RoomInfo[]> {
  const seen: RoomInfo[] = [];
  let after = start;
  for (let n = 0; n < pages; n++) {
    const got = await page(conn, after, limit);
    if (seen.length > 0 && got.rooms[0])
      expect(
        'ROOM-11',
        codePointCompare(seen.at(-1)!.room, got.rooms[0].room) < 0,
        `page ${n + 1} starts at ${JSON.stringify(got.rooms[0].room)}, not after the previous page`,
      );
    seen.push(...got.rooms);
    if (got.rooms.length < limit || !got.more) {
      await checkMore(conn, after, got);
      return seen;
    }
    expect(
      'ROOM-11',
      got.more === true,
      `a full page of ${limit} after ${JSON.stringify(after)} says more=${String(got.more)} though more rooms may follow`,
    );
    after = got.rooms.at(-1)!.room;
  }
  return seen;
}

async function pagedRooms(ctx: TestContext, versions: readonly number[]): Promise<void> {
  const user = await ctx.user('lister', { versions });
  const base = `${ctx.prefix}-p${versions.join('')}-`;
  const names = SUFFIXES.map((s) => `${base}${s}`);
  for (const name of names) {
    await ctx.join(user, name);
    await ctx.send(user, name, `in ${name}`);
  }
  await user.conn.ok('ROOM-9', { type: 'leave', room: names[1]! });
  const sorted = [...names].sort(codePointCompare);
  // Listing has its own rate per connection [LIMIT-8]: a fresh connection for the walk.
  const { conn } = await ctx.session('pages', versions);
  await conn.ok('LOGIN-1', { type: 'login', name: ctx.name('pg'), key: ctx.key() });
  const seen = await walk(conn, base, 2, Math.ceil(names.length / 2) + 1);
  const ours = seen.filter((r) => r.room.startsWith(base));
  expect(
    'ROOM-11',
    ours.map((r) => r.room).join(' ') === sorted.join(' '),
    `pages of 2 listed [${ours.map((r) => r.room.slice(base.length)).join(' ')}], expected code point order [${SUFFIXES.slice().sort(codePointCompare).join(' ')}]`,
  );
  const left = ours.find((r) => r.room === names[1]);
  expect(
    'ROOM-9',
    left?.members === 0 && left.seq === 1,
    `a room with a message and no member is listed as ${JSON.stringify(left)}`,
  );
  // The lister is another connection (on a cluster, maybe on another node): the counts are the room's, not the node's.
  const kept = ours.filter((r) => r.room !== names[1] && (r.members !== 1 || r.seq !== 1));
  expect('ROOM-9', kept.length === 0, `rooms with one member and one message are listed as ${JSON.stringify(kept)}`);
  const one = await page(conn, base, 0);
  expect(
    'ROOM-11',
    one.rooms.length === 1 && one.rooms[0]!.room === sorted[0] && one.more === true,
    `limit 0 answered ${JSON.stringify(one)}, expected the 1 room ${sorted[0]} and more`,
  );
  const big = await page(conn, base, 1_000_000);
  expect(
    'ROOM-11',
    big.rooms
      .slice(0, names.length)
      .map((r) => r.room)
      .join(' ') === sorted.join(' '),
    'limit 1000000 did not list the rooms from the start',
  );
  await checkMore(conn, base, big);
  const end = await page(conn, '\u{10FFFF}', undefined);
  expect(
    'ROOM-11',
    end.rooms.length === 0 && end.more !== true,
    `rooms after U+10FFFF answered ${JSON.stringify(end)}, expected none and no more`,
  );
}

export const roomList: TestCase[] = [
  {
    id: 'room-list/pages-v2',
    section,
    covers: ['ROOM-11', 'ROOM-9'],
    title:
      'a version 2 session pages the room list in code point order: after, limit (0 is 1, large is ROOM_PAGE_MAX) and more exactly when rooms follow',
    async run(ctx) {
      ctx.needV2();
      await pagedRooms(ctx, [2]);
    },
  },
  {
    id: 'room-list/pages-v1',
    section,
    covers: ['ROOM-11', 'ROOM-9'],
    title: 'a version 1 session pages the room list the same way',
    run: (ctx) => pagedRooms(ctx, [1]),
  },
];
