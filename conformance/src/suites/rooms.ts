/**
 * §6 and §9 Rooms: normalization, validation, creation, joined contents,
 * re-join, NOT_IN_ROOM, room list.
 *
 * @module
 */

import { ErrorCode } from '@kuykan/protocol';
import type { UserConn } from '../context.js';
import { expectError } from '../context.js';
import { expect } from '../failure.js';
import type { TestCase } from '../runner.js';
import { messagesOf, padTo, presenceOf, usersInRoom } from './helpers.js';

const section = 'rooms';

export const rooms: TestCase[] = [
  {
    id: 'rooms/case-insensitive',
    section,
    covers: ['ROOM-1', 'ROOM-4'],
    title: 'Room and room are one room, and joined.room is the normalized name',
    async run(ctx) {
      const a = await ctx.user('a');
      const b = await ctx.user('b');
      const room = ctx.room();
      const upper = ` ${room.toUpperCase()} `;
      const joinedA = await ctx.join(a, upper, 'ROOM-1');
      expect(
        'ROOM-4',
        joinedA.room === room,
        `join "${upper}" answered room ${JSON.stringify(joinedA.room)}, expected ${JSON.stringify(room)}`,
      );
      const joinedB = await ctx.join(b, room, 'ROOM-1');
      expect(
        'ROOM-1',
        joinedB.members.includes(a.name),
        `b joined "${room}" but a (who joined "${upper}") is not a member`,
      );
      await ctx.send(b, joinedA.room, 'same room');
      await ctx.sync(a);
      expect('ROOM-4', messagesOf(a, room).length === 1, 'a did not get the message sent to the normalized room name');
    },
  },
  {
    id: 'rooms/invalid-names',
    section,
    covers: ['ROOM-2', 'ROOM-10', 'LIMIT-1'],
    title:
      'room names of 1 to maxRoomLength code points without spaces or controls are accepted; others ROOM_INVALID in every request',
    async run(ctx) {
      const user = await ctx.user();
      const max = ctx.limits.maxRoomLength;
      const exact = padTo(ctx.room(), max, 'ห');
      const joined = await user.conn.request({ type: 'join', room: exact });
      expect('LIMIT-1', joined.type === 'joined', `room of exactly maxRoomLength (${max}) was refused`);
      const bad = [
        '',
        '  ',
        padTo(ctx.room(), max + 1, 'ห'),
        `${ctx.room()} x`,
        `${ctx.room()}\u0007`,
        `${ctx.room()}\u200b`,
        `${ctx.room()}\ue000`,
        `${ctx.room()}\u00a0x`,
      ];
      for (const room of bad) {
        expectError('ROOM-2', await user.conn.request({ type: 'join', room }), ErrorCode.ROOM_INVALID);
      }
      const room = bad[3]!;
      expectError('ROOM-10', await user.conn.request({ type: 'leave', room }), ErrorCode.ROOM_INVALID);
      expectError(
        'ROOM-10',
        await user.conn.request({ type: 'send', room, clientId: 'c', text: 'x' }),
        ErrorCode.ROOM_INVALID,
      );
      expectError('ROOM-10', await user.conn.request({ type: 'history', room }), ErrorCode.ROOM_INVALID);
      expectError('ROOM-10', await user.conn.request({ type: 'typing', room, active: true }), ErrorCode.ROOM_INVALID);
    },
  },
  {
    id: 'rooms/join-creates',
    section,
    covers: ['ROOM-3', 'ROOM-5', 'RES-4'],
    title: 'joining a new room creates it: seq 0, no messages, the joiner as only member, no recovered field',
    async run(ctx) {
      const user = await ctx.user();
      const joined = await ctx.join(user, ctx.room());
      expect('ROOM-5', joined.seq === 0, `new room has seq ${joined.seq}`);
      expect('ROOM-3', joined.messages.length === 0, `new room has ${joined.messages.length} messages`);
      expect(
        'ROOM-5',
        joined.members.length === 1 && joined.members[0] === user.name,
        `members ${JSON.stringify(joined.members)}`,
      );
      expect('RES-4', joined.recovered === undefined, 'a non-resuming joined carries recovered');
    },
  },
  {
    id: 'rooms/joined-contents',
    section,
    covers: ['ROOM-5', 'ROOM-6'],
    title: 'joined carries the last seq, each member once and the latest joinRecent messages in ascending seq',
    async run(ctx) {
      const { room, users } = await usersInRoom(ctx, 2);
      const recent = ctx.limits.joinRecent;
      const total = Math.min(recent + 3, 250);
      for (let i = 1; i <= total; i++) await ctx.send(users[i % 2]!, room, `m${i}`);
      const late = await ctx.user('late');
      const twin = await ctx.user('twin', { name: late.name, key: late.key });
      await ctx.join(twin, room);
      const joined = await ctx.join(late, room);
      expect('ROOM-5', joined.seq === total, `joined.seq ${joined.seq}, expected ${total}`);
      const members = [...joined.members].sort();
      const expected = [users[0]!.name, users[1]!.name, late.name].sort();
      expect(
        'ROOM-5',
        JSON.stringify(members) === JSON.stringify(expected),
        `members ${JSON.stringify(members)}, expected ${JSON.stringify(expected)}`,
      );
      const seqs = joined.messages.map((m) => m.seq);
      const want = Array.from({ length: Math.min(recent, total) }, (_, i) => total - Math.min(recent, total) + 1 + i);
      expect(
        'ROOM-6',
        seqs.join(',') === want.join(','),
        `joined.messages seqs ${seqs.join(',')}, expected ${want[0]}..${want.at(-1)}`,
      );
      expect(
        'ROOM-6',
        joined.messages.every((m) => m.text === `m${m.seq}`),
        'joined.messages texts do not match their seqs',
      );
    },
  },
  {
    id: 'rooms/rejoin-no-presence',
    section,
    covers: ['ROOM-7'],
    title: 'joining an already joined room succeeds again with no presence event',
    async run(ctx) {
      const { room, users } = await usersInRoom(ctx, 2);
      const again = await users[1]!.conn.request({ type: 'join', room });
      expect('ROOM-7', again.type === 'joined', `re-join answered ${again.type}`);
      await ctx.sync(...users);
      const events = presenceOf(users[0]!, room);
      expect('ROOM-7', events.length === 0, `re-join caused presence ${JSON.stringify(events)}`);
    },
  },
  {
    id: 'rooms/not-in-room',
    section,
    covers: ['ROOM-8'],
    title: 'leave, send, history and typing for an unjoined room get NOT_IN_ROOM',
    async run(ctx) {
      const { room } = await usersInRoom(ctx, 1);
      const outsider = await ctx.user('out');
      const id = () => outsider.conn.id();
      for (const frame of [
        { type: 'leave', room },
        { type: 'send', room, clientId: 'c', text: 'x' },
        { type: 'history', room },
        { type: 'typing', room, active: true },
      ] as const) {
        const requestId = id();
        expectError(
          'ROOM-8',
          await outsider.conn.request({ ...frame, id: requestId } as never),
          ErrorCode.NOT_IN_ROOM,
          requestId,
        );
      }
    },
  },
  {
    id: 'rooms/room-list',
    section,
    covers: ['ROOM-9'],
    title: 'roomList lists each room with members or messages once, with member count and last seq',
    async run(ctx) {
      const { room, users } = await usersInRoom(ctx, 2);
      const twin = await ctx.user('twin', { name: users[0]!.name, key: users[0]!.key });
      await ctx.join(twin, room);
      for (let i = 0; i < 3; i++) await ctx.send(users[1]!, room, `r${i}`);
      const quiet = ctx.room('q');
      await ctx.join(users[0]!, quiet);
      const reply = await users[0]!.conn.ok('ROOM-9', { type: 'rooms', after: ctx.prefix });
      const mine = reply.rooms.filter((r) => r.room === room);
      expect('ROOM-9', mine.length === 1, `room ${room} listed ${mine.length} times`);
      expect(
        'ROOM-9',
        mine[0]!.members === 2 && mine[0]!.seq === 3,
        `room listed as ${JSON.stringify(mine[0])}, expected members 2 seq 3`,
      );
      const q = reply.rooms.filter((r) => r.room === quiet);
      expect(
        'ROOM-9',
        q.length === 1 && q[0]!.members === 1 && q[0]!.seq === 0,
        `room ${quiet} listed as ${JSON.stringify(q)}`,
      );
    },
  },
  {
    id: 'rooms/room-list-without-members',
    section,
    covers: ['ROOM-9'],
    title: 'roomList still lists a room whose members all left, with 0 members and its last seq',
    async run(ctx) {
      const { room, users } = await usersInRoom(ctx, 1);
      const [a] = users as [UserConn];
      for (let i = 0; i < 2; i++) await ctx.send(a, room, `kept ${i}`);
      await a.conn.ok('ROOM-9', { type: 'leave', room });
      const b = await ctx.user('b');
      const reply = await b.conn.ok('ROOM-9', { type: 'rooms', after: ctx.prefix });
      const listed = reply.rooms.filter((r) => r.room === room);
      expect(
        'ROOM-9',
        listed.length === 1 && listed[0]!.members === 0 && listed[0]!.seq === 2,
        `a room with 2 messages and no members is listed as ${JSON.stringify(listed)}, expected once with members 0 seq 2`,
      );
    },
  },
];
