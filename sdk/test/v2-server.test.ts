/**
 * The SDK's version 2 against the reference server (memory store): every
 * method and event end to end, resume across a cut connection, and the
 * app model on top.
 */
import { ErrorCode } from '@kuykan/protocol';
import type { RunningServer } from '@kuykan/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatModel } from '../src/model/index.js';
import type { KuykanClient } from '../src/node.js';
import type { Room } from '../src/room.js';
import type { ChangeContext, MentionContext, MessageContext, ReactionContext } from '../src/types.js';
import { ChaosProxy } from './chaos-proxy.js';
import { connected, startTestServer, until } from './helpers.js';

let server: RunningServer;
const clients: KuykanClient[] = [];
beforeAll(async () => {
  server = await startTestServer({ limits: { sendRate: 1000, sendBurst: 1000, presenceGraceMs: 200 } });
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await server.close();
});

async function user(name: string, options: Parameters<typeof connected>[2] = {}): Promise<KuykanClient> {
  const client = await connected(server.url, name, { key: `${name}-key`, ...options });
  clients.push(client);
  return client;
}

const once = <T>(room: Room, event: 'message' | 'edit' | 'delete' | 'reaction') =>
  new Promise<T>((resolve) => room.once(event, resolve as never));

describe('SDK version 2 with the reference server', () => {
  it('negotiates version 2', async () => {
    const client = await user('negotiator');
    expect(client.version).toBe(2);
  });

  it('replies, mentions, edits, reacts and deletes, and the other member sees each in its live model', async () => {
    const somchai = await user('somchai');
    const mali = await user('mali');
    const mine = await somchai.join('kitchen');
    const theirs = await mali.join('kitchen');
    const question = await mine.send('ข้าวมันไก่ไหม');
    const replied = once<MessageContext>(mine, 'message');
    const answer = await theirs.send('@somchai ไป', { replyTo: question.messageId, mentions: ['somchai'] });
    const { message, mentionsMe } = await replied;
    expect(message.reply).toEqual({ messageId: question.messageId, from: 'somchai', text: 'ข้าวมันไก่ไหม' });
    expect([message.mentions, mentionsMe]).toEqual([['somchai'], true]);

    const edited = once<ChangeContext>(theirs, 'edit');
    await mine.edit(question.messageId, 'ข้าวมันไก่ไหม 12:30');
    const edit = await edited;
    expect(edit.message?.text).toBe('ข้าวมันไก่ไหม 12:30');
    expect(edit.replies.map((r) => r.reply?.text)).toEqual(['ข้าวมันไก่ไหม 12:30']);

    const reacted = once<ReactionContext>(mine, 'reaction');
    await theirs.react(question.messageId, '👍');
    expect((await reacted).message?.reactions).toEqual([{ emoji: '👍', count: 1, names: ['mali'] }]);
    expect((await theirs.react(question.messageId, '👍')).seq).toBe(0); // nothing changed [LOG-5]
    expect(theirs.message(question.messageId)?.reactions?.[0]).toMatchObject({ count: 1, me: true });

    const refused = await theirs.edit(question.messageId, 'not mine').catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: ErrorCode.NOT_AUTHOR });

    const deleted = once<ChangeContext>(theirs, 'delete');
    await mine.delete(question.messageId);
    const gone = await deleted;
    expect(gone.message).toMatchObject({ deleted: true, text: '' });
    expect(theirs.message(answer.messageId)?.reply).toMatchObject({ deleted: true, text: '' });
    // A page folds the same state [FOLD-1].
    const page = await mali.join('kitchen').then((room) => room.history());
    expect(page.messages.map((m) => [m.text, m.deleted ?? false])).toEqual([
      ['', true],
      ['@somchai ไป', false],
    ]);
  });

  it('shares the read marker between the sessions of one user, coalescing reads [READ-2]', async () => {
    const writer = await user('writer');
    const phone = await user('reader');
    const laptop = await user('reader');
    const room = await writer.join('news');
    for (let n = 1; n <= 3; n++) await room.send(`n${n}`);
    const onPhone = await phone.join('news');
    const onLaptop = await laptop.join('news');
    expect(onPhone.joinCounts).toMatchObject({ seq: 3, unread: 3 });
    const moved = new Promise<number>((resolve) => onPhone.on('read', ({ seq }) => seq === 3 && resolve(seq)));
    await Promise.all([onLaptop.markRead(1), onLaptop.markRead(2), onLaptop.markRead(3)]);
    expect(await moved).toBe(3);
    expect(onPhone.readSeq).toBe(3);
    const again = await user('reader');
    const rejoined = await again.join('news');
    expect([rejoined.readSeq, rejoined.joinCounts.unread]).toEqual([3, 0]);
  });

  it('opens a direct room for both users and tells the other of a message there [MENTION-4]', async () => {
    const dao = await user('dao');
    const ploy = await user('ploy');
    const mention = new Promise<MentionContext>((resolve) => ploy.on('mention', resolve));
    const room = await dao.directRoom('ploy');
    expect(room.peer).toBe('ploy');
    expect(room.name.startsWith('@')).toBe(true);
    await room.send('ว่างไหม');
    expect(await mention).toMatchObject({ room: room.name, from: 'dao', text: 'ว่างไหม' });
    const theirs = await ploy.directRoom('dao');
    expect([theirs.name, theirs.peer]).toEqual([room.name, 'dao']);
    expect(theirs.timeline.map((m) => m.text)).toEqual(['ว่างไหม']);
  });

  it('marks a bot and its messages [BOT-1]', async () => {
    const bot = await user('dice-bot', { bot: true });
    const human = await user('gamer');
    const room = await human.join('games');
    const heard = once<MessageContext>(room, 'message');
    const botRoom = await bot.join('games');
    await until(() => room.bots.includes('dice-bot'), 5000, 'the bot');
    await botRoom.send('🎲 4');
    expect((await heard).message.bot).toBe(true);
  });

  it('resumes with the edits, reactions and deletes made while away [LOG-4]', async () => {
    const proxy = await ChaosProxy.start(server.port);
    try {
      const away = await connected(proxy.url, 'traveller', {
        key: 'traveller-key',
        backoff: { minMs: 20, maxMs: 100 },
      });
      clients.push(away);
      const host = await user('host');
      const mine = await away.join('travel');
      const theirs = await host.join('travel');
      const { messageId } = await theirs.send('see you');
      await until(() => mine.seq === 1, 5000, 'the message');
      const seen: string[] = [];
      for (const event of ['edit', 'reaction', 'delete'] as const) mine.on(event, () => seen.push(event));
      proxy.cutAll();
      await until(() => away.state === 'reconnecting', 5000, 'the cut');
      await theirs.edit(messageId, 'see you soon');
      await theirs.react(messageId, '✈️');
      await theirs.delete(messageId);
      await until(() => away.state === 'open' && mine.seq === 4, 10_000, 'the resume');
      expect(seen).toEqual(['edit', 'reaction', 'delete']);
      expect(mine.message(messageId)).toMatchObject({ deleted: true, text: '' });
    } finally {
      await proxy.close();
    }
  });

  it('gives the app model the server counts, mentions and invitations', async () => {
    const other = await user('teller');
    const room = await other.join('stories');
    await room.send('once upon a time');
    await room.send('@listener are you there?', { mentions: ['listener'] });
    const me = await user('listener');
    const model = new ChatModel(me);
    await model.join('lobby');
    const invited = new Promise((resolve) => model.once('mention', resolve));
    await room.send('@listener hello?', { mentions: ['listener'] });
    await invited;
    expect(model.invites.map((i) => [i.room, i.mentions])).toEqual([['stories', 1]]);
    const stories = await model.join('stories', { activate: false });
    expect(model.invites).toEqual([]);
    expect([stories.unread, stories.mentions]).toEqual([3, 2]);
    model.select('stories');
    await until(() => stories.readSeq === 3 && stories.room.readSeq === 3, 5000, 'the read marker');
    expect([model.unread, model.mentions]).toEqual([0, 0]);
    model.dispose();
  });
});
