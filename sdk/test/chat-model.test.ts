import { ErrorCode, normalizeRoom, ProtocolError } from '@kuykan/protocol';
import { describe, expect, it } from 'vitest';
import { Emitter } from '../src/emitter.js';
import {
  type ChatChange,
  type ChatClient,
  ChatModel,
  MemoryStorage,
  type ModelStorage,
  WebStorage,
} from '../src/model/index.js';
import type { ClientEvents } from '../src/types.js';
import { FakeRoom } from './fake-room.js';
import { connected, startTestServer, until } from './helpers.js';

/** A client whose rooms are scripted; `refused` rooms fail to join as the server would refuse them. */
class FakeClient extends Emitter<ClientEvents> implements ChatClient {
  name: string | undefined = 'Somchai';
  limits = { historyPageMax: 100 };
  /** The protocol version of the rooms it joins. */
  version = 1;
  readonly joined = new Map<string, FakeRoom>();
  readonly refused = new Set<string>();

  async join(name: string): Promise<FakeRoom> {
    const key = normalizeRoom(name);
    if (this.refused.has(key)) throw new ProtocolError(ErrorCode.ROOM_INVALID, 'refused');
    let room = this.joined.get(key);
    if (!room) {
      room = new FakeRoom(key);
      room.version = this.version;
      if (key.startsWith('@'))
        room.peer = key
          .slice(1)
          .split('+')
          .find((n) => n !== 'somchai');
      this.joined.set(key, room);
    }
    return room;
  }

  async directRoom(name: string): Promise<FakeRoom> {
    return this.join(`@${[name, 'somchai'].sort().join('+')}`);
  }
}

const say = (room: FakeRoom | undefined, from: string, text: string) => {
  room!.commit(from, text);
  room!.deliverAll();
};

describe('ChatModel', () => {
  it('joins rooms in order, opens the first one anyway and the next one unless told not to', async () => {
    const model = new ChatModel(new FakeClient());
    await model.join('Lobby', { activate: false });
    expect(model.active?.name).toBe('lobby');
    await model.join('thai');
    await model.join('dev', { activate: false });
    expect(model.rooms.map((r) => r.name)).toEqual(['lobby', 'thai', 'dev']);
    expect(model.active?.name).toBe('thai');
    expect(model.room('LOBBY')).toBe(model.rooms[0]);
    model.selectNext(1);
    expect(model.active?.name).toBe('dev');
    model.selectNext(1);
    expect(model.active?.name).toBe('lobby');
    model.selectNext(-1);
    expect(model.active?.name).toBe('dev');
  });

  it('counts unread and mentions outside the open room, and in it only while hidden', async () => {
    const client = new FakeClient();
    const model = new ChatModel(client);
    await model.join('lobby');
    await model.join('thai', { activate: false });
    const lobby = client.joined.get('lobby');
    const thai = client.joined.get('thai');
    const arrived: [string, boolean][] = [];
    model.on('message', ({ room, unread }) => arrived.push([room.name, unread]));
    say(thai, 'mali', 'hi');
    say(thai, 'mali', '@somchai look');
    say(lobby, 'mali', 'seen at once');
    expect([model.unread, model.mentions]).toEqual([2, 1]);
    model.setVisible(false);
    say(lobby, 'mali', 'while hidden');
    expect(model.room('lobby')!.unread).toBe(1);
    model.setVisible(true);
    expect(model.room('lobby')!.unread).toBe(0);
    model.select('thai');
    expect([model.unread, model.mentions]).toEqual([0, 0]);
    expect(arrived).toEqual([
      ['thai', true],
      ['thai', true],
      ['lobby', false],
      ['lobby', true],
    ]);
  });

  it('reports every room change with the room and what changed in it', async () => {
    const client = new FakeClient();
    const model = new ChatModel(client);
    await model.join('lobby');
    const seen: ChatChange[] = [];
    model.on('changed', (ctx) => seen.push(ctx));
    model.room('lobby')!.setDraft('typing…');
    say(client.joined.get('lobby'), 'mali', 'hi');
    expect(seen.map((c) => [c.changes, c.room?.name, c.roomChanges])).toEqual([
      [['room'], 'lobby', ['draft']],
      [['room', 'unread'], 'lobby', ['messages', 'unread']],
    ]);
  });

  it('remembers rooms, the open room and drafts per user, and restores them after a reload', async () => {
    const storage = new MemoryStorage();
    const first = new ChatModel(new FakeClient(), { storage });
    await first.join('lobby');
    await first.join('thai');
    await first.join('dev');
    first.select('thai');
    first.room('dev')!.setDraft('half a sentence');
    // The keys the web client used before the model, so saved state carries over.
    expect(JSON.parse(storage.getItem('kuykan.user.somchai.rooms')!)).toEqual(['lobby', 'thai', 'dev']);
    expect(storage.getItem('kuykan.user.somchai.active')).toBe('thai');
    expect(storage.getItem('kuykan.user.somchai.draft.dev')).toBe('half a sentence');

    const client = new FakeClient();
    client.refused.add('dev'); // e.g. the server's limits changed
    const second = new ChatModel(client, { storage });
    const { failed } = await second.restore({ rooms: ['Lobby'] });
    expect(second.rooms.map((r) => r.name)).toEqual(['lobby', 'thai']);
    expect(second.active?.name).toBe('thai');
    expect(failed.map((f) => f.room)).toEqual(['dev']);
    expect(JSON.parse(storage.getItem('kuykan.user.somchai.rooms')!)).toEqual(['lobby', 'thai']);

    const other = new FakeClient();
    other.name = 'mali';
    const theirs = new ChatModel(other, { storage });
    await theirs.restore();
    expect(theirs.rooms).toEqual([]);
  });

  it('leaves a room at once, opens its neighbour and forgets its draft', async () => {
    const storage = new MemoryStorage();
    const model = new ChatModel(new FakeClient(), { storage });
    for (const name of ['lobby', 'thai', 'dev']) await model.join(name);
    model.select('thai');
    model.room('thai')!.setDraft('unsent');
    await model.leave('thai');
    expect(model.rooms.map((r) => r.name)).toEqual(['lobby', 'dev']);
    expect(model.active?.name).toBe('dev');
    expect(storage.getItem('kuykan.user.somchai.draft.thai')).toBeNull();
    await model.leave('dev');
    expect(model.active?.name).toBe('lobby');
  });
});

