import { decodeFrame } from '@kuykan/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { ClientError, KuykanClient } from '../src/node.js';
import type { Room } from '../src/room.js';
import { FakeServer } from './fake-server.js';

let server: FakeServer;
let client: KuykanClient;
afterEach(async () => {
  await client?.close();
  await server?.close();
});

async function start(version: number): Promise<Room> {
  server = await FakeServer.start({ version, capabilities: ['resume', 'files'] });
  client = new KuykanClient(server.url, { name: 'somchai', bot: true });
  await client.connect();
  return client.join('lobby');
}

/** Each v2 call, made on a room (and the client) of a version 1 session. */
const V2_CALLS: [string, (room: Room) => Promise<unknown>][] = [
  ['edit', (room) => room.edit('m1', 'new')],
  ['delete', (room) => room.delete('m1')],
  ['react', (room) => room.react('m1', '👍')],
  ['unreact', (room) => room.unreact('m1', '👍')],
  ['markRead', (room) => room.markRead(1)],
  ['sendFile', (room) => room.sendFile(new Uint8Array([1]), { name: 'a.bin' })],
  ['replyTo', (room) => room.send('hi', { replyTo: 'm1' })],
  ['files', (room) => room.send('', { files: ['f1'] })],
  ['directRoom', () => client.directRoom('mali')],
];

describe('version negotiation', () => {
  it('offers versions 2 and 1, and speaks 2 with a server that does', async () => {
    await start(2);
    const connection = server.connections[0]!;
    expect(connection.frames[0]).toMatchObject({ type: 'hello', versions: [2, 1] });
    expect(client.version).toBe(2);
    expect(connection.frames[1]).toMatchObject({ type: 'login', bot: true });
  });

  it('keeps everything of version 1 working with a server that speaks only 1', async () => {
    const room = await start(1);
    expect(client.version).toBe(1);
    expect(room.version).toBe(1);
    const heard: string[] = [];
    room.on('message', ({ message, mentionsMe }) => heard.push(`${message.text} ${mentionsMe}`));
    const ack = await room.send('@mali hi', { mentions: ['mali'] });
    expect(ack.seq).toBe(1);
    expect(heard).toEqual(['@mali hi false']);
    const history = await room.history();
    expect(history.messages.map((m) => m.text)).toEqual(['@mali hi']);
    // Nothing of version 2 went over the wire: not `bot` at login, not `mentions` on send [VER-2].
    const raw = server.connections[0]!.raw.map((bytes) => decodeFrame(bytes, { version: 2 }));
    expect(raw.find((f) => f.type === 'login')).not.toHaveProperty('bot');
    expect(raw.find((f) => f.type === 'send')).not.toHaveProperty('mentions');
  });

  it.each(V2_CALLS)('rejects %s on a version 1 session with UNSUPPORTED and sends nothing', async (what, call) => {
    const room = await start(1);
    const before = server.connections[0]!.frames.length;
    const error = await call(room).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ClientError);
    expect(error).toMatchObject({ code: 'UNSUPPORTED' });
    expect((error as Error).message).toBe(`the server speaks protocol version 1; ${what} needs version 2`);
    await client.ping(); // a barrier: anything sent would have arrived before the ping
    expect(server.connections[0]!.frames.slice(before).map((f) => f.type)).toEqual(['ping']);
  });

  it('rejects sendFile with UNSUPPORTED when a version 2 server does not take files', async () => {
    server = await FakeServer.start({ version: 2 });
    client = new KuykanClient(server.url, { name: 'somchai' });
    await client.connect();
    const room = await client.join('lobby');
    await expect(room.sendFile(new Uint8Array([1]), { name: 'a.bin' })).rejects.toMatchObject({
      code: 'UNSUPPORTED',
      message: 'the server does not accept files',
    });
    expect(server.sent('upload')).toEqual([]);
  });
});
