/**
 * Attachments over the WebSocket and HTTP together (PROTOCOL.md §17): a
 * slot, the PUT, a `send` that attaches the file, signed URLs in every
 * frame that carries it, what a version 1 session sees, and the release of
 * a deleted message's files. The file pipeline itself is tested in
 * files-*.test.ts.
 */

import { type Attachment, ErrorCode, type UploadSlotFrame } from '@kuykan/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/index.js';
import { get, put } from './fixtures/files/harness.js';
import { png } from './fixtures/files/images.js';
import { memberV2, RawClient, startTestServer } from './helpers.js';
import { cid, entriesOf, page, refused, say } from './v2-helpers.js';

let server: RunningServer;
beforeAll(async () => {
  server = await startTestServer({ files: { releasedGraceMs: 0, unattachedGraceMs: 60_000, gcIntervalMs: 0 } });
});
afterAll(() => server.close());

/** Uploads `body` as `name` to `room` through `client`; resolves with the new file's id. */
async function upload(client: RawClient, room: string, name: string, body: Buffer): Promise<string> {
  const slot = (await client.request({
    type: 'upload',
    room,
    name,
    size: body.length,
    mediaType: 'image/png',
  })) as UploadSlotFrame;
  expect(slot.type).toBe('uploadSlot');
  const answer = await put(server.httpUrl, slot.token, body, { path: slot.url });
  expect(answer.status).toBe(201);
  return (answer.json as { fileId: string }).fileId;
}

describe('attachments end to end', () => {
  it('advertises files to version 2 sessions only [HS-7, VER-2]', async () => {
    const v2 = await memberV2(server.url, 'cap2', 'caps');
    const v1 = await RawClient.open(server.url);
    expect(v2.of('welcome')[0]!.capabilities).toContain('files');
    expect(v1.of('welcome')[0]!.capabilities).not.toContain('files');
    v2.close();
    v1.close();
  });

  it('delivers a message of an image with signed URLs that serve it, and its thumbnail [ATT-5, ATT-7]', async () => {
    const ann = await memberV2(server.url, 'ann', 'photos');
    const bob = await memberV2(server.url, 'bob', 'photos');
    const fileId = await upload(ann, 'photos', 'แมว.png', await png(640, 480));
    const ack = await ann.request({ type: 'send', room: 'photos', clientId: cid(), text: '', files: [fileId] });
    expect(ack.type).toBe('ack');
    await bob.barrier();
    const [message] = entriesOf(bob, 'photos');
    const [file] = message!.attachments as [Attachment];
    expect(file).toMatchObject({ fileId, name: 'แมว.png', mediaType: 'image/png', width: 640, height: 480 });
    expect(file.url).toMatch(new RegExp(`^/files/${fileId}\\?e=\\d+&s=`));
    expect(file.thumbUrl).toMatch(new RegExp(`^/files/${fileId}/thumb\\?e=\\d+&s=`));
    const image = await get(server.httpUrl, file.url);
    expect(image.status).toBe(200);
    expect(image.headers['content-type']).toBe('image/png');
    expect(image.headers['content-disposition']).toMatch(/^inline/);
    expect((await get(server.httpUrl, file.thumbUrl!)).status).toBe(200);
    // The URL is a capability: without its signature it opens nothing.
    expect((await get(server.httpUrl, `/files/${fileId}`)).status).toBe(403);
    // History signs the URLs afresh.
    const history = (await page(bob, 'photos')).messages;
    expect(history[0]!.attachments![0]!.url).toMatch(/\?e=\d+&s=/);
    ann.close();
    bob.close();
  });

  it('shows a version 1 session the file as a line of the text [VER-4]', async () => {
    const ann = await memberV2(server.url, 'ann1', 'mixed');
    const old = await RawClient.open(server.url);
    await old.login('old1');
    await old.join('mixed');
    const fileId = await upload(ann, 'mixed', 'report.png', await png(8, 8));
    await ann.request({ type: 'send', room: 'mixed', clientId: cid(), text: 'see this', files: [fileId] });
    await old.barrier();
    const [message] = old.of('message');
    expect(message!.text).toBe('see this\n📎 report.png');
    expect(message).not.toHaveProperty('attachments');
    ann.close();
    old.close();
  });

  it('refuses files that are not the sender’s, and commits nothing [ATT-7]', async () => {
    const ann = await memberV2(server.url, 'ann2', 'mine');
    const eve = await memberV2(server.url, 'eve2', 'mine');
    const fileId = await upload(ann, 'mine', 'a.png', await png(4, 4));
    refused(
      await eve.request({ type: 'send', room: 'mine', clientId: cid(), text: 'stolen', files: [fileId] }),
      ErrorCode.FILE_INVALID,
    );
    refused(
      await ann.request({ type: 'send', room: 'mine', clientId: cid(), text: 'x', files: ['no-such-file'] }),
      ErrorCode.FILE_INVALID,
    );
    const tooMany = Array.from({ length: 11 }, (_, n) => `f${n}`);
    refused(
      await ann.request({ type: 'send', room: 'mine', clientId: cid(), text: 'x', files: tooMany }),
      ErrorCode.FILE_INVALID,
    );
    await eve.barrier();
    expect(entriesOf(eve, 'mine')).toEqual([]);
    // The refused attempts left the file free for its owner.
    expect((await ann.request({ type: 'send', room: 'mine', clientId: cid(), text: '', files: [fileId] })).type).toBe(
      'ack',
    );
    ann.close();
    eve.close();
  });

  it('answers a retried send with the original ack, and a file attached once is not attached again [MSG-5, ATT-7]', async () => {
    const ann = await memberV2(server.url, 'ann3', 'retry');
    const fileId = await upload(ann, 'retry', 'r.png', await png(4, 4));
    const send = { type: 'send' as const, room: 'retry', clientId: cid(), text: 'once', files: [fileId] };
    const first = await ann.request(send);
    const again = await ann.request(send);
    expect(again).toEqual({ ...first, id: again.id });
    refused(await ann.request({ ...send, clientId: cid() }), ErrorCode.FILE_INVALID);
    ann.close();
  });

  it('refuses an upload to a room the session has not joined [ATT-1]', async () => {
    const ann = await memberV2(server.url, 'ann4', 'here');
    refused(
      await ann.request({ type: 'upload', room: 'there', name: 'x.png', size: 10, mediaType: 'image/png' }),
      ErrorCode.NOT_IN_ROOM,
    );
    refused(
      await ann.request({ type: 'upload', room: 'here', name: 'x.png', size: 0, mediaType: 'image/png' }),
      ErrorCode.UPLOAD_INVALID,
    );
    ann.close();
  });

  it('releases a deleted message’s files: after the grace their URLs answer 404 [ATT-8, DEL-2]', async () => {
    const ann = await memberV2(server.url, 'ann5', 'gone');
    const fileId = await upload(ann, 'gone', 'g.png', await png(4, 4));
    const message = await say(ann, 'gone', '', { files: [fileId] });
    const [file] = entriesOf(ann, 'gone').at(-1)!.attachments!;
    expect((await get(server.httpUrl, file!.url)).status).toBe(200);
    expect((await ann.request({ type: 'delete', room: 'gone', target: message.messageId, clientId: cid() })).type).toBe(
      'ack',
    );
    // Released files stop being served at once; the collector deletes them after the grace.
    expect((await get(server.httpUrl, file!.url)).status).toBe(404);
    const history = (await page(ann, 'gone')).messages;
    expect(history.at(-1)).toMatchObject({ deleted: true });
    expect(history.at(-1)).not.toHaveProperty('attachments');
    ann.close();
  });
});
