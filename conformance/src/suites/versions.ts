/**
 * §16.1 Versions side by side: a version 2 server speaks version 1 too,
 * and a raw version 1 session in a room of version 2 sessions never
 * receives a frame type, field or limit of version 2 (every frame it gets
 * is decoded strictly with version 1 and its raw map inspected, [VER-2]),
 * sees only messages, with their current text, and none deleted.
 *
 * @module
 */

import { Capability, ErrorCode, FrameType, LIMITS_SCHEMA, type MessageFrame } from '@kuykan/protocol';
import type { UserConn } from '../context.js';
import { expectError } from '../context.js';
import { expect } from '../failure.js';
import type { TestCase } from '../runner.js';
import { dm } from './direct-rooms.js';
import { raw, stillServing, usersInRoom } from './helpers.js';
import { edit, listed, post, react, recordOf, remove } from './v2.js';

const section = 'versions';

const V1 = [1] as const;

export const versions: TestCase[] = [
  {
    id: 'versions/negotiation',
    section,
    covers: ['VER-1', 'HS-3', 'LIMIT-9', 'VER-2'],
    title:
      'a version 2 server chooses the highest offered version, 1 when only 1 is offered; a v2 welcome advertises every v2 limit, a v1 welcome none',
    async run(ctx) {
      ctx.needV2();
      for (const [offered, want] of [
        [[1], 1],
        [[2], 2],
        [[2, 1], 2],
        [[1, 2], 2],
      ] as const) {
        const { welcome } = await ctx.session(`v${offered.join('')}`, offered);
        expect(
          offered.length === 1 && want === 1 ? 'VER-1' : 'HS-3',
          welcome.version === want,
          `hello offering [${offered}] chose version ${welcome.version}, expected ${want}`,
        );
        if (want !== 2) continue;
        for (const [name, spec] of Object.entries(LIMITS_SCHEMA)) {
          if (spec.since !== 2) continue;
          const value = (welcome.limits as unknown as Record<string, unknown>)[name];
          expect('LIMIT-9', typeof value === 'number', `a v2 welcome does not advertise the v2 limit ${name}`);
        }
      }
      // Each v1 session's welcome went through the raw check for v2 limit keys [VER-2].
    },
  },
  {
    id: 'versions/v1-session-in-a-v2-room',
    section,
    covers: ['VER-2', 'VER-4', 'MSG-6', 'MSG-7', 'HIST-2', 'HIST-3', 'RES-1'],
    title:
      'a version 1 session sharing a room with v2 sessions receives messages only, as sent; its history, joins and resumes hold current texts and no deleted message',
    async run(ctx) {
      ctx.needV2();
      const { room, users } = await usersInRoom(ctx, 2);
      const [a, b] = users as [UserConn, UserConn];
      const c = await ctx.user('old', { versions: V1 });
      expect('VER-1', c.conn.version === 1, `the v1 session speaks version ${c.conn.version}`);
      const joinedC = await ctx.join(c, room, 'VER-1');
      // A v1 session of a v2 user, in no room: it must get neither readMarker nor mention.
      const aOld = await ctx.user('a-old', { name: a.name, key: a.key, versions: V1 });
      const m1 = await post(a, room, 'one', { mentions: [c.name] });
      const m2 = await post(b, room, 'two', { replyTo: m1.messageId, mentions: [a.name] });
      await ctx.sync(c);
      const resumeFrom = m2.seq;
      await edit(a, room, m1.messageId, 'one, edited', [c.name]);
      await react(b, room, m1.messageId, '👍');
      const m3 = await post(a, room, 'three');
      await remove(b, room, m2.messageId);
      const m4 = await post(b, room, 'four');
      await a.conn.ok('READ-1', { type: 'read', room, seq: m4.seq });
      await ctx.sync(c, aOld);
      const other = aOld.conn.log.filter((f) => f.type !== 'pong' && f.type !== 'loggedIn' && f.type !== 'welcome');
      expect(
        'VER-2',
        other.length === 0 && aOld.conn.undecodable.length === 0,
        `a v1 session of a v2 user received ${other.map((f) => f.type).join(', ') || aOld.conn.undecodable.join('; ')}`,
      );
      const got = c.conn.log.filter(
        (f) => f.type !== 'pong' && f.type !== 'loggedIn' && f.type !== 'joined' && f.type !== 'welcome',
      );
      const live = got.filter((f): f is MessageFrame => f.type === 'message');
      expect(
        'VER-2',
        got.length === live.length,
        `the v1 session received ${got
          .filter((f) => f.type !== 'message')
          .map((f) => f.type)
          .join(', ')}`,
      );
      const shown = live.map((m) => `${m.seq}:${m.text}`).join(',');
      const want = [m1, m2, m3, m4].map((m, i) => `${m.seq}:${['one', 'two', 'three', 'four'][i]}`).join(',');
      expect('VER-4', shown === want, `the v1 session received [${shown}], expected the messages as sent [${want}]`);
      const current = ['one, edited', 'three', 'four'];
      const texts = (list: { text: string }[]) => list.map((m) => m.text).join(',');
      if (ctx.has(Capability.HISTORY)) {
        const page = await c.conn.ok('HIST-1', { type: 'history', room });
        expect(
          'VER-4',
          texts(page.messages) === current.join(',') && !page.more,
          `a v1 history page holds [${texts(page.messages)}] more=${page.more}, expected [${current}] more=false`,
        );
        const last = await c.conn.ok('HIST-1', { type: 'history', room, limit: 2 });
        expect(
          'HIST-3',
          texts(last.messages) === 'three,four' && last.more,
          `a v1 page of 2 holds [${texts(last.messages)}] more=${last.more}, expected [three,four] more=true`,
        );
        const older = await c.conn.ok('HIST-1', { type: 'history', room, before: m3.seq, limit: 5 });
        expect(
          'HIST-2',
          texts(older.messages) === 'one, edited' && !older.more,
          `a v1 page before seq ${m3.seq} holds [${texts(older.messages)}] more=${older.more}`,
        );
      }
      const late = await ctx.user('old-late', { versions: V1 });
      const fresh = await ctx.join(late, room, 'VER-1');
      expect(
        'VER-4',
        texts(fresh.messages) === current.join(','),
        `a v1 joined holds [${texts(fresh.messages)}], expected [${current}]`,
      );
      if (ctx.has(Capability.RESUME)) {
        const twin = await ctx.user('old-twin', { name: c.name, key: c.key, versions: V1 });
        const gap = await twin.conn.ok('RES-1', { type: 'join', room, epoch: joinedC.epoch, seq: resumeFrom });
        expect('RES-1', gap.recovered === true, `a v1 resume answered recovered=${String(gap.recovered)}`);
        expect(
          'VER-4',
          texts(gap.messages) === 'three,four',
          `a v1 resume gap after seq ${resumeFrom} holds [${texts(gap.messages)}], expected [three,four]`,
        );
      }
    },
  },
  {
    id: 'versions/v2-frames-on-a-v1-session',
    section,
    covers: ['VER-3', 'WIRE-10', 'WIRE-8'],
    title:
      'v2 frame types on a v1 session get UNKNOWN_TYPE with the request id; v2 fields in its frames are unknown keys and change nothing',
    async run(ctx) {
      ctx.needV2();
      const { room, users } = await usersInRoom(ctx, 1);
      const [watcher] = users as [UserConn];
      const old = await ctx.user('old', { versions: V1, bot: true });
      await ctx.join(old, room, 'VER-1');
      const frames: [number, Record<string, unknown>][] = [
        [FrameType.edit, { r: room, tg: 'x', c: 'e1', x: 'new' }],
        [FrameType.delete, { r: room, tg: 'x', c: 'd1' }],
        [FrameType.react, { r: room, tg: 'x', c: 'r1', em: '👍', a: true }],
        [FrameType.read, { r: room, s: 0 }],
        [FrameType.dm, { n: watcher.name }],
        [FrameType.upload, { r: room, n: 'a.png', z: 10, ty: 'image/png' }],
      ];
      let id = 900;
      for (const [t, fields] of frames) {
        const i = id++;
        old.conn.avoidIds([i]);
        old.conn.sendRaw(raw({ t, i, ...fields }), `v2 frame type ${t} on a v1 session`);
        expectError(
          'VER-3',
          await old.conn.next((f) => f.type === 'error' && f.id === i, `error for type ${t}`),
          ErrorCode.UNKNOWN_TYPE,
          i,
        );
      }
      // replyTo, mentions and files are unknown keys to v1: the send succeeds and carries none of them.
      const i = id++;
      old.conn.avoidIds([i]);
      old.conn.sendRaw(
        raw({
          t: FrameType.send,
          i,
          r: room,
          c: 'v1-extras',
          x: 'plain',
          rt: 'no-such',
          mn: ['bad\u0000'],
          fl: ['no-such'],
        }),
        'v1 send with v2 keys',
      );
      const ack = await old.conn.next((f) => 'id' in f && f.id === i, `reply #${i}`);
      expect(
        'VER-3',
        ack.type === 'ack',
        `a v1 send with v2 keys (replyTo, mentions, files) answered ${JSON.stringify(ack)}`,
      );
      const record = await recordOf(ctx, watcher, room, ack.messageId, 'VER-3');
      for (const key of ['reply', 'mentions', 'attachments', 'bot'] as const)
        expect(
          'VER-3',
          record[key] === undefined,
          `a v1 send's v2 keys reached its record: ${key} ${JSON.stringify(record[key])}`,
        );
      await stillServing('VER-3', old);
    },
  },
  {
    id: 'versions/v1-room-list',
    section,
    covers: ['VER-4', 'DM-4'],
    title: "a v1 session's roomList leaves out direct rooms, even its own user's",
    async run(ctx) {
      ctx.needV2();
      const a = await ctx.user('a');
      const b = await ctx.user('b');
      const { room } = await dm(a, b.name);
      await ctx.join(a, room, 'DM-5');
      await post(a, room, 'in the direct room', {}, 'DM-5');
      const old = await ctx.user('old', { name: a.name, key: a.key, versions: V1 });
      expect(
        'DM-4',
        (await listed(a, room, 'DM-4'))?.peer === b.name,
        'the v2 session of a member does not see its direct room listed',
      );
      expect('VER-4', (await listed(old, room, 'VER-4')) === undefined, `a v1 session lists the direct room ${room}`);
    },
  },
];
