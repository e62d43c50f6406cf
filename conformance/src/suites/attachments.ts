/**
 * §17 Attachments (capability `files`, version 2): upload slots, the PUT
 * over HTTP at the WebSocket's origin, files attached to messages, and
 * downloads that never run in the server's origin and reach only members.
 * "Not offered" when the server does not advertise `files`.
 *
 * @module
 */

import { Capability, ErrorCode, type UploadSlotFrame } from '@kuykan/protocol';
import { delay, type TestContext, type UserConn } from '../context.js';
import { expect } from '../failure.js';
import type { TestCase } from '../runner.js';
import { padTo } from './helpers.js';
import { type HttpReply, hugePng, json, METADATA_MARKERS, metadataChunks, png, resolveHttp, send } from './http.js';
import { ask, entryOf, freshId, post, recordOf, refused, remove, snapshot, unchanged, v2Room } from './v2.js';

const section = 'attachments';

/** v2 users in one room, on a server that offers files. */
async function filesRoom(ctx: TestContext, n: number) {
  ctx.needV2();
  ctx.need(Capability.FILES);
  return v2Room(ctx, n);
}

/** Asks for a slot and PUTs `bytes` with its token; returns the slot, the answer and its JSON. */
async function upload(ctx: TestContext, user: UserConn, room: string, name: string, bytes: Buffer, mediaType: string) {
  const slot = await user.conn.ok('ATT-1', { type: 'upload', room, name, size: bytes.length, mediaType });
  const reply = await put(ctx, user, slot, bytes);
  return { slot, reply, file: json(reply) ?? {} };
}

function put(
  ctx: TestContext,
  user: UserConn,
  slot: UploadSlotFrame,
  bytes: Buffer,
  extra: Parameters<typeof send>[4] = {},
) {
  const headers = { authorization: `Bearer ${slot.token}`, ...extra.headers };
  return send('PUT', resolveHttp(user.conn.ws.url, slot.url), bytes, ctx.settings.timeoutMs, { ...extra, headers });
}

/** Uploads a file that must be accepted (201) and returns its id. */
async function uploaded(
  ctx: TestContext,
  user: UserConn,
  room: string,
  name = 'pic.png',
  bytes = png(8, 8),
): Promise<string> {
  const { reply, file } = await upload(ctx, user, room, name, bytes, 'image/png');
  expect(
    'ATT-1',
    reply?.status === 201 && typeof file.fileId === 'string',
    `a PUT of ${bytes.length} bytes answered ${show(reply)}`,
  );
  return file.fileId as string;
}

function get(ctx: TestContext, user: UserConn, url: string | URL, headers: Record<string, string> = {}) {
  const target = typeof url === 'string' ? resolveHttp(user.conn.ws.url, url) : url;
  return send('GET', target, undefined, ctx.settings.timeoutMs, { headers }) as Promise<HttpReply>;
}

const show = (reply: HttpReply | undefined) =>
  reply ? `HTTP ${reply.status} ${reply.body.toString('utf8').slice(0, 200)}` : 'no answer (connection dropped)';

/** Asserts an HTTP refusal with `status` and a JSON body naming `code`. */
function httpRefused(requirement: string, reply: HttpReply | undefined, status: number, code: number, what: string) {
  expect(
    requirement,
    reply?.status === status && json(reply)?.code === code,
    `${what} answered ${show(reply)}, expected HTTP ${status} with code ${code}`,
  );
}

/** The headers every download carries [ATT-4]. */
function safeHeaders(reply: HttpReply, what: string) {
  expect(
    'ATT-4',
    reply.headers['x-content-type-options'] === 'nosniff',
    `${what} is served without X-Content-Type-Options: nosniff`,
  );
  const csp = String(reply.headers['content-security-policy'] ?? '');
  expect(
    'ATT-4',
    /\bsandbox\b/.test(csp) && /default-src 'none'/.test(csp),
    `${what} is served with Content-Security-Policy "${csp}"`,
  );
}

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
    id: 'attachments/slot-refusals',
    section,
    covers: ['ATT-1', 'ERR-3', 'ROOM-8'],
    title: 'upload is refused for an unjoined room, a size of 0 or over maxUploadBytes, and an empty or too long name',
    async run(ctx) {
      const { room } = await filesRoom(ctx, 1);
      const user = await ctx.user('up');
      await ctx.join(user, room);
      const max = ctx.limits.maxUploadBytes ?? 26_214_400;
      const slot = (fields: object) =>
        ask(user, { type: 'upload', room, name: 'a.png', size: 10, mediaType: 'image/png', ...fields });
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
