/**
 * §4 Limits of version 2 [LIMIT-9]: edits and reactions share the send
 * rate, `dm` shares the join rate, `upload` has one bucket per user across
 * its sessions, and `read` has none.
 *
 * @module
 */

import { Capability } from '@kuykan/protocol';
import { expect, Skip } from '../failure.js';
import type { TestCase } from '../runner.js';
import { flood } from './limits.js';
import { freshId, post, v2Room } from './v2.js';

const section = 'limits';

export const limitsV2: TestCase[] = [
  {
    id: 'limits/changes-share-send-rate',
    section,
    covers: ['LIMIT-9', 'LIMIT-3'],
    title: 'sends, edits and reactions pipelined together are limited by the one send rate',
    async run(ctx) {
      const { room, users } = await v2Room(ctx, 1);
      const [user] = users;
      const m = await post(user!, room, 'flood target');
      let reactions = 0;
      await flood({
        what: 'send, edit and react',
        requirement: 'LIMIT-9',
        spent: 1,
        conns: [user!.conn],
        burst: ctx.limits.sendBurst,
        rate: ctx.limits.sendRate,
        make: (i, id) => {
          const clientId = freshId('f');
          if (i % 3 === 0) return { type: 'send', id, room, clientId, text: `flood ${i}` };
          if (i % 3 === 1) return { type: 'edit', id, room, target: m.messageId, clientId, text: `edit ${i}` };
          return { type: 'react', id, room, target: m.messageId, clientId, emoji: '👍', on: reactions++ % 2 === 0 };
        },
        retry: () => ({ type: 'edit', room, target: m.messageId, clientId: freshId('f'), text: 'after the wait' }),
      });
    },
  },
  {
    id: 'limits/dm-shares-join-rate',
    section,
    covers: ['LIMIT-9', 'LIMIT-8'],
    title: 'dm and join pipelined together are limited by the one join rate',
    async run(ctx) {
      ctx.needV2();
      const { joinRate, joinBurst } = ctx.limits;
      if (joinRate === undefined || joinBurst === undefined) throw new Skip('the server advertises no join rate');
      const a = await ctx.user('a');
      const b = await ctx.user('b');
      const room = ctx.room();
      await flood({
        what: 'dm and join',
        requirement: 'LIMIT-9',
        conns: [a.conn],
        burst: joinBurst,
        rate: joinRate,
        make: (i, id) => (i % 2 === 0 ? { type: 'dm', id, name: b.name } : { type: 'join', id, room }),
        retry: () => ({ type: 'dm', name: b.name }),
      });
    },
  },
  {
    id: 'limits/upload-rate-per-user',
    section,
    covers: ['LIMIT-9', 'ATT-1'],
    title: 'uploads from two sessions of one user draw on one bucket of uploadRate and uploadBurst',
    async run(ctx) {
      ctx.needV2();
      ctx.need(Capability.FILES);
      const { uploadRate, uploadBurst } = ctx.limits;
      expect(
        'LIMIT-9',
        uploadRate !== undefined && uploadBurst !== undefined,
        'a v2 server with files does not advertise uploadRate and uploadBurst',
      );
      const { room, users } = await v2Room(ctx, 1);
      const twin = await ctx.user('twin', { name: users[0]!.name, key: users[0]!.key });
      await ctx.join(twin, room);
      await flood({
        what: 'upload (two sessions of one user)',
        requirement: 'LIMIT-9',
        conns: [users[0]!.conn, twin.conn],
        burst: uploadBurst,
        rate: uploadRate,
        make: (i, id) => ({ type: 'upload', id, room, name: `f${i}.png`, size: 100, mediaType: 'image/png' }),
        retry: () => ({ type: 'upload', room, name: 'after.png', size: 100, mediaType: 'image/png' }),
      });
    },
  },
  {
    id: 'limits/read-has-no-rate',
    section,
    covers: ['LIMIT-9', 'READ-1'],
    title: 'read is never rate limited: more reads than the send burst and rate are all answered ok',
    async run(ctx) {
      const { room, users } = await v2Room(ctx, 1);
      const conn = users[0]!.conn;
      await post(users[0]!, room, 'read me');
      const total = Math.min(ctx.limits.sendBurst + ctx.limits.sendRate + 10, 2_000);
      const ids = Array.from({ length: total }, () => conn.id());
      for (const id of ids) conn.send({ type: 'read', id, room, seq: 1 });
      await conn.barrier();
      const refused = ids.map((id) => conn.log.find((f) => 'id' in f && f.id === id)).filter((f) => f?.type !== 'ok');
      expect(
        'LIMIT-9',
        refused.length === 0,
        `${refused.length} of ${total} pipelined reads were not answered ok: ${JSON.stringify(refused[0])}`,
      );
    },
  },
];
