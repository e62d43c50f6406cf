/**
 * `room.sendFile` in Node against the server's real file pipeline
 * (FileService behind node:http, the harness of the server's file tests),
 * with the WebSocket side played by the fake server on the same HTTP server:
 * the slot's URL is resolved against the connection's URL as §17 says.
 */
import { Readable } from 'node:stream';
import { ErrorCode, nameKey, ProtocolError } from '@kuykan/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { messageRef } from '../../server/src/files/index.js';
import { get, type Harness, startFiles } from '../../server/test/fixtures/files/harness.js';
import { png } from '../../server/test/fixtures/files/images.js';
import { ClientError, KuykanClient } from '../src/node.js';
import type { Room } from '../src/room.js';
import type { MessageContext, UploadProgress } from '../src/types.js';
import { FakeServer } from './fake-server.js';

let files: Harness;
let server: FakeServer;
let client: KuykanClient;
let room: Room;
/** When set, the slot handed out instead of the real one. */
let forgedSlot: { url: string; token: string } | undefined;

beforeEach(async () => {
  forgedSlot = undefined;
  files = await startFiles({}, { maxUploadBytes: 1024 * 1024 });
  server = await FakeServer.start({
    version: 2,
    capabilities: ['resume', 'files'],
    server: files.server,
    onFrame: (frame, connection) => {
      const user = { key: nameKey(connection.name ?? ''), name: connection.name ?? '' };
      if (frame.type === 'upload') {
        const { room: slotRoom, name, size, mediaType: type } = frame;
        files.service.requestSlot(user, { room: slotRoom, name, size, type }).then(
          (slot) => connection.send({ type: 'uploadSlot', id: frame.id, ...slot, ...forgedSlot }),
          (error: ProtocolError) => connection.send({ ...error.toFrame(), id: frame.id }),
        );
        return true;
      }
      if (frame.type === 'send' && frame.files) {
        // What the v2 server does with `files` [ATT-7]: attach them and sign their URLs.
        files.service.attach(user, frame.room, frame.files, messageRef(frame.room, frame.clientId)).then((held) => {
          const { ack, entry } = server.log.commit(user.name, frame);
          const attachments = held.map(({ type, thumb, ...a }) => ({
            ...a,
            mediaType: type,
            ...files.service.urlsFor({ fileId: a.fileId, thumb }),
          }));
          connection.send({ type: 'message', room: frame.room, ...entry!, attachments });
          connection.send({ ...ack, id: frame.id });
        });
        return true;
      }
      return false;
    },
  });
  client = new KuykanClient(server.url, { name: 'somchai' });
  await client.connect();
  room = await client.join('lobby');
});

afterEach(async () => {
  await client.close();
  await server.close();
  await files.close();
});

describe('Room.sendFile (Node)', () => {
  it('uploads bytes with progress and sends a message carrying the file, its URLs absolute', async () => {
    const image = await png(40, 30);
    const progress: UploadProgress[] = [];
    const heard = new Promise<MessageContext>((resolve) => room.once('message', resolve));
    const ack = await room.sendFile(image, {
      name: 'cat.png',
      type: 'image/png',
      text: 'แมว',
      onProgress: (p) => progress.push(p),
    });
    expect(ack.file).toMatchObject({ name: 'cat.png', mediaType: 'image/png', width: 40, height: 30 });
    expect(progress.at(-1)).toEqual({ sent: image.length, total: image.length });
    expect(progress.every((p, i) => i === 0 || p.sent > progress[i - 1]!.sent)).toBe(true);
    expect(server.sent('upload')[0]).toMatchObject({
      room: 'lobby',
      name: 'cat.png',
      size: image.length,
      mediaType: 'image/png',
    });
    expect(server.sent('send')[0]).toMatchObject({ text: 'แมว', files: [ack.file.fileId] });
    const { message } = await heard;
    const [attachment] = message.attachments!;
    expect(attachment!.url.startsWith(`${files.base}/files/${ack.file.fileId}?`)).toBe(true);
    const download = await get(files.base, new URL(attachment!.url).pathname + new URL(attachment!.url).search);
    expect([download.status, download.headers['content-type']]).toEqual([200, 'image/png']);
  });

  it('streams a Node readable of a given size and a Blob, a chunk at a time', async () => {
    const bytes = Buffer.alloc(300 * 1024, 7);
    const chunks = [bytes.subarray(0, 100 * 1024), bytes.subarray(100 * 1024)];
    const fromStream = await room.sendFile(Readable.from(chunks), { name: 'data.bin', size: bytes.length });
    expect(fromStream.file).toMatchObject({ size: bytes.length, mediaType: 'application/octet-stream' });
    const fromBlob = await room.sendFile(new Blob([bytes.subarray(0, 1000)], { type: 'text/plain' }), {
      name: 'a.txt',
    });
    expect(fromBlob.file.size).toBe(1000);
    expect(server.sent('upload')[1]).toMatchObject({ size: 1000, mediaType: 'text/plain' });
  });

  it('rejects with the code of an upload refused over the WebSocket', async () => {
    const error = await room.sendFile(Buffer.alloc(2 * 1024 * 1024), { name: 'big.bin' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProtocolError);
    expect((error as ProtocolError).code).toBe(ErrorCode.TOO_LARGE);
    expect(server.sent('send')).toEqual([]);
  });

  it('rejects with the code in the JSON body of a refused PUT, and with the status of one without', async () => {
    forgedSlot = { url: '/files/upload', token: 'forged' };
    const unauthorized = await room.sendFile(Buffer.from('hello'), { name: 'a.txt' }).catch((e: unknown) => e);
    expect(unauthorized).toMatchObject({
      code: ErrorCode.UNAUTHORIZED,
      message: 'the upload token is missing, invalid or expired',
    });
    forgedSlot = { url: '/not-files', token: 'x' };
    const notJson = await room.sendFile(Buffer.from('hello'), { name: 'a.txt' }).catch((e: unknown) => e);
    expect(notJson).toBeInstanceOf(ProtocolError);
    expect((notJson as Error).message).toBe('the upload was answered with HTTP 404');
    expect(server.sent('send')).toEqual([]);
  });

  it('is cancelled by its signal mid-upload, storing nothing', async () => {
    const controller = new AbortController();
    async function* slow(): AsyncGenerator<Uint8Array> {
      yield Buffer.alloc(64 * 1024, 1);
      await new Promise((resolve) => controller.signal.addEventListener('abort', resolve));
      yield Buffer.alloc(64 * 1024, 2);
    }
    const sending = room.sendFile(slow(), {
      name: 'slow.bin',
      size: 128 * 1024,
      signal: controller.signal,
      onProgress: () => controller.abort(),
    });
    const error = await sending.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ClientError);
    expect(error).toMatchObject({ code: 'ABORTED' });
    await files.settled(1);
    expect(await files.service.usage({ key: 'somchai', name: 'somchai' })).toBe(0);
    expect(server.sent('send')).toEqual([]);
  });

  it('asks for nothing when cancelled before it starts, or given no name or no size', async () => {
    const aborted = AbortSignal.abort();
    await expect(room.sendFile(Buffer.from('x'), { name: 'x', signal: aborted })).rejects.toMatchObject({
      code: 'ABORTED',
    });
    await expect(room.sendFile(Buffer.from('x'))).rejects.toThrow('sendFile needs a file name: options.name');
    await expect(room.sendFile(Readable.from([Buffer.from('x')]), { name: 'x' })).rejects.toThrow(
      'sendFile needs the size of a stream: options.size',
    );
    expect(server.sent('upload')).toEqual([]);
  });
});
