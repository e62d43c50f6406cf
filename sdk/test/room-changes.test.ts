import { afterEach, describe, expect, it } from 'vitest';
import { KuykanClient } from '../src/node.js';
import type { Room } from '../src/room.js';
import type { ChangeContext, ReactionContext } from '../src/types.js';
import { FakeServer } from './fake-server.js';

let server: FakeServer;
const clients: KuykanClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await server?.close();
});

/** Two users in room `lobby` of a version 2 fake server. */
async function pair(options: { maxMessages?: number } = {}): Promise<[Room, Room]> {
  server = await FakeServer.start({ version: 2 });
  const rooms: Room[] = [];
  for (const name of ['somchai', 'mali']) {
    const client = new KuykanClient(server.url, { name, ...options });
    clients.push(client);
    await client.connect();
    rooms.push(await client.join('lobby'));
  }
  return rooms as [Room, Room];
}

/** Resolves with the next event of a room. */
const next = <E extends 'edit' | 'delete' | 'reaction'>(room: Room, event: E) =>
  new Promise<E extends 'reaction' ? ReactionContext : ChangeContext>((resolve) => room.once(event, resolve as never));

describe('Room (version 2)', () => {
  it('sends replies and mentions, and marks the messages that mention me', async () => {
    const [somchai, mali] = await pair();
    const first = await somchai.send('ข้าวมันไก่ไหม');
    const heard = new Promise<{ text: string; quote?: string; mentionsMe: boolean }>((resolve) =>
      mali.on('message', ({ message, mentionsMe }) => {
        if (message.reply) resolve({ text: message.text, quote: message.reply.text, mentionsMe });
      }),
    );
    await somchai.send('@mali ไปกัน', { replyTo: first.messageId, mentions: ['Mali'] });
    expect(await heard).toEqual({ text: '@mali ไปกัน', quote: 'ข้าวมันไก่ไหม', mentionsMe: true });
    expect(server.sent('send')[1]).toMatchObject({ replyTo: first.messageId, mentions: ['Mali'] });
  });

  it('applies an edit to the live model and to the previews of its replies [REPLY-3]', async () => {
    const [somchai, mali] = await pair();
    const original = await somchai.send('lunch at noon?');
    const reply = await mali.send('yes', { replyTo: original.messageId });
    const edited = next(mali, 'edit');
    const ack = await somchai.edit(original.messageId, 'lunch at one?', { mentions: ['mali'] });
    const { message, replies, entry, own } = await edited;
    expect(entry).toMatchObject({ kind: 'edit', target: original.messageId, seq: ack.seq });
    expect(own).toBe(false);
    expect(message).toMatchObject({ text: 'lunch at one?', mentions: ['mali'], editedTs: ack.ts, revision: ack.seq });
    expect(replies.map((r) => [r.messageId, r.reply?.text])).toEqual([[reply.messageId, 'lunch at one?']]);
    expect(mali.message(original.messageId)).toBe(message);
    expect(mali.message(reply.messageId)?.reply?.text).toBe('lunch at one?');
    expect(mali.timeline.map((m) => m.text)).toEqual(['lunch at one?', 'yes']);
  });

  it('turns a deleted message into a tombstone and shows its replies quoting a deleted message', async () => {
    const [somchai, mali] = await pair();
    const original = await somchai.send('oops');
    await somchai.react(original.messageId, '😅');
    const reply = await mali.send('?', { replyTo: original.messageId });
    const deleted = next(mali, 'delete');
    await somchai.delete(original.messageId);
    const { message, replies } = await deleted;
    expect(message).toMatchObject({ deleted: true, text: '' });
    expect(message).not.toHaveProperty('reactions');
    expect(replies[0]!.reply).toEqual({ messageId: original.messageId, from: 'somchai', text: '', deleted: true });
    expect(mali.message(reply.messageId)?.reply?.deleted).toBe(true);
  });

  it('counts reactions with names and my own flag, and resolves a reaction that changes nothing [LOG-5]', async () => {
    const [somchai, mali] = await pair();
    const { messageId } = await somchai.send('🎉 release day');
    const reactions: string[] = [];
    somchai.on('reaction', ({ emoji, on, from, message }) =>
      reactions.push(`${from} ${on ? '+' : '-'}${emoji} → ${JSON.stringify(message?.reactions ?? [])}`),
    );
    await mali.react(messageId, '👍');
    await somchai.react(messageId, '👍');
    const again = await somchai.react(messageId, '👍');
    expect(again).toMatchObject({ seq: 0, messageId });
    await mali.unreact(messageId, '👍');
    const none = await mali.unreact(messageId, '👍');
    expect(none.seq).toBe(0);
    await client(0).ping();
    expect(reactions).toEqual([
      'mali +👍 → [{"emoji":"👍","count":1,"names":["mali"]}]',
      'somchai +👍 → [{"emoji":"👍","count":2,"names":["mali","somchai"],"me":true}]',
      'mali -👍 → [{"emoji":"👍","count":1,"names":["somchai"],"me":true}]',
    ]);
  });

  it('keeps records unchanged once handed out: a change makes a new record', async () => {
    const [somchai] = await pair();
    const { messageId } = await somchai.send('v1');
    const before = somchai.message(messageId)!;
    const timeline = somchai.timeline;
    await somchai.edit(messageId, 'v2');
    expect(before.text).toBe('v1');
    expect(timeline[0]!.text).toBe('v1');
    expect(somchai.message(messageId)!.text).toBe('v2');
  });

  it('keeps the newest maxMessages messages in its live model', async () => {
    const [somchai] = await pair({ maxMessages: 3 });
    for (let n = 1; n <= 5; n++) await somchai.send(`m${n}`);
    expect(somchai.timeline.map((m) => m.text)).toEqual(['m3', 'm4', 'm5']);
    expect(somchai.message('m1')).toBeUndefined();
    const edited = next(somchai, 'edit');
    await somchai.edit('m1', 'late edit');
    expect((await edited).message).toBeUndefined();
  });

  it('takes the newer state when a page and live entries overlap [FOLD-2]', async () => {
    const [somchai, mali] = await pair();
    const { messageId } = await somchai.send('draft');
    await somchai.edit(messageId, 'final');
    await mali.history(); // a page folded after the edit: revision = the edit's seq
    expect(mali.message(messageId)).toMatchObject({ text: 'final', revision: 2 });
    await somchai.react(messageId, '👍');
    await mali.history({ before: 1 }); // an empty page changes nothing
    expect(mali.message(messageId)?.reactions?.[0]?.count).toBe(1);
  });
});

function client(n: number): KuykanClient {
  return clients[n]!;
}
