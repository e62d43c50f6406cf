/**
 * §17 Attachments (capability `files`, version 2), the message side: files
 * attached to messages, served inline or as attachments without their
 * metadata, reaching members only, released by a delete. The upload side
 * is in `uploads.ts`. "Not offered" when the server does not advertise
 * `files`.
 *
 * @module
 */

import { ErrorCode } from '@kuykan/protocol';
import type { UserConn } from '../context.js';
import { expect } from '../failure.js';
import type { TestCase } from '../runner.js';
import { filesRoom, get, safeHeaders, show, upload, uploaded } from './attachment-kit.js';
import { METADATA_MARKERS, metadataChunks, png, resolveHttp } from './http.js';
import { ask, entryOf, freshId, post, recordOf, refused, remove, snapshot, unchanged } from './v2.js';

const section = 'attachments';

export const attachments: TestCase[] = [
  {
    id: 'attachments/upload-attach-download',
    section,
    covers: ['ATT-7', 'ATT-9', 'ATT-4', 'SEC-10', 'MSG-1'],
    title:
      'an uploaded image is attached by a send (even with empty text), carried with name, size, type, width, height and a signed url, and served inline without its metadata',
    async run(ctx) {
      const { room, users } = await filesRoom(ctx, 2);
      const [a, b] = users as [UserConn, UserConn];
      const bytes = png(64, 48, metadataChunks());
      const { reply, file } = await upload(ctx, a, room, 'cat.png', bytes, 'image/png');
      expect('ATT-7', reply?.status === 201, `the PUT answered ${show(reply)}`);
      expect(
        'ATT-9',
        file.mediaType === 'image/png' && file.width === 64 && file.height === 48,
        `the PUT describes the image as ${JSON.stringify(file)}`,
      );
      const ack = await post(a, room, '', { files: [file.fileId as string] }, 'MSG-1');
      const entry = entryOf(a, ack, 'ATT-7');
      const attached = entry.attachments?.[0];
      const want = {
        fileId: file.fileId,
        name: 'cat.png',
        size: file.size,
        mediaType: 'image/png',
        width: 64,
        height: 48,
      };
      for (const [key, value] of Object.entries(want))
        expect(
          'ATT-7',
          attached?.[key as keyof typeof attached] === value,
          `the attachment's ${key} is ${JSON.stringify(attached?.[key as keyof typeof attached])}, expected ${JSON.stringify(value)}`,
        );
      expect(
        'ATT-7',
        entry.attachments?.length === 1 && typeof attached?.url === 'string',
        `the message carries attachments ${JSON.stringify(entry.attachments)}`,
      );
      const atB = (await recordOf(ctx, b, room, ack.messageId, 'ATT-7')).attachments?.[0];
      expect(
        'ATT-7',
        atB !== undefined && atB.fileId === file.fileId,
        `history serves the attachment as ${JSON.stringify(atB)}`,
      );
      const download = await get(ctx, b, atB.url);
      expect('ATT-7', download.status === 200, `the download answered ${show(download)}`);
      safeHeaders(download, 'an image');
      expect(
        'ATT-4',
        download.headers['content-type'] === 'image/png',
        `a PNG is served as ${download.headers['content-type']}`,
      );
      expect(
        'ATT-4',
        !/^attachment/i.test(String(download.headers['content-disposition'] ?? '')),
        'a raster image is not served inline',
      );
      const text = download.body.toString('latin1');
      const kept = METADATA_MARKERS.filter((m) => text.includes(m));
      expect('ATT-9', kept.length === 0, `the stored image still holds its metadata (${kept.join(', ')})`);
      const range = await get(ctx, b, atB.url, { range: 'bytes=0-3' });
      expect(
        'ATT-4',
        range.status === 206 && range.body.length === 4 && range.body.equals(download.body.subarray(0, 4)),
        `a range request for bytes 0-3 answered HTTP ${range.status} with ${range.body.length} bytes`,
      );
      const etag = download.headers.etag;
      if (etag) {
        const again = await get(ctx, b, atB.url, { 'if-none-match': etag });
        expect(
          'ATT-4',
          again.status === 304,
          `a request with If-None-Match of the served ETag answered HTTP ${again.status}`,
        );
      }
    },
  },
  {
    id: 'attachments/members-only',
    section,
    covers: ['ATT-5', 'SEC-10', 'VER-4'],
    title:
      "a file's URL reaches members only; without its signature, or with another, a download is 403; a v1 member reads its name as a 📎 line",
    async run(ctx) {
      const { room, users } = await filesRoom(ctx, 1);
      const [a] = users as [UserConn];
      const old = await ctx.user('old', { versions: [1] });
      await ctx.join(old, room, 'VER-1');
      const outsider = await ctx.user('out');
      await ctx.join(outsider, ctx.room('elsewhere'));
      const fileId = await uploaded(ctx, a, room, 'map.png');
      const ack = await post(a, room, 'look', { files: [fileId] }, 'ATT-7');
      const record = await recordOf(ctx, a, room, ack.messageId, 'ATT-7');
      const url = resolveHttp(a.conn.ws.url, record.attachments?.[0]?.url ?? '/');
      await ctx.sync(outsider, old);
      const leaks = [...outsider.conn.log, ...old.conn.log].filter(
        (f) => JSON.stringify(f).includes(url.pathname) || JSON.stringify(f).includes(fileId),
      );
      expect(
        'ATT-5',
        leaks.length === 0,
        `a frame to a non-member or a v1 session carries the file: ${JSON.stringify(leaks[0])}`,
      );
      if (url.search) {
        const bare = new URL(url);
        bare.search = '';
        expect(
          'ATT-5',
          (await get(ctx, a, bare)).status === 403,
          'a download without the signature is not refused with 403',
        );
        const forged = new URL(url);
        forged.search = `${url.search.slice(0, -1)}${url.search.endsWith('A') ? 'B' : 'A'}`;
        expect(
          'ATT-5',
          (await get(ctx, a, forged)).status === 403,
          'a download with a forged signature is not refused with 403',
        );
      }
      const page = await old.conn.ok('HIST-1', { type: 'history', room });
      const text = page.messages.find((m) => m.messageId === ack.messageId)?.text;
      expect(
        'VER-4',
        text === 'look\n📎 map.png',
        `a v1 session reads the message with a file as ${JSON.stringify(text)}, expected "look\\n📎 map.png"`,
      );
    },
  },
  {
    id: 'attachments/file-refusals',
    section,
    covers: ['ATT-7', 'MSG-1', 'ERR-3'],
    title:
      "files unknown, another user's, for another room, already attached or more than maxAttachments are FILE_INVALID in the order of §5.4, and nothing is committed",
    async run(ctx) {
      const { room, users } = await filesRoom(ctx, 2);
      const [a, b] = users as [UserConn, UserConn];
      const other = ctx.room('other');
      await ctx.join(a, other);
      const mine = await uploaded(ctx, a, room);
      const elsewhere = await uploaded(ctx, a, other);
      const theirs = await uploaded(ctx, b, room);
      const used = await uploaded(ctx, a, room, 'used.png');
      await post(a, room, 'attached once', { files: [used] }, 'ATT-7');
      const before = await snapshot(ctx, a, room, [b]);
      const max = ctx.limits.maxAttachments ?? 10;
      const s = (files: string[], extra: object = {}) =>
        ask(a, { type: 'send', room, clientId: freshId(), text: 'with files', files, ...extra });
      for (const [files, what] of [
        [['no-such-file'], 'an unknown file'],
        [[theirs], "another user's file"],
        [[elsewhere], 'a file uploaded for another room'],
        [[used], 'a file already attached'],
        [Array.from({ length: max + 1 }, (_, i) => `nope${i}`), 'maxAttachments + 1 files'],
      ] as const)
        refused('ATT-7', await s([...files]), ErrorCode.FILE_INVALID, `a send with ${what}`);
      refused('MSG-1', await s([], { text: '' }), ErrorCode.TEXT_INVALID, 'empty text without files');
      refused(
        'ERR-3',
        await s(['nope'], { replyTo: 'no-such-message' }),
        ErrorCode.MESSAGE_NOT_FOUND,
        'an unknown replyTo before an unknown file',
      );
      refused(
        'ERR-3',
        await s(Array(max + 1).fill(mine), { mentions: [''] }),
        ErrorCode.MENTIONS_INVALID,
        'bad mentions before too many files',
      );
      await unchanged(ctx, 'ATT-7', before);
      await post(a, room, 'now attached', { files: [mine] }, 'ATT-7');
    },
  },
  {
    id: 'attachments/delete-releases',
    section,
    covers: ['ATT-8', 'DEL-2'],
    title: 'a deleted message drops its attachments, and its files cannot be attached again',
    async run(ctx) {
      const { room, users } = await filesRoom(ctx, 1);
      const [a] = users as [UserConn];
      const fileId = await uploaded(ctx, a, room);
      const ack = await post(a, room, 'soon gone', { files: [fileId] }, 'ATT-7');
      await remove(a, room, ack.messageId);
      const record = await recordOf(ctx, a, room, ack.messageId, 'DEL-2');
      expect(
        'DEL-2',
        record.deleted === true && record.attachments === undefined,
        `the deleted message is served as ${JSON.stringify(record)}`,
      );
      const again = await a.conn.settled({ type: 'send', room, clientId: freshId(), text: 'again', files: [fileId] });
      refused('ATT-8', again, ErrorCode.FILE_INVALID, 'attaching a released file');
    },
  },
  {
    id: 'attachments/thumbnail',
    section,
    covers: ['ATT-10'],
    title: 'an image larger than a thumbnail gets a thumbUrl that serves a smaller image (SHOULD)',
    async run(ctx) {
      const { room, users } = await filesRoom(ctx, 1);
      const [a] = users as [UserConn];
      const fileId = await uploaded(ctx, a, room, 'wide.png', png(640, 400));
      const ack = await post(a, room, 'big picture', { files: [fileId] }, 'ATT-7');
      const attachment = (await recordOf(ctx, a, room, ack.messageId, 'ATT-7')).attachments?.[0];
      expect(
        'ATT-10',
        typeof attachment?.thumbUrl === 'string',
        `an image of 640 × 400 has no thumbnail: ${JSON.stringify(attachment)}`,
      );
      const thumb = await get(ctx, a, attachment.thumbUrl);
      expect(
        'ATT-10',
        thumb.status === 200 && /^image\//.test(String(thumb.headers['content-type'])),
        `the thumbnail answered ${show(thumb)}`,
      );
    },
  },
];
