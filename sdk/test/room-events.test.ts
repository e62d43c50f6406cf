import { afterEach, describe, expect, it } from 'vitest';
import { KuykanClient } from '../src/node.js';
import type { MentionContext, MessageContext } from '../src/types.js';
import { FakeServer } from './fake-server.js';
import { until } from './helpers.js';

let server: FakeServer;
const clients: KuykanClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await server?.close();
});

async function connect(name: string): Promise<KuykanClient> {
  server ??= await FakeServer.start({ version: 2 });
  const client = new KuykanClient(server.url, { name, backoff: { minMs: 10, maxMs: 50 } });
  clients.push(client);
  await client.connect();
  return client;
}

describe('KuykanClient (version 2 events)', () => {
  it('opens a direct room, joins it and knows its peer [DM-2]', async () => {
    server = await FakeServer.start({ version: 2 });
    const somchai = await connect('somchai');
    const room = await somchai.directRoom('Mali');
    expect(room.name).toBe('@mali+somchai');
    expect(room.peer).toBe('mali');
    expect(somchai.rooms.get('@mali+somchai')).toBe(room);
    expect(server.connections[0]!.frames.slice(2).map((f) => f.type)).toEqual(['dm', 'join']);
    // Every message of the other member mentions me in a direct room [MENTION-4].
    const mali = await connect('mali');
    const theirs = await mali.directRoom('somchai');
    const heard = new Promise<MessageContext>((resolve) => room.once('message', resolve));
    await theirs.send('ว่างไหม');
    expect((await heard).mentionsMe).toBe(true);
  });

  it('reports a mention in a room this session has not joined, and only there [MENTION-2]', async () => {
    server = await FakeServer.start({ version: 2 });
    const client = await connect('somchai');
    await client.join('lobby');
    const mentions: MentionContext[] = [];
    client.on('mention', (ctx) => mentions.push(ctx));
    const connection = server.connections[0]!;
    const mention = { room: 'news', seq: 4, messageId: 'm4', from: 'mali', text: '@somchai look' };
    connection.send({ type: 'mention', ...mention });
    connection.send({ type: 'mention', ...mention, room: 'lobby' });
    await client.ping();
    expect(mentions).toEqual([mention]);
  });

  it('knows which members are bots from joined and presence, and flags their messages [BOT-1]', async () => {
    server = await FakeServer.start({
      version: 2,
      onFrame: (frame, connection) => {
        if (frame.type !== 'join') return false;
        connection.send({
          type: 'joined',
          id: frame.id,
          room: frame.room,
          epoch: 'e1',
          seq: 0,
          members: ['somchai', 'echo'],
          messages: [],
          bots: ['echo'],
        });
        return true;
      },
    });
    const client = await connect('somchai');
    const room = await client.join('lobby');
    expect(room.bots).toEqual(['echo']);
    const presence = new Promise((resolve) => room.once('presence', resolve));
    server.connections[0]!.send({ type: 'presence', room: 'lobby', name: 'dice', kind: 'join', bot: true });
    expect(await presence).toMatchObject({ name: 'dice', kind: 'join', bot: true });
    expect(room.bots).toEqual(['dice', 'echo']);
    server.connections[0]!.send({ type: 'presence', room: 'lobby', name: 'echo', kind: 'leave' });
    await client.ping();
    expect(room.bots).toEqual(['dice']);
    const heard = new Promise<MessageContext>((resolve) => room.once('message', resolve));
    server.connections[0]!.send({
      type: 'message',
      room: 'lobby',
      seq: 1,
      messageId: 'm1',
      ts: 1,
      from: 'dice',
      text: '🎲 4',
      bot: true,
    });
    expect((await heard).message.bot).toBe(true);
  });

  it('resolves attachment URLs against the server it is connected to [ATT-7]', async () => {
    server = await FakeServer.start({ version: 2 });
    const client = await connect('somchai');
    const room = await client.join('lobby');
    const heard = new Promise<MessageContext>((resolve) => room.once('message', resolve));
    const attachment = { fileId: 'f1', name: 'cat.png', size: 68, mediaType: 'image/png', width: 1, height: 1 };
    server.connections[0]!.send({
      type: 'message',
      room: 'lobby',
      seq: 1,
      messageId: 'm1',
      ts: 1,
      from: 'mali',
      text: '',
      attachments: [{ ...attachment, url: '/files/f1?e=9&s=abc', thumbUrl: '/files/f1/thumb?e=9&s=def' }],
    });
    const { message } = await heard;
    const origin = server.url.replace('ws://', 'http://');
    expect(message.attachments).toEqual([
      { ...attachment, url: `${origin}/files/f1?e=9&s=abc`, thumbUrl: `${origin}/files/f1/thumb?e=9&s=def` },
    ]);
    expect(room.message('m1')?.attachments?.[0]?.url).toBe(`${origin}/files/f1?e=9&s=abc`);
  });

  it('delivers the entries missed while away in seq order on resume [LOG-4]', async () => {
    server = await FakeServer.start({ version: 2 });
    const somchai = await connect('somchai');
    const mali = await connect('mali');
    const mine = await somchai.join('lobby');
    const theirs = await mali.join('lobby');
    const { messageId } = await theirs.send('first');
    await until(() => mine.seq === 1, 5000, 'the first message');
    const seen: string[] = [];
    for (const event of ['message', 'edit', 'reaction', 'delete'] as const) {
      mine.on(event, (ctx: { entry?: { seq: number }; message?: { seq: number } }) =>
        seen.push(`${event} ${ctx.entry?.seq ?? ctx.message?.seq}`),
      );
    }
    server.connections[0]!.ws.terminate();
    await until(() => somchai.state === 'reconnecting', 5000, 'the drop');
    await theirs.edit(messageId, 'first!');
    await theirs.react(messageId, '👍');
    await theirs.send('second');
    await theirs.delete(messageId);
    await until(() => somchai.state === 'open' && mine.seq === 5, 10_000, 'the resume');
    expect(seen).toEqual(['edit 2', 'reaction 3', 'message 4', 'delete 5']);
    expect(mine.timeline.map((m) => [m.text, m.deleted ?? false])).toEqual([
      ['', true],
      ['second', false],
    ]);
  });
});
