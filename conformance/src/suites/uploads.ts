/**
 * §17 Attachments (capability `files`, version 2), the upload side: slots
 * refused for bad requests, PUTs refused for bad tokens and bodies (a body
 * too long before it is sent), a slot usable after a failure, repeats, and
 * media types taken from the bytes, never from the name.
 *
 * @module
 */

import { ErrorCode } from '@kuykan/protocol';
import { delay, type UserConn } from '../context.js';
import { expect } from '../failure.js';
import type { TestCase } from '../runner.js';
import { filesRoom, get, httpRefused, put, safeHeaders, show, upload } from './attachment-kit.js';
import { padTo } from './helpers.js';
import { hugePng, json, png, resolveHttp, send } from './http.js';
import { ask, post, recordOf, refused } from './v2.js';

const section = 'attachments';

export const uploads: TestCase[] = [
  {
    id: 'attachments/slot-refusals',
    section,
    covers: ['ATT-1', 'ERR-3', 'ROOM-8', 'ROOM-10'],
    title: 'upload is refused for an unjoined room, a size of 0 or over maxUploadBytes, and an empty or too long name',
    async run(ctx) {
      const { room } = await filesRoom(ctx, 1);
      const user = await ctx.user('up');
      await ctx.join(user, room);
      const max = ctx.limits.maxUploadBytes ?? 26_214_400;
      const slot = (fields: object) =>
        ask(user, { type: 'upload', room, name: 'a.png', size: 10, mediaType: 'image/png', ...fields });
      refused('ROOM-10', await slot({ room: 'no room', size: 0 }), ErrorCode.ROOM_INVALID, 'upload to an invalid room');
      refused(
        'ROOM-8',
        await slot({ room: ctx.room('unjoined'), size: 0 }),
        ErrorCode.NOT_IN_ROOM,
        'upload to an unjoined room (before UPLOAD_INVALID)',
      );
      for (const [fields, what] of [
        [{ size: 0 }, 'a size of 0'],
        [{ size: max + 1 }, 'maxUploadBytes + 1'],
        [{ name: '' }, 'an empty name'],
        [{ name: padTo('', 256, 'n') }, 'a name of 256 code points'],
      ] as const)
        refused('ATT-1', await slot(fields), ErrorCode.UPLOAD_INVALID, `upload with ${what}`);
      const exact = await slot({ size: max });
      expect(
        'ATT-1',
        exact.type === 'uploadSlot',
        `upload of exactly maxUploadBytes answered ${JSON.stringify(exact)}`,
      );
    },
  },
  {
    id: 'attachments/put-refusals',
    section,
    covers: ['ATT-2', 'ATT-6', 'ATT-9'],
    title:
      'a PUT without a valid token, too short, too long (refused before the body ends) or aborted stores nothing and leaves the slot usable; a repeat of the same bytes is 200, other bytes 409',
    async run(ctx) {
      const { room, users } = await filesRoom(ctx, 1);
      const [a] = users as [UserConn];
      const bytes = png(16, 16);
      const slot = await a.conn.ok('ATT-1', {
        type: 'upload',
        room,
        name: 'sq.png',
        size: bytes.length,
        mediaType: 'image/png',
      });
      const url = resolveHttp(a.conn.ws.url, slot.url);
      const timeout = ctx.settings.timeoutMs;
      httpRefused(
        'ATT-2',
        await send('PUT', url, bytes, timeout),
        401,
        ErrorCode.UNAUTHORIZED,
        'a PUT without a token',
      );
      httpRefused(
        'ATT-2',
        await put(ctx, a, { ...slot, token: `${slot.token}x` }, bytes),
        401,
        ErrorCode.UNAUTHORIZED,
        'a PUT with a forged token',
      );
      httpRefused('ATT-2', await put(ctx, a, slot, Buffer.alloc(0)), 400, ErrorCode.UPLOAD_INVALID, 'an empty PUT');
      httpRefused(
        'ATT-2',
        await put(ctx, a, slot, bytes.subarray(1)),
        400,
        ErrorCode.UPLOAD_INVALID,
        'a PUT one byte short',
      );
      const long = Buffer.concat([bytes, Buffer.alloc(1 << 20)]);
      httpRefused(
        'ATT-2',
        await put(ctx, a, slot, long, { answerBeforeBody: true }),
        413,
        ErrorCode.TOO_LARGE,
        'a PUT announcing 1 MiB more than the slot (answered before the body is sent)',
      );
      await put(ctx, a, slot, bytes, { abortAfter: bytes.length >> 1 });
      // The server may still be winding the aborted upload down ("busy", 409): a client retries shortly.
      let done = await put(ctx, a, slot, bytes);
      for (let n = 0; n < 20 && done?.status === 409; n++) {
        await delay(100);
        done = await put(ctx, a, slot, bytes);
      }
      expect('ATT-2', done?.status === 201, `after failed PUTs the slot answered ${show(done)}, expected 201`);
      const repeat = await put(ctx, a, slot, bytes);
      expect(
        'ATT-6',
        repeat?.status === 200 && json(repeat)?.fileId === json(done)?.fileId,
        `a repeated PUT of the same bytes answered ${show(repeat)}, expected 200 with file ${json(done)?.fileId}`,
      );
      const other = Buffer.from(bytes);
      other.writeUInt8(other.readUInt8(other.length - 20) ^ 0xff, other.length - 20);
      httpRefused(
        'ATT-6',
        await put(ctx, a, slot, other),
        409,
        ErrorCode.SLOT_USED,
        'a PUT of other bytes to a completed slot',
      );
      const bomb = hugePng();
      const bombSlot = await a.conn.ok('ATT-1', {
        type: 'upload',
        room,
        name: 'bomb.png',
        size: bomb.length,
        mediaType: 'image/png',
      });
      httpRefused(
        'ATT-9',
        await put(ctx, a, bombSlot, bomb),
        400,
        ErrorCode.UPLOAD_INVALID,
        'a PNG claiming 100000 × 100000 pixels',
      );
    },
  },
  {
    id: 'attachments/type-from-bytes',
    section,
    covers: ['ATT-3', 'ATT-4', 'SEC-10'],
    title:
      'the media type comes from the bytes: HTML named cat.png and SVG are served as attachments of another type, a PNG named notes.txt as an image',
    async run(ctx) {
      const { room, users } = await filesRoom(ctx, 1);
      const [a] = users as [UserConn];
      const cases = [
        {
          name: 'cat.png',
          type: 'image/png',
          bytes: Buffer.from('<!doctype html><html><body><script>alert(document.cookie)</script></body></html>'),
        },
        {
          name: 'logo.svg',
          type: 'image/svg+xml',
          bytes: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        },
      ];
      const ids: string[] = [];
      for (const c of cases) {
        const { reply, file } = await upload(ctx, a, room, c.name, c.bytes, c.type);
        expect('ATT-3', reply?.status === 201, `a PUT of ${c.name} answered ${show(reply)}`);
        expect(
          'ATT-3',
          typeof file.mediaType === 'string' && !file.mediaType.startsWith('image/'),
          `${c.name} holding markup was recorded as ${String(file.mediaType)}`,
        );
        ids.push(file.fileId as string);
      }
      const real = await upload(ctx, a, room, 'notes.txt', png(4, 4), 'text/plain');
      expect(
        'ATT-3',
        real.file.mediaType === 'image/png',
        `a PNG named notes.txt was recorded as ${String(real.file.mediaType)}`,
      );
      const ack = await post(a, room, 'files', { files: [...ids, real.file.fileId as string] }, 'ATT-7');
      const record = await recordOf(ctx, a, room, ack.messageId, 'ATT-7');
      for (const [n, attachment] of (record.attachments ?? []).entries()) {
        const reply = await get(ctx, a, attachment.url);
        const what = n < cases.length ? `${cases[n]!.name} holding markup` : 'a PNG named notes.txt';
        expect('ATT-4', reply.status === 200, `the download of ${what} answered ${show(reply)}`);
        safeHeaders(reply, what);
        const type = String(reply.headers['content-type'] ?? '');
        const disposition = String(reply.headers['content-disposition'] ?? '');
        if (n < cases.length) {
          expect(
            'ATT-4',
            /^attachment/i.test(disposition),
            `${what} is served with Content-Disposition "${disposition}"`,
          );
          expect('ATT-3', !/html|svg|^image\//i.test(type), `${what} is served as ${type}`);
        } else expect('ATT-3', type === 'image/png', `${what} is served as ${type}`);
      }
      expect(
        'ATT-7',
        record.attachments?.length === 3,
        `the record carries ${record.attachments?.length} attachments, 3 were sent`,
      );
    },
  },
];