describe('ChatModel (version 2)', () => {
  it('shows a mention in a room not joined as an invitation with a badge, until it is joined', async () => {
    const client = new FakeClient();
    client.version = 2;
    const model = new ChatModel(client);
    await model.join('lobby');
    const notified: string[] = [];
    model.on('mention', ({ invite, mention }) => notified.push(`${invite.room} ${invite.mentions}: ${mention.text}`));
    const changes: string[][] = [];
    model.on('changed', ({ changes: c }) => changes.push([...c]));
    client.emit('mention', { room: 'news', seq: 3, messageId: 'm3', from: 'mali', text: '@somchai look' });
    client.emit('mention', { room: 'news', seq: 5, messageId: 'm5', from: 'dao', text: '@somchai again' });
    client.emit('mention', { room: 'lobby', seq: 9, messageId: 'm9', from: 'dao', text: 'joined: ignored' });
    expect(notified).toEqual(['news 1: @somchai look', 'news 2: @somchai again']);
    expect(model.invites.map((i) => [i.room, i.mentions, i.latest.from])).toEqual([['news', 2, 'dao']]);
    expect([model.unread, model.mentions]).toEqual([2, 2]);
    expect(changes).toContainEqual(['invites', 'unread']);
    await model.join('news', { activate: false });
    expect(model.invites).toEqual([]);
    expect(model.mentions).toBe(0);
    model.dispose();
    client.emit('mention', { room: 'dev', seq: 1, messageId: 'm1', from: 'mali', text: 'after dispose' });
    expect(model.invites).toEqual([]);
  });

  it('drops an invitation read on another device, and names a direct room by its peer', async () => {
    const client = new FakeClient();
    client.version = 2;
    const model = new ChatModel(client);
    client.emit('mention', { room: '@mali+somchai', seq: 2, messageId: 'm2', from: 'mali', text: 'ว่างไหม' });
    expect(model.invites[0]).toMatchObject({ room: '@mali+somchai', peer: 'mali', mentions: 1 });
    client.emit('read', { room: '@mali+somchai', seq: 1 });
    expect(model.invites).toHaveLength(1);
    client.emit('read', { room: '@mali+somchai', seq: 2 });
    expect(model.invites).toEqual([]);
    const direct = await model.openDirect('mali');
    expect([direct.name, direct.peer, model.active]).toEqual(['@mali+somchai', 'mali', direct]);
  });
});

describe('WebStorage', () => {
  it('loses what a failing storage cannot hold instead of throwing', () => {
    const failing: ModelStorage = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
      removeItem: () => {
        throw new Error('SecurityError');
      },
    };
    const storage = new WebStorage(failing);
    expect(() => storage.setItem('k', 'v')).not.toThrow();
    expect(storage.getItem('k')).toBeNull();
    expect(() => storage.removeItem('k')).not.toThrow();
  });
});

describe('ChatModel with a server', () => {
  it('follows real rooms: unread from another user, own messages, older pages, and a restore', async () => {
    const server = await startTestServer({ limits: { joinRecent: 3 } });
    const storage = new MemoryStorage();
    const other = await connected(server.url, 'dao');
    const news = await other.join('news');
    for (let n = 1; n <= 10; n++) await news.send(`n${n}`);
    const me = await connected(server.url, 'Ploy', { key: 'ploy-key' });
    const model = new ChatModel(me, { storage, pageSize: 4 });
    await model.restore({ rooms: ['lobby'] });
    const room = await model.join('news', { activate: false });
    expect(room.messages.map((m) => m.seq)).toEqual([8, 9, 10]);
    expect([room.unread, room.hasOlder]).toEqual([0, true]);
    await news.send('@ploy look');
    await news.send('n12');
    await until(() => model.unread === 2, 5000, 'two unread');
    expect(model.mentions).toBe(1);

    model.select('news');
    expect(model.unread).toBe(0);
    await room.send('mine');
    await until(() => room.messages.at(-1)?.text === 'mine', 5000, 'my message');
    expect(room.messages.at(-1)!.own).toBe(true);
    expect(room.pending).toEqual([]);

    while (room.hasOlder) await room.loadOlder();
    expect(room.messages.map((m) => m.seq)).toEqual(Array.from({ length: 13 }, (_, n) => n + 1));
    expect(room.retentionFloor).toBeUndefined();
    await me.close();

    const again = await connected(server.url, 'ploy', { key: 'ploy-key' }); // the same user, as a reload is
    const reloaded = new ChatModel(again, { storage });
    await reloaded.restore({ rooms: ['lobby'] });
    expect(reloaded.rooms.map((r) => r.name)).toEqual(['lobby', 'news']);
    expect(reloaded.active?.name).toBe('news');
    await Promise.all([again.close(), other.close()]);
    await server.close();
  });
});
