/**
 * §16.9 Read markers: one marker per identity and room that only moves
 * forward, pushed to every other session of the user (joined or not), and
 * the read state a v2 `joined` carries.
 *
 * @module
 */

import { ErrorCode, type ReadMarkerFrame } from '@kuykan/protocol';
import type { UserConn } from '../context.js';
import { expect } from '../failure.js';
import type { TestCase } from '../runner.js';
import { edit, post, react, refused, remove, v2Room } from './v2.js';

const section = 'read-markers';

const markersOf = (user: UserConn) => user.conn.take<ReadMarkerFrame>((f) => f.type === 'readMarker');

export const readMarkers: TestCase[] = [
  {
    id: 'read-markers/other-sessions',
    section,
    covers: ['READ-1', 'READ-2', 'ROOM-8', 'ROOM-10'],
    title:
      "a read that moves the marker reaches every other session of the user, joined or not, once, even at once after the message's ack; one at or below it, or beyond the room's last seq, changes nothing",
    async run(ctx) {
      const { room, users } = await v2Room(ctx, 2);
      const [u1, w] = users as [UserConn, UserConn];
      const u2 = await ctx.user('u2', { name: u1.name, key: u1.key });
      await ctx.join(u2, room);
      const u3 = await ctx.user('u3', { name: u1.name, key: u1.key });
      for (let i = 1; i <= 4; i++) await post(w, room, `m${i}`);
      const all = [u1, u2, u3];
      const expectMarkers = async (want: Map<UserConn, number[]>, after: string) => {
        await ctx.sync(...all);
        for (const user of all) {
          const got = markersOf(user).map((f) => (f.room === room ? f.seq : -1));
          const expected = want.get(user) ?? [];
          expect(
            'READ-2',
            got.join(',') === expected.join(','),
            `after ${after}, ${user.conn.label} received readMarker seqs [${got.join(',')}], expected [${expected.join(',')}]`,
          );
        }
      };
      await u1.conn.ok('READ-1', { type: 'read', room, seq: 3 });
      await expectMarkers(
        new Map([
          [u2, [3]],
          [u3, [3]],
        ]),
        'a read of seq 3 on the first session',
      );
      await u1.conn.ok('READ-1', { type: 'read', room, seq: 2 });
      await u2.conn.ok('READ-1', { type: 'read', room, seq: 3 });
      refused(
        'READ-1',
        await u1.conn.settled({ type: 'read', room, seq: 5 }),
        ErrorCode.READ_INVALID,
        "a read beyond the room's last seq",
      );
      refused(
        'ROOM-8',
        await u3.conn.settled({ type: 'read', room, seq: 1 }),
        ErrorCode.NOT_IN_ROOM,
        'a read in an unjoined room',
      );
      refused(
        'ROOM-10',
        await u1.conn.settled({ type: 'read', room: 'no room', seq: 1 }),
        ErrorCode.ROOM_INVALID,
        'a read in an invalid room',
      );
      await expectMarkers(new Map(), 'reads at or below the marker and refused reads');
      await u2.conn.ok('READ-1', { type: 'read', room, seq: 4 });
      await expectMarkers(
        new Map([
          [u1, [4]],
          [u3, [4]],
        ]),
        'a read of seq 4 on the second session',
      );
      // Read at once after the ack, before the message reached the reader: on a cluster the
      // writer and the reader are on different nodes, and the message counts all the same.
      const m5 = await post(w, room, 'm5');
      await u1.conn.ok('READ-1', { type: 'read', room, seq: m5.seq });
      await expectMarkers(
        new Map([
          [u2, [m5.seq]],
          [u3, [m5.seq]],
        ]),
        'a read of a message at once after its ack',
      );
      const u4 = await ctx.user('u4', { name: u1.name, key: u1.key });
      const joined = await ctx.join(u4, room);
      expect(
        'READ-3',
        joined.readSeq === m5.seq,
        `a new session's joined carries readSeq ${joined.readSeq}, the marker is ${m5.seq}`,
      );
    },
  },
  {
    id: 'read-markers/joined-counts',
    section,
    covers: ['READ-3', 'MENTION-1'],
    title:
      'a v2 joined counts the messages after the marker that are neither deleted nor mine, and of those the ones that mention me',
    async run(ctx) {
      const { room, users } = await v2Room(ctx, 3);
      const [u, w1, w2] = users as [UserConn, UserConn, UserConn];
      const fresh = await ctx.join(await ctx.user('f', { name: u.name, key: u.key }), room);
      expect(
        'READ-3',
        fresh.readSeq === 0 && fresh.unread === 0 && fresh.mentions === 0,
        `joined before any read: ${JSON.stringify({ readSeq: fresh.readSeq, unread: fresh.unread, mentions: fresh.mentions })}`,
      );
      await post(w1, room, 'one');
      await post(w1, room, 'two for @u', { mentions: [u.name] });
      const mine = await post(u, room, 'mine');
      await u.conn.ok('READ-1', { type: 'read', room, seq: mine.seq });
      const x = await post(w1, room, 'after the marker');
      const y = await post(w2, room, 'mentions @u after', { mentions: [u.name] });
      const z = await post(w1, room, 'deleted, mentions @u', { mentions: [u.name] });
      await remove(w1, room, z.messageId);
      await edit(w2, room, y.messageId, 'mentions @u after, edited', [u.name]);
      await react(w1, room, x.messageId, '👍');
      await post(u, room, 'mine after', { mentions: [u.name] });
      const twin = await ctx.user('twin', { name: u.name, key: u.key });
      const joined = await ctx.join(twin, room);
      const got = JSON.stringify({ readSeq: joined.readSeq, unread: joined.unread, mentions: joined.mentions });
      const want = JSON.stringify({ readSeq: mine.seq, unread: 2, mentions: 1 });
      expect(
        'READ-3',
        got === want,
        `joined carries ${got}, expected ${want} (a message, a mention, a deleted mention, change entries and my own after the marker)`,
      );
    },
  },
];
