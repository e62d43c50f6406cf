/**
 * §11 Presence: join and leave events, multi-session users, the disconnect
 * grace, and member views after a barrier. The grace is the one place the
 * suite waits on the clock: `presenceGraceMs` plus a margin.
 *
 * @module
 */

import { delay, type UserConn } from '../context.js';
import { expect } from '../failure.js';
import type { TestCase } from '../runner.js';
import { presenceOf, usersInRoom } from './helpers.js';

const section = 'presence';

/** Extra wait beyond the advertised grace, for a loaded machine (ms). */
const GRACE_MARGIN_MS = 1_500;

export const presence: TestCase[] = [
  {
    id: 'presence/join-once',
    section,
    covers: ['PRES-1'],
    title: 'a new member causes one presence join at every other member',
    async run(ctx) {
      const { room, users } = await usersInRoom(ctx, 2);
      const c = await ctx.user('c');
      await ctx.join(c, room);
      await ctx.sync(...users, c);
      for (const u of users) {
        const events = presenceOf(u, room);
        expect(
          'PRES-1',
          events.length === 1 && events[0]!.kind === 'join' && events[0]!.name === c.name,
          `${u.conn.label} got ${JSON.stringify(events)}`,
        );
      }
      expect('PRES-1', presenceOf(c, room).length === 0, 'the joiner received presence about the room');
    },
  },
  {
    id: 'presence/multi-session-once',
    section,
    covers: ['PRES-2', 'PRES-3'],
    title: 'a further session causes no presence; leave is announced when the last session leaves',
    async run(ctx) {
      const { room, users } = await usersInRoom(ctx, 2);
      const [a, b] = users as [UserConn, UserConn];
      const twin = await ctx.user('twin', { name: b.name, key: b.key });
      const joined = await ctx.join(twin, room);
      expect(
        'PRES-2',
        joined.members.filter((m) => m === b.name).length === 1,
        `members list ${b.name} ${joined.members.filter((m) => m === b.name).length} times`,
      );
      await ctx.sync(a);
      expect('PRES-2', presenceOf(a, room).length === 0, 'a second session of a member caused presence');
      await b.conn.ok('PRES-3', { type: 'leave', room });
      await ctx.sync(a);
      expect('PRES-3', presenceOf(a, room).length === 0, 'leave of one of two sessions announced the user as gone');
      await twin.conn.ok('PRES-3', { type: 'leave', room });
      await ctx.sync(a);
      const events = presenceOf(a, room);
      expect(
        'PRES-3',
        events.length === 1 && events[0]!.kind === 'leave' && events[0]!.name === b.name,
        `last leave caused ${JSON.stringify(events)}`,
      );
    },
  },
  {
    id: 'presence/leave-after-grace',
    section,
    covers: ['PRES-4'],
    title: 'a disconnected user is announced gone once, within presenceGraceMs',
    async run(ctx) {
      const { room, users } = await usersInRoom(ctx, 2);
      const [a, b] = users as [UserConn, UserConn];
      b.conn.kill();
      const grace = ctx.limits.presenceGraceMs;
      const leave = await a.conn
        .next((f) => f.type === 'presence' && f.room === room, 'presence leave', grace + GRACE_MARGIN_MS)
        .catch(() => undefined);
      expect(
        'PRES-4',
        leave?.type === 'presence' && leave.kind === 'leave' && leave.name === b.name,
        `no presence leave for ${b.name} within ${grace} ms + margin`,
      );
      await ctx.sync(a);
      expect('PRES-4', presenceOf(a, room).length === 0, 'leave announced more than once');
    },
  },
  {
    id: 'presence/rejoin-within-grace',
    section,
    covers: ['PRES-5'],
    title: 'a user who rejoins within the grace causes no presence event',
    async run(ctx) {
      const { room, users } = await usersInRoom(ctx, 2);
      const [a, b] = users as [UserConn, UserConn];
      b.conn.kill();
      await b.conn.closed;
      const back = await ctx.user('back', { name: b.name, key: b.key });
      await ctx.join(back, room);
      await delay(ctx.limits.presenceGraceMs + GRACE_MARGIN_MS);
      await ctx.sync(a);
      const events = presenceOf(a, room);
      expect('PRES-5', events.length === 0, `rejoin within grace caused ${JSON.stringify(events)}`);
    },
  },
  {
    id: 'presence/views-converge',
    section,
    covers: ['PRES-7'],
    title: "after a barrier each member's view from joined.members and presence equals the member list",
    async run(ctx) {
      const room = ctx.room();
      const people: UserConn[] = [];
      const views = new Map<UserConn, Set<string>>();
      const apply = (u: UserConn) => {
        for (const p of presenceOf(u, room)) {
          if (p.kind === 'join') views.get(u)!.add(p.name);
          else views.get(u)!.delete(p.name);
        }
      };
      for (let i = 0; i < 5; i++) {
        const u = await ctx.user(`p${i}`);
        const joined = await ctx.join(u, room);
        views.set(u, new Set(joined.members));
        people.push(u);
        if (i === 3) await people[1]!.conn.ok('PRES-7', { type: 'leave', room });
      }
      const present = people.filter((_, i) => i !== 1);
      await ctx.sync(...present);
      const truth = new Set(present.map((u) => u.name));
      for (const u of present) {
        apply(u);
        const view = [...views.get(u)!].sort().join(',');
        expect(
          'PRES-7',
          view === [...truth].sort().join(','),
          `${u.conn.label} sees members ${view}, expected ${[...truth].sort().join(',')}`,
        );
      }
    },
  },
  {
    id: 'presence/one-of-two-sessions-drops',
    section,
    covers: ['PRES-4', 'PRES-7'],
    title: 'a user whose one of two sessions disconnects stays a member; the last disconnect causes one leave',
    async run(ctx) {
      const { room, users } = await usersInRoom(ctx, 2);
      const [a, b] = users as [UserConn, UserConn];
      const twin = await ctx.user('twin', { name: b.name, key: b.key });
      await ctx.join(twin, room, 'PRES-2');
      await ctx.sync(a);
      presenceOf(a, room);
      // One of b's two sessions drops: b is still a member, through and after the grace.
      b.conn.kill();
      await b.conn.closed;
      await delay(ctx.limits.presenceGraceMs + GRACE_MARGIN_MS);
      await ctx.sync(a, twin);
      const early = presenceOf(a, room);
      expect(
        'PRES-7',
        early.length === 0,
        `when one of ${b.name}'s two sessions disconnected, the other members got ${JSON.stringify(early)} though ${b.name} is still joined`,
      );
      const list = await a.conn.ok('PRES-7', { type: 'rooms', after: ctx.prefix });
      const listed = list.rooms.find((r) => r.room === room);
      expect('PRES-7', listed?.members === 2, `roomList counts ${listed?.members} members, expected 2`);
      // The last session drops: exactly one leave within the grace.
      twin.conn.kill();
      const grace = ctx.limits.presenceGraceMs;
      const leave = await a.conn
        .next((f) => f.type === 'presence' && f.room === room, 'presence leave', grace + GRACE_MARGIN_MS)
        .catch(() => undefined);
      expect(
        'PRES-4',
        leave?.type === 'presence' && leave.kind === 'leave' && leave.name === b.name,
        `after the last of ${b.name}'s sessions disconnected: ${leave ? JSON.stringify(leave) : `no leave within ${grace} ms + margin`}`,
      );
      await ctx.sync(a);
      const more = presenceOf(a, room);
      expect('PRES-4', more.length === 0, `leave announced more than once: ${JSON.stringify(more)}`);
    },
  },
];
